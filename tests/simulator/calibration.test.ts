// SYNTHETIC POPULATIONS: the generator reproduces the published figures it is calibrated to
// (tests/simulator/figures.ts: figure, target, tolerance, source) on 200,000 members per preset;
// it is deterministic; trials draw independently; effects move what they should and nothing else
// (common random numbers); and its output reads back through the settlement reader and settles.
//
// docs/simulation.md shows the same table with the achieved values; this test keeps it in sync.
// `UPDATE_DOCS=1 npx vitest run tests/simulator/calibration.test.ts` rewrites it.

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { populationCommand } from "../../cli/src/population";
import { settleCommand } from "../../cli/src/settle";
import { readSettlementData } from "../../compiler/src/data/read";
import type { SettlementInput } from "../../runtime/src/input";
import { settlementCsv, tableNames } from "../../simulator/src/csv";
import { defaultEffects, generatePopulation, PopulationError, populationTables, presets, simulatePopulation, type PopulationOptions, type Preset } from "../../simulator/src/population";
import { interpreted } from "../support/settle";
import { figures, passes, show, showTarget, type Figure, type Sample } from "./figures";

const CALIBRATION_MEMBERS = 200_000;
const SEED = 2026;
const achieved = new Map<Figure, number>();

function sample(options: PopulationOptions): Sample {
  const { resolved, population } = simulatePopulation(options);
  return { resolved, population, input: populationTables(resolved, population) };
}

describe.each(presets)("calibration: %s, 200,000 members", (preset: Preset) => {
  let s: Sample | undefined;
  beforeAll(() => {
    s = sample({ preset, members: CALIBRATION_MEMBERS, seed: SEED });
  }, 60_000);
  afterAll(() => {
    s = undefined;
  });
  const rows = figures.filter((f) => f.preset === preset);
  test.each(rows.map((f) => [f.figure, f] as const))("%s", (_, f) => {
    const value = f.measure(s!);
    achieved.set(f, value);
    expect(passes(f, value), `${f.figure}: achieved ${show(f, value)}, target ${showTarget(f)} (${f.source})`).toBe(true);
  });
  test("structure: 1-8 physicians per practice, 10-15 per virtual panel, 1,000-2,000 members per physician", () => {
    const n = s!.population.network;
    for (const size of n.practiceSize) expect(size).toBeGreaterThanOrEqual(1), expect(size).toBeLessThanOrEqual(8);
    const panels = new Map<number, number>();
    for (const k of n.physicianPanel) panels.set(k, (panels.get(k) ?? 0) + 1);
    for (const size of panels.values()) expect(size).toBeGreaterThanOrEqual(10), expect(size).toBeLessThanOrEqual(15);
    for (const m of n.physicianMembers) expect(m).toBeGreaterThanOrEqual(900), expect(m).toBeLessThanOrEqual(2200);
    // every practice's physicians sit in one panel
    const practicePanel = new Map<number, number>();
    n.physicianPractice.forEach((q, d) => {
      expect(practicePanel.get(q) ?? n.physicianPanel[d]).toBe(n.physicianPanel[d]);
      practicePanel.set(q, n.physicianPanel[d]!);
    });
    const groups = new Set(s!.input.practices.map((p) => p.riskGroup));
    expect([...groups].sort()).toEqual(["1", "2", "3", "4"]);
    expect(new Set(s!.input.practices.map((p) => p.recognitionLevel))).toEqual(new Set(["1", "2", "3"]));
  });
  test("chronic conditions raise the risk score", () => {
    const p = s!.population;
    let withC = 0;
    let nWith = 0;
    let without = 0;
    let nWithout = 0;
    for (let i = 0; i < p.members; i++)
      if (p.age[i]! >= 18) {
        if (p.conditions[i]) (withC += p.risk[i]!), nWith++;
        else (without += p.risk[i]!), nWithout++;
      }
    expect(withC / nWith).toBeGreaterThan(1.3 * (without / nWithout));
  });
});

