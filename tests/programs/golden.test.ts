// GOLDEN SETTLEMENTS OF THE NON-MSSP PROGRAMS: each contract in contracts/ settled on a small
// hand-made data set, through both the reference interpreter and the emitted module, with the
// statement's totals worked out by hand in the comments beside them.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { ClaimRow, QualityRow, SettlementInput } from "../../runtime/src/input";
import type { Statement } from "../../runtime/src/statement";
import { interpreted, loadModule, memberMonths, settleBoth } from "../support/settle";

const contract = (path: string) => readFileSync(path, "utf8");

/** Settles through the interpreter and the emitted module; both must give the same statement. */
async function both(text: string, input: SettlementInput): Promise<Statement> {
  const statement = interpreted(text, input);
  const mod = await loadModule(text);
  expect(mod.settle(input)).toEqual(statement);
  return statement;
}

const practices = [{ id: "P1" }, { id: "P2" }];
const physicians = [
  { id: "D1", practice: "P1" },
  { id: "D2", practice: "P2" },
];
const input = (members: SettlementInput["members"], more: Partial<SettlementInput> = {}): SettlementInput => ({ physicians, practices, members, claims: [], quality: [], baseline: [], ...more });

/** "ID MEMBER DATE CODE CATEGORY ALLOWED" per line, rendered by D1 unless a physician is given. */
const claims = (spec: string): ClaimRow[] =>
  spec
    .trim()
    .split("\n")
    .map((line) => {
      const [id, member, date, code, category, allowed, physician] = line.trim().split(/\s+/) as [string, string, string, string, string, string, string?];
      return { id, member, date, code, category, allowed, physician: physician ?? "D1" };
    });

/** "PRACTICE MEASURE NUMERATOR DENOMINATOR" per line. */
const quality = (spec: string): QualityRow[] =>
  spec
    .trim()
    .split("\n")
    .map((line) => {
      const [id, measure, numerator, denominator] = line.trim().split(/\s+/) as [string, string, string, string];
      return { level: "practice" as const, id, measure, numerator, denominator };
    });

describe("CPC+ Track 2", () => {
  const text = contract("contracts/cms/cpc-plus-track-2.pcmh");
  const payer = "Medicare (CMS Innovation Center)";
  // Five beneficiaries of P1 in January 2017, designated to D1, one in each CMF tier.
  const members = memberMonths(
    `M1 2017-01 0.50 D1
     M5 2017-01 0.70 D1
     M3 2017-01 1.00 D1
     M4 2017-01 1.80 D1
     M2 2017-01 2.50 D1`,
    payer,
  );
  const data = input(members, {
    claims: claims(`
      C1 M1 2017-01-10 99213 primary_care 100.00
      C2 M2 2017-01-20 99284 ed 800.00`),
    quality: quality(`
      P1 CAHPS 82.5 100
      P1 CMS122 20 100
      P1 CMS165 70 100
      P1 CMS130 62.5 100
      P1 CMS125 5 10`),
  });

  test("CMF tiers with the Complex tier, the CPCP hybrid, and the PBIP advance and its recoupment", async () => {
    const s = await both(text, data);
    // Care management fee, one member-month each (2017-Q1):
    //   0.50 tier 1 $9 + 0.70 tier 2 $11 + 1.00 tier 3 $19 + 1.80 tier 4 $33 + 2.50 complex $100 = $172.00
    // CPCP at the 10% option: 10% x 1.10 = 11% of $30.00 expected E&M = $3.30 x 5 member-months = $16.50
    // CPCP reduction: -10% of the $100.00 allowed on 99213 = -$10.00 (the ED claim 99284 is not E&M)
    // PBIP: advance $4.00 x 5 = $20.00 (paid annually, period 2017).
    //   quality: CAHPS (82.5-75)/15 = 50%; CMS122 (30-20)/20 = 50%; CMS165 (70-60)/20 = 50%;
    //   CMS130 (62.5-50)/25 = 50%; CMS125 denominator 10 < 20, not scored; 4 scored, the gate holds -> 50%
    //   utilization: 0 admissions -> 0 per 1,000 meets the 75th percentile (230) -> 100%;
    //   1 ED visit / 5 mm x 12 x 1,000 = 2,400 per 1,000, worse than both benchmarks -> 0%; -> 50%
    //   earned 50% x 50% + 50% x 50% = 50%; recouped (1 - 50%) x $20.00 = -$10.00
    expect(s.totals.byClause).toEqual({
      "Care management fee": "172.00",
      "Comprehensive primary care payment": "16.50",
      "CPCP reduction of E&M fee-for-service": "-10.00",
      "Performance-based incentive payment": "10.00",
    });
    expect(s.lines.filter((l) => l.clause === "Performance-based incentive payment").map((l) => `${l.kind} ${l.period} ${l.amount}`)).toEqual(["advance 2017 20.00", "recoupment 2017 -10.00"]);
    // 172.00 + 16.50 - 10.00 + 10.00 = 188.50
    expect(s.totals.total).toBe("188.50");
  });

  test("the 65% hybrid option pays 71.5% of expected E&M upfront and takes 65% off the E&M claims", async () => {
    const s = await both(text, { ...data, parameters: { cpcp_option: "65%" } });
    // 71.5% x $30.00 = $21.45 x 5 = $107.25; -65% x $100.00 = -$65.00
    expect(s.totals.byClause["Comprehensive primary care payment"]).toBe("107.25");
    expect(s.totals.byClause["CPCP reduction of E&M fee-for-service"]).toBe("-65.00");
  });
});

