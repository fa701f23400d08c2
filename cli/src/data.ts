// Reading a settlement data folder: the six tables as CSV files, or as JSON files, never mixed.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { optionalTables, readSettlementData, requiredTables, type TableName } from "../../compiler/src/data/read";
import { SettlementError } from "../../runtime/src/errors";
import type { SettlementInput } from "../../runtime/src/input";

export function readDataFolder(dir: string): SettlementInput {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SettlementError("PCMH0501", `${dir} is not a folder of settlement data.`, { file: dir });
  const format = existsSync(join(dir, "members.csv")) ? "csv" : existsSync(join(dir, "members.json")) ? "json" : undefined;
  if (!format) throw new SettlementError("PCMH0501", `${dir} has no members.csv or members.json.`, { file: dir });
  const tables: Partial<Record<TableName, string>> = {};
  for (const name of [...requiredTables, ...optionalTables]) {
    const path = join(dir, `${name}.${format}`);
    const other = join(dir, `${name}.${format === "csv" ? "json" : "csv"}`);
    if (existsSync(other) && !existsSync(path)) throw new SettlementError("PCMH0501", `${other}: this folder's tables are ${format.toUpperCase()}; don't mix formats.`, { file: other });
    if (existsSync(path)) tables[name] = readFileSync(path, "utf8");
  }
  try {
    return readSettlementData({ format, tables });
  } catch (e) {
    if (e instanceof SettlementError && e.where?.file && !e.where.file.includes("/")) throw new SettlementError(e.code, e.message, { ...e.where, file: join(dir, e.where.file) });
    throw e;
  }
}
