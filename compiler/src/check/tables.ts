// TIER TABLE ANALYSIS
//
// Static checks of a tier table whose bounds are constants: rows that overlap under the `unique`
// hit policy, gaps between rows, rows upside down, and rows that can never be chosen under the
// `first` policy. Bounds that are not constant (data-dependent) are skipped: settlement then
// reports a value that no row matches. With a Count key, [5,000 to 5,999] and [6,000 to …] meet.

import type { DiagnosticCode, Expr, Label, Span, TierTable, Unit } from "../../../grammar/src";
import { Exact, fold, show } from "./constant";

export interface Finding {
  readonly code: DiagnosticCode;
  readonly span: Span;
  readonly message: string;
  readonly extras: { hint?: string; labels?: Label[] };
}

interface Interval {
  lo?: Exact;
  loClosed: boolean;
  hi?: Exact;
  hiClosed: boolean;
}

/** A bound as the contract would write it in the key's unit: 10%, $6,000, $9.50 pmpm, 5,000. */
export function showNumber(x: Exact, unit: Unit | undefined): string {
  const grouped = (v: Exact) => {
    const [int, frac] = v.abs().toFixed().split(".") as [string, string | undefined];
    return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${frac !== undefined ? "." + frac : ""}`;
  };
  const sign = x.isNegative() && !x.isZero() ? "-" : "";
  switch (unit) {
    case "Percent":
      return `${sign}${grouped(x.mul(100))}%`;
    case "Money":
      return `${sign}$${grouped(x)}`;
    case "Rate":
      return `${sign}$${grouped(x)} pmpm`;
    default:
      return `${sign}${grouped(x)}`;
  }
}

function describe(i: Interval, unit: Unit | undefined): string {
  const lo = i.lo === undefined ? "−∞" : showNumber(i.lo, unit);
  const hi = i.hi === undefined ? "∞" : showNumber(i.hi, unit);
  return `${i.loClosed ? "[" : "("}${lo}, ${hi}${i.hiClosed ? "]" : ")"}`;
}

/** Whether `a` ends at or after where `b` starts, i.e. no value lies strictly between them. */
function meets(a: Interval, b: Interval, integers: boolean): boolean {
  if (a.hi === undefined || b.lo === undefined) return true;
  const c = a.hi.cmp(b.lo);
  if (c > 0) return true;
  if (c === 0) return a.hiClosed || b.loClosed;
  return integers && a.hiClosed && b.loClosed && a.hi.isInteger() && b.lo.isInteger() && a.hi.add(1).eq(b.lo);
}

function intersects(a: Interval, b: Interval): boolean {
  const startsBeforeEnd = (x: Interval, y: Interval) => {
    if (x.lo === undefined || y.hi === undefined) return true;
    const c = x.lo.cmp(y.hi);
    return c < 0 || (c === 0 && x.loClosed && y.hiClosed);
  };
  return startsBeforeEnd(a, b) && startsBeforeEnd(b, a);
}

/** Whether the point `p` lies after the end of `a` and before the start of `b`. */
function between(a: Interval, p: Interval, b: Interval): boolean {
  const v = p.lo!;
  const afterA = a.hi !== undefined && (v.gt(a.hi) || (v.eq(a.hi) && !a.hiClosed));
  const beforeB = b.lo !== undefined && (v.lt(b.lo) || (v.eq(b.lo) && !b.loClosed));
  return afterA && beforeB;
}

function lowerFirst(a: Interval, b: Interval): number {
  if (a.lo === undefined) return b.lo === undefined ? 0 : -1;
  if (b.lo === undefined) return 1;
  return a.lo.cmp(b.lo) || (a.loClosed === b.loClosed ? 0 : a.loClosed ? -1 : 1);
}

function merge(intervals: Interval[], integers: boolean): Interval[] {
  const sorted = [...intervals].sort(lowerFirst);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && meets(last, i, integers)) {
      if (last.hi !== undefined && (i.hi === undefined || i.hi.gt(last.hi) || (i.hi.eq(last.hi) && i.hiClosed))) {
        last.hi = i.hi;
        last.hiClosed = i.hiClosed;
      }
    } else out.push({ ...i });
  }
  return out;
}

function contains(outer: Interval, inner: Interval): boolean {
  const loOk = outer.lo === undefined || (inner.lo !== undefined && (outer.lo.lt(inner.lo) || (outer.lo.eq(inner.lo) && (outer.loClosed || !inner.loClosed))));
  const hiOk = outer.hi === undefined || (inner.hi !== undefined && (outer.hi.gt(inner.hi) || (outer.hi.eq(inner.hi) && (outer.hiClosed || !inner.hiClosed))));
  return loOk && hiOk;
}

export function checkTable(table: TierTable, keyUnit: Unit | undefined, lookup: (name: string) => Expr | undefined): Finding[] {
  const findings: Finding[] = [];
  const num = (e: Expr) => {
    const c = fold(e, lookup);
    return c?.kind === "number" ? c.value : undefined;
  };
  const integers = keyUnit === "Count";
  const rows: { span: Span; intervals: Interval[]; texts: string[]; otherwise: boolean }[] = [];
  let allConstant = true;
  let upsideDown = false;
  for (const row of table.rows) {
    const c = row.condition;
    const entry = { span: row.span, intervals: [] as Interval[], texts: [] as string[], otherwise: c.kind === "Otherwise" };
    switch (c.kind) {
      case "Below":
      case "Above":
      case "AtLeast": {
        const b = num(c.bound);
        if (!b) allConstant = false;
        else if (c.kind === "Below") entry.intervals.push({ loClosed: false, hi: b, hiClosed: false });
        else entry.intervals.push({ lo: b, loClosed: c.kind === "AtLeast", hiClosed: false });
        break;
      }
      case "Between": {
        const lo = num(c.low);
        const hi = num(c.high);
        if (!lo || !hi) {
          allConstant = false;
          break;
        }
        if (lo.gt(hi) || (lo.eq(hi) && !c.inclusiveHigh)) {
          findings.push({ code: "PCMH0402", span: row.span, message: `This row runs from ${show(c.low)} ${c.inclusiveHigh ? "to" : "up to"} ${show(c.high)}, so no value fits it.`, extras: { hint: "Write the low end first." } });
          upsideDown = true;
          break;
        }
        entry.intervals.push({ lo, loClosed: true, hi, hiClosed: c.inclusiveHigh });
        break;
      }
      case "OneOf":
        for (const v of c.values) {
          const folded = fold(v, lookup);
          if (folded?.kind === "number") entry.intervals.push({ lo: folded.value, loClosed: true, hi: folded.value, hiClosed: true });
          else if (folded?.kind === "text") entry.texts.push(folded.value);
          else allConstant = false;
        }
        break;
      case "Otherwise":
        break;
    }
    rows.push(entry);
  }
  const policy = table.hitPolicy ?? "unique";
  const otherwiseRows = rows.filter((r) => r.otherwise);
  for (const extra of otherwiseRows.slice(1)) findings.push({ code: "PCMH0403", span: extra.span, message: "This table has two `otherwise` rows.", extras: { labels: [{ span: otherwiseRows[0]!.span, message: "the first one" }] } });
  if (policy === "unique") {
    for (let i = 0; i < rows.length; i++)
      for (let j = 0; j < i; j++) {
        const a = rows[i]!;
        const b = rows[j]!;
        const overlap = a.intervals.find((x) => b.intervals.some((y) => intersects(x, y)));
        const sharedText = a.texts.find((x) => b.texts.includes(x));
        if (overlap || sharedText !== undefined) {
          const other = b.intervals.find((y) => overlap && intersects(overlap, y));
          findings.push({
            code: "PCMH0403",
            span: a.span,
            message: overlap
              ? `This row ${describe(overlap, keyUnit)} overlaps an earlier row ${describe(other!, keyUnit)}, so some values match both.`
              : `"${sharedText}" appears in two rows.`,
            extras: { labels: [{ span: b.span, message: "the earlier row" }], hint: "Make the rows meet without overlapping (`1.0 up to 2.0` excludes 2.0), or write `hit policy first`." },
          });
          break;
        }
      }
  } else {
    let covered: Interval[] = [];
    const seenText = new Set<string>();
    let afterOtherwise = false;
    for (const r of rows) {
      const hidden = afterOtherwise || ((r.intervals.length > 0 || r.texts.length > 0) && r.intervals.every((i) => covered.some((c) => contains(c, i))) && r.texts.every((t) => seenText.has(t)));
      if (hidden) findings.push({ code: "PCMH0405", span: r.span, message: "Earlier rows already match every value of this row, so it is never chosen.", extras: { hint: "Remove it or move it up." } });
      if (r.otherwise) afterOtherwise = true;
      covered = merge([...covered, ...r.intervals], integers);
      r.texts.forEach((t) => seenText.add(t));
    }
  }
  // Gaps lie between range rows (`below`, `above`, `and above`, `to`, `up to`). Exact-value rows
  // (`1, 2 -> …`) name categories, so a table of them alone has no gaps; but an exact value between
  // two ranges covers its point (`below 1.0`, `1.0`, `above 1.0` leave none). A row written upside
  // down was meant to cover something: it is reported, and the gaps wait until it is fixed.
  if (allConstant && !upsideDown && otherwiseRows.length === 0) {
    const isRange = (i: number) => rows[i]!.intervals.length > 0 && table.rows[i]!.condition.kind !== "OneOf";
    const rangeRows = rows.filter((_r, i) => isRange(i));
    const ranges = merge(rangeRows.flatMap((r) => r.intervals), integers);
    const points = rows.filter((r, i) => !isRange(i) && r.intervals.length > 0).flatMap((r) => r.intervals);
    const union = merge([...ranges, ...points.filter((p) => ranges.some((r, k) => k > 0 && between(ranges[k - 1]!, p, r)))], integers);
    const candidates = rows.filter((r) => r.intervals.length > 0);
    for (let i = 1; i < union.length; i++) {
      const before = union[i - 1]!;
      const after = union[i]!;
      const gapRow = candidates.find((r) => r.intervals.some((x) => x.lo !== undefined && after.lo !== undefined && x.lo.eq(after.lo))) ?? rangeRows[0]!;
      const gap: Interval = { lo: before.hi!, loClosed: !before.hiClosed, hi: after.lo!, hiClosed: !after.loClosed };
      findings.push({
        code: "PCMH0404",
        span: gapRow.span,
        message: `No row matches values in ${describe(gap, keyUnit)}: there is a gap before this row.`,
        extras: { hint: "Extend a row to close the gap, or add an `otherwise` row if those values really pay the same." },
      });
    }
  }
  return findings;
}
