#!/usr/bin/env node
// Launches the TypeScript CLI through tsx's loader, so the command always runs the current sources.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));
