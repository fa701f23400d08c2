// HAND-WORKED SETTLEMENTS: small contracts and data whose statements are worked out by hand in the
// comments; each runs through both the interpreter and the compiled module.
import { describe, expect, test } from "vitest";
import type { SettlementInput } from "../../runtime/src/input";
import type { Statement } from "../../runtime/src/statement";
import { memberMonths, readDataFolder, settleBoth } from "../support/settle";

const header = (extra = "") => `contract "Worked example" version "1"\n  payer "Plan"\n  term 2026-01-01 to 2026-12-31\n  fees paid monthly, settled annually\n${extra}\n`;

const practices = [{ id: "P1" }, { id: "P2" }];
const physicians = [
  { id: "D1", practice: "P1", panel: "N1" },
  { id: "D2", practice: "P2", panel: "N1" },
];
const base = (members: SettlementInput["members"], more: Partial<SettlementInput> = {}): SettlementInput => ({ physicians, practices, members, claims: [], quality: [], baseline: [], ...more });

async function both(text: string, input: SettlementInput): Promise<Statement> {
  const { interpreter, module } = await settleBoth(text, input);
  expect(module).toEqual(interpreter);
  if (typeof interpreter === "string") throw new Error(interpreter);
  return interpreter;
}

async function failure(text: string, input: SettlementInput): Promise<string> {
  const { interpreter, module } = await settleBoth(text, input);
  expect(module).toEqual(interpreter);
  if (typeof interpreter !== "string") throw new Error("expected the settlement to fail");
  return interpreter;
}

const lines = (s: Statement) => s.lines.map((l) => `${l.clause} | ${l.kind} | ${l.recipient} | ${l.period} | ${l.amount}`);