describe("Commercial PCMH with a performance-based incentive", () => {
  const text = contract("contracts/commercial/pcmh-pbip.pcmh");
  const member = (member: string, month: string, lob: string) => ({ member, month, payer: "Commercial health plan", lob, riskScore: "1.0", physician: "D1" });
  // M1 fully insured in January and February; M2 in a participating self-insured plan in January;
  // M3 in a self-insured plan that does not take part, January, with an ED visit.
  const data = input([member("M1", "2020-01", "fully insured"), member("M1", "2020-02", "fully insured"), member("M2", "2020-01", "self-insured participating"), member("M3", "2020-01", "self-insured")], {
    claims: claims(`C1 M3 2020-01-15 99284 ed 900.00`),
    quality: quality(`
      P1 BCS 70 100
      P1 HBD 20 100
      P1 CAHPS 80 100`),
  });

  test("care management fees for covered members; the PBIP scaled by the score", async () => {
    const s = await both(text, { ...data, parameters: { pbip_minimum_members: "2" } });
    // Care management fee $3.00 for the 3 covered member-months (M3 is not covered):
    //   January 2 x 3.00 = 6.00; February 1 x 3.00 = 3.00 -> $9.00
    // PBIP score (covered members only, so M3's ED visit does not count):
    //   BCS (70-60)/20 = 50%; HBD (30-20)/20 = 50%; ED 0 per 1,000 <= 150 -> 100%; CAHPS (80-70)/20 = 50%
    //   25% x (50% + 50% + 100% + 50%) = 62.5%
    //   2 attributed covered members >= the minimum of 2: $2.00 x 3 mm x 62.5% = $3.75
    expect(s.lines.filter((l) => l.clause === "Care management fee").map((l) => `${l.period} ${l.amount}`)).toEqual(["2020-01 6.00", "2020-02 3.00"]);
    expect(s.totals.byClause).toEqual({ "Care management fee": "9.00", "Performance-based incentive payment": "3.75" });
    expect(s.totals.total).toBe("12.75");
  });

  test("no PBIP below the minimum number of covered members", async () => {
    const s = await both(text, data);
    // 2 covered members < 100: the gate is false, only the fees are paid
    expect(s.totals.total).toBe("9.00");
    expect(s.lines.filter((l) => l.clause === "Performance-based incentive payment" && l.amount !== "0.00")).toEqual([]);
  });
});

