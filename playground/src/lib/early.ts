// Imported first by the page's entry: the simulation workers start loading their code before the
// editor's much larger code is evaluated on the page's thread.
import { startSimulationWorkers } from "./simulation";

startSimulationWorkers();
