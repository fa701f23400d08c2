// CSV OUTPUT of settlement data (docs/data-formats.md): the six tables, RFC 4180 quoting.
//
// `settlementCsv` writes any SettlementInput as text; `writePopulationCsv` generates a population
// and streams its tables straight from the model's columns to files, so a million members never
// exist as row objects. Both give the same bytes for the same population.

import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { SettlementInput } from "../../runtime/src/input";
import { baselineRows, forEachClaim, forEachMemberMonth, Formatter, physicianRows, practiceRows, qualityRows, simulatePopulation, type PopulationOptions, type ResolvedOptions } from "./population";
import type { Population } from "./model";

export type TableName = "physicians" | "practices" | "members" | "claims" | "quality" | "baseline";
export const tableNames: readonly TableName[] = ["physicians", "practices", "members", "claims", "quality", "baseline"];

export const headers: Readonly<Record<TableName, readonly string[]>> = {
  physicians: ["physician_id", "practice_id", "panel_id", "name"],
  practices: ["practice_id", "name", "risk_group", "recognition_level", "community_care_team"],
  members: ["member_id", "month", "payer", "lob", "risk_score", "age", "physician_id"],
  claims: ["claim_id", "member_id", "date", "physician_id", "code", "category", "allowed", "units"],
  quality: ["level", "id", "measure", "numerator", "denominator"],
  baseline: ["level", "id", "member_months", "cost", "risk_score"],
};

const needsQuotes = /[",\r\n]/;

/** One CSV field: quoted (with doubled quotes) when it holds a comma, a quote or a line break. */
export function csvField(value: string | undefined): string {
  if (value === undefined) return "";
  return needsQuotes.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const line = (fields: readonly (string | undefined)[]) => fields.map(csvField).join(",") + "\n";

function rowsOf(input: SettlementInput, table: TableName): (readonly (string | undefined)[])[] {
  switch (table) {
    case "physicians":
      return input.physicians.map((r) => [r.id, r.practice, r.panel, r.name]);
    case "practices":
      return input.practices.map((r) => [r.id, r.name, r.riskGroup, r.recognitionLevel, r.careTeam]);
    case "members":
      return input.members.map((r) => [r.member, r.month, r.payer, r.lob, r.riskScore, r.age, r.physician]);
    case "claims":
      return input.claims.map((r) => [r.id, r.member, r.date, r.physician, r.code, r.category, r.allowed, r.units]);
    case "quality":
      return input.quality.map((r) => [r.level, r.id, r.measure, r.numerator, r.denominator]);
    case "baseline":
      return input.baseline.map((r) => [r.level, r.id, r.memberMonths, r.cost, r.riskScore]);
  }
}

/** The six tables of any settlement input as CSV text. */
export function settlementCsv(input: SettlementInput): Record<TableName, string> {
  const out = {} as Record<TableName, string>;
  for (const t of tableNames) out[t] = line(headers[t]) + rowsOf(input, t).map(line).join("");
  return out;
}

/** Buffered writing to one file. */
class Sink {
  private readonly fd: number;
  private buffer = "";
  constructor(path: string) {
    this.fd = openSync(path, "w");
  }
  write(text: string) {
    this.buffer += text;
    if (this.buffer.length > 1 << 20) this.flush();
  }
  flush() {
    if (this.buffer) writeSync(this.fd, this.buffer);
    this.buffer = "";
  }
  close() {
    this.flush();
    closeSync(this.fd);
  }
}

export interface WrittenPopulation {
  readonly resolved: ResolvedOptions;
  readonly population: Population;
  readonly files: readonly string[];
  readonly memberMonths: number;
  readonly claims: number;
  /** Sum of the written allowed amounts, in cents. */
  readonly allowedCents: number;
}

/** Generates a population and writes its six tables as CSV files into `dir` (which must exist). */
export function writePopulationCsv(options: PopulationOptions, dir: string): WrittenPopulation {
  const { resolved, population } = simulatePopulation(options);
  const f = new Formatter(population, resolved);
  const small: SettlementInput = { physicians: physicianRows(f), practices: practiceRows(f), members: [], claims: [], quality: qualityRows(f), baseline: baselineRows(f) };
  const files: string[] = [];
  let memberMonths = 0;
  let claims = 0;
  let allowedCents = 0;
  for (const table of tableNames) {
    const path = join(dir, `${table}.csv`);
    files.push(path);
    const sink = new Sink(path);
    try {
      sink.write(line(headers[table]));
      if (table === "members") {
        const payers = resolved.payers.map(csvField);
        const payerOf = new Map(resolved.payers.map((p, i) => [p, payers[i]!]));
        const lobOf = new Map(resolved.lobs.map((l) => [l, csvField(l)]));
        forEachMemberMonth(f, (member, month, payer, lob, risk, age, physician) => {
          memberMonths++;
          sink.write(`${member},${month},${payerOf.get(payer)!},${lobOf.get(lob)!},${risk},${age},${physician}\n`);
        });
      } else if (table === "claims") {
        forEachClaim(f, (id, member, date, physician, code, category, allowed, units) => {
          claims++;
          allowedCents += Math.round(Number(allowed) * 100);
          sink.write(`${id},${member},${date},${physician ?? ""},${csvField(code)},${category},${allowed},${units}\n`);
        });
      } else {
        for (const r of rowsOf(small, table)) sink.write(line(r));
      }
    } finally {
      sink.close();
    }
  }
  return { resolved, population, files, memberMonths, claims, allowedCents };
}