describe("docs/simulation.md", () => {
  test("its calibration table shows these figures, targets and achieved values", () => {
    const file = join(import.meta.dirname, "..", "..", "docs", "simulation.md");
    const text = readFileSync(file, "utf8");
    const start = "<!-- calibration-table:start -->\n";
    const end = "<!-- calibration-table:end -->";
    const a = text.indexOf(start);
    const b = text.indexOf(end);
    expect(a >= 0 && b > a, "docs/simulation.md has the calibration-table markers").toBe(true);
    const table = ["| Preset | Figure | Target | Achieved | Source |", "| --- | --- | --- | --- | --- |"]
      .concat(figures.map((f) => `| ${f.preset} | ${f.figure} | ${showTarget(f)} | ${achieved.has(f) ? show(f, achieved.get(f)!) : "(not run)"} | ${f.source.replace(/\|/g, "\\|")} |`))
      .join("\n");
    const updated = text.slice(0, a + start.length) + table + "\n" + text.slice(b);
    if (process.env.UPDATE_DOCS === "1") writeFileSync(file, updated);
    else expect(text.slice(a + start.length, b).trimEnd()).toBe(table);
  });
});

describe("determinism and independent trials", () => {
  const options: PopulationOptions = { preset: "commercial", members: 20_000, seed: 7 };
  test("the same options give byte-identical output", () => {
    expect(settlementCsv(generatePopulation(options))).toEqual(settlementCsv(generatePopulation({ ...options })));
  });
  test("another trial draws other members on the same practice network", () => {
    const a = generatePopulation(options);
    const b = generatePopulation({ ...options, trial: 1 });
    expect(b.physicians).toEqual(a.physicians);
    expect(b.practices.map((p) => [p.id, p.name, p.recognitionLevel])).toEqual(a.practices.map((p) => [p.id, p.name, p.recognitionLevel]));
    const riskA = a.members.map((m) => m.riskScore);
    const riskB = b.members.map((m) => m.riskScore);
    expect(riskB).not.toEqual(riskA);
    const costs = (x: SettlementInput) => x.claims.slice(0, 200).map((c) => c.allowed);
    expect(costs(b)).not.toEqual(costs(a));
    // and trials are statistically alike
    const pmpm = (x: SettlementInput) => x.claims.reduce((t, c) => t + Number(c.allowed), 0) / x.members.length;
    expect(pmpm(b) / pmpm(a)).toBeGreaterThan(0.9);
    expect(pmpm(b) / pmpm(a)).toBeLessThan(1.1);
  });
  test("another seed builds another network", () => {
    const a = generatePopulation(options);
    const b = generatePopulation({ ...options, seed: 8 });
    expect(b.physicians.map((d) => d.name)).not.toEqual(a.physicians.map((d) => d.name));
  });
});

