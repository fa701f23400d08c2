// Generated settlement data that fits a contract: its payers, codes, quality measures, panel bounds
// and care teams, so that differential and property tests exercise every clause. All amounts are
// integer cents rendered as decimal strings; nothing passes through floating point.

import fc from "fast-check";
import type { ProgramIr } from "../../compiler/src";
import type { SettlementInput } from "../../runtime/src/input";

interface Needs {
  payers: string[];
  careTeams: string[];
  codes: string[];
  measures: string[];
  texts: string[];
  panel?: { low: number; high: number };
  year: string;
  /** Parameters the contract leaves to each settlement, set at the low end of their range. */
  open: Record<string, string>;
}

function asOverride(unit: string, exact: string): string {
  if (unit === "Percent") return `${Number((Number(exact) * 100).toPrecision(12))}%`;
  if (unit === "Money" || unit === "Rate") return `$${exact}`;
  return exact;
}

/** For text parameters used as table keys, a value one of the table's rows names. */
function textKeys(ir: ProgramIr): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of ir.tables) {
    const key = t.key as { k?: string; name?: string };
    if (key.k !== "param" || !key.name) continue;
    for (const r of t.rows) if (r.when.kind === "one of") for (const v of r.when.values as { k?: string; v?: unknown }[]) if (v.k === "text" && !out.has(key.name)) out.set(key.name, String(v.v));
  }
  return out;
}

export function needsOf(ir: ProgramIr): Needs {
  const measures = new Set<string>();
  const texts = new Set<string>();
  const codes = new Set<string>();
  const walk = (x: unknown) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== "object") return;
    const o = x as Record<string, unknown>;
    if (o.k === "quality") measures.add(o.measure as string);
    if (o.k === "text") texts.add(o.v as string);
    if (Array.isArray(o.codes)) for (const c of o.codes as { from: string; to?: string }[]) codes.add(c.from), c.to && codes.add(c.to);
    Object.values(o).forEach(walk);
  };
  walk(ir);
  return {
    payers: ir.header.payers.length ? [...ir.header.payers] : ["Plan A", "Plan B"],
    careTeams: [...ir.header.careTeams],
    codes: [...codes, "99213", "99285", "470"],
    measures: [...measures],
    texts: [...texts].filter((t) => !/^\d{4}-\d{2}-\d{2}$/.test(t)),
    ...(ir.panel ? { panel: { low: ir.panel.low, high: ir.panel.high } } : {}),
    year: ir.header.term.from.slice(0, 4),
    open: Object.fromEntries(ir.parameters.filter((p) => p.value === undefined).map((p) => [p.name, p.unit === "Text" ? (textKeys(ir).get(p.name) ?? "") : asOverride(p.unit, p.range?.[0] ?? (p.unit === "Bool" ? "false" : "0"))])),
  };
}

const cents = (max: number) => fc.integer({ min: 0, max }).map((c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, "0")}`);
const risk = fc.integer({ min: 10, max: 400 }).map((r) => (r / 100).toFixed(2));

export function dataFor(needs: Needs): fc.Arbitrary<SettlementInput> {
  const panelSize = needs.panel ? fc.integer({ min: needs.panel.low, max: Math.min(needs.panel.high, needs.panel.low + 2) }) : fc.integer({ min: 1, max: 3 });
  return fc
    .record({
      panels: fc.integer({ min: 1, max: 2 }),
      size: panelSize,
      practicesPerPanel: fc.integer({ min: 1, max: 3 }),
      members: fc.integer({ min: 1, max: 12 }),
      months: fc.integer({ min: 1, max: 6 }),
      seed: fc.array(fc.record({ risk, payer: fc.constantFrom(...needs.payers), text: fc.constantFrom(...(needs.texts.length ? needs.texts : ["commercial"])), age: fc.integer({ min: 0, max: 95 }) }), { minLength: 12, maxLength: 12 }),
      claims: fc.array(fc.record({ member: fc.nat(), physician: fc.nat(), month: fc.integer({ min: 1, max: 6 }), day: fc.integer({ min: 1, max: 28 }), code: fc.constantFrom(...needs.codes), category: fc.constantFrom("primary_care", "primary_care", "ed", "inpatient", "specialist"), allowed: cents(500_000) }), { maxLength: 25 }),
      quality: fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 })), { minLength: 12, maxLength: 12 }),
      baselineCost: fc.array(cents(10_000_000), { minLength: 8, maxLength: 8 }),
      riskGroups: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 8, maxLength: 8 }),
      designated: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    })
    .map((g) => {
      const physicians: SettlementInput["physicians"][number][] = [];
      const practices: SettlementInput["practices"][number][] = [];
      for (let p = 0; p < g.panels; p++) {
        const practiceCount = Math.min(g.practicesPerPanel, g.size);
        for (let q = 0; q < practiceCount; q++) {
          const id = `P${p}${q}`;
          practices.push({ id, name: `Practice ${id}`, riskGroup: String(g.riskGroups[(p * 3 + q) % 8]), recognitionLevel: String(((p + q) % 3) + 1), ...(needs.careTeams.length ? { careTeam: needs.careTeams[(p + q) % needs.careTeams.length]! } : {}) });
        }
        for (let d = 0; d < g.size; d++) physicians.push({ id: `D${p}${String(d).padStart(2, "0")}`, practice: `P${p}${d % practiceCount}`, panel: `N${p}` });
      }
      const members: SettlementInput["members"][number][] = [];
      for (let m = 0; m < g.members; m++) {
        const s = g.seed[m]!;
        for (let month = 1; month <= g.months; month++)
          members.push({ member: `M${m}`, month: `${needs.year}-${String(month).padStart(2, "0")}`, payer: s.payer, lob: s.text, riskScore: s.risk, age: String(s.age), ...(g.designated[m] || true ? { physician: physicians[m % physicians.length]!.id } : {}) });
      }
      const claims = g.claims.map((c, i) => ({
        id: `C${i}`,
        member: `M${c.member % g.members}`,
        date: `${needs.year}-${String(Math.min(c.month, g.months)).padStart(2, "0")}-${String(c.day).padStart(2, "0")}`,
        physician: physicians[c.physician % physicians.length]!.id,
        code: c.code,
        category: c.category,
        allowed: c.allowed,
        units: "1",
      }));
      const quality = needs.measures.flatMap((measure, k) =>
        practices.map((p, i) => {
          const [a, b] = g.quality[(i + k) % 12]!;
          return { level: "practice" as const, id: p.id, measure, numerator: String(Math.min(a, b)), denominator: String(Math.max(a, b, 1)) };
        }),
      );
      const baseline = [
        ...practices.map((p, i) => ({ level: "practice" as const, id: p.id, memberMonths: String(g.members * 12), cost: g.baselineCost[i % 8]!, riskScore: "1.00" })),
        ...[...new Set(physicians.map((d) => d.panel!))].map((n, i) => ({ level: "panel" as const, id: n, memberMonths: String(g.members * 12 + i), cost: g.baselineCost[(i + 3) % 8]!, riskScore: "1.10" })),
        ...physicians.map((d, i) => ({ level: "physician" as const, id: d.id, memberMonths: "12", cost: g.baselineCost[(i + 5) % 8]!, riskScore: "0.90" })),
        { level: "contract" as const, id: "contract", memberMonths: String(g.members * 24), cost: g.baselineCost[7]!, riskScore: "1.00" },
      ];
      return { physicians, practices, members, claims, quality, baseline, ...(Object.keys(needs.open).length ? { parameters: needs.open } : {}) };
    });
}