describe("Employer PCMH initiative", () => {
  const text = contract("contracts/employer/employer-pcmh-initiative.pcmh");
  const data = input(memberMonths("M1 2014-01 1.0 D1\nM2 2014-01 1.0 D1\nM1 2014-02 1.0 D1\nM2 2014-02 1.0 D1", "Self-insured employer coalition"), {
    claims: claims(`C1 M1 2014-01-05 99213 primary_care 3000.00`),
    quality: quality(`
      P1 BCS 70 100
      P1 HBD 20 100`),
    baseline: [{ level: "practice", id: "P1", memberMonths: "12", cost: "12000.00", riskScore: "1.0" }],
  });

  test("the medical home fee, then savings net of the fee shared by quality", async () => {
    const s = await both(text, data);
    // Medical home fee $4.00 x 2 members x 2 months = $16.00 (8.00 a month)
    // Shared savings for P1, 2014:
    //   benchmark = $12,000 / 12 = $1,000 pmpm, grown 4% = $1,040, x risk 1.0 / 1.0, x 4 mm = $4,160.00
    //   expenditure = $3,000 claims + $4.00 x 4 mm fees = $3,016.00
    //   savings = $1,144.00, rate 27.5% >= 2%
    //   quality: BCS (70-60)/20 = 50%, HBD (30-20)/20 = 50% -> 50%; share 50% x 50% = 25% -> $286.00
    //   cap 10% x $4,160 = $416.00 does not bind
    expect(s.totals.byClause).toEqual({ "Medical home fee": "16.00", "Shared savings": "286.00" });
    expect(s.totals.total).toBe("302.00");
  });

  test("savings are capped at 10% of the benchmark", async () => {
    const s = await both(text, { ...data, parameters: { practice_share: "100%" } });
    // share 100% x 50% = 50% of $1,144 = $572.00, capped at $416.00
    expect(s.totals.byClause["Shared savings"]).toBe("416.00");
  });
});

describe("Connecticut PCMH+ (FQHC participating entity)", () => {
  const text = contract("contracts/medicaid/connecticut-pcmh-plus.pcmh");
  const data = input(memberMonths("M1 2020-01 1.0 D1\nM2 2020-01 1.0 D1\nM1 2020-02 1.0 D1\nM2 2020-02 1.0 D1\nM3 2020-01 1.0 D2", "Connecticut DSS (HUSKY Health)"), {
    claims: claims(`
      C1 M1 2020-01-07 99213 primary_care 1000.00
      C2 M3 2020-01-09 99284 ed 100.00 D2`),
    quality: quality(`
      P1 W15 60 100
      P1 AWC 50 100
      P1 CDC_HBA1C 85 100
      P2 W15 10 100
      P2 AWC 10 100
      P2 CDC_HBA1C 50 100`),
    baseline: [
      { level: "practice", id: "P1", memberMonths: "12", cost: "6000.00", riskScore: "1.0" },
      { level: "practice", id: "P2", memberMonths: "12", cost: "6000.00", riskScore: "1.0" },
    ],
  });

  test("the add-on for every member-month; savings and the challenge pool only above the quality threshold", async () => {
    const s = await both(text, data);
    // Care coordination add-on $4.50 pmpm: P1 4 mm = $18.00 (9.00 a month), P2 1 mm = $4.50
    // P1 quality: W15 (60-50)/20 = 50%; AWC (50-40)/20 = 50%; CDC (85-80)/10 = 50%; ED 0 <= 600 -> 100%
    //   -> 62.5% >= 40%
    // P1 individual savings pool: benchmark $6,000/12 = $500 pmpm x 1.03 x 4 mm = $2,060.00;
    //   savings $2,060 - $1,000 = $1,060 (51.5% >= 2%); 50% x 62.5% = 31.25% -> $331.25,
    //   capped at 10% x $2,060 = $206.00
    // P1 challenge pool: $1.00 x 4 mm x 62.5% = $2.50
    // P2 quality: W15, AWC, CDC below their lines -> 0%; ED 1 / 1 mm x 12,000 = 12,000 -> 0%; 0% < 40%:
    //   no savings and no challenge pool
    expect(s.totals.byClause).toEqual({ "Care coordination add-on payment": "22.50", "Individual savings pool": "206.00", "Challenge pool": "2.50" });
    expect(s.totals.byRecipient).toEqual({ "practice:P1": "226.50", "practice:P2": "4.50" });
    expect(s.totals.total).toBe("231.00");
  });
});