describe("effects", () => {
  const base: PopulationOptions = { preset: "medicare", members: 20_000, seed: 11 };
  let plain: SettlementInput;
  beforeAll(() => {
    plain = generatePopulation(base);
  }, 60_000);
  const count = (x: SettlementInput, category: string) => x.claims.filter((c) => c.category === category).length;
  const cost = (x: SettlementInput) => x.claims.reduce((t, c) => t + Number(c.allowed), 0);
  const rate = (x: SettlementInput, measure: string) => {
    const rows = x.quality.filter((q) => q.measure === measure);
    return rows.reduce((t, q) => t + Number(q.numerator), 0) / rows.reduce((t, q) => t + Number(q.denominator), 0);
  };
  /** Claims as comparable keys without ids (ids number claims in order). */
  const keys = (x: SettlementInput, pred: (category: string) => boolean) =>
    x.claims.filter((c) => pred(c.category)).map((c) => `${c.member} ${c.date} ${c.code} ${c.category} ${c.allowed} ${c.physician ?? ""}`);

  test("the defaults are no intervention with a 4% trend", () => {
    expect(defaultEffects).toEqual({ edVisits: 0, admissions: 0, costTrend: 0.04, qualityRates: 0 });
    expect(settlementCsv(generatePopulation({ ...base, effects: { ...defaultEffects } }))).toEqual(settlementCsv(plain));
  });

  test("edVisits -20% removes about a fifth of ED visits and their cost, and nothing else", () => {
    const fewer = generatePopulation({ ...base, effects: { edVisits: -0.2 } });
    const ratio = count(fewer, "ed") / count(plain, "ed");
    expect(ratio).toBeGreaterThan(0.77);
    expect(ratio).toBeLessThan(0.83);
    expect(cost(fewer)).toBeLessThan(cost(plain));
    // common random numbers: members, quality and baseline identical; other claims identical; ED claims a subset
    expect(fewer.members).toEqual(plain.members);
    expect(fewer.quality).toEqual(plain.quality);
    expect(fewer.baseline).toEqual(plain.baseline);
    expect(keys(fewer, (c) => c !== "ed")).toEqual(keys(plain, (c) => c !== "ed"));
    const before = new Set(keys(plain, (c) => c === "ed"));
    for (const k of keys(fewer, (c) => c === "ed")) expect(before.has(k)).toBe(true);
    // and a larger cut removes a superset
    const fewest = generatePopulation({ ...base, effects: { edVisits: -0.5 } });
    const mid = new Set(keys(fewer, (c) => c === "ed"));
    for (const k of keys(fewest, (c) => c === "ed")) expect(mid.has(k)).toBe(true);
  });

  test("edVisits +20% adds about a fifth more ED visits on top of the same ones", () => {
    const more = generatePopulation({ ...base, effects: { edVisits: 0.2 } });
    const ratio = count(more, "ed") / count(plain, "ed");
    expect(ratio).toBeGreaterThan(1.16);
    expect(ratio).toBeLessThan(1.24);
    expect(cost(more)).toBeGreaterThan(cost(plain));
    const after = new Set(keys(more, (c) => c === "ed"));
    for (const k of keys(plain, (c) => c === "ed")) expect(after.has(k)).toBe(true);
  });

  test("admissions -10% removes about a tenth of admissions and lowers cost; ED visits stay", () => {
    const fewer = generatePopulation({ ...base, effects: { admissions: -0.1 } });
    const ratio = count(fewer, "inpatient") / count(plain, "inpatient");
    expect(ratio).toBeGreaterThan(0.86);
    expect(ratio).toBeLessThan(0.94);
    expect(cost(fewer)).toBeLessThan(cost(plain));
    expect(keys(fewer, (c) => c === "ed")).toEqual(keys(plain, (c) => c === "ed"));
  });

  test("costTrend scales every performance-year amount, not counts or the baseline", () => {
    const dearer = generatePopulation({ ...base, effects: { costTrend: 0.08 } });
    expect(cost(dearer) / cost(plain)).toBeCloseTo(1.08 / 1.04, 4);
    expect(count(dearer, "ed")).toBe(count(plain, "ed"));
    expect(count(dearer, "primary_care")).toBe(count(plain, "primary_care"));
    expect(dearer.baseline).toEqual(plain.baseline);
  });

  test("asking for other measures, payers or care teams changes nothing else", () => {
    const other = generatePopulation({ ...base, measures: ["HBD", "PECS"], careTeams: ["North", "South"], payers: ["A", "B"] });
    expect(other.claims).toEqual(plain.claims);
    expect(other.baseline).toEqual(plain.baseline);
    expect(other.members.map((m) => [m.member, m.month, m.riskScore, m.age, m.physician])).toEqual(plain.members.map((m) => [m.member, m.month, m.riskScore, m.age, m.physician]));
    expect(other.quality.filter((q) => q.measure === "HBD").map((q) => q.denominator)).toEqual(plain.quality.filter((q) => q.measure === "HBD").map((q) => q.denominator));
  });

  test("qualityRates +5 points raises every measure's rate by about 5 points; -5 lowers it", () => {
    const better = generatePopulation({ ...base, effects: { qualityRates: 0.05 } });
    const worse = generatePopulation({ ...base, effects: { qualityRates: -0.05 } });
    for (const m of ["BCS", "COL", "CBP", "HBD", "CAHPS"]) {
      expect(rate(better, m) - rate(plain, m)).toBeGreaterThan(0.035);
      expect(rate(better, m) - rate(plain, m)).toBeLessThan(0.065);
      expect(rate(plain, m) - rate(worse, m)).toBeGreaterThan(0.035);
    }
    expect(better.claims).toEqual(plain.claims);
  });
});

