// SETTLEMENT DATA: CSV OR JSON TEXT -> SETTLEMENT INPUT
//
// Reads the six tables of docs/data-formats.md from text (the caller does the file I/O, so this
// runs in browsers too), through csv-parse for CSV. Every problem stops the read with a
// SettlementError naming the file, the row (counting the header as row 1, as a spreadsheet does)
// and the field, and saying what was expected: malformed CSV, a missing or unexpected column, a
// wrong or negative number, a bad month or date, an unknown category.

import { parse as parseCsv } from "csv-parse/sync";
import { SettlementError } from "../../../runtime/src/errors";
import type { BaselineRow, ClaimRow, MemberMonthRow, PhysicianRow, PracticeRow, QualityRow, SettlementInput } from "../../../runtime/src/input";
import { parseDecimal } from "../../../runtime/src/money";

export type TableName = "physicians" | "practices" | "members" | "claims" | "quality" | "baseline";

interface Column {
  readonly name: string;
  readonly required: boolean;
  readonly kind: "id" | "text" | "month" | "date" | "decimal" | "nonnegative" | "count" | "category" | "level";
  readonly values?: readonly string[];
}

const c = (name: string, kind: Column["kind"], required = true, values?: readonly string[]): Column => ({ name, required, kind, ...(values ? { values } : {}) });

export const claimCategories = ["primary_care", "specialist", "ed", "inpatient", "outpatient", "pharmacy", "other"] as const;

export const schema: Record<TableName, readonly Column[]> = {
  physicians: [c("physician_id", "id"), c("practice_id", "id"), c("panel_id", "id", false), c("name", "text", false)],
  practices: [c("practice_id", "id"), c("name", "text", false), c("risk_group", "count", false), c("recognition_level", "count", false), c("community_care_team", "text", false)],
  members: [c("member_id", "id"), c("month", "month"), c("payer", "text"), c("lob", "text", false), c("risk_score", "nonnegative"), c("age", "count", false), c("physician_id", "id", false)],
  claims: [c("claim_id", "id"), c("member_id", "id"), c("date", "date"), c("physician_id", "id", false), c("code", "id"), c("category", "category", true, claimCategories), c("allowed", "nonnegative"), c("units", "count", false)],
  quality: [c("level", "level", true, ["practice", "physician"]), c("id", "id"), c("measure", "id"), c("numerator", "nonnegative"), c("denominator", "nonnegative")],
  baseline: [c("level", "level", true, ["practice", "physician", "panel", "contract"]), c("id", "id"), c("member_months", "nonnegative"), c("cost", "nonnegative"), c("risk_score", "nonnegative")],
};

export const requiredTables: readonly TableName[] = ["physicians", "practices", "members"];
export const optionalTables: readonly TableName[] = ["claims", "quality", "baseline"];

type Raw = Record<string, string>;

function error(code: SettlementError["code"], file: string, message: string, row?: number, field?: string): never {
  throw new SettlementError(code, message, { file, ...(row !== undefined ? { row } : {}), ...(field ? { field } : {}) });
}

function isRealDate(text: string): boolean {
  const [y, m, d] = text.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function checkField(file: string, row: number, column: Column, raw: string | undefined): string | undefined {
  const value = (raw ?? "").trim();
  if (value === "") {
    if (column.required) error("PCMH0503", file, `${column.name} is empty; it is required.`, row, column.name);
    return undefined;
  }
  const expect = (ok: boolean, what: string) => {
    if (!ok) error("PCMH0503", file, `${column.name} is ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value)}; expected ${what}.`, row, column.name);
  };
  switch (column.kind) {
    case "month":
      expect(/^\d{4}-(0[1-9]|1[0-2])$/.test(value), "a month like 2026-01");
      break;
    case "date":
      expect(/^\d{4}-\d{2}-\d{2}$/.test(value) && isRealDate(value), "a date like 2026-01-31");
      break;
    case "decimal":
      expect(parseDecimal(value) !== undefined, "a number like 1234.50");
      break;
    case "nonnegative": {
      const d = parseDecimal(value);
      expect(d !== undefined, "a number like 1234.50 (no $, % or thousands separators)");
      expect(!d!.isNegative(), "a number that is not negative");
      break;
    }
    case "count":
      expect(/^\d+$/.test(value) && value.length < 10, "a whole number");
      break;
    case "category":
    case "level":
      expect(column.values!.includes(value), `one of ${column.values!.join(", ")}`);
      break;
    case "id":
      expect(value.length <= 200, "an identifier of at most 200 characters");
      break;
    case "text":
      expect(value.length <= 1000, "text of at most 1000 characters");
      break;
  }
  return value;
}

/** Parses one table's CSV text into raw records, checking the header against the schema. */
export function readCsvTable(file: TableName, text: string): Raw[] {
  let records: string[][];
  try {
    records = parseCsv(text.startsWith("\ufeff") ? text.slice(1) : text, { relax_column_count: false, skip_empty_lines: true, trim: false }) as string[][];
  } catch (e) {
    const err = e as { message: string; lines?: number };
    error("PCMH0501", `${file}.csv`, `is not valid CSV: ${err.message.replace(/^Invalid Record Length: /, "a row has the wrong number of fields: ")}`, err.lines);
  }
  if (records.length === 0) error("PCMH0502", `${file}.csv`, `is empty; it needs a header row: ${schema[file].map((x) => x.name).join(",")}.`);
  const header = records[0]!.map((h) => h.trim());
  const rows = records.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
  return checkColumns(`${file}.csv`, file, header, rows);
}

function checkColumns(fileLabel: string, file: TableName, header: string[], rows: Raw[]): Raw[] {
  const known = new Set(schema[file].map((x) => x.name));
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) error("PCMH0502", fileLabel, `has the column ${h} twice.`, 1, h);
    seen.add(h);
    if (!known.has(h)) error("PCMH0502", fileLabel, `has an unexpected column "${h}"; its columns are ${[...known].join(", ")}.`, 1, h);
  }
  for (const col of schema[file]) if (col.required && !seen.has(col.name)) error("PCMH0502", fileLabel, `has no ${col.name} column; it is required.`, 1, col.name);
  return rows;
}

