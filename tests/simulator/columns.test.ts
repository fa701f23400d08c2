// POPULATIONS AS COLUMNS: generateColumns gives the data of generatePopulation exactly (decoded
// here, independently of the library, back to rows: same rows, same order, same decimal text), and
// index for index what the engine's columnsOf makes of those rows; Monte Carlo's fitPanels and
// period restriction on columns give what the row versions they replace gave.

import { describe, expect, test } from "vitest";
import { checkColumns, columnsOf, type ColumnarInput, type ExactColumn } from "../../runtime/src/columns";
import type { SettlementInput } from "../../runtime/src/input";
import type { Statement } from "../../runtime/src/statement";
import { columnCents, fitPanels, populationFor, summariseStatement, type ContractNeeds, type Scenario } from "../../simulator/src/montecarlo";
import { columnRows, generateColumns, generatePopulation, type PopulationOptions } from "../../simulator/src/population";
import { Workspace } from "../../simulator/src/workspace";

// DECODING, written out here rather than taken from the library

/** scaled / 10^places as a decimal with exactly `places` decimals (how the row path writes it). */
function fixed(scaled: number, places: number): string {
  if (!Number.isSafeInteger(scaled)) throw new Error(`${scaled} is not a scaled integer`);
  const s = BigInt(scaled);
  const negative = s < 0n;
  const digits = (negative ? -s : s).toString().padStart(places + 1, "0");
  const whole = digits.slice(0, digits.length - places);
  return `${negative ? "-" : ""}${whole}${places ? `.${digits.slice(digits.length - places)}` : ""}`;
}

const two = (n: number) => String(n).padStart(2, "0");
const monthOf = (index: number) => `${Math.floor(index / 12)}-${two((index % 12) + 1)}`;
const dateOf = (d: number) => `${Math.floor(d / 10000)}-${two(Math.floor(d / 100) % 100)}-${two(d % 100)}`;

function decode(c: ColumnarInput): SettlementInput {
  const m = c.members;
  const k = c.claims;
  const value = (column: ExactColumn, i: number) => (Number.isNaN(column.scaled[i]) ? undefined : fixed(column.scaled[i]!, column.places));
  const members = Array.from({ length: m.length }, (_, i) => ({
    member: c.memberIds[m.member[i]!]!,
    month: monthOf(m.month[i]!),
    payer: c.payers[m.payer[i]!]!,
    ...(m.lob[i]! >= 0 ? { lob: c.lobs[m.lob[i]!]! } : {}),
    riskScore: value(m.riskScore, i)!,
    ...(value(m.age, i) !== undefined ? { age: value(m.age, i)! } : {}),
    ...(m.physician[i]! >= 0 ? { physician: c.physicians[m.physician[i]!]!.id } : {}),
  }));
  const claims = Array.from({ length: k.length }, (_, i) => ({
    id: k.id[i]!,
    member: c.memberIds[k.member[i]!]!,
    date: dateOf(k.date[i]!),
    ...(k.physician[i]! >= 0 ? { physician: c.physicians[k.physician[i]!]!.id } : {}),
    code: c.codes[k.code[i]!]!,
    category: c.categories[k.category[i]!]!,
    allowed: value(k.allowed, i)!,
    ...(value(k.units, i) !== undefined ? { units: value(k.units, i)! } : {}),
  }));
  return { physicians: c.physicians, practices: c.practices, members, claims, quality: c.quality, baseline: c.baseline };
}

/** Same rows, same order, same text, and the same keys (no field present on one side only). */
function expectSameRows(actual: SettlementInput, expected: SettlementInput) {
  for (const t of ["physicians", "practices", "members", "claims", "quality", "baseline"] as const) {
    const [a, b] = [actual[t], expected[t]];
    expect(a.length, t).toBe(b.length);
    // rows compared as JSON for speed (100,000s of them); a difference is shown by toStrictEqual
    for (let i = 0; i < a.length; i++) if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) expect(a[i], `${t}[${i}]`).toStrictEqual(b[i]);
  }
}