describe("settlement data", () => {
  const options: PopulationOptions = {
    preset: "medicaid",
    members: 5_000,
    seed: 3,
    year: 2026,
    payers: ["MaineCare", 'Plan "A", Inc.'],
    careTeams: ["Aroostook Community Care Team", "Team, North"],
    measures: ["BCS", "HBD", "CORE_EXPECTATIONS"],
  };
  test("the tables read back through readSettlementData unchanged (CSV round trip)", () => {
    const input = generatePopulation(options);
    const csv = settlementCsv(input);
    const back = readSettlementData({ format: "csv", tables: csv });
    for (const t of tableNames) expect(back[t], t).toEqual(input[t]);
    expect(new Set(input.members.map((m) => m.payer))).toEqual(new Set(options.payers));
    expect(new Set(input.quality.map((q) => q.measure))).toEqual(new Set(options.measures));
    expect(input.practices.every((p) => options.careTeams!.includes(p.careTeam!))).toBe(true);
  });

  test("amounts are decimal strings with two decimals; member-months fall in enrolled months of the year", () => {
    const input = generatePopulation({ preset: "commercial", members: 3_000, seed: 5, year: 2031 });
    for (const c of input.claims) expect(c.allowed).toMatch(/^\d+\.\d\d$/);
    for (const m of input.members) expect(m.riskScore).toMatch(/^\d+\.\d\d$/);
    for (const b of input.baseline) expect(b.cost).toMatch(/^\d+\.\d\d$/), expect(b.riskScore).toMatch(/^\d+\.\d\d$/);
    expect(new Set(input.members.map((m) => m.month.slice(0, 4)))).toEqual(new Set(["2031"]));
    expect(new Set(input.claims.map((c) => c.date.slice(0, 4)))).toEqual(new Set(["2031"]));
    const months = new Map<string, Set<string>>();
    for (const m of input.members) months.set(m.member, (months.get(m.member) ?? new Set()).add(m.month));
    for (const c of input.claims) expect(months.get(c.member)!.has(c.date.slice(0, 7))).toBe(true);
    expect(new Set(input.members.map((m) => m.member)).size).toBe(3_000);
  });

  test("pcmh population writes the same tables, and they settle under the regional contract", () => {
    const dir = mkdtempSync(join(tmpdir(), "pcmh-population-"));
    let out = "";
    let err = "";
    const code = populationCommand("commercial", { members: "15000", seed: "9", out: dir, effect: ["edVisits=-10%"] }, { out: (t) => (out += t), err: (t) => (err += t) });
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toMatch(/^.*: commercial population, seed 9: 15,000 members, [\d,]+ member-months, [\d,]+ claims \(\$[\d.]+ PMPM\), 10 physicians in \d+ practices and 1 panel; 2026 with baseline 2025 \(.*\)\.\n$/);
    const expected = settlementCsv(generatePopulation({ preset: "commercial", members: 15_000, seed: 9, effects: { edVisits: -0.1 } }));
    for (const t of tableNames) expect(readFileSync(join(dir, `${t}.csv`), "utf8"), t).toBe(expected[t]);
    // the regional example contract reads payer "Example Health Plan", BCS and panels of 10-15
    const contract = readFileSync("contracts/examples/regional-pcmh.pcmh", "utf8");
    const input = generatePopulation({ preset: "commercial", members: 15_000, seed: 9, payers: ["Example Health Plan"] });
    const statement = interpreted(contract, input);
    expect(statement.lines.length).toBeGreaterThan(0);
    expect(Number(statement.totals.total)).toBeGreaterThan(0);
  });

  test("pcmh population --contract draws data the contract settles, for every contract in the library", async () => {
    const contracts = readdirSync("contracts", { recursive: true }).map(String).filter((f) => f.endsWith(".pcmh")).sort();
    expect(contracts.length).toBeGreaterThan(10);
    for (const name of contracts) {
      const file = join("contracts", name);
      const dir = mkdtempSync(join(tmpdir(), "pcmh-population-for-"));
      let out = "";
      let err = "";
      const io = { out: (t: string) => (out += t), err: (t: string) => (err += t) };
      expect(populationCommand("medicare", { members: "2000", seed: "1", out: dir, effect: [], contract: file }, io), `${name}: ${err}`).toBe(0);
      expect(out).toMatch(/: medicare population for ".+", seed 1: 2,000 members, .* \d{4}-\d\d to \d{4}-\d\d, the contract's first settlement period/);
      out = "";
      expect(await settleCommand(file, { data: dir, set: [], engine: "interpreter" }, io), `${name}: ${err}`).toBe(0);
      expect(out).toContain("all recipients");
    }
  });

  test.each(presets)("a %s population written with the defaults settles under the synthetic-population demo contract", async (preset) => {
    const dir = mkdtempSync(join(tmpdir(), "pcmh-population-demo-"));
    expect(populationCommand(preset, { members: "1500", seed: "1", out: dir, effect: [] }, { out: () => {}, err: () => {} })).toBe(0);
    let out = "";
    let err = "";
    expect(await settleCommand("contracts/examples/synthetic-population-demo.pcmh", { data: dir, set: [], engine: "interpreter" }, { out: (t) => (out += t), err: (t) => (err += t) }), err).toBe(0);
    expect(out).toContain("Synthetic Population Demo 2026.1 — settlement of 2026-01 to 2026-12");
    expect(out).toMatch(/Care coordination +12 +[\d,]+\.\d\d/);
  });

  test("pcmh settle on data drawn for another contract says how to draw data for this one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pcmh-population-other-"));
    expect(populationCommand("medicare", { members: "500", seed: "1", out: dir, effect: [] }, { out: () => {}, err: () => {} })).toBe(0);
    let err = "";
    const file = "contracts/cms/mssp-basic.pcmh";
    expect(await settleCommand(file, { data: dir, set: [], engine: "interpreter" }, { out: () => {}, err: (t: string) => (err += t) })).toBe(1);
    expect(err).toContain("is outside the contract term");
    expect(err).toContain(`(To draw synthetic data that fits this contract: pcmh population PRESET --members N --out DIR --contract ${file})`);
  });

  test("pcmh population --contract with a contract that has errors writes nothing and says why", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "pcmh-population-broken-")), "out");
    const broken = join(mkdtempSync(join(tmpdir(), "pcmh-broken-")), "broken.pcmh");
    writeFileSync(broken, 'contract "Broken"\n  term 2026-01-01 to 2026-12-31\n\nvalue wrong = 12% + $5.00\n');
    let err = "";
    expect(populationCommand("commercial", { members: "100", seed: "1", out: dir, effect: [], contract: broken }, { out: () => {}, err: (t) => (err += t) })).toBe(1);
    expect(err).toContain("PCMH0301");
    expect(err).toContain(`${broken}: no population written, because the contract has errors.`);
    expect(existsSync(dir)).toBe(false);
  });
});