describe("worked examples", () => {
  test("the example data set of the regional contract", async () => {
    const { readFileSync } = await import("node:fs");
    const s = await both(readFileSync("contracts/examples/regional-pcmh.pcmh", "utf8"), readDataFolder("data/examples/regional"));
    // E&M uplift, 12% of allowed on 99202-99215, to the rendering physician's practice:
    //   P1: 100 + 150 + 210 + 100 = 560 -> 67.20;  P2: 100 (D08) + 100 + 75 = 275 -> 33.00
    // Care coordination per member-month: P1 0.85->6, 1.40->9, 2.75->19 = 34 a month; P2 1.00->9, 2.00->19, 0.60->6 = 34
    // Outcome incentive for panel N1: baseline 30000/18 = 1666.67 pmpm, grown 3.5% = 1725, x risk 1.4333/1.25
    //   = 1978 pmpm x 18 = 35,604 benchmark; cost 16,875; savings 18,729 (52.6% >= 2%);
    //   quality = (0.5 x (77.78%-50%)/30% + 0.5 x 0) = 46.30%; share 50% x 46.30% = 23.15% -> 4,335.42,
    //   capped at 10% of benchmark = 3,560.40, split 9:9 member-months -> 1,780.20 each.
    expect(s.totals.byClause).toEqual({ "Care coordination": "204.00", "E&M uplift": "100.20", "Outcome incentive": "3560.40" });
    expect(s.totals.byRecipient).toEqual({ "practice:P1": "1949.40", "practice:P2": "1915.20" });
    expect(s.lines.filter((l) => l.clause === "Outcome incentive").map((l) => l.amount)).toEqual(["1780.20", "1780.20"]);
    const outcome = s.lines.find((l) => l.clause === "Outcome incentive")!;
    expect(outcome.trace.steps).toContainEqual({ name: "cap", value: "3560.40", note: "the cap applies" });
  });

  test("a withhold is taken from each fee and returned in the share earned", async () => {
    const text = `${header()}
monthly fee "Care"
  pay $10.00 pmpm

withhold "Quality withhold" 5% of "Care"
  returned 60%
`;
    // 3 member-months x $10 = $30 in January; 5% withheld = $1.50; 60% of it returned = $0.90
    const s = await both(text, base(memberMonths("M1 2026-01 1.0 D1\nM2 2026-01 1.0 D1\nM3 2026-01 1.0 D1")));
    expect(lines(s)).toEqual([
      "Care | payment | practice:P1 | 2026-01 | 30.00",
      "Quality withhold | withhold | practice:P1 | 2026-01 | -1.50",
      "Quality withhold | withhold return | practice:P1 | 2026 | 0.90",
    ]);
    expect(s.totals.total).toBe("29.40");
  });

  test("an adjustment is bounded, and applies to the target's payments of each practice", async () => {
    const text = `${header()}
parameter bonus = 80% range -50% to 100%

monthly fee "PBP"
  pay $28.00 pmpm

adjustment "PBA" of "PBP"
  by bonus
  bounded -10% to 50%
`;
    // P1: 2 mm x 28 = 56; by 80%, bounded to 50% -> 28.00. P2: 1 mm -> 28 x 50% = 14.00
    const s = await both(text, base(memberMonths("M1 2026-01 1.0 D1\nM1 2026-02 1.0 D1\nM2 2026-01 1.0 D2")));
    expect(lines(s).filter((l) => l.startsWith("PBA"))).toEqual(["PBA | adjustment | practice:P1 | 2026 | 28.00", "PBA | adjustment | practice:P2 | 2026 | 14.00"]);
    const withSet = await both(text, { ...base(memberMonths("M1 2026-01 1.0 D1")), parameters: { bonus: "-40%" } });
    // bonus -40% is bounded at -10%: 28 x -10% = -2.80
    expect(withSet.lines.find((l) => l.clause === "PBA")!.amount).toBe("-2.80");
  });

  test("an incentive paid in advance is recouped in the share not earned", async () => {
    const text = `${header()}
incentive "PBIP"
  pay in advance $2.50 pmpm
  earned 70%
`;
    // 4 member-months x 2.50 = 10.00 advanced; 30% not earned -> -3.00 recouped
    const s = await both(text, base(memberMonths("M1 2026-01 1.0 D1\nM1 2026-02 1.0 D1\nM2 2026-01 1.0 D1\nM2 2026-02 1.0 D1")));
    expect(lines(s)).toEqual(["PBIP | advance | practice:P1 | 2026-01 | 5.00", "PBIP | advance | practice:P1 | 2026-02 | 5.00", "PBIP | recoupment | practice:P1 | 2026 | -3.00"]);
  });

  test("two-sided shared savings: losses shared at 30% up to the limit, MLR from the first dollar", async () => {
    const text = `${header()}
shared savings "Two-sided"
  measured per contract
  benchmark $10,000.00
  minimum savings rate 2%
  minimum loss rate 2%
  share 50%
  share losses 30%
  limit losses to 5% of benchmark
  paid to practices
`;
    const claims = (amount: string) => [{ id: "C1", member: "M1", date: "2026-01-05", physician: "D1", code: "99213", category: "inpatient", allowed: amount }];
    const members = memberMonths("M1 2026-01 1.0 D1\nM2 2026-01 1.0 D2");
    // expenditure 11,000: savings -1,000 (-10%, beyond the 2% MLR): owed 1,000 x 30% = 300, limit 500 -> -300, split 1:1
    const loss = await both(text, base(members, { claims: claims("11000.00") }));
    expect(lines(loss)).toEqual(["Two-sided | payment | practice:P1 | 2026 | -150.00", "Two-sided | payment | practice:P2 | 2026 | -150.00"]);
    // expenditure 13,000: owed 3,000 x 30% = 900, limited to 500
    const big = await both(text, base(members, { claims: claims("13000.00") }));
    expect(big.totals.total).toBe("-500.00");
    // expenditure 10,100: loss rate 1% is within the 2% MLR -> nothing
    const small = await both(text, base(members, { claims: claims("10100.00") }));
    expect(small.totals.total).toBe("0.00");
    // expenditure 9,000: savings 1,000 (10% >= 2%) x 50% = 500
    const gain = await both(text, base(members, { claims: claims("9000.00") }));
    expect(gain.totals.total).toBe("500.00");
  });

  test("sharing above the minimum, a corridor, sequestration and rounding to dollars", async () => {
    const text = `${header()}
shared savings "Above minimum"
  measured per contract
  benchmark $10,000.00
  minimum savings rate 2%
  share 50% above minimum
  reduce savings by 2% "sequestration"
  rounding half-up to dollars
  paid to practices
  allocated by equal shares

shared savings "Corridor"
  measured per contract
  benchmark $10,000.00
  corridor
    0% up to 5% -> 0%
    5% up to 10% -> 50%
    10% and above -> 80%
`;
    // cost 8,765.43: savings 1,234.57 (12.35%).
    // Above minimum: (1,234.57 - 200) x 50% = 517.285, x 98% = 506.9393 -> $507 rounded half-up to dollars, split 254 / 253
    // Corridor: 5%-10% band = 500 x 50% = 250; 10%-12.3457% = 234.57 x 80% = 187.656 -> 437.656 -> 437.66,
    //   a contract-wide pool paid to practices by member months 1:1 -> 218.83 each
    const s = await both(text, base(memberMonths("M1 2026-01 1.0 D1\nM2 2026-01 1.0 D2"), { claims: [{ id: "C1", member: "M1", date: "2026-01-09", physician: "D1", code: "99213", category: "inpatient", allowed: "8765.43" }] }));
    expect(lines(s)).toEqual([
      "Above minimum | payment | practice:P1 | 2026 | 254.00",
      "Above minimum | payment | practice:P2 | 2026 | 253.00",
      "Corridor | payment | practice:P1 | 2026 | 218.83",
      "Corridor | payment | practice:P2 | 2026 | 218.83",
    ]);
  });

  test("truncation and stop-loss of a member's cost", async () => {
    const text = `${header()}
shared savings "Stop loss"
  measured per practice
  benchmark $200,000.00
  stop loss per member above $100,000 covering 90%
  share 50%
`;
    // M1 costs 150,000: 90% of the 50,000 above the attachment is excluded -> 105,000 counted
    // savings 95,000 x 50% = 47,500
    const s = await both(text, base(memberMonths("M1 2026-01 1.0 D1"), { claims: [{ id: "C1", member: "M1", date: "2026-01-09", physician: "D1", code: "1", category: "inpatient", allowed: "150000.00" }] }));
    expect(s.totals.total).toBe("47500.00");
    expect(s.lines[0]!.trace.steps).toContainEqual({ name: "expenditure (total cost)", value: "105000.00" });
  });

  test("a panel's baseline is its own row, or else its practices' rows, never both", async () => {
    const text = `${header()}
shared savings "Savings"
  measured per panel
  benchmark baseline
  share 50%
`;
    // Panel N1 (D1 in P1, D2 in P2), 2 member-months, no claims, so savings = benchmark.
    const members = memberMonths("M1 2026-01 1.0 D1\nM2 2026-01 1.0 D2");
    const panel = { level: "panel" as const, id: "N1", memberMonths: "24", cost: "2400.00", riskScore: "1.0" };
    const practice = (id: string, cost: string) => ({ level: "practice" as const, id, memberMonths: "12", cost, riskScore: "1.0" });
    // With a panel row: 2400 / 24 = 100.00 pmpm x 2 = 200.00 benchmark; 50% = 100.00 shared.
    // The practice rows (300 and 900 pmpm) are not added to it.
    const own = await both(text, base(members, { baseline: [panel, practice("P1", "3600.00"), practice("P2", "10800.00")] }));
    expect(own.totals.total).toBe("100.00");
    // Without one: (3600 + 10800) / (12 + 12) = 600.00 pmpm x 2 = 1200.00; 50% = 600.00.
    const practices = await both(text, base(members, { baseline: [practice("P1", "3600.00"), practice("P2", "10800.00")] }));
    expect(practices.totals.total).toBe("600.00");
  });

  test("an interpolated table: the MSSP minimum savings rate by assigned beneficiaries", async () => {
    const text = `${header()}
table msr by attributed members interpolated
  1 to 2 -> 3.9% to 3.6%
  3 to 5 -> 3.6% to 3.0%
  6 and above -> 2.0%

value chosen = msr

incentive "Shows the MSR"
  measured per contract
  pay $10,000 times chosen
  paid to practices
  allocated by member months
`;
    // 4 members: 3.6% - (4 - 3)/(5 - 3) x 0.6% = 3.3% of $10,000 = $330, split by member months 3:1
    const s = await both(text, base(memberMonths("M1 2026-01 1.0 D1\nM2 2026-01 1.0 D1\nM3 2026-01 1.0 D1\nM4 2026-01 1.0 D2")));
    expect(lines(s)).toEqual(["Shows the MSR | payment | practice:P1 | 2026 | 247.50", "Shows the MSR | payment | practice:P2 | 2026 | 82.50"]);
  });

  test("several payers, a payer-specific fee and a community care team", async () => {
    const text = `contract "Multi-payer" version "1"
  payer "Anthem"
  payer "MaineCare"
  community care team "Aroostook"
  term 2026-01-01 to 2026-12-31

monthly fee "Practice PMPM, Anthem"
  pay $3.00 pmpm
  for payer "Anthem"

monthly fee "CCT"
  pay $2.95 pmpm
  paid to community care team "Aroostook"
`;
    const s = await both(text, base(memberMonths("M1 2026-01 1.0 D1 Anthem\nM2 2026-01 1.0 D1 MaineCare\nM2 2026-02 1.0 D1 MaineCare")));
    expect(lines(s)).toEqual([
      "Practice PMPM, Anthem | payment | practice:P1 | 2026-01 | 3.00",
      "CCT | payment | community care team:Aroostook | 2026-01 | 2.95",
      "CCT | payment | community care team:Aroostook | 2026-01 | 2.95",
      "CCT | payment | community care team:Aroostook | 2026-02 | 2.95",
    ]);
    expect(s.totals.byPayer).toEqual({ Anthem: "5.95", MaineCare: "5.90" });
  });

  test("a claim fee's trace sums each code's claim lines", async () => {
    const text = `${header()}
fee enhancement "Uplift" on codes 99213, 99214
  pay 10% of allowed
`;
    // January, D1 (practice P1): 99213 at $100.00 and $50.00 -> 10.00 + 5.00 = 15.00 over 2 claim lines;
    // 99214 at $120.00 -> 12.00; the line is 27.00. 99499 is not a listed code and pays nothing.
    const claims = [
      { id: "C1", member: "M1", date: "2026-01-05", physician: "D1", code: "99213", category: "primary_care", allowed: "100.00" },
      { id: "C2", member: "M2", date: "2026-01-09", physician: "D1", code: "99213", category: "primary_care", allowed: "50.00" },
      { id: "C3", member: "M1", date: "2026-01-20", physician: "D1", code: "99214", category: "primary_care", allowed: "120.00" },
      { id: "C4", member: "M2", date: "2026-01-21", physician: "D1", code: "99499", category: "primary_care", allowed: "80.00" },
    ];
    const s = await both(text, base(memberMonths("M1 2026-01 1.0 D1\nM2 2026-01 1.0 D1"), { claims }));
    expect(lines(s)).toEqual(["Uplift | payment | practice:P1 | 2026-01 | 27.00"]);
    expect(s.lines[0]!.trace.steps).toEqual([
      { name: "claims on code 99213", value: "15.00", note: "2 claim lines" },
      { name: "claims on code 99214", value: "12.00", note: "1 claim line" },
    ]);
  });

  test("value cases with a hit policy, and an amendment from its effective date", async () => {
    const text = `${header()}
parameter base_fee = $5.00 range $0 to $20

value tier_fee
  hit policy first
  when member risk score at least 2 -> base_fee pmpm times 2
  when member risk score at least 1 -> base_fee pmpm
  otherwise -> $1.00 pmpm

monthly fee "Tiered"
  pay tier_fee

amendment "Raise"
  effective 2026-01-01
  set base_fee = $7.00
`;
    // 2.5 -> 2 x 7 = 14; 1.2 -> 7; 0.4 -> 1
    const s = await both(text, base(memberMonths("M1 2026-01 2.5 D1\nM2 2026-01 1.2 D1\nM3 2026-01 0.4 D1")));
    expect(s.totals.total).toBe("22.00");
    expect(s.parameters).toEqual({ base_fee: "7" });
  });

  test("a value no tier row matches stops the settlement, naming the table and the value", async () => {
    const text = `${header()}
care management fee "Care"
  by member risk score
    below 1.0 -> $6.00 pmpm
    1.0 up to 2.0 -> $9.00 pmpm
`;
    expect(await failure(text, base(memberMonths("M1 2026-01 2.5 D1")))).toBe('PCMH0508: clause "Care", member M1 in 2026-01: member risk score = 2.5 matches no row of Care.');
  });

  test("two cases that both apply stop the settlement", async () => {
    const text = `${header()}
value tier_fee
  when member risk score at least 1 -> $2.00 pmpm
  when member risk score at least 2 -> $3.00 pmpm
  otherwise -> $1.00 pmpm

monthly fee "Care"
  pay tier_fee
`;
    expect(await failure(text, base(memberMonths("M1 2026-01 2.5 D1")))).toMatch(/^PCMH0509: clause "Care", member M1 in 2026-01: two cases of tier_fee apply at once/);
  });

  test("allocation of a pool sums to the cent", async () => {
    const text = `${header()}
incentive "Pool"
  measured per panel
  pay $100.00
  paid to practices
  allocated by member months
`;
    // $100 split 1:1:1 between ... two practices with 2 and 1 member-months: 66.67 / 33.33
    const s = await both(text, base(memberMonths("M1 2026-01 1.0 D1\nM2 2026-01 1.0 D1\nM3 2026-01 1.0 D2")));
    expect(lines(s)).toEqual(["Pool | payment | practice:P1 | 2026 | 66.67", "Pool | payment | practice:P2 | 2026 | 33.33"]);
  });

  test("a parameter the contract leaves open must be set for the settlement that reads it", async () => {
    const text = `${header()}
parameter open_rate: Rate range $0 pmpm to $10 pmpm

monthly fee "Open"
  pay open_rate
`;
    expect(await failure(text, base(memberMonths("M1 2026-01 1.0 D1")))).toBe("PCMH0513: parameter open_rate has no value in the contract, and none was set for this settlement (--set open_rate=…).");
    const s = await both(text, { ...base(memberMonths("M1 2026-01 1.0 D1")), parameters: { open_rate: "$4.50" } });
    expect(s.totals.total).toBe("4.50");
  });
});