/** Index for index what columnsOf makes of the same rows (exact columns compared by value: columnsOf trims places). */
function expectSameColumns(actual: ColumnarInput, expected: ColumnarInput) {
  for (const key of ["memberIds", "payers", "lobs", "codes", "categories", "physicians", "practices", "quality", "baseline"] as const) expect(actual[key], key).toEqual(expected[key]);
  const ints = (a: Int32Array, b: Int32Array, what: string) => {
    expect(a.length, what).toBe(b.length);
    expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength)), what).toBe(true);
  };
  const exact = (a: ExactColumn, b: ExactColumn, what: string) => {
    expect(a.scaled.length, what).toBe(b.scaled.length);
    expect(a.places, what).toBeGreaterThanOrEqual(b.places);
    const f = 10 ** (a.places - b.places);
    for (let i = 0; i < a.scaled.length; i++) {
      const x = a.scaled[i]!;
      const y = b.scaled[i]! * f;
      if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) expect(`${what}[${i}] = ${x}/10^${a.places}`).toBe(`${y}/10^${a.places}`);
    }
  };
  const [m, n] = [actual.members, expected.members];
  expect(m.length).toBe(n.length);
  for (const f of ["member", "month", "payer", "lob", "physician"] as const) ints(m[f], n[f], `members.${f}`);
  exact(m.riskScore, n.riskScore, "members.riskScore");
  exact(m.age, n.age, "members.age");
  const [c, d] = [actual.claims, expected.claims];
  expect(c.length).toBe(d.length);
  expect(c.id).toEqual(d.id);
  for (const f of ["member", "date", "physician", "code", "category"] as const) ints(c[f], d[f], `claims.${f}`);
  exact(c.allowed, d.allowed, "claims.allowed");
  exact(c.units, d.units, "claims.units");
}

const optionSets: PopulationOptions[] = [
  { preset: "commercial", members: 1, seed: 1 },
  { preset: "commercial", members: 300, seed: 11 },
  { preset: "medicaid", members: 40, seed: 123_456_789, year: 2031 },
  { preset: "commercial", members: 5_000, seed: 7, trial: 3, effects: { edVisits: -0.2, admissions: 0.1 } },
  { preset: "medicare", members: 5_000, seed: 3, trial: 1, payers: ["Plan A", "Plan B", "Plan, C"], careTeams: ["North", "South"], measures: ["BCS", "CBP", "XYZ"] },
  { preset: "medicaid", members: 5_000, seed: 4, trial: 12, year: 2030, effects: { edVisits: 0.3, admissions: 0.2, costTrend: 0.08, qualityRates: 0.05 }, measures: [] },
];

describe("generateColumns", () => {
  test.each(optionSets.map((o) => [JSON.stringify(o), o] as const))("decodes to the rows of generatePopulation: %s", (_, o) => {
    const columns = generateColumns(o);
    const rows = generatePopulation(o);
    expect(columns.format).toBe("columns");
    expect(() => checkColumns(columns)).not.toThrow();
    expect(columns.members.riskScore.places).toBe(2);
    expect(columns.claims.allowed.places).toBe(2);
    expectSameRows(decode(columns), rows);
    expectSameColumns(columns, columnsOf(rows));
    // the library's own decoder (the playground's CSV of a trial) agrees
    expectSameRows(columnRows(columns), rows);
    // claims cost in cents, exactly
    expect(columnCents(columns.claims.allowed)).toBe(rows.claims.reduce((s, c) => s + BigInt(c.allowed.replace(".", "")), 0n));
  });

  test("the same options give the same columns, in arrays of their own", () => {
    const o = optionSets[3]!;
    const a = generateColumns(o);
    const b = generateColumns({ ...o });
    expectSameColumns(a, b);
    // id strings are kept between calls, but no array is shared: a caller may change its columns
    expect(a.claims.id).not.toBe(b.claims.id);
    expect(a.memberIds).not.toBe(b.memberIds);
    expect(a.members.physician).not.toBe(b.members.physician);
    expect(a.claims.physician).not.toBe(b.claims.physician);
  });
});

// THE ROW VERSIONS OF FITPANELS AND THE PERIOD RESTRICTION, as they were before columns

