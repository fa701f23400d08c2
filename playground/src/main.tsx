import "./lib/early"; // simulation workers start loading first
import "./editor/monaco"; // Monaco and the contract language, before any editor exists
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { prepareSimulation } from "./lib/simulation";
import { initialState, type SharedState } from "./lib/state";
import { SHARE_KEY, stateFromLocation } from "./lib/share";
import "./styles.css";

const initial = initialState(await stateFromLocation<Partial<SharedState>>());
// the workers get ready for the contract and population the page opens with (see App)
prepareSimulation(initial.text, initial.sim);
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App initial={initial} />
  </StrictMode>,
);

// Pasting another share link into this tab's address bar loads it.
let current = location.hash;
window.addEventListener("hashchange", () => {
  if (location.hash !== current && new URLSearchParams(location.hash.slice(1)).has(SHARE_KEY)) location.reload();
  current = location.hash;
});