describe("Making Care Primary", () => {
  const text = contract("contracts/cms/making-care-primary.pcmh");
  const data = input(memberMonths("M1 2024-07 0.50 D1\nM2 2024-07 1.50 D1\nM3 2024-07 2.50 D1", "Medicare (CMS Innovation Center)"), {
    claims: claims(`C1 M1 2024-07-10 99213 primary_care 100.00`),
    quality: quality(`
      P1 CMS165 70 100
      P1 CMS122 20 100`),
  });

  test("Track 2: ESP by risk tier, half the primary care payment prospective, the PIP by score", async () => {
    const s = await both(text, data);
    // ESP, track 2 at 125%: 0.50 -> $8.00 x 1.25 = 10.00; 1.50 -> $15.00 x 1.25 = 18.75;
    //   2.50 -> $30.00 x 1.25 = 37.50 -> $66.25
    // PPCP: 50% x $40.00 = $20.00 x 3 mm = $60.00; FFS reduction -50% x $100.00 = -$50.00
    // UIP: Track 1 only -> nothing
    // PIP score: CMS165 (70-60)/20 = 50%; CMS122 (30-20)/20 = 50%; 0 ED and 0 admissions -> 100% each;
    //   cost $100 / 3 mm = $33.33 pmpm <= $900 -> 100%; 20% x (50+50+100+100+100)% = 80%
    //   $6.00 x 3 mm x 80% = $14.40
    // 66.25 + 60.00 - 50.00 + 14.40 = 90.65
    const nonzero = Object.fromEntries(Object.entries(s.totals.byClause).filter(([, v]) => v !== "0.00"));
    expect(nonzero).toEqual({
      "Enhanced services payment": "66.25",
      "Prospective primary care payment": "60.00",
      "PPCP reduction of primary care fee-for-service": "-50.00",
      "Performance incentive payment": "14.40",
    });
    expect(s.totals.total).toBe("90.65");
  });

  test("Track 1: the upfront infrastructure payment, no PPCP", async () => {
    const s = await both(text, { ...data, parameters: { mcp_track: "1" } });
    // ESP at 100%: 8.00 + 15.00 + 30.00 = $53.00; PPCP 0%; UIP $145,000.00; PIP $3.00 x 3 x 80% = $7.20
    // 53.00 + 145,000.00 + 7.20 = 145,060.20
    expect(s.totals.byClause["Enhanced services payment"]).toBe("53.00");
    expect(s.totals.byClause["Upfront infrastructure payment"]).toBe("145000.00");
    expect(s.totals.byClause["Performance incentive payment"]).toBe("7.20");
    expect(s.totals.total).toBe("145060.20");
  });
});

describe("Maine PCMH Pilot and MAPCP (existing contract)", () => {
  const text = contract("contracts/multi-payer/maine-pcmh-pilot.pcmh");
  const mm = (member: string, payer: string, lob = "commercial") => ({ member, month: "2013-01", payer, lob, riskScore: "1.0", physician: "D1" });
  const data: SettlementInput = {
    physicians,
    practices: [{ id: "P1", recognitionLevel: "2" }, { id: "P2" }],
    members: [mm("M1", "Aetna"), mm("M2", "Anthem Blue Cross and Blue Shield"), mm("M3", "MaineCare", "MaineCare Health Home"), mm("M4", "Medicare (MAPCP demonstration)", "medicare")],
    claims: [],
    quality: quality(`P1 CORE_EXPECTATIONS 7 10`),
    baseline: [],
  };

  test("each payer's PMPM, the CCT fee to the team, and the withhold returned in part", async () => {
    const s = await both(text, data);
    // Commercial $3.00 x 2 = $6.00; Health Home $12.00 x 1; MAPCP practice $6.95 x 1 (recognition 2 >= 1);
    // MAPCP CCT $2.95 x 1 to the Aroostook CCT; withhold 10% of $6.00 = -$0.60, returned 7/10 = $0.42
    expect(s.totals.byClause).toEqual({
      "Practice PMPM (commercial payers)": "6.00",
      "Practice PMPM (MaineCare Health Homes)": "12.00",
      "Practice PMPM (Medicare MAPCP)": "6.95",
      "CCT PMPM (Medicare MAPCP)": "2.95",
      "Core expectations withhold": "-0.18",
    });
    // 6.00 + 12.00 + 6.95 + 2.95 - 0.60 + 0.42 = 27.72
    expect(s.totals.total).toBe("27.72");
  });
});

