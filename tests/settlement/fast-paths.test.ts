// FAST PATHS: what the engine works out once instead of per member-month or per claim gives the
// statement, or the error, of the general way: a fee's tier table looked up once per band of its
// key, a claim fee summed per line and code, per-member costs for stop-loss taken per member.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { interpret } from "../../compiler/src";
import type { ProgramIr } from "../../compiler/src";
import { columnsOf } from "../../runtime/src/columns";
import { settle } from "../../runtime/src/engine";
import type { ClaimRow, SettlementInput } from "../../runtime/src/input";
import type { Statement } from "../../runtime/src/statement";
import { compiled } from "../support/settle";

const attempt = (f: () => Statement): Statement | string => {
  try {
    return f();
  } catch (e) {
    return (e as { describe?: () => string }).describe?.() ?? String(e);
  }
};

/** The same program with every fee table looked up member-month by member-month. */
function withoutBands(ir: ProgramIr): ProgramIr {
  return { ...ir, clauses: ir.clauses.map((c) => (c.kind === "monthly fee" && c.table ? { ...c, table: { ...c.table, bandKey: undefined } } : c)) };
}

const bandKeyOf = (ir: ProgramIr) => ir.clauses.flatMap((c) => (c.kind === "monthly fee" && c.table?.bandKey ? [c.table.bandKey] : []));

const physicians = [
  { id: "D1", practice: "P1" },
  { id: "D2", practice: "P1" },
  { id: "D3", practice: "P2" },
];
const practices = [{ id: "P1" }, { id: "P2" }];

function tableContract(key: string, policy: "unique" | "first", rows: readonly string[], unit: string): string {
  return `contract "Bands" version "1"
  payer "Plan"
  term 2026-01-01 to 2026-12-31

parameter a : ${unit}
parameter b : ${unit}
parameter c : ${unit}
parameter d : ${unit}

care management fee "Care coordination"
  by ${key} hit policy ${policy}
${rows.map((r, i) => `    ${r} -> $${i + 1}.00 pmpm`).join("\n")}
`;
}

