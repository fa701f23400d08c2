// MEMBER-MONTH FEES COUNTED IN RUNS: the engine counts a monthly fee's member-months in runs of
// consecutive months of one physician, payer and amount. Whatever the runs (gaps, payer or
// physician changes, amounts changing mid-run, rows out of order, rows no clause applies to), each
// fee line is what adding up its member-months one by one gives.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { interpret } from "../../compiler/src";
import { settle } from "../../runtime/src/engine";
import type { MemberMonthRow } from "../../runtime/src/input";
import { compiled } from "../support/settle";

const physicians = [
  { id: "D1", practice: "P1" },
  { id: "D2", practice: "P1" },
  { id: "D3", practice: "P2" },
];
const practices = [{ id: "P1" }, { id: "P2" }];

const contract = (fees: "monthly" | "quarterly", eligible: boolean) => `contract "Runs" version "1"
  payer "Plan A"
  payer "Plan B"
  term 2026-01-01 to 2026-12-31
  fees paid ${fees}, settled annually

care management fee "Care coordination"
  by member risk score
    below 1.0 -> $1.00 pmpm
    1.0 up to 2.0 -> $2.00 pmpm
    2.0 up to 3.0 -> $3.00 pmpm
    3.0 up to 4.0 -> $4.00 pmpm
    4.0 up to 5.0 -> $5.00 pmpm
    5.0 and above -> $6.00 pmpm${eligible ? "\n  eligible when member lob = \"in\"" : ""}
`;

const rate = (risk: number) => Math.min(Math.floor(risk), 5) + 1;
const quarter = (month: number) => `2026-Q${Math.floor((month - 1) / 3) + 1}`;

const month = fc.record({
  payer: fc.constantFrom("Plan A", "Plan B"),
  physician: fc.constantFrom("D1", "D2", "D3"),
  risk: fc.constantFrom(0.5, 1.5, 2.5, 3.5, 4.5, 5.5),
  lob: fc.constantFrom("in", "in", "out"),
});
const member = fc.array(fc.option(month, { freq: 4 }), { minLength: 12, maxLength: 12 });

describe("member-month fees counted in runs", () => {
  test("each line is the sum of its member-months' amounts", () => {
    fc.assert(
      fc.property(fc.array(member, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.constantFrom<"monthly" | "quarterly">("monthly", "quarterly"), fc.boolean(), (months, shuffled, fees, eligible) => {
        const rows: (MemberMonthRow & { risk: number })[] = [];
        months.forEach((ofMember, m) =>
          ofMember.forEach((x, k) => {
            if (x) rows.push({ member: `M${m + 1}`, month: `2026-${String(k + 1).padStart(2, "0")}`, payer: x.payer, riskScore: String(x.risk), lob: x.lob, physician: x.physician, risk: x.risk });
          }),
        );
        fc.pre(rows.length > 0);
        if (shuffled) rows.sort((a, b) => a.month.localeCompare(b.month) || b.member.localeCompare(a.member));
        const expected = new Map<string, number>();
        for (const r of rows) {
          if (eligible && r.lob !== "in") continue;
          const practice = physicians.find((d) => d.id === r.physician)!.practice;
          const period = fees === "monthly" ? r.month : quarter(Number(r.month.slice(5)));
          const key = `practice:${practice}|${r.payer}|${period}`;
          expected.set(key, (expected.get(key) ?? 0) + rate(r.risk));
        }
        const statement = settle(interpret(compiled(contract(fees, eligible))), {
          physicians,
          practices,
          members: rows.map(({ risk: _, ...r }) => r),
          claims: [],
          quality: [],
          baseline: [],
        });
        const got = new Map(statement.lines.map((l) => [`${l.recipient}|${l.payer}|${l.period}`, l.amount]));
        expect(got).toEqual(new Map([...expected].map(([k, v]) => [k, `${v}.00`])));
      }),
      { numRuns: 200 },
    );
  });
});