function fitPanelsRows(population: SettlementInput, low: number, high: number): SettlementInput {
  let physicians = [...population.physicians];
  let members = population.members;
  let claims = population.claims;
  if (physicians.length < low) {
    const extra = Array.from({ length: low - physicians.length }, (_, i) => ({ ...physicians[i % physicians.length]!, id: `${physicians[i % physicians.length]!.id}x${i}` }));
    physicians = [...physicians, ...extra];
    const ids = physicians.map((d) => d.id);
    const memberIndex = new Map<string, number>();
    const reassign = (member: string) => {
      let k = memberIndex.get(member);
      if (k === undefined) memberIndex.set(member, (k = memberIndex.size));
      return ids[k % ids.length]!;
    };
    members = members.map((m) => (m.physician ? { ...m, physician: reassign(m.member) } : m));
    const byMember = new Map(members.map((m) => [m.member, m.physician]));
    claims = claims.map((c) => (c.physician && c.category === "primary_care" ? { ...c, physician: byMember.get(c.member) ?? c.physician } : c));
  }
  const panels = Math.max(1, Math.ceil(physicians.length / high));
  const sorted = [...physicians].sort((a, b) => (a.practice < b.practice ? -1 : a.practice > b.practice ? 1 : a.id < b.id ? -1 : 1));
  const size = (k: number) => Math.floor(sorted.length / panels) + (k < sorted.length % panels ? 1 : 0);
  const repanelled: typeof physicians = [];
  let at = 0;
  for (let k = 0; k < panels; k++) for (let j = 0, n = size(k); j < n; j++) repanelled.push({ ...sorted[at++]!, panel: `N${k + 1}` });
  const panelIds = new Set(repanelled.map((d) => d.panel));
  const baseline = population.baseline.filter((b) => b.level !== "panel" || panelIds.has(b.id));
  const byPanel = new Map<string, { mm: number; cost: number; risk: number }>();
  const practicePanel = new Map(repanelled.map((d) => [d.practice, d.panel!]));
  for (const b of population.baseline)
    if (b.level === "practice") {
      const panel = practicePanel.get(b.id);
      if (!panel) continue;
      const e = byPanel.get(panel) ?? { mm: 0, cost: 0, risk: 0 };
      byPanel.set(panel, { mm: e.mm + Number(b.memberMonths), cost: e.cost + Number(b.cost), risk: e.risk + Number(b.riskScore) * Number(b.memberMonths) });
    }
  const panelBaselines = [...byPanel].map(([id, e]) => ({ level: "panel" as const, id, memberMonths: String(e.mm), cost: e.cost.toFixed(2), riskScore: e.mm ? (e.risk / e.mm).toFixed(4) : "1" }));
  return { ...population, physicians: repanelled, members, claims, baseline: [...baseline.filter((b) => b.level !== "panel"), ...panelBaselines] };
}

function populationForRows(needs: ContractNeeds, scenario: Scenario, trial: number): SettlementInput {
  const population = generatePopulation({
    preset: scenario.preset,
    members: scenario.members,
    seed: scenario.seed,
    year: needs.year,
    trial,
    ...(needs.payers.length ? { payers: needs.payers } : {}),
    ...(needs.lobs.length ? { lobs: needs.lobs } : {}),
    ...(needs.careTeams.length ? { careTeams: needs.careTeams } : {}),
    ...(needs.measures.length ? { measures: needs.measures } : {}),
    ...(scenario.effects ? { effects: scenario.effects } : {}),
  });
  const fitted = needs.panel ? fitPanelsRows(population, needs.panel.low, needs.panel.high) : population;
  if (needs.months.length === 12 && needs.months[0]!.endsWith("-01")) return fitted;
  const inPeriod = new Set(needs.months);
  return {
    ...fitted,
    members: fitted.members.filter((m) => inPeriod.has(m.month)),
    claims: fitted.claims.filter((c) => c.date.slice(0, 7) <= needs.months[needs.months.length - 1]!),
  };
}

