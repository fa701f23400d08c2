// `pcmh compile FILE --out DIR`: the contract as a TypeScript module and a JavaScript module.
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { compile, emitModule } from "../../compiler/src";
import { LineIndex, renderFull } from "../../compiler/src/render";
import { readContract } from "./files";
import type { Io } from "./main";

export function compileCommand(file: string, options: { out: string; runtime?: string }, io: Io): number {
  const read = readContract(file);
  if (!read.ok) {
    io.err(`${read.message}\n`);
    return 1;
  }
  const result = compile(read.text);
  if (!result.ok) {
    const index = new LineIndex(read.text);
    for (const d of result.diagnostics) io.err(renderFull(file, index, d) + "\n\n");
    io.err(`${file}: not compiled, because it has errors.\n`);
    return 1;
  }
  mkdirSync(options.out, { recursive: true });
  const name = basename(file).replace(/\.pcmh$/, "");
  const runtime = options.runtime ?? "@pcmh/runtime";
  const ts = join(options.out, `${name}.ts`);
  const js = join(options.out, `${name}.js`);
  writeFileSync(ts, emitModule(result.ir, { typescript: true, runtime }));
  writeFileSync(js, emitModule(result.ir, { typescript: false, runtime }));
  io.out(`wrote ${ts}\nwrote ${js}\n`);
  return 0;
}
