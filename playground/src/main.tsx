// The page's entry, small on purpose: it starts the simulation workers, works out the state the
// page opens with and has the workers get ready for it, and only then loads the playground itself
// (page.tsx: Monaco, React and the app, several MB), so the workers load and warm up meanwhile.
import { prepareSimulation, startSimulationWorkers } from "./lib/simulation";
import { stateFromLocation } from "./lib/share";
import { initialState, type SharedState } from "./lib/state";

startSimulationWorkers();
const initial = initialState(await stateFromLocation<Partial<SharedState>>());
prepareSimulation(initial.text, initial.sim);
const { showPlayground } = await import("./page");
showPlayground(initial);