/** Parses one table given as JSON: an array of objects whose keys are the CSV column names. */
export function readJsonTable(file: TableName, text: string): Raw[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    error("PCMH0501", `${file}.json`, `is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) error("PCMH0501", `${file}.json`, "must be an array of rows.");
  const rows: Raw[] = [];
  const columns = new Set<string>();
  data.forEach((row, i) => {
    if (!row || typeof row !== "object" || Array.isArray(row)) error("PCMH0501", `${file}.json`, "each row must be an object.", i + 2);
    const out: Raw = {};
    for (const [k, v] of Object.entries(row as Record<string, unknown>)) {
      columns.add(k);
      if (v === null || v === undefined) out[k] = "";
      else if (typeof v === "string") out[k] = v;
      else if (typeof v === "number" && Number.isInteger(v) && Math.abs(v) < 2 ** 31) out[k] = String(v);
      else if (typeof v === "number") error("PCMH0503", `${file}.json`, `${k} is the number ${v}; write decimals as strings ("1234.50") so that no amount goes through floating point.`, i + 2, k);
      else error("PCMH0503", `${file}.json`, `${k} must be a string.`, i + 2, k);
    }
    rows.push(out);
  });
  const header = [...columns];
  if (rows.length > 0) checkColumns(`${file}.json`, file, header, rows);
  return rows;
}

function typed(file: TableName, label: string, rows: Raw[]): Raw[] {
  return rows.map((raw, i) => {
    const out: Raw = {};
    for (const col of schema[file]) {
      const v = checkField(label, i + 2, col, raw[col.name]);
      if (v !== undefined) out[col.name] = v;
    }
    return out;
  });
}

const opt = <K extends string>(key: K, v: string | undefined) => (v === undefined ? {} : ({ [key]: v } as Record<K, string>));

export interface DataFiles {
  readonly format: "csv" | "json";
  /** Table name -> text; claims, quality and baseline may be missing. */
  readonly tables: Partial<Record<TableName, string>>;
}

export function readSettlementData(files: DataFiles): SettlementInput {
  const table = (name: TableName): Raw[] => {
    const text = files.tables[name];
    const label = `${name}.${files.format}`;
    if (text === undefined) {
      if (requiredTables.includes(name)) error("PCMH0501", label, "is missing; a settlement needs physicians, practices and members.");
      return [];
    }
    return typed(name, label, files.format === "csv" ? readCsvTable(name, text) : readJsonTable(name, text));
  };
  const physicians: PhysicianRow[] = table("physicians").map((r) => ({ id: r.physician_id!, practice: r.practice_id!, ...opt("panel", r.panel_id), ...opt("name", r.name) }));
  const practices: PracticeRow[] = table("practices").map((r) => ({
    id: r.practice_id!,
    ...opt("name", r.name),
    ...opt("riskGroup", r.risk_group),
    ...opt("recognitionLevel", r.recognition_level),
    ...opt("careTeam", r.community_care_team),
  }));
  const members: MemberMonthRow[] = table("members").map((r) => ({
    member: r.member_id!,
    month: r.month!,
    payer: r.payer!,
    ...opt("lob", r.lob),
    riskScore: r.risk_score!,
    ...opt("age", r.age),
    ...opt("physician", r.physician_id),
  }));
  const claimIds = new Set<string>();
  const claims: ClaimRow[] = table("claims").map((r, i) => {
    if (claimIds.has(r.claim_id!)) error("PCMH0504", `claims.${files.format}`, `claim ${r.claim_id} appears twice.`, i + 2, "claim_id");
    claimIds.add(r.claim_id!);
    return { id: r.claim_id!, member: r.member_id!, date: r.date!, ...opt("physician", r.physician_id), code: r.code!, category: r.category!, allowed: r.allowed!, ...opt("units", r.units) };
  });
  const quality: QualityRow[] = table("quality").map((r, i) => {
    if (parseDecimal(r.numerator!)!.gt(parseDecimal(r.denominator!)!)) error("PCMH0503", `quality.${files.format}`, `numerator ${r.numerator} is larger than denominator ${r.denominator}.`, i + 2, "numerator");
    return { level: r.level as QualityRow["level"], id: r.id!, measure: r.measure!, numerator: r.numerator!, denominator: r.denominator! };
  });
  const baseline: BaselineRow[] = table("baseline").map((r) => ({ level: r.level as BaselineRow["level"], id: r.id!, memberMonths: r.member_months!, cost: r.cost!, riskScore: r.risk_score! }));
  return { physicians, practices, members, claims, quality, baseline };
}
