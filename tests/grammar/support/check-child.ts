// CHECK IN A CHILD PROCESS
//
// `checkInChild(text, limits)` runs `check` in a fresh Node process (through tsx) and reports what
// happened. Inputs that may hang or exhaust memory go through it, so that such an input fails one
// test with a clear message instead of freezing or killing the vitest worker. The text travels
// as JSON on stdin (JSON keeps lone surrogates, UTF-8 would not); the child answers with JSON on
// stdout. Run directly (`node --import tsx check-child.ts`), this file is the child.

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "../../../grammar/src";

export type ChildOutcome =
  | { readonly kind: "returned"; readonly ok: boolean; readonly diagnostics: Diagnostic[]; readonly ms: number }
  | { readonly kind: "threw"; readonly name: string; readonly message: string; readonly stack: string }
  | { readonly kind: "died"; readonly reason: string };

export interface ChildLimits {
  /** Wall-clock limit; past it the child is killed and the outcome is `died`. */
  readonly timeoutMs: number;
  /** V8 old-space limit for the child, so a runaway allocation dies quickly. */
  readonly maxOldSpaceMb?: number;
}

const self = fileURLToPath(import.meta.url);
const root = fileURLToPath(new URL("../../..", import.meta.url));

// The time limit is kept by a small supervising process, not by a timer here: the test worker's
// event loop is busy with synchronous tests while the child runs, and a worker that dies must not
// leave a runaway child behind. The supervisor kills the child at the deadline (exit 124), or
// when it is itself terminated.
const supervisor = `
const { spawn } = require("node:child_process");
const [limit, ...args] = process.argv.slice(1);
const child = spawn(process.execPath, args, { stdio: "inherit" });
const stop = (code) => { child.kill("SIGKILL"); process.exit(code); };
const timer = setTimeout(() => stop(124), Number(limit));
process.on("SIGTERM", () => stop(143));
child.on("exit", (code, signal) => {
  clearTimeout(timer);
  if (signal) process.stderr.write("the child was killed by " + signal + "\\n");
  process.exit(signal ? 125 : code ?? 1);
});
`;

const running = new Set<ReturnType<typeof spawn>>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGTERM");
});

export function checkInChild(text: string, limits: ChildLimits): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const args = [...(limits.maxOldSpaceMb ? [`--max-old-space-size=${limits.maxOldSpaceMb}`] : []), "--import", "tsx", self];
    const child = spawn(process.execPath, ["-e", supervisor, String(limits.timeoutMs), ...args], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    child.stdin.on("error", () => {}); // the child may die before reading everything
    child.on("close", (code, signal) => {
      running.delete(child);
      if (code === 124) return resolve({ kind: "died", reason: `check did not return within ${limits.timeoutMs / 1000} s (killed)` });
      if (code !== 0) return resolve({ kind: "died", reason: `the child exited with ${signal ?? `code ${code}`}:\n${stderr.trim().split("\n").slice(-12).join("\n")}` });
      try {
        resolve(JSON.parse(stdout) as ChildOutcome);
      } catch {
        resolve({ kind: "died", reason: `unreadable answer from the child: ${stdout.slice(0, 200)}\n${stderr}` });
      }
    });
    child.stdin.end(JSON.stringify(text));
  });
}

async function childMain(): Promise<void> {
  const { check } = await import("../../../compiler/src");
  let input = "";
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) input += chunk as string;
  const text = JSON.parse(input) as string;
  let outcome: ChildOutcome;
  const started = performance.now();
  try {
    const result = check(text);
    outcome = { kind: "returned", ok: result.ok, diagnostics: result.diagnostics, ms: Math.round(performance.now() - started) };
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    outcome = { kind: "threw", name: error.name, message: error.message, stack: error.stack ?? "" };
  }
  process.stdout.write(JSON.stringify(outcome));
}

if (process.argv[1] === self) await childMain();
