// LANGUAGE SERVICE: what the playground and the CLI ask of a contract, position by position.
import { describe, expect, test } from "vitest";
import { complete, definition, diagnostics, documentSymbols, format, hover } from "../../compiler/src/service";

const contract = `contract "Service test" version "1"
  term 2026-01-01 to 2026-12-31

parameter uplift = 12% range 0% to 20% cite "§3.1"
value doubled = uplift times 2

fee enhancement "E&M uplift" on codes 99202-99215
  pay uplift of allowed

care management fee "Care coordination"
  by member risk score
    below 1.0 -> $6.00 pmpm
    1.0 and above -> $9.00 pmpm

withhold "Quality withhold" 2% of "Care coordination"
  returned 100%
`;
const at = (needle: string, delta = 0) => contract.indexOf(needle) + delta;

describe("language service", () => {
  test("a clean contract has no diagnostics", () => {
    expect(diagnostics(contract)).toEqual([]);
  });

  test("hover over a parameter shows its unit, default, range and citation", () => {
    const h = hover(contract, at("uplift of", 2));
    expect(h?.markdown).toContain("**uplift** — parameter, a Percent");
    expect(h?.markdown).toContain("Default: 12%");
    expect(h?.markdown).toContain("Range: 0% to 20%");
    expect(h?.markdown).toContain("Cited: §3.1");
    expect(h?.span).toEqual({ start: at("uplift of"), end: at("uplift of") + "uplift".length });
  });

  test("hover over a built-in quantity explains where it comes from", () => {
    expect(hover(contract, at("member risk score", 8))?.markdown).toMatch(/member risk score\*\* — built-in quantity, a Score[\s\S]*risk_score/);
  });

  test("go to definition of a parameter and of a clause title", () => {
    expect(definition(contract, at("uplift times", 1))).toEqual({ start: at("uplift ="), end: at("uplift =") + 6 });
    expect(definition(contract, at('"Care coordination"\n  returned', 3))).toEqual({ start: at('"Care coordination"'), end: at('"Care coordination"') + '"Care coordination"'.length });
    expect(definition(contract, at("returned"))).toBeUndefined();
  });

  test("document symbols list declarations and clauses", () => {
    expect(documentSymbols(contract).map((s) => `${s.kind} ${s.name}`)).toEqual([
      "parameter uplift",
      "value doubled",
      "clause E&M uplift",
      "clause Care coordination",
      "clause Quality withhold",
    ]);
  });

  test("completion offers names in an expression, filtered by the word typed", () => {
    const text = contract + '\nincentive "I" measured per practice\n  pay dou';
    expect(complete(text, text.length).map((c) => c.label)).toEqual(["doubled"]);
  });

  test("completion offers the clause's possible next terms", () => {
    const text = 'contract "X"\n  term 2026-01-01 to 2026-12-31\nshared savings "S"\n  mini';
    const labels = complete(text, text.length).map((c) => c.label);
    expect(labels).toEqual(["minimum"]);
  });

  test("completion inside the target of an adjustment offers clause titles", () => {
    const text = contract + '\nadjustment "PBA" of "';
    const labels = complete(text, text.length).map((c) => c.label);
    expect(labels).toContain('"Care coordination"');
    expect(labels).toContain('"E&M uplift"');
  });

  test("format returns canonical text, and nothing for text with syntax errors", () => {
    expect(format("contract   \"X\"\nterm 2026-01-01 to 2026-12-31\nparameter   a=5%")).toBe('contract "X"\n  term 2026-01-01 to 2026-12-31\n\nparameter a = 5%\n');
    expect(format('contract "X"\nparameter = 5%')).toBeUndefined();
  });
});
