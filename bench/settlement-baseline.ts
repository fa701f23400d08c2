// A HAND-WRITTEN SETTLEMENT of contracts/examples/regional-pcmh.pcmh, the yardstick for the
// compiled module: the same statement totals, computed by a loop written for this one contract
// (designated attribution, fixed tiers, the panel scorecard and shared savings), with the same
// exact arithmetic and rounding. It trusts its input; the engine checks it.

import { allocate, Dec, formatAmount, roundTo } from "../runtime/src/money";
import type { SettlementInput } from "../runtime/src/input";

const HALF_EVEN = "half-even" as const;

export function handWritten(input: SettlementInput, parameters = { uplift: "0.12", share: "0.5", trend: "0.035" }): Record<string, string> {
  const uplift = new Dec(parameters.uplift);
  const practiceOf = new Map(input.physicians.map((d) => [d.id, d.practice]));
  const panelOf = new Map(input.physicians.map((d) => [d.id, d.panel!]));
  const totals = new Map<string, Dec>();
  const add = (recipient: string, amount: Dec) => totals.set(recipient, (totals.get(recipient) ?? new Dec(0)).add(amount));

  // Care coordination: count member-months per practice, month and tier.
  const tierRates = [new Dec(6), new Dec(9), new Dec(19)];
  const tierOf = new Map<string, number>();
  const fees = new Map<string, Int32Array>();
  const panelMm = new Map<string, number>();
  const panelRisk = new Map<string, Map<string, number>>();
  const practicePanelMm = new Map<string, Map<string, number>>();
  const memberPanel = new Map<string, string>();
  for (const m of input.members) {
    const physician = m.physician!;
    const practice = practiceOf.get(physician)!;
    const panel = panelOf.get(physician)!;
    let tier = tierOf.get(m.riskScore);
    if (tier === undefined) {
      const r = new Dec(m.riskScore);
      tier = r.lt(1) ? 0 : r.lt(2) ? 1 : 2;
      tierOf.set(m.riskScore, tier);
    }
    const key = `${practice}\u0000${m.month}`;
    let counts = fees.get(key);
    if (!counts) fees.set(key, (counts = new Int32Array(3)));
    counts[tier]!++;
    panelMm.set(panel, (panelMm.get(panel) ?? 0) + 1);
    let risks = panelRisk.get(panel);
    if (!risks) panelRisk.set(panel, (risks = new Map()));
    risks.set(m.riskScore, (risks.get(m.riskScore) ?? 0) + 1);
    const perPractice = practicePanelMm.get(panel) ?? new Map<string, number>();
    perPractice.set(practice, (perPractice.get(practice) ?? 0) + 1);
    practicePanelMm.set(panel, perPractice);
    memberPanel.set(m.member, panel);
  }
  for (const [key, counts] of fees) {
    const practice = key.slice(0, key.indexOf("\u0000"));
    const amount = tierRates[0]!.mul(counts[0]!).add(tierRates[1]!.mul(counts[1]!)).add(tierRates[2]!.mul(counts[2]!));
    add(`practice:${practice}`, roundTo(amount, 2, HALF_EVEN));
  }

  // E&M uplift per claim, and each panel's claims for the scorecard and shared savings.
  const uplifts = new Map<string, Dec>();
  const edVisits = new Map<string, number>();
  const memberCost = new Map<string, Dec>();
  for (const c of input.claims) {
    const panel = memberPanel.get(c.member);
    if (!panel) continue;
    const allowed = new Dec(c.allowed);
    if (c.physician && /^\d{5}$/.test(c.code) && c.code >= "99202" && c.code <= "99215") {
      const key = `${practiceOf.get(c.physician)}\u0000${c.date.slice(0, 7)}`;
      uplifts.set(key, (uplifts.get(key) ?? new Dec(0)).add(uplift.mul(allowed)));
    }
    if (c.category === "ed") edVisits.set(panel, (edVisits.get(panel) ?? 0) + 1);
    memberCost.set(c.member, (memberCost.get(c.member) ?? new Dec(0)).add(allowed));
  }
  for (const [key, amount] of uplifts) add(`practice:${key.slice(0, key.indexOf("\u0000"))}`, roundTo(amount, 2, HALF_EVEN));
  const panelCost = new Map<string, Dec>();
  const cap = new Dec(100000);
  for (const [member, cost] of memberCost) {
    const panel = memberPanel.get(member)!;
    panelCost.set(panel, (panelCost.get(panel) ?? new Dec(0)).add(Dec.min(cost, cap)));
  }

  // Quality by panel: BCS from practice rows, ED visits per 1,000.
  const practicePanels = new Map<string, Set<string>>();
  for (const d of input.physicians) {
    const s = practicePanels.get(d.practice) ?? new Set<string>();
    s.add(d.panel!);
    practicePanels.set(d.practice, s);
  }
  const bcs = new Map<string, { n: Dec; d: Dec }>();
  for (const q of input.quality) {
    if (q.measure !== "BCS" || q.level !== "practice") continue;
    for (const panel of practicePanels.get(q.id) ?? []) {
      if (!practicePanelMm.get(panel)?.has(q.id)) continue;
      const e = bcs.get(panel) ?? { n: new Dec(0), d: new Dec(0) };
      bcs.set(panel, { n: e.n.add(q.numerator), d: e.d.add(q.denominator) });
    }
  }
  const baseline = new Map(input.baseline.filter((b) => b.level === "panel").map((b) => [b.id, b]));
  const share = new Dec(parameters.share);
  const growth = new Dec(1).add(parameters.trend);
  for (const [panel, mm] of [...panelMm].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const b = baseline.get(panel)!;
    const q = bcs.get(panel);
    let weighted = new Dec(0);
    let weights = new Dec(0);
    if (q && q.d.gte(30)) {
      const rate = q.n.div(q.d);
      weighted = weighted.add(Dec.min(Dec.max(rate.sub(0.5).div(0.3), 0), 1).mul(0.5));
      weights = weights.add(0.5);
    }
    const ed = new Dec(edVisits.get(panel) ?? 0).mul(12).mul(1000).div(mm);
    weighted = weighted.add((ed.lte(300) ? new Dec(1) : ed.lte(400) ? new Dec(0.6) : ed.lte(450) ? new Dec(0.3) : new Dec(0)).mul(0.5));
    weights = weights.add(0.5);
    const score = weighted.div(weights);
    let riskSum = new Dec(0);
    for (const [score, count] of panelRisk.get(panel)!) riskSum = riskSum.add(new Dec(score).mul(count));
    const avgRisk = riskSum.div(mm);
    const benchmark = new Dec(b.cost).div(b.memberMonths).mul(growth).mul(avgRisk).div(b.riskScore).mul(mm);
    const savings = benchmark.sub(panelCost.get(panel) ?? 0);
    let amount = new Dec(0);
    if (savings.gt(0) && savings.div(benchmark).gte(0.02)) amount = Dec.min(savings.mul(share.mul(score)), benchmark.mul(0.1));
    const pool = roundTo(amount, 2, HALF_EVEN);
    const practices = [...practicePanelMm.get(panel)!].sort(([a], [c]) => (`practice:${a}` < `practice:${c}` ? -1 : 1));
    const shares = allocate(pool, practices.map(([, n]) => new Dec(n)), 2);
    practices.forEach(([practice], i) => add(`practice:${practice}`, shares[i]!));
  }
  return Object.fromEntries([...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, formatAmount(v, 2)]));
}