describe("tier tables by bands of the key", () => {
  test("a fee's table keyed by risk score or age, with rows that read no member field, is marked", () => {
    expect(bandKeyOf(compiled(tableContract("member risk score", "unique", ["below a", "a and above"], "Number")))).toEqual(["member risk score"]);
    expect(bandKeyOf(compiled(tableContract("member age", "first", ["below a", "otherwise"], "Count")))).toEqual(["member age"]);
    const perMember = `contract "Bands" version "1"
  payer "Plan"
  term 2026-01-01 to 2026-12-31

care management fee "Care coordination"
  by member risk score
    below 1.0 -> $5.00 pmpm
    1.0 and above -> $5.00 pmpm times member risk score
`;
    expect(bandKeyOf(compiled(perMember))).toEqual([]);
  });

  const bound = fc.constantFrom("a", "b", "c", "d");
  const row = fc.oneof(
    bound.map((x) => `below ${x}`),
    bound.map((x) => `above ${x}`),
    bound.map((x) => `${x} and above`),
    fc.tuple(bound, bound).map(([x, y]) => `${x} to ${y}`),
    fc.tuple(bound, bound).map(([x, y]) => `${x} up to ${y}`),
    bound,
    fc.tuple(bound, bound).map(([x, y]) => `${x}, ${y}`),
  );
  const table = fc.record({
    key: fc.constantFrom("member risk score", "member age"),
    policy: fc.constantFrom("unique" as const, "first" as const),
    rows: fc.array(row, { minLength: 1, maxLength: 5 }),
    otherwise: fc.boolean(),
  });
  const values = ["0", "0.5", "1", "1.0", "1.005", "1.5", "1.99", "2", "2.25", "17", "18", "64.5", "65"];
  const scores = ["0", "0.4", "0.5", "0.99", "1", "1.00", "1.004", "1.005", "1.006", "1.5", "1.99", "2", "2.000", "2.25", "3.1"];
  const ages = ["0", "16", "17", "18", "40", "64", "65", "70", undefined];
  const data = fc.record({
    parameters: fc.record({ a: fc.constantFrom(...values), b: fc.constantFrom(...values), c: fc.constantFrom(...values), d: fc.constantFrom(...values) }),
    members: fc.array(fc.record({ risk: fc.constantFrom(...scores), age: fc.constantFrom(...ages), physician: fc.constantFrom("D1", "D2", "D3"), months: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 12 }),
  });

  test("settle exactly as a lookup per member-month: amounts, notes and errors", () => {
    let marked = 0;
    fc.assert(
      fc.property(table, data, (t, d) => {
        const rows = t.otherwise ? [...t.rows, "otherwise"] : t.rows;
        const ir = compiled(tableContract(t.key, t.policy, rows, t.key === "member age" ? "Count" : "Number"));
        if (bandKeyOf(ir).length > 0) marked++;
        const input: SettlementInput = {
          physicians,
          practices,
          members: d.members.flatMap((m, i) =>
            Array.from({ length: m.months }, (_, k) => ({ member: `M${i + 1}`, month: `2026-0${k + 1}`, payer: "Plan", riskScore: m.risk, physician: m.physician, ...(m.age !== undefined ? { age: m.age } : {}) })),
          ),
          claims: [],
          quality: [],
          baseline: [],
          parameters: d.parameters,
        };
        expect(attempt(() => settle(interpret(ir), input))).toEqual(attempt(() => settle(interpret(withoutBands(ir)), input)));
      }),
      { numRuns: 300 },
    );
    expect(marked).toBe(300);
  });

  const members = (scores: readonly string[]): SettlementInput["members"] => scores.map((riskScore, i) => ({ member: `M${i + 1}`, month: "2026-01", payer: "Plan", riskScore, physician: "D1" }));
  const input = (scores: readonly string[], parameters: Record<string, string> = {}): SettlementInput => ({ physicians, practices, members: members(scores), claims: [], quality: [], baseline: [], parameters });
  const steps = (s: Statement | string) => (typeof s === "string" ? s : s.lines.flatMap((l) => l.trace.steps.map((x) => `${x.name}: ${x.value} (${x.note})`)));

  test("keys on a bound, just below and just above it, at the bound's scale or not", () => {
    const ir = compiled(tableContract("member risk score", "unique", ["below a", "a up to b", "b and above"], "Number"));
    const settled = settle(interpret(ir), input(["0.99", "1.00", "1.01", "1.99", "2.00", "2.01", "1.005", "1.0049"], { a: "1.005", b: "2" }));
    expect(steps(settled)).toEqual(["member risk score a up to b: 6.00 (3 × 2)", "member risk score b and above: 6.00 (2 × 3)", "member risk score below a: 3.00 (3 × 1)"]);
  });

  test("two rows matching under `unique`, or none, fail naming the same member-month and rows", () => {
    const ir = compiled(tableContract("member risk score", "unique", ["below a", "b and above"], "Number"));
    const overlap = attempt(() => settle(interpret(ir), input(["0.5", "1.5"], { a: "2", b: "1" })));
    expect(overlap).toContain("PCMH0509");
    expect(overlap).toContain('member risk score = 1.5 matches two rows of Care coordination: "below a" and "b and above".');
    expect(overlap).toEqual(attempt(() => settle(interpret(withoutBands(ir)), input(["0.5", "1.5"], { a: "2", b: "1" }))));
    const gap = attempt(() => settle(interpret(ir), input(["0.5", "1.5"], { a: "1", b: "2" })));
    expect(gap).toContain("PCMH0508");
    expect(gap).toEqual(attempt(() => settle(interpret(withoutBands(ir)), input(["0.5", "1.5"], { a: "1", b: "2" }))));
  });

  test("a bound that fails to evaluate fails as it would row by row", () => {
    const text = `contract "Bands" version "1"
  payer "Plan"
  term 2026-01-01 to 2026-12-31

parameter a : Number

care management fee "Care coordination"
  by member risk score
    below (1 / a) -> $1.00 pmpm
    otherwise -> $2.00 pmpm
`;
    const ir = compiled(text);
    expect(bandKeyOf(ir)).toEqual(["member risk score"]);
    const failed = attempt(() => settle(interpret(ir), input(["0.5", "1.5"], { a: "0" })));
    expect(failed).toContain("PCMH0510");
    expect(failed).toEqual(attempt(() => settle(interpret(withoutBands(ir)), input(["0.5", "1.5"], { a: "0" }))));
    expect(steps(settle(interpret(ir), input(["0.5", "1.5"], { a: "1" })))).toEqual(["member risk score below (1 / a): 1.00 (1 × 1)", "member risk score otherwise: 2.00 (1 × 2)"]);
  });

  test("a missing age fails naming the member-month", () => {
    const ir = compiled(tableContract("member age", "first", ["below a", "otherwise"], "Count"));
    const data: SettlementInput = { ...input(["1", "1"], { a: "18" }), members: [...members(["1"]).map((m) => ({ ...m, age: "12" })), ...members(["1", "1"]).slice(1)] };
    const failed = attempt(() => settle(interpret(ir), data));
    expect(failed).toContain("PCMH0513");
    expect(failed).toContain("member M2 in 2026-01");
    expect(failed).toEqual(attempt(() => settle(interpret(withoutBands(ir)), data)));
  });
});

describe("claim fees summed per line and code", () => {
  const contract = (pay: string) => `contract "Claims" version "1"
  payer "Plan"
  term 2026-01-01 to 2026-12-31

parameter uplift = 12% range 0% to 20%

fee enhancement "Uplift" on codes 10000-19999
  pay ${pay}
`;
  const manyPhysicians = Array.from({ length: 24 }, (_, i) => ({ id: `D${i + 1}`, practice: i < 12 ? "P1" : "P2" }));
  const claimsInput = (claimCount: number, codes: number): SettlementInput => {
    const members = manyPhysicians.flatMap((d, i) => Array.from({ length: 12 }, (_, m) => ({ member: `M${i + 1}`, month: `2026-${String(m + 1).padStart(2, "0")}`, payer: "Plan", riskScore: "1", physician: d.id })));
    const claims: ClaimRow[] = Array.from({ length: claimCount }, (_, k) => ({
      id: `C${k}`,
      member: `M${(k % manyPhysicians.length) + 1}`,
      date: `2026-${String((k % 12) + 1).padStart(2, "0")}-15`,
      code: String(10000 + ((k * 7) % codes)),
      category: "primary_care",
      allowed: `${(k * 37) % 900}.${String(k % 100).padStart(2, "0")}`,
      physician: manyPhysicians[(k * 5) % manyPhysicians.length]!.id,
    }));
    return { physicians: manyPhysicians, practices, members, claims, quality: [], baseline: [] };
  };
  const linesOf = (s: Statement | string) => (typeof s === "string" ? s : { lines: s.lines.map((l) => ({ ...l, trace: { ...l.trace, rule: "" } })), totals: s.totals });

  test.each([
    ["few keys", 400, 20],
    ["more keys than an array should hold", 400, 300],
  ])("equal the sum of each claim's amount (%s)", (_, claimCount, codes) => {
    const data = claimsInput(claimCount, codes);
    const perAllowed = compiled(contract("uplift of allowed"));
    expect(perAllowed.clauses[0]!.kind === "claim fee" && perAllowed.clauses[0]!.perAllowed).toBeTruthy();
    const perClaim = compiled(contract("uplift of allowed + $0.00"));
    expect(perClaim.clauses[0]!.kind === "claim fee" && perClaim.clauses[0]!.perAllowed).toBeFalsy();
    const fast = attempt(() => settle(interpret(perAllowed), data));
    expect(typeof fast).not.toBe("string");
    expect(linesOf(fast)).toEqual(linesOf(attempt(() => settle(interpret(perClaim), data))));
  });
});

describe("stop-loss per member", () => {
  const text = `contract "Stop loss" version "1"
  payer "Plan"
  term 2026-01-01 to 2026-12-31

shared savings "Savings"
  measured per practice
  benchmark $400,000.00
  truncate costs per member above $100,000
  stop loss per member above $50,000 covering 80%
  share 50% from first dollar
`;
  const rows = (physicianOf: (member: string, month: number) => string) =>
    ["M1", "M2", "M3", "M4"].flatMap((member) => Array.from({ length: 12 }, (_, m) => ({ member, month: `2026-${String(m + 1).padStart(2, "0")}`, payer: "Plan", riskScore: "1", physician: physicianOf(member, m + 1) })));
  const claims: ClaimRow[] = [
    ["M1", "2026-02-03", "60000.00"],
    ["M2", "2026-03-04", "20000.00"],
    ["M1", "2026-05-06", "70000.00"],
    ["M3", "2026-04-01", "30000.00"],
    ["M3", "2026-09-01", "45000.50"],
    ["M4", "2026-06-01", "12.34"],
    ["M2", "2026-11-30", "40000.00"],
  ].map(([member, date, allowed], k) => ({ id: `C${k}`, member: member!, date: date!, code: "99213", category: "inpatient", allowed: allowed! }));
  const settleWith = (physicianOf: (member: string, month: number) => string) =>
    settle(interpret(compiled(text)), { physicians, practices, members: rows(physicianOf), claims, quality: [], baseline: [] });
  const expenditure = (s: Statement) => s.lines.map((l) => l.trace.steps.find((x) => x.name.startsWith("expenditure"))?.value);

  test("give the same costs whether each member's claims are at one physician or not", () => {
    const onePhysicianEach = settleWith((member) => (member === "M4" ? "D3" : "D1"));
    const moving = settleWith((member, month) => (member === "M4" ? "D3" : member === "M3" && month > 6 ? "D2" : "D1"));
    // P1: M1 130,000 → 100,000 truncated → 50,000 + 20% of 50,000 = 60,000; M2 60,000 → 52,000;
    // M3 75,000.50 → 55,000.10. P2: M4 12.34.
    expect(expenditure(onePhysicianEach)).toEqual(["167000.10", "12.34"]);
    expect(moving).toEqual(onePhysicianEach);
  });
});

describe("attribution and per-physician figures", () => {
  const text = (method: string) => `contract "Runs" version "1"
  payer "Plan"
  term 2026-01-01 to 2026-12-31

${method}

incentive "Whole physicians"
  measured per physician
  pay $1.00 pmpm times member months + $1000.00 times average risk score
  paid to physicians

incentive "Member-months one by one"
  measured per physician
  pay $1.00 pmpm times member months + $1000.00 times average risk score
  paid to physicians
  for payer "Plan"
`;
  // Each physician's rows come in several runs, among rows of other physicians and rows with none.
  const designated = (member: number, month: number): string => (member % 4 === 3 ? "" : month <= 4 ? `D${(member % 3) + 1}` : month <= 8 && member % 2 === 0 ? "" : `D${((member + 1) % 3) + 1}`);
  const input = (): SettlementInput => ({
    physicians,
    practices,
    members: Array.from({ length: 9 }, (_, i) =>
      Array.from({ length: 12 }, (_, m) => ({ member: `M${i + 1}`, month: `2026-${String(m + 1).padStart(2, "0")}`, payer: "Plan", riskScore: `${1 + ((i * 7 + m) % 5) / 8}`, physician: designated(i + 1, m + 1) })),
    ).flat(),
    claims: Array.from({ length: 18 }, (_, k) => ({ id: `C${k}`, member: `M${(k % 9) + 1}`, date: `2026-0${(k % 9) + 1}-10`, code: "99213", category: "primary_care", allowed: "100.00", physician: `D${(k % 3) + 1}` })),
    quality: [],
    baseline: [],
  });
  const amounts = (s: Statement, clause: string) => s.lines.filter((l) => l.clause === clause).map((l) => [l.recipient, l.amount]);

  test.each(["attribution from roster", "attribution by plurality of office visits over 12 months\n  designation first", "attribution by plurality of office visits over 12 months"])(
    "member months and average risk scores per whole physician equal those counted member-month by member-month (%s)",
    (method) => {
      const statement = settle(interpret(compiled(text(method))), input());
      expect(amounts(statement, "Whole physicians").length).toBeGreaterThan(1);
      expect(amounts(statement, "Whole physicians")).toEqual(amounts(statement, "Member-months one by one"));
    },
  );

  test("settling leaves the input's physician column as it was, when attribution must fill rows in", () => {
    const program = interpret(compiled(text("attribution by plurality of office visits over 12 months\n  designation first")));
    const columns = columnsOf(input());
    const before = columns.members.physician.slice();
    const first = settle(program, columns);
    expect(columns.members.physician).toEqual(before);
    expect(settle(program, columns)).toEqual(first);
  });
});

describe("member-month fees counted per line and amount", () => {
  test("a member's months in one fee period count once each, while more amounts appear than counted so far", () => {
    const text = `contract "Counts" version "1"
  payer "Plan"
  term 2026-01-01 to 2026-12-31
  fees paid annually, settled annually

care management fee "Care coordination"
  by member risk score
    below 1.0 -> $1.00 pmpm
    1.0 up to 2.0 -> $2.00 pmpm
    2.0 up to 3.0 -> $3.00 pmpm
    3.0 up to 4.0 -> $4.00 pmpm
    4.0 up to 5.0 -> $5.00 pmpm
    5.0 and above -> $6.00 pmpm
`;
    const risks = ["0.5", "0.5", "1.5", "2.5", "3.5", "4.5", "4.5", "5.5", "5.5", "0.5", "1.5", "4.5"];
    const members = risks.map((riskScore, m) => ({ member: "M1", month: `2026-${String(m + 1).padStart(2, "0")}`, payer: "Plan", riskScore, physician: "D1" }));
    const statement = settle(interpret(compiled(text)), { physicians, practices, members, claims: [], quality: [], baseline: [] });
    expect(statement.lines.map((l) => l.amount)).toEqual(["41.00"]);
    expect(statement.lines[0]!.trace.steps.map((s) => s.note).sort()).toEqual(["1 × 3", "1 × 4", "2 × 2", "2 × 6", "3 × 1", "3 × 5"]);
  });
});
