// Property-test budget: small by default, raised with FC_NUM_RUNS for longer soak runs.
import fc from "fast-check";

fc.configureGlobal({ numRuns: Number(process.env.FC_NUM_RUNS ?? 100) });
