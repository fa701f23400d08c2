// CONTRACT DIFF: what changed between two versions, declaration by declaration, ignoring layout.
import { describe, expect, test } from "vitest";
import { diffContracts } from "../compiler/src/diff";
import { parse } from "../grammar/src";

const before = `contract "D" version "1"
  term 2026-01-01 to 2026-12-31

parameter uplift = 12% range 0% to 20%

monthly fee "Care"
  pay $6.00 pmpm

incentive "Old"
  pay $100
`;

describe("diff", () => {
  test("names each changed term, old -> new, and added or removed clauses", () => {
    const after = before.replace("uplift = 12%", "uplift = 15%").replace("$6.00 pmpm", "$7.50 pmpm").replace('incentive "Old"\n  pay $100\n', 'incentive "New"\n  pay $200\n');
    expect(diffContracts(parse(before).ast, parse(after).ast)).toEqual([
      { subject: "parameter uplift", kind: "changed", lines: [{ old: "parameter uplift = 12% range 0% to 20%", new: "parameter uplift = 15% range 0% to 20%" }] },
      { subject: 'clause "Care"', kind: "changed", lines: [{ old: "pay $6.00 pmpm", new: "pay $7.50 pmpm" }] },
      { subject: 'clause "Old"', kind: "removed", lines: [{ old: 'incentive "Old"' }, { old: "pay $100" }] },
      { subject: 'clause "New"', kind: "added", lines: [{ new: 'incentive "New"' }, { new: "pay $200" }] },
    ]);
  });

  test("layout and comments are not changes", () => {
    const relaid = `# a comment\ncontract "D" version "1"\nterm 2026-01-01 to 2026-12-31\nparameter uplift=12% range 0% to 20%\nmonthly fee "Care" pay $6.00 pmpm\nincentive "Old" pay $100\n`;
    expect(diffContracts(parse(before).ast, parse(relaid).ast)).toEqual([]);
  });
});