describe("CPC+ Track 1", () => {
  const text = contract("contracts/cms/cpc-plus-track-1.pcmh");
  const payer = "Medicare (CMS Innovation Center)";
  // Four beneficiaries of P1, designated to D1, one in each CMF tier; M4 has an inpatient stay.
  const data = (month: string) =>
    input(memberMonths(`M1 ${month} 0.50 D1\nM2 ${month} 0.80 D1\nM3 ${month} 1.00 D1\nM4 ${month} 2.00 D1`, payer), {
      claims: claims(`C1 M4 ${month}-12 99223 inpatient 5000.00`),
      quality: quality(`
        P1 CAHPS 82.5 100
        P1 CMS122 20 100
        P1 CMS165 70 100
        P1 CMS130 62.5 100
        P1 CMS125 80 100`),
    });

  test("CMF by risk tier, no CPCP, and the PBIP advance recouped in part", async () => {
    const s = await both(text, data("2017-01"));
    // Care management fee, one member-month each (2017-Q1):
    //   0.50 tier 1 $6 + 0.80 tier 2 $8 + 1.00 tier 3 $16 + 2.00 tier 4 $30 = $60.00
    // PBIP: advance $2.50 x 4 member-months = $10.00 (paid annually, period 2017).
    //   quality: CAHPS (82.5-75)/15 = 50%; CMS122 (30-20)/20 = 50%; CMS165 (70-60)/20 = 50%;
    //   CMS130 (62.5-50)/25 = 50%; CMS125 (80-60)/20 = 100%; 5 scored >= 4
    //   -> 20% x (50 + 50 + 50 + 50 + 100)% = 60%
    //   utilization: 1 admission / 4 mm x 12 x 1,000 = 3,000 per 1,000, worse than 270 -> 0%;
    //   0 ED visits -> 0 per 1,000 <= 550 -> 100%; -> 50% x 0% + 50% x 100% = 50%
    //   earned max(50% x 60% + 50% x 50%, 0% floor) = 55%; recouped (1 - 55%) x $10.00 = -$4.50
    expect(s.totals.byClause).toEqual({
      "Care management fee": "60.00",
      "Performance-based incentive payment": "5.50",
    });
    expect(s.lines.filter((l) => l.clause === "Performance-based incentive payment").map((l) => `${l.kind} ${l.period} ${l.amount}`)).toEqual(["advance 2017 10.00", "recoupment 2017 -4.50"]);
    // 60.00 + 10.00 - 4.50 = 65.50
    expect(s.totals.total).toBe("65.50");
  });

  test("the COVID-19 amendment keeps the whole 2020 advance", async () => {
    const s = await both(text, data("2020-01"));
    // pbip_retention_floor = 100% from 2020-01-01: earned max(55%, 100%) = 100%, nothing recouped
    // 60.00 + 10.00 = 70.00
    expect(s.lines.filter((l) => l.clause === "Performance-based incentive payment" && l.amount !== "0.00").map((l) => `${l.kind} ${l.period} ${l.amount}`)).toEqual(["advance 2020 10.00"]);
    expect(s.totals.total).toBe("70.00");
  });
});

