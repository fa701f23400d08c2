// A HAND-WRITTEN SETTLEMENT of contracts/examples/regional-pcmh.pcmh, the yardstick for the
// compiled module: the same statement totals, computed by a loop written for this one contract
// over the same columns (designated attribution, fixed tiers, claims counted in the member's
// enrolled months, the panel scorecard and shared savings), with the same exact arithmetic and rounding: integer sums of scaled values, decimals
// for rates. It trusts its input; the engine checks it.

import type { ColumnarInput } from "../runtime/src/columns";
import { allocate, Dec, formatAmount, roundTo } from "../runtime/src/money";

const HALF_EVEN = "half-even" as const;

export function handWritten(input: ColumnarInput, parameters = { uplift: "0.12", share: "0.5", trend: "0.035" }): Record<string, string> {
  const { members: m, claims: c } = input;
  const practiceIds = input.practices.map((p) => p.id);
  const practiceIndex = new Map(practiceIds.map((id, i) => [id, i]));
  const panelIds = [...new Set(input.physicians.map((d) => d.panel!))];
  const panelIndex = new Map(panelIds.map((id, i) => [id, i]));
  const practiceOf = Int32Array.from(input.physicians, (d) => practiceIndex.get(d.practice)!);
  const panelOf = Int32Array.from(input.physicians, (d) => panelIndex.get(d.panel!)!);
  const P = practiceIds.length;
  const N = panelIds.length;
  const totals = new Map<number, Dec>();
  const add = (practice: number, amount: Dec) => totals.set(practice, (totals.get(practice) ?? new Dec(0)).add(amount));

  // Care coordination: member-months per practice, month and tier.
  const firstMonth = 2026 * 12;
  const scale = 10 ** m.riskScore.places;
  const tiers = new Int32Array(P * 12 * 3);
  const panelMm = new Float64Array(N);
  const panelRisk = new Float64Array(N);
  const practicePanelMm = new Float64Array(P * N);
  const memberPanel = new Int32Array(input.memberIds.length).fill(-1);
  /** Bit k: the member has a member-month in month k of 2026 (claims count only in those). */
  const enrolled = new Int32Array(input.memberIds.length);
  for (let i = 0; i < m.length; i++) {
    const physician = m.physician[i]!;
    const practice = practiceOf[physician]!;
    const panel = panelOf[physician]!;
    const risk = m.riskScore.scaled[i]!;
    const tier = risk < scale ? 0 : risk < 2 * scale ? 1 : 2;
    tiers[(practice * 12 + m.month[i]! - firstMonth) * 3 + tier]!++;
    panelMm[panel]!++;
    panelRisk[panel]! += risk;
    practicePanelMm[practice * N + panel]!++;
    memberPanel[m.member[i]!] = panel;
    enrolled[m.member[i]!]! |= 1 << (m.month[i]! - firstMonth);
  }
  const rates = [new Dec(6), new Dec(9), new Dec(19)];
  for (let practice = 0; practice < P; practice++)
    for (let month = 0; month < 12; month++) {
      const k = (practice * 12 + month) * 3;
      if (tiers[k]! + tiers[k + 1]! + tiers[k + 2]! === 0) continue;
      add(practice, roundTo(rates[0]!.mul(tiers[k]!).add(rates[1]!.mul(tiers[k + 1]!)).add(rates[2]!.mul(tiers[k + 2]!)), 2, HALF_EVEN));
    }

  // E&M uplift per practice and month; each panel's ED visits and each member's cost.
  const em = input.codes.map((code) => /^\d{5}$/.test(code) && code >= "99202" && code <= "99215");
  const ed = input.categories.indexOf("ed");
  const allowedScale = 10 ** c.allowed.places;
  const upliftBase = new Float64Array(P * 12);
  const hasUplift = new Uint8Array(P * 12);
  const edVisits = new Float64Array(N);
  const memberCost = new Float64Array(input.memberIds.length);
  for (let k = 0; k < c.length; k++) {
    const panel = memberPanel[c.member[k]!]!;
    const month = (Math.floor(c.date[k]! / 100) % 100) - 1;
    if (panel < 0 || Math.floor(c.date[k]! / 10000) !== 2026 || !(enrolled[c.member[k]!]! & (1 << month))) continue;
    const allowed = c.allowed.scaled[k]!;
    const physician = c.physician[k]!;
    if (physician >= 0 && em[c.code[k]!]) {
      const slot = practiceOf[physician]! * 12 + month;
      upliftBase[slot]! += allowed;
      hasUplift[slot] = 1;
    }
    if (c.category[k] === ed) edVisits[panel]!++;
    memberCost[c.member[k]!]! += allowed;
  }
  const uplift = new Dec(parameters.uplift);
  for (let slot = 0; slot < P * 12; slot++) if (hasUplift[slot]) add(Math.floor(slot / 12), roundTo(uplift.mul(upliftBase[slot]!).div(allowedScale), 2, HALF_EVEN));
  const cap = 100_000 * allowedScale;
  const panelCost = new Float64Array(N);
  for (let member = 0; member < memberCost.length; member++) if (memberPanel[member]! >= 0) panelCost[memberPanel[member]!]! += Math.min(memberCost[member]!, cap);

  // Quality by panel (BCS from practice rows, ED visits per 1,000) and shared savings.
  const bcs = panelIds.map(() => ({ n: new Dec(0), d: new Dec(0) }));
  for (const q of input.quality) {
    if (q.measure !== "BCS" || q.level !== "practice") continue;
    const practice = practiceIndex.get(q.id)!;
    for (let panel = 0; panel < N; panel++)
      if (practicePanelMm[practice * N + panel]! > 0) bcs[panel] = { n: bcs[panel]!.n.add(q.numerator), d: bcs[panel]!.d.add(q.denominator) };
  }
  const baseline = new Map(input.baseline.filter((b) => b.level === "panel").map((b) => [b.id, b]));
  const share = new Dec(parameters.share);
  const growth = new Dec(1).add(parameters.trend);
  const order = panelIds.map((_, i) => i).sort((a, b) => (panelIds[a]! < panelIds[b]! ? -1 : 1));
  for (const panel of order) {
    const mm = panelMm[panel]!;
    if (mm === 0) continue;
    const b = baseline.get(panelIds[panel]!)!;
    const q = bcs[panel]!;
    let weighted = new Dec(0);
    let weights = new Dec(0);
    if (q.d.gte(30)) {
      weighted = weighted.add(Dec.min(Dec.max(q.n.div(q.d).sub(0.5).div(0.3), 0), 1).mul(0.5));
      weights = weights.add(0.5);
    }
    const edRate = new Dec(edVisits[panel]!).mul(12).mul(1000).div(mm);
    weighted = weighted.add((edRate.lte(300) ? new Dec(1) : edRate.lte(400) ? new Dec(0.6) : edRate.lte(450) ? new Dec(0.3) : new Dec(0)).mul(0.5));
    weights = weights.add(0.5);
    const score = weighted.div(weights);
    const avgRisk = new Dec(panelRisk[panel]!).div(scale).div(mm);
    const benchmark = new Dec(b.cost).div(b.memberMonths).mul(growth).mul(avgRisk).div(b.riskScore).mul(mm);
    const savings = benchmark.sub(new Dec(panelCost[panel]!).div(allowedScale));
    let amount = new Dec(0);
    if (savings.gt(0) && savings.div(benchmark).gte(0.02)) amount = Dec.min(savings.mul(share.mul(score)), benchmark.mul(0.1));
    const pool = roundTo(amount, 2, HALF_EVEN);
    const practices: number[] = [];
    for (let practice = 0; practice < P; practice++) if (practicePanelMm[practice * N + panel]! > 0) practices.push(practice);
    practices.sort((a, b) => (practiceIds[a]! < practiceIds[b]! ? -1 : 1));
    const shares = allocate(pool, practices.map((p) => new Dec(practicePanelMm[p * N + panel]!)), 2);
    practices.forEach((practice, i) => add(practice, shares[i]!));
  }
  return Object.fromEntries(
    [...totals]
      .map(([p, v]) => [`practice:${practiceIds[p]}`, formatAmount(v, 2)] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}
