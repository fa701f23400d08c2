// The playground itself: Monaco with the contract language, React and the app. The page's entry
// (main.tsx) loads this chunk after it has started the simulation workers.
import "./editor/monaco"; // Monaco and the contract language, before any editor exists
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { SHARE_KEY } from "./lib/share";
import type { SharedState } from "./lib/state";
import "./styles.css";

export function showPlayground(initial: SharedState): void {
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
}