describe("Primary Care First", () => {
  const text = contract("contracts/cms/primary-care-first.pcmh");
  const payer = "Medicare (CMS Innovation Center)";
  // P1 in practice risk group 2 with two beneficiaries and one office visit; P2 in group 4 with one.
  const data = (month: string) =>
    input(memberMonths(`M1 ${month} 1.0 D1\nM2 ${month} 1.0 D1\nM3 ${month} 1.0 D2`, payer), {
      practices: [
        { id: "P1", riskGroup: "2" },
        { id: "P2", riskGroup: "4" },
      ],
      claims: claims(`C1 M1 ${month}-10 99213 primary_care 100.00`),
      quality: [
        ...quality(`
          P1 AHU 85 100
          P2 AHU 110 100
          P1 PECS 85 100
          P1 CMS122 15 100
          P1 CMS165 70 100
          P1 CMS130 65 100
          P1 ACP 60 100`),
        { level: "practice", id: "P1", measure: "AHU prior year", numerator: "90", denominator: "100" },
        { level: "practice", id: "P2", measure: "AHU prior year", numerator: "105", denominator: "100" },
      ],
    });
  const nonzero = (s: Statement) => Object.fromEntries(Object.entries(s.totals.byClause).filter(([, v]) => v !== "0.00"));

  test("2021: PBP by practice risk group, the flat visit fee, and the PBA up and down", async () => {
    const s = await both(text, data("2021-01"));
    // PBP (2021-Q1): P1 group 2 $45.00 x 2 = $90.00; P2 group 4 $175.00 x 1 = $175.00 -> $265.00
    // Flat visit fee: 99213 -> $40.25 to P1
    // Gateway: threshold 0% in 2021, passed by any score.
    // P1: AHU 85% <= regional 100%; AHU scorecard: 85% misses 80%, meets 90% -> 70%;
    //   national tier 70% up to 100% -> 24%; improvement 90% - 85% = 5% -> 0% + 5/10 x 16% = 8%
    //   PBA 24% + 8% = 32%, within -10%..50%: PBP 32% x $90.00 = $28.80; visits 32% x $40.25 = $12.88
    // P2: AHU 110% > 100%; improvement 105% - 110% = -5%, not > 0 -> floor -10%:
    //   PBP -10% x $175.00 = -$17.50; no visit fees -> $0
    // Sequestration 0% before 2022-04-01 -> $0
    expect(nonzero(s)).toEqual({
      "Professional population-based payment": "265.00",
      "Flat primary care visit fee": "40.25",
      "PBA on population-based payment": "11.30",
      "PBA on flat visit fees": "12.88",
    });
    expect(s.lines.filter((l) => l.clause === "PBA on population-based payment").map((l) => `${l.recipient} ${l.period} ${l.amount}`)).toEqual(["practice:P1 2021-Q1 28.80", "practice:P2 2021-Q1 -17.50"]);
    // 265.00 + 40.25 + 28.80 - 17.50 + 12.88 = 329.43
    expect(s.totals.total).toBe("329.43");
  });

  test("2022-Q3: the gateway at 100% takes away P1's upside; 2% sequestration", async () => {
    const s = await both(text, data("2022-07"));
    // P1 gateway: PECS 85% >= 80%, CMS122 15% <= 20%, CMS165 70% >= 65%, CMS130 65% >= 60% -> 100% each;
    //   ACP 60% < 70% -> 0%; 20% x 400% = 80% < 100%: failed -> PBA min(32%, 0%) = 0%
    // P2: min(-10%, 0%) = -10% -> -$17.50
    // Sequestration 2%: PBP -2% x $90.00 = -$1.80 (P1), -2% x $175.00 = -$3.50 (P2) -> -$5.30;
    //   visits -2% x $40.25 = -$0.805, half-even -> -$0.80
    expect(nonzero(s)).toEqual({
      "Professional population-based payment": "265.00",
      "Flat primary care visit fee": "40.25",
      "PBA on population-based payment": "-17.50",
      "Sequestration of population-based payment": "-5.30",
      "Sequestration of flat visit fees": "-0.80",
    });
    // 265.00 + 40.25 - 17.50 - 5.30 - 0.80 = 281.65
    expect(s.totals.total).toBe("281.65");
  });
});

