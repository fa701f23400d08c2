// SETTLEMENT DATA AS COLUMNS: rows convert to columns without losing a digit, sums of scaled
// columns are exact past 2^53, and bad columns are refused naming file, row and field.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkColumns, columnsOf, decAt, exactSum, ExactColumnBuilder, monthText, type ColumnarInput } from "../../runtime/src/columns";
import { settle } from "../../runtime/src/engine";
import { SettlementError } from "../../runtime/src/errors";
import type { SettlementInput } from "../../runtime/src/input";
import { Dec } from "../../runtime/src/money";
import { compile, interpret } from "../../compiler/src";

const physicians = [
  { id: "D1", practice: "P1" },
  { id: "D2", practice: "P1" },
];
const rowsInput = (members: SettlementInput["members"], claims: SettlementInput["claims"] = []): SettlementInput => ({ physicians, practices: [{ id: "P1" }], members, claims, quality: [], baseline: [] });

const error = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof SettlementError) return e.describe();
    throw e;
  }
  throw new Error("expected a SettlementError");
};

const decimal = (places: number, max: number) => fc.tuple(fc.integer({ min: 0, max }), fc.integer({ min: 0, max: 10 ** places - 1 })).map(([w, f]) => (places === 0 ? String(w) : `${w}.${String(f).padStart(places, "0")}`));

describe("rows to columns", () => {
  test("every value survives the conversion exactly, whatever the mix of decimal places", () => {
    const row = fc.record({
      member: fc.constantFrom("M1", "M2", "M3"),
      month: fc.integer({ min: 1, max: 12 }),
      risk: fc.integer({ min: 0, max: 4 }).chain((p) => decimal(p, 9)),
      age: fc.option(fc.integer({ min: 0, max: 110 }).map(String), { nil: undefined }),
      lob: fc.option(fc.constantFrom("HMO", "PPO"), { nil: undefined }),
      allowed: fc.integer({ min: 0, max: 2 }).chain((p) => decimal(p, 250_000)),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), (rows) => {
        const input = rowsInput(
          rows.map((r) => ({ member: r.member, month: `2026-${String(r.month).padStart(2, "0")}`, payer: "Plan", riskScore: r.risk, physician: "D2", ...(r.age ? { age: r.age } : {}), ...(r.lob ? { lob: r.lob } : {}) })),
          rows.map((r, i) => ({ id: `C${i}`, member: r.member, date: `2026-${String(r.month).padStart(2, "0")}-15`, code: "99213", category: "primary_care", allowed: r.allowed })),
        );
        const c = columnsOf(input);
        rows.forEach((r, i) => {
          expect(c.memberIds[c.members.member[i]!]).toBe(r.member);
          expect(monthText(c.members.month[i]!)).toBe(input.members[i]!.month);
          expect(decAt(c.members.riskScore, i)!.eq(new Dec(r.risk))).toBe(true);
          expect(decAt(c.members.age, i)?.toString()).toBe(r.age === undefined ? undefined : new Dec(r.age).toString());
          expect(c.members.lob[i]! < 0 ? undefined : c.lobs[c.members.lob[i]!]).toBe(r.lob);
          expect(c.members.physician[i]).toBe(1);
          expect(decAt(c.claims.allowed, i)!.eq(new Dec(r.allowed))).toBe(true);
        });
        const total = rows.reduce((s, r) => s.add(r.allowed), new Dec(0));
        expect(exactSum(c.claims.allowed).eq(total)).toBe(true);
      }),
    );
  });

  test("a later value with more decimal places widens the whole column", () => {
    const b = new ExactColumnBuilder(3, "members", "risk_score");
    b.set(0, "1.5", 2);
    b.set(1, "2", 3);
    b.set(2, "0.125", 4);
    const column = b.build();
    expect(column.places).toBe(3);
    expect([...column.scaled]).toEqual([1500, 2000, 125]);
  });

  test("sums past 2^53 in scaled units are still exact", () => {
    const big = 2 ** 52;
    const column = { places: 2, scaled: Float64Array.from([big, big, big, 1]) };
    // 3 x 2^52 + 1 cents = 13510798882111489 cents; doubles alone would lose the last cent.
    expect(exactSum(column).toFixed(2)).toBe("135107988821114.89");
  });

  test("bad fields name the file, row and field", () => {
    const member = { member: "M1", month: "2026-01", payer: "Plan", riskScore: "1.0", physician: "D1" };
    expect(error(() => columnsOf(rowsInput([member, { ...member, month: "2026-02", riskScore: "high" }])))).toBe('PCMH0503: members:3 (risk_score): risk_score is "high"; expected a decimal number like 12.50.');
    expect(error(() => columnsOf(rowsInput([{ ...member, riskScore: "" }])))).toBe("PCMH0503: members:2 (risk_score): risk_score is empty; expected a decimal number like 12.50.");
    expect(error(() => columnsOf(rowsInput([{ ...member, riskScore: "-1" }])))).toBe("PCMH0503: members:2 (risk_score): risk_score is -1; it can't be negative.");
    expect(error(() => columnsOf(rowsInput([{ ...member, month: "2026-13" }])))).toBe('PCMH0503: members:2 (month): month is "2026-13"; expected a month like 2026-01.');
    expect(error(() => columnsOf(rowsInput([{ ...member, physician: "D9" }])))).toBe("PCMH0505: members:2 (physician_id): physician D9 is not in physicians.");
    expect(error(() => columnsOf(rowsInput([{ ...member, riskScore: "12345678901234567" }])))).toMatch(/^PCMH0503: members:2 \(risk_score\): risk_score is 12345678901234567, which has more digits than can be settled exactly/);
    const claim = { id: "C1", member: "M1", date: "2026-01-05", code: "99213", category: "primary_care", allowed: "10.00" };
    expect(error(() => columnsOf(rowsInput([member], [claim, { ...claim, id: "C2", date: "Jan 5" }])))).toBe('PCMH0503: claims:3 (service_date): service date is "Jan 5"; expected a date like 2026-03-15.');
    expect(error(() => columnsOf(rowsInput([member], [{ ...claim, allowed: "-3.00" }])))).toBe("PCMH0503: claims:2 (allowed): claim C1 has a negative allowed amount.");
  });
});

