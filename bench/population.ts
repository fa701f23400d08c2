// THE BENCH POPULATION: members × 12 months of 2026, 1,000 members per physician, 6 physicians per
// practice, 12 per virtual panel; one office visit per member, an ED visit for every 10th and an
// admission for every 20th. Built as columns (what the data readers and the simulator hand the
// engine) and, for the conversion figure, as rows. The two forms hold the same data.

import type { ColumnarInput } from "../runtime/src/columns";
import type { SettlementInput } from "../runtime/src/input";

const payer = "Example Health Plan";

function shape(members: number) {
  const physiciansCount = Math.max(12, Math.round(members / 1000 / 12) * 12);
  const physicians = Array.from({ length: physiciansCount }, (_, d) => ({ id: `D${d}`, practice: `P${Math.floor(d / 6)}`, panel: `N${Math.floor(d / 12)}` }));
  const practices = Array.from({ length: physiciansCount / 6 }, (_, p) => ({ id: `P${p}` }));
  const quality = practices.map((p, i) => ({ level: "practice" as const, id: p.id, measure: "BCS", numerator: String(60 + (i % 30)), denominator: "100" }));
  const baseline = [...new Set(physicians.map((d) => d.panel))].map((n) => ({ level: "panel" as const, id: n, memberMonths: String(12 * 12 * 1000), cost: String(12 * 12 * 1000 * 520), riskScore: "1.30" }));
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  /** Risk score of member m in hundredths (0.10 to 4.00). */
  const risk = Int32Array.from({ length: members }, () => 10 + Math.min(390, Math.floor(next() * next() * 391)));
  const claimCount = (m: number) => 1 + (m % 10 === 0 ? 1 : 0) + (m % 20 === 0 ? 1 : 0);
  return { physiciansCount, physicians, practices, quality, baseline, risk, claimCount };
}

export function benchColumns(members: number): ColumnarInput {
  const s = shape(members);
  const n = members * 12;
  const member = new Int32Array(n);
  const month = new Int32Array(n);
  const physician = new Int32Array(n);
  const riskScaled = new Float64Array(n);
  for (let m = 0, i = 0; m < members; m++)
    for (let k = 0; k < 12; k++, i++) {
      member[i] = m;
      month[i] = 2026 * 12 + k;
      physician[i] = m % s.physiciansCount;
      riskScaled[i] = s.risk[m]!;
    }
  let c = 0;
  for (let m = 0; m < members; m++) c += s.claimCount(m);
  const claims = { id: new Array<string>(c), member: new Int32Array(c), date: new Int32Array(c), physician: new Int32Array(c), code: new Int32Array(c), category: new Int32Array(c), allowed: new Float64Array(c), units: new Float64Array(c).fill(NaN) };
  // codes: 0 "99213", 1 "99214", 2 "99284", 3 "470"; categories: 0 primary_care, 1 ed, 2 inpatient
  let j = 0;
  const add = (id: string, m: number, date: number, doctor: number, code: number, category: number, cents: number) => {
    claims.id[j] = id;
    claims.member[j] = m;
    claims.date[j] = date;
    claims.physician[j] = doctor;
    claims.code[j] = code;
    claims.category[j] = category;
    claims.allowed[j++] = cents;
  };
  for (let m = 0; m < members; m++) {
    add(`C${m}a`, m, 20260000 + ((m % 12) + 1) * 100 + 15, m % s.physiciansCount, m % 3 ? 0 : 1, 0, (75 + (m % 126)) * 100);
    if (m % 10 === 0) add(`C${m}e`, m, 20260000 + (((m + 5) % 12) + 1) * 100 + 3, -1, 2, 1, 125000);
    if (m % 20 === 0) add(`C${m}i`, m, 20260000 + (((m + 7) % 12) + 1) * 100 + 20, -1, 3, 2, (9000 + (m % 137) * 1000) * 100);
  }
  return {
    format: "columns",
    physicians: s.physicians,
    practices: s.practices,
    quality: s.quality,
    baseline: s.baseline,
    memberIds: Array.from({ length: members }, (_, m) => `M${m}`),
    payers: [payer],
    lobs: [],
    codes: ["99213", "99214", "99284", "470"],
    categories: ["primary_care", "ed", "inpatient"],
    members: { length: n, member, month, payer: new Int32Array(n), lob: new Int32Array(n).fill(-1), riskScore: { places: 2, scaled: riskScaled }, age: { places: 0, scaled: new Float64Array(n).fill(NaN) }, physician },
    claims: { length: c, id: claims.id, member: claims.member, date: claims.date, physician: claims.physician, code: claims.code, category: claims.category, allowed: { places: 2, scaled: claims.allowed }, units: { places: 0, scaled: claims.units } },
  };
}

/** The same data as rows of decimal strings, as an embedding engine might hand them over. */
export function benchRows(members: number): SettlementInput {
  const s = shape(members);
  const months = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`);
  const rows: SettlementInput["members"][number][] = new Array(members * 12);
  const claims: SettlementInput["claims"][number][] = [];
  for (let m = 0; m < members; m++) {
    const id = `M${m}`;
    const physician = s.physicians[m % s.physiciansCount]!.id;
    const riskScore = (s.risk[m]! / 100).toFixed(2);
    for (let k = 0; k < 12; k++) rows[m * 12 + k] = { member: id, month: months[k]!, payer, riskScore, physician };
    claims.push({ id: `C${m}a`, member: id, date: `${months[m % 12]}-15`, physician, code: m % 3 ? "99213" : "99214", category: "primary_care", allowed: (75 + (m % 126)).toFixed(2) });
    if (m % 10 === 0) claims.push({ id: `C${m}e`, member: id, date: `${months[(m + 5) % 12]}-03`, code: "99284", category: "ed", allowed: "1250.00" });
    if (m % 20 === 0) claims.push({ id: `C${m}i`, member: id, date: `${months[(m + 7) % 12]}-20`, code: "470", category: "inpatient", allowed: (9000 + (m % 137) * 1000).toFixed(2) });
  }
  return { physicians: s.physicians, practices: s.practices, members: rows, claims, quality: s.quality, baseline: s.baseline };
}