describe("CareFirst PCMH (virtual panel)", () => {
  const text = contract("contracts/commercial/carefirst-pcmh.pcmh");
  const payer = "CareFirst BlueCross BlueShield";
  // One virtual panel N1 of 10 physicians: D1-D5 in P1, D6-D10 in P2.
  const panel = Array.from({ length: 10 }, (_, i) => ({ id: `D${i + 1}`, practice: i < 5 ? "P1" : "P2", panel: "N1" }));
  const data = input(memberMonths(`M1 2013-01 1.0 D1\nM1 2013-02 1.0 D1\nM2 2013-01 1.0 D6`, payer), {
    physicians: panel,
    claims: claims(`
      C1 M1 2013-01-10 99213 primary_care 100.00 D1
      C2 M1 2013-01-10 S0280 other 0.00 D1
      C3 M2 2013-01-15 99396 primary_care 150.00 D6
      C4 M2 2013-01-15 S0281 other 0.00 D6`),
    // Neither practice alone reaches the minimum denominator of 30 for BCS and CDC; the panel does.
    quality: quality(`
      P1 CARE_PLAN_ENGAGED 40 50
      P2 CARE_PLAN_ENGAGED 40 50
      P1 BCS 14 20
      P2 BCS 7 10
      P1 CDC_HBA1C 16 20
      P2 CDC_HBA1C 8 10`),
    baseline: [{ level: "panel", id: "N1", memberMonths: "12", cost: "12000.00", riskScore: "1.0" }],
  });

  test("the fee uplift, care plan fees, and the panel's OIA allocated by member months", async () => {
    const s = await both(text, data);
    // Participation uplift 12% of allowed: 99213 $100.00 -> $12.00 (P1); 99396 $150.00 -> $18.00 (P2) -> $30.00
    // Care plan activation S0280 $200.00 (P1); review S0281 $100.00 (P2)
    // OIA for panel N1 (P1 and P2 together), 2013:
    //   benchmark $12,000 / 12 = $1,000 pmpm x 1.05 = $1,050 x risk 1.0 / 1.0 x 3 mm = $3,150.00
    //   expenditure $100 + $0 + $150 + $0 = $250.00 (nothing above $100,000); savings $2,900.00 (>= 0%)
    //   quality: engagement 80/100 = 80% -> (80-40)/40 = 100%; BCS 21/30 = 70% -> (70-60)/20 = 50%;
    //   CDC 24/30 = 80% -> (80-80)/15 = 0%; ED 0 per 1,000 <= 150 -> 100%
    //   -> 30% x 100% + 20% x 50% + 20% x 0% + 30% x 100% = 70%
    //   multiplier 50% + (70-40)/(100-40) x 50% = 75%; share 50% x 75% = 37.5% -> $1,087.50
    //   allocated by member months: P1 2/3 = $725.00, P2 1/3 = $362.50
    expect(s.totals.byClause).toEqual({
      "PCMH participation fee uplift": "30.00",
      "Care plan activation": "200.00",
      "Care plan review": "100.00",
      "Outcome Incentive Award": "1087.50",
    });
    // P1 12.00 + 200.00 + 725.00 = 937.00; P2 18.00 + 100.00 + 362.50 = 480.50
    expect(s.totals.byRecipient).toEqual({ "practice:P1": "937.00", "practice:P2": "480.50" });
    // 30.00 + 200.00 + 100.00 + 1,087.50 = 1,417.50
    expect(s.totals.total).toBe("1417.50");
  });

  test("a panel of 9 physicians is refused", async () => {
    const { interpreter, module } = await settleBoth(text, { ...data, physicians: panel.slice(0, 9) });
    // 9 < 10, the virtual panel's lower bound
    expect(interpreter).toMatch(/PCMH0507/);
    expect(module).toEqual(interpreter);
  });
});
