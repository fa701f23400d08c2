// BAD SETTLEMENT DATA: each mistake stops the read or the settlement with an error that names the
// file, row and field and says what was expected; no statement is produced.
import { existsSync, mkdtempSync, readFileSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { readSettlementData, type TableName } from "../../compiler/src/data/read";
import { main } from "../../cli/src/main";
import { SettlementError } from "../../runtime/src/errors";
import { interpreted } from "../support/settle";

const contract = readFileSync("contracts/examples/regional-pcmh.pcmh", "utf8");
const original = (name: TableName) => readFileSync(`data/examples/regional/${name}.csv`, "utf8");
const tables = (changes: Partial<Record<TableName, string>>) => {
  const all: Partial<Record<TableName, string>> = {};
  for (const name of ["physicians", "practices", "members", "claims", "quality", "baseline"] as TableName[]) all[name] = original(name);
  return { format: "csv" as const, tables: { ...all, ...changes } };
};

function readError(changes: Partial<Record<TableName, string>>): string {
  try {
    readSettlementData(tables(changes));
  } catch (e) {
    if (e instanceof SettlementError) return e.describe();
    throw e;
  }
  return "no error";
}

function settleError(changes: Partial<Record<TableName, string>>): string {
  try {
    interpreted(contract, readSettlementData(tables(changes)));
  } catch (e) {
    if (e instanceof SettlementError) return e.describe();
    throw e;
  }
  return "no error";
}

const members = original("members");
const replaceLine = (text: string, n: number, line: string) => text.split("\n").map((l, i) => (i === n - 1 ? line : l)).join("\n");

describe("reading", () => {
  test.each([
    ["an unclosed quote", { claims: 'claim_id,member_id,date,physician_id,code,category,allowed,units\nC1,M1,2026-01-10,D01,"99213,primary_care,100.00,1\n' }, /^PCMH0501: claims\.csv(:\d+)?: is not valid CSV/],
    ["a row with too many fields", { practices: "practice_id,name,risk_group,recognition_level,community_care_team\nP1,A,1,3,,extra\n" }, /^PCMH0501: practices\.csv:2: is not valid CSV: a row has the wrong number of fields/],
    ["a missing column", { members: members.replace("risk_score,", "").replace(/,0\.85|,1\.40|,2\.75|,1\.00|,2\.00|,0\.60/g, "") }, "PCMH0502: members.csv:1 (risk_score): has no risk_score column; it is required."],
    ["an unexpected column", { quality: "level,id,measure,numerator,denominator,weight\npractice,P1,BCS,40,50,1\n" }, 'PCMH0502: quality.csv:1 (weight): has an unexpected column "weight"; its columns are level, id, measure, numerator, denominator.'],
    ["a word where a number belongs", { members: replaceLine(members, 3, "M2,2026-01,Example Health Plan,commercial,high,61,") }, 'PCMH0503: members.csv:3 (risk_score): risk_score is "high"; expected a number like 1234.50 (no $, % or thousands separators).'],
    ["a negative amount", { claims: original("claims").replace("100.00,1", "-100.00,1") }, 'PCMH0503: claims.csv:2 (allowed): allowed is "-100.00"; expected a number that is not negative.'],
    ["negative member months", { baseline: "level,id,member_months,cost,risk_score\npanel,N1,-18,30000.00,1.25\n" }, 'PCMH0503: baseline.csv:2 (member_months): member_months is "-18"; expected a number that is not negative.'],
    ["an impossible date", { claims: original("claims").replace("2026-01-10", "2026-02-30") }, 'PCMH0503: claims.csv:2 (date): date is "2026-02-30"; expected a date like 2026-01-31.'],
    ["a month written as a date", { members: replaceLine(members, 2, "M1,2026-01-01,Example Health Plan,commercial,0.85,44,D01") }, 'PCMH0503: members.csv:2 (month): month is "2026-01-01"; expected a month like 2026-01.'],
    ["an unknown claim category", { claims: original("claims").replace("primary_care", "dental") }, 'PCMH0503: claims.csv:2 (category): category is "dental"; expected one of primary_care, specialist, ed, inpatient, outpatient, pharmacy, other.'],
    ["a numerator above its denominator", { quality: "level,id,measure,numerator,denominator\npractice,P1,BCS,60,50\n" }, "PCMH0503: quality.csv:2 (numerator): numerator 60 is larger than denominator 50."],
    ["a duplicate claim", { claims: original("claims") + "C01,M1,2026-01-10,D01,99213,primary_care,100.00,1\n" }, "PCMH0504: claims.csv:14 (claim_id): claim C01 appears twice."],
    ["an empty required field", { physicians: "physician_id,practice_id,panel_id,name\nD01,,N1,Dr. Adams\n" }, "PCMH0503: physicians.csv:2 (practice_id): practice_id is empty; it is required."],
  ])("%s", (_what, changes, expected) => {
    const message = readError(changes);
    if (typeof expected === "string") expect(message).toBe(expected);
    else expect(message).toMatch(expected);
  });

  test("JSON rows give amounts as strings, never floating-point numbers", () => {
    const json = (rows: object[]) => JSON.stringify(rows);
    const read = () =>
      readSettlementData({
        format: "json",
        tables: {
          practices: json([{ practice_id: "P1" }]),
          physicians: json([{ physician_id: "D1", practice_id: "P1" }]),
          members: json([{ member_id: "M1", month: "2026-01", payer: "Plan", risk_score: "1.0" }]),
          claims: json([{ claim_id: "C1", member_id: "M1", date: "2026-01-10", code: "99213", category: "primary_care", allowed: 100.1 }]),
        },
      });
    let message = "";
    try {
      read();
    } catch (e) {
      message = (e as SettlementError).describe();
    }
    expect(message).toBe("PCMH0503: claims.json:2 (allowed): allowed is the number 100.1; write decimals as strings (\"1234.50\") so that no amount goes through floating point.");
  });
});

describe("settling", () => {
  test.each([
    ["a duplicate member-month", { members: members + "M1,2026-01,Example Health Plan,commercial,0.85,44,D01\n" }, "PCMH0504: members:20 (member_id): member M1 has two rows for 2026-01."],
    ["a physician in no known practice", { physicians: original("physicians") + "D11,P9,N1,Dr. King\n" }, "PCMH0505: physicians:12 (practice_id): physician D11 belongs to practice P9, which is not in practices."],
    ["an unknown physician on a member", { members: replaceLine(members, 2, "M1,2026-01,Example Health Plan,commercial,0.85,44,D99") }, "PCMH0505: members:2 (physician_id): physician D99 is not in physicians."],
    ["a payer the contract does not have", { members: replaceLine(members, 2, "M1,2026-01,Other Plan,commercial,0.85,44,D01") }, 'PCMH0505: members:2 (payer): payer "Other Plan" is not a payer of this contract ("Example Health Plan").'],
    ["a month outside the term", { members: replaceLine(members, 2, "M1,2025-12,Example Health Plan,commercial,0.85,44,D01") }, "PCMH0506: members:2 (month): 2025-12 is outside the contract term, 2026-01-01 to 2027-12-31."],
    ["data spanning two settlement years", { members: replaceLine(members, 2, "M1,2027-01,Example Health Plan,commercial,0.85,44,D01") }, "PCMH0506: members (month): The data covers 2026-01 to 2027-01, which spans two settlement periods (2026 and 2027). Settle one period at a time."],
    ["a panel smaller than the contract allows", { physicians: original("physicians").split("\n").slice(0, 10).join("\n") + "\n" }, "PCMH0507: physicians (panel_id): panel N1 has 9 physicians; the contract requires 10 to 15."],
    ["a physician with no panel", { physicians: original("physicians").replace("D01,P1,N1", "D01,P1,") }, "PCMH0503: physicians:2 (panel_id): physician D01 has no panel, but the contract pools physicians into virtual panels."],
    ["no baseline for a unit that needs one", { baseline: "level,id,member_months,cost,risk_score\npanel,N9,18,30000.00,1.25\n" }, "PCMH0513: baseline: there is no baseline for panel N1."],
  ])("%s", (_what, changes, expected) => {
    expect(settleError(changes)).toBe(expected);
  });
});

describe("the settle command", () => {
  test("bad data exits 1, names the file, and writes no statement", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pcmh-bad-"));
    cpSync("data/examples/regional", dir, { recursive: true });
    writeFileSync(join(dir, "members.csv"), members.replace("0.85", "n/a"));
    let err = "";
    const out = join(dir, "statement.json");
    const code = await main(["settle", "contracts/examples/regional-pcmh.pcmh", "--data", dir, "--out", out], { out: () => {}, err: (t) => (err += t) });
    expect(code).toBe(1);
    expect(err).toContain(`PCMH0503: ${join(dir, "members.csv")}:2 (risk_score): risk_score is "n/a"`);
    expect(err).toContain("No statement was produced.");
    expect(existsSync(out)).toBe(false);
  });

  test("an unknown parameter in --set is an error listing the real ones", async () => {
    let err = "";
    const code = await main(["settle", "contracts/examples/regional-pcmh.pcmh", "--data", "data/examples/regional", "--set", "uplft=15%"], { out: () => {}, err: (t) => (err += t) });
    expect(code).toBe(1);
    expect(err).toContain("PCMH0512: --set uplft: the contract has no parameter called uplft (it has uplift, share_rate, trend).");
  });

  test("a value outside the parameter's range is refused", async () => {
    let err = "";
    const code = await main(["settle", "contracts/examples/regional-pcmh.pcmh", "--data", "data/examples/regional", "--set", "uplift=25%"], { out: () => {}, err: (t) => (err += t) });
    expect(code).toBe(1);
    expect(err).toContain("PCMH0512: --set uplift=25% is outside its range, 0% to 20%.");
  });
});