describe("columns built outside the runtime", () => {
  const contract = compile(`contract "C" version "1"\n  payer "Plan"\n  term 2026-01-01 to 2026-12-31\n\nmonthly fee "Care"\n  pay $10.00 pmpm\n`);
  if (!contract.ok) throw new Error("contract");
  const program = interpret(contract.ir);
  const good = (): ColumnarInput => columnsOf(rowsInput([{ member: "M1", month: "2026-01", payer: "Plan", riskScore: "1.0", physician: "D1" }]));

  test("settle the same as the rows they came from", () => {
    expect(settle(program, good()).totals.total).toBe("10.00");
  });

  test("an index out of range, a non-integer scaled value or a bad date is refused before settling", () => {
    const c = good();
    const badPhysician = { ...c, members: { ...c.members, physician: Int32Array.from([5]) } };
    expect(error(() => settle(program, badPhysician))).toBe("PCMH0503: members:2 (physician_id): physician_id index 5 is out of range.");
    const badRisk = { ...c, members: { ...c.members, riskScore: { places: 1, scaled: Float64Array.from([0.5]) } } };
    expect(error(() => checkColumns(badRisk))).toBe("PCMH0503: members:2 (risk_score): risk_score is not an exact scaled integer.");
    const short = { ...c, members: { ...c.members, payer: new Int32Array(0) } };
    expect(error(() => checkColumns(short))).toBe("PCMH0503: members (payer): the payer column has 0 values for 1 rows.");
  });
});

describe("fee lines are exact sums", () => {
  const claimFee = (percent: string) => {
    const r = compile(`contract "C" version "1"\n  payer "Plan"\n  term 2026-01-01 to 2026-12-31\n\nfee enhancement "Uplift" on codes 99213\n  pay ${percent}% of allowed\n  rounding down to cents\n`);
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
    return interpret(r.ir);
  };

  test("a claim fee line is the exact sum of its claims' amounts, large or small, rounded once", () => {
    const percent = fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 9999 })).map(([w, f]) => `${w}.${String(f).padStart(4, "0")}`);
    const allowed = fc.oneof(decimal(2, 5_000), decimal(2, 90_000_000_000_000), decimal(0, 3));
    fc.assert(
      fc.property(percent, fc.array(allowed, { minLength: 1, maxLength: 30 }), (p, amounts) => {
        const input = rowsInput(
          [{ member: "M1", month: "2026-01", payer: "Plan", riskScore: "1", physician: "D1" }],
          amounts.map((a, i) => ({ id: `C${i}`, member: "M1", date: "2026-01-10", physician: "D1", code: "99213", category: "primary_care", allowed: a })),
        );
        const s = settle(claimFee(p), input);
        const exact = amounts.reduce((sum, a) => sum.add(new Dec(a).mul(p).div(100)), new Dec(0));
        expect(s.lines[0]!.amount).toBe(exact.toDecimalPlaces(2, Dec.ROUND_DOWN).toFixed(2));
        expect(s.lines[0]!.trace.steps[0]).toMatchObject({ name: "claims on code 99213", value: exact.toFixed(2, Dec.ROUND_HALF_EVEN) });
      }),
      { numRuns: 150 },
    );
  });
});

describe("row order", () => {
  const r = compile(`contract "C" version "1"\n  payer "Plan"\n  term 2026-01-01 to 2026-12-31\n\nfee enhancement "Uplift" on codes 99213\n  pay 10% of allowed\n\nmonthly fee "Care"\n  pay $5.00 pmpm\n\nshared savings "Savings"\n  measured per practice\n  benchmark $1,000.00\n  share 50%\n`);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  const program = interpret(r.ir);

  test("member-months in any order settle the same: claims find their month whether a member's rows are together or not", () => {
    const memberMonth = fc.record({ member: fc.integer({ min: 1, max: 6 }), month: fc.integer({ min: 1, max: 4 }), physician: fc.constantFrom("D1", "D2") });
    const claim = fc.record({ member: fc.integer({ min: 1, max: 6 }), month: fc.integer({ min: 1, max: 5 }), allowed: decimal(2, 400) });
    fc.assert(
      fc.property(fc.uniqueArray(memberMonth, { minLength: 1, maxLength: 24, selector: (x) => `${x.member}/${x.month}` }), fc.array(claim, { maxLength: 20 }), fc.integer(), (rows, claims, seed) => {
        const members = rows.map((x) => ({ member: `M${x.member}`, month: `2026-0${x.month}`, payer: "Plan", riskScore: "1.0", physician: x.physician }));
        const claimRows = claims.map((x, i) => ({ id: `C${i}`, member: `M${x.member}`, date: `2026-0${x.month}-11`, physician: "D1", code: "99213", category: "primary_care", allowed: x.allowed }));
        const sorted = [...members].sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : a.month < b.month ? -1 : 1));
        const shuffled = [...members].sort((a, b) => ((a.member.charCodeAt(1) * 31 + a.month.charCodeAt(6) + seed) % 7) - ((b.member.charCodeAt(1) * 31 + b.month.charCodeAt(6) + seed) % 7));
        const totals = (ms: typeof members) => settle(program, rowsInput(ms, claimRows)).totals;
        expect(totals(shuffled)).toEqual(totals(sorted));
      }),
      { numRuns: 100 },
    );
  });
});