describe("bad options", () => {
  const ok: PopulationOptions = { preset: "commercial", members: 10, seed: 1 };
  const message = (o: unknown) => {
    try {
      generatePopulation(o as PopulationOptions);
    } catch (e) {
      expect(e).toBeInstanceOf(PopulationError);
      return (e as Error).message;
    }
    return "no error";
  };
  test.each([
    [{ ...ok, preset: "medicare-advantage" }, 'unknown preset "medicare-advantage"; expected one of commercial, medicare, medicaid.'],
    [{ ...ok, members: 0 }, "members is 0; expected a whole number from 1 to 10,000,000."],
    [{ ...ok, members: 2.5 }, "members is 2.5; expected a whole number from 1 to 10,000,000."],
    [{ ...ok, seed: 1.5 }, "seed is 1.5; expected a whole number (a safe integer, such as 42)."],
    [{ ...ok, trial: -1 }, "trial is -1; expected a whole number from 0."],
    [{ ...ok, year: 26 }, "year is 26; expected a performance year from 1901 to 9999."],
    [{ ...ok, payers: [] }, "payers is empty; give at least one, or leave it out for the default."],
    [{ ...ok, payers: ["A", "A"] }, 'payers lists "A" twice.'],
    [{ ...ok, lobs: [] }, "lobs is empty; give at least one, or leave it out for the default."],
    [{ ...ok, lobs: ["fully insured", " "] }, 'lobs has an empty or non-text entry " ".'],
    [{ ...ok, effects: { edVisits: -2 } }, "effect edVisits is -2; expected a number from -1 to 1 (relative change in ED visits, e.g. -0.10 for 10% fewer)."],
    [{ ...ok, effects: { edvisits: -0.1 } }, 'unknown effect "edvisits"; the effects are edVisits, admissions, costTrend, qualityRates.'],
    [{ ...ok, effects: { costTrend: Number.NaN } }, "effect costTrend is NaN; expected a number from -0.5 to 1 (annual cost growth from the baseline year to the performance year, e.g. 0.04)."],
    [{ ...ok, size: 3 }, 'unknown option "size"; the options are preset, members, seed, year, payers, lobs, careTeams, measures, effects, trial.'],
  ])("%j", (o, expected) => {
    expect(message(o)).toBe(expected);
  });
  test.each([
    ["commercal", { members: "10", seed: "1", effect: [] }, 'unknown preset "commercal"; the presets are commercial, medicare, medicaid.'],
    ["medicare", { members: "ten", seed: "1", effect: [] }, "--members ten: expected a whole number of members from 1 to 10,000,000, like --members 20000."],
    ["medicare", { members: "10", seed: "1.5", effect: [] }, "--seed 1.5: expected a whole number, like --seed 42."],
    ["medicare", { members: "10", seed: "1", effect: ["edVisits"] }, "--effect edVisits: write --effect name=value, like --effect edVisits=-10%. The effects are edVisits"],
    ["medicare", { members: "10", seed: "1", effect: ["erVisits=-10%"] }, '--effect erVisits=-10%: there is no effect called "erVisits". The effects are edVisits (relative change in ED visits, e.g. -0.10 for 10% fewer); admissions'],
    ["medicare", { members: "10", seed: "1", effect: ["ed_visits=-150%"] }, "--effect ed_visits=-150%: edVisits must lie between -1 and 1"],
  ])("pcmh population %s %j explains what is wrong", (preset, opts, expected) => {
    let err = "";
    const code = populationCommand(preset, { ...opts, out: mkdtempSync(join(tmpdir(), "pcmh-population-bad-")) }, { out: () => {}, err: (t) => (err += t) });
    expect(code).toBe(2);
    expect(err).toContain(`pcmh population: ${expected}`);
  });

  test("the smallest population is one member with one physician", () => {
    const p = generatePopulation({ ...ok, members: 1 });
    expect(p.physicians).toHaveLength(1);
    expect(new Set(p.members.map((m) => m.member))).toEqual(new Set(["M1"]));
  });
});
