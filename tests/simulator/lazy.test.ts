// withLazy: columns made when first read, once, and otherwise like plain properties.
import { describe, expect, it } from "vitest";
import { withLazy } from "../../simulator/src/lazy";

describe("withLazy", () => {
  it("makes a value on first read only, and each object its own", () => {
    let made = 0;
    const make = (n: number) => withLazy({ length: n }, { column: () => (made++, Array.from({ length: n }, (_, i) => i)) });
    const a = make(2);
    const b = make(3);
    expect(made).toBe(0);
    expect(a.column).toEqual([0, 1]);
    expect(a.column).toBe(a.column);
    expect(b.column).toEqual([0, 1, 2]);
    expect(made).toBe(2);
  });

  it("is enumerable, copied by spread as a value, and replaced by assignment", () => {
    const o = withLazy({ length: 1 } as { length: number }, { ids: (): readonly string[] => ["C1"] });
    expect(Object.keys(o)).toEqual(["length", "ids"]);
    expect({ ...o }).toEqual({ length: 1, ids: ["C1"] });
    o.ids = ["X"];
    expect(o.ids).toEqual(["X"]);
  });
});