describe("fitPanels on columns", () => {
  const cases: [string, PopulationOptions, number, number, number][] = [
    // [what, population, low, high, physicians in the draw]
    ["one physician: nine extra ones, members spread over them", { preset: "commercial", members: 300, seed: 11 }, 10, 15, 1],
    ["two physicians in different practices: extra ones, then a new physician order", { preset: "medicaid", members: 3_000, seed: 5, trial: 2 }, 10, 15, 2],
    ["thirteen physicians in one panel: re-panelled into three, in a new physician order", { preset: "commercial", members: 20_000, seed: 3, trial: 1 }, 3, 5, 13],
  ];
  test.each(cases)("%s", (_, o, low, high, count) => {
    const columns = generateColumns(o);
    const rows = generatePopulation(o);
    expect(columns.physicians).toHaveLength(count);
    const expected = fitPanelsRows(rows, low, high);
    const fitted = fitPanels(columns, low, high);
    expect(fitted.physicians).toEqual(expected.physicians);
    expect(fitted.baseline).toEqual(expected.baseline);
    expectSameRows(decode(fitted), expected);
    expectSameColumns(fitted, columnsOf(expected));
    expect(() => checkColumns(fitted)).not.toThrow();
    // physicians came out in a new order (practice, then id as text), so the physician columns were renumbered
    const ids = columns.physicians.map((d) => d.id);
    const before = [...ids, ...Array.from({ length: Math.max(0, low - count) }, (_, i) => `${ids[i % count]}x${i}`)];
    if (count > 1) expect(fitted.physicians.map((d) => d.id)).not.toEqual(before);
    // the draw itself is untouched
    expect(columns.physicians).toHaveLength(count);
    expectSameRows(decode(columns), rows);
  });
});

describe("populationFor", () => {
  const needs = (months: string[], panel?: { low: number; high: number }, lobs: string[] = []): ContractNeeds => ({
    payers: ["Example Health Plan", "Second Plan"],
    lobs,
    careTeams: ["North"],
    measures: ["BCS", "HBD"],
    year: 2026,
    months,
    savingsClauses: ["Shared savings"],
    ...(panel ? { panel } : {}),
  });
  const year = Array.from({ length: 12 }, (_, m) => `2026-${String(m + 1).padStart(2, "0")}`);
  const cases: [string, ContractNeeds, Scenario][] = [
    ["a calendar year, extra physicians", needs(year, { low: 10, high: 15 }), { preset: "commercial", members: 2_000, seed: 9 }],
    ["the second quarter: members of its months, claims up to its end, two lines of business", needs(year.slice(3, 6), { low: 10, high: 15 }, ["fully insured", "self-insured participating"]), { preset: "medicare", members: 2_000, seed: 9, effects: { edVisits: -0.1 } }],
    ["one month in the autumn, no panels", needs(["2026-10"]), { preset: "medicaid", members: 1_000, seed: 2 }],
  ];
  test.each(cases)("%s: as the row version", (_, n, scenario) => {
    for (const trial of [0, 5]) {
      const expected = populationForRows(n, scenario, trial);
      const actual = populationFor(n, scenario, trial);
      expectSameRows(decode(actual), expected);
      expectSameColumns(actual, columnsOf(expected));
      expect(() => checkColumns(actual)).not.toThrow();
    }
  });

  test("draws into a reused workspace are the draws without one, whatever was drawn into it before", () => {
    // larger, then smaller, then larger again; with panels, a quarter, one month
    const workspace = new Workspace();
    const sequence = [...cases, cases[0]!, [cases[1]![0], cases[1]![1], { ...cases[1]![2], members: 3_000 }] as const, cases[2]!];
    for (const [, n, scenario] of sequence)
      for (const trial of [1, 2]) {
        const fresh = populationFor(n, scenario, trial);
        const reused = populationFor(n, scenario, trial, workspace);
        expectSameColumns(reused, fresh);
        expect(decode(reused)).toEqual(decode(fresh));
      }
  });

  test("claims cost is the exact sum of allowed, in cents", () => {
    const n = needs(year.slice(3, 6), { low: 10, high: 15 });
    const scenario: Scenario = { preset: "commercial", members: 2_000, seed: 4 };
    const input = populationFor(n, scenario, 1);
    const rows = populationForRows(n, scenario, 1);
    const statement = { lines: [{ clause: "Shared savings", recipient: "practice:P1", amount: "12.34" }], totals: { total: "12.34" } } as unknown as Statement;
    const r = summariseStatement(1, statement, input, n);
    expect(r.claimsCost).toBe(rows.claims.reduce((s, c) => s + BigInt(c.allowed.replace(".", "")), 0n));
    expect(r).toMatchObject({ total: 1234n, sharedSavings: 1234n, practiceRevenue: 1234n, clearedMinimum: true });
  });
});
