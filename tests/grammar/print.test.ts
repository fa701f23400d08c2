// FORMATTER PROPERTIES
//
// Printing then parsing gives back the same AST (up to spans and parentheses); formatting is
// idempotent; comments survive; the sample contracts are already in canonical form.

import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { format, parse, print } from "../../grammar/src";
import { contractFiles } from "../support/files";
import { contract, essence } from "./arbitraries";

const samples = contractFiles();

describe("printing", () => {
  test("print then parse gives back the same AST, and printing is idempotent", () => {
    fc.assert(
      fc.property(contract, (ast) => {
        const printed = print(ast);
        const reparsed = parse(printed);
        expect(reparsed.diagnostics.filter((d) => d.severity === "error"), printed).toEqual([]);
        expect(essence(reparsed.ast)).toEqual(essence(ast));
        expect(print(reparsed.ast, printed)).toBe(printed);
      }),
    );
  });

  test.each(samples)("%s is formatted", (file) => {
    const text = readFileSync(file, "utf8");
    const result = format(text);
    expect(result.ok && result.text).toBe(text);
  });

  test("comments survive formatting wherever they stand", () => {
    const text = readFileSync("contracts/examples/regional-pcmh.pcmh", "utf8");
    const lines = text.split("\n");
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: lines.length }), fc.boolean(), fc.stringMatching(/^[a-z ]{1,10}$/)), { minLength: 1, maxLength: 5 }), (inserts) => {
        const edited = [...lines];
        const comments: string[] = [];
        inserts
          .sort((a, b) => b[0] - a[0])
          .forEach(([at, trailing, words], i) => {
            const comment = `# c${i} ${words}`;
            comments.push(comment);
            if (trailing && at < edited.length && edited[at]!.trim() && !edited[at]!.includes("#")) edited[at] = `${edited[at]}  ${comment}`;
            else edited.splice(at, 0, comment);
          });
        const source = edited.join("\n");
        const once = format(source);
        expect(once.ok).toBe(true);
        if (!once.ok) return;
        for (const c of comments) expect(once.text).toContain(c.trimEnd());
        const twice = format(once.text);
        expect(twice.ok && twice.text).toBe(once.text);
        expect(essence(parse(once.text).ast)).toEqual(essence(parse(source).ast));
      }),
    );
  });

  test("a trailing comment stays on its line, a leading one above its item", () => {
    const source = 'contract "X"  # title note\n  term 2026-01-01 to 2026-12-31\n# about the uplift\nparameter uplift = 12%   # negotiated\n';
    const result = format(source);
    expect(result.ok && result.text).toBe('contract "X"  # title note\n  term 2026-01-01 to 2026-12-31\n\n# about the uplift\nparameter uplift = 12%  # negotiated\n');
  });

  test("a file with syntax errors is not formatted", () => {
    const result = format('contract "X"\nparameter = 5%\n');
    expect(result.ok).toBe(false);
  });
});
