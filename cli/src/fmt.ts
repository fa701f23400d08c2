// `pcmh fmt [--check|--write] FILE…`: canonical formatting.
import type { Io } from "./main";

export function fmtCommand(_files: string[], _options: { check: boolean; write: boolean }, io: Io): number {
  io.err("pcmh fmt: not available yet\n");
  return 2;
}
