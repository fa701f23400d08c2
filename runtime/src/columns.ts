// COLUMNS: SETTLEMENT DATA AS TYPED ARRAYS
//
// The engine settles from columns: one typed array per field, strings interned once into
// dictionaries, months and dates as integers, and exact decimals as scaled integers (a value is
// `scaled / 10^places`, exactly, with every scaled value a safe integer). Row input (the
// `SettlementInput` of input.ts) is converted here, checking each field and naming file, row and
// field on a bad one; data readers and the simulator can build columns directly. Sums of a scaled
// column are exact integer sums in doubles while they stay below 2^53; `exactSum` checks that and
// falls back to decimal arithmetic when they do not.

import { SettlementError } from "./errors.js";
import type { BaselineRow, PhysicianRow, PracticeRow, QualityRow, SettlementInput } from "./input.js";
import { Dec } from "./money.js";

/** Exact decimals: value i is `scaled[i] / 10^places`; NaN where an optional field is empty. */
export interface ExactColumn {
  readonly places: number;
  readonly scaled: Float64Array;
}

export interface MemberMonthColumns {
  readonly length: number;
  /** Index into `ColumnarInput.memberIds`. */
  readonly member: Int32Array;
  /** year × 12 + month − 1. */
  readonly month: Int32Array;
  /** Index into `ColumnarInput.payers`. */
  readonly payer: Int32Array;
  /** Index into `ColumnarInput.lobs`; −1 when empty. */
  readonly lob: Int32Array;
  readonly riskScore: ExactColumn;
  readonly age: ExactColumn;
  /** Index into `ColumnarInput.physicians` of the roster or designated physician; −1 when none. */
  readonly physician: Int32Array;
}

export interface ClaimColumns {
  readonly length: number;
  readonly id: readonly string[];
  /** Index into `ColumnarInput.memberIds`. */
  readonly member: Int32Array;
  /** yyyymmdd. */
  readonly date: Int32Array;
  /** Index into `ColumnarInput.physicians` of the rendering physician; −1 when none or not a contract physician. */
  readonly physician: Int32Array;
  /** Index into `ColumnarInput.codes`. */
  readonly code: Int32Array;
  /** Index into `ColumnarInput.categories`. */
  readonly category: Int32Array;
  readonly allowed: ExactColumn;
  readonly units: ExactColumn;
}

export interface ColumnarInput {
  readonly format: "columns";
  readonly physicians: readonly PhysicianRow[];
  readonly practices: readonly PracticeRow[];
  readonly quality: readonly QualityRow[];
  readonly baseline: readonly BaselineRow[];
  readonly parameters?: Readonly<Record<string, string>>;
  readonly memberIds: readonly string[];
  readonly payers: readonly string[];
  readonly lobs: readonly string[];
  readonly codes: readonly string[];
  readonly categories: readonly string[];
  readonly members: MemberMonthColumns;
  readonly claims: ClaimColumns;
}

export type AnyInput = SettlementInput | ColumnarInput;

export function isColumnar(input: AnyInput): input is ColumnarInput {
  return (input as ColumnarInput).format === "columns";
}

// MONTHS AND DATES

export function monthNumber(year: number, month: number): number {
  return year * 12 + month - 1;
}

export function monthText(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export function dateText(yyyymmdd: number): string {
  const y = Math.floor(yyyymmdd / 10000);
  const m = Math.floor(yyyymmdd / 100) % 100;
  const d = yyyymmdd % 100;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** The month number of a yyyymmdd date. */
export function monthOfDate(yyyymmdd: number): number {
  if (yyyymmdd >= 0 && yyyymmdd <= 0x7fffffff) {
    // yyyy × 12 + mm − 1, from yyyymm = yyyy × 100 + mm in whole-number division.
    const yyyymm = (yyyymmdd / 100) | 0;
    return yyyymm - 88 * ((yyyymm / 100) | 0) - 1;
  }
  return monthNumber(Math.floor(yyyymmdd / 10000), Math.floor(yyyymmdd / 100) % 100);
}

const monthPattern = /^(\d{4})-(\d{2})$/;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

// EXACT DECIMALS

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);
const exactPattern = /^(-?)(\d*)(?:\.(\d*))?$/;

/** A decimal column's value as a Dec; undefined where the field is empty. */
export function decAt(column: ExactColumn, i: number): Dec | undefined {
  const s = column.scaled[i]!;
  if (s !== s) return undefined;
  return scaledToDec(s, column.places);
}

export function scaledToDec(scaled: number, places: number): Dec {
  const d = new Dec(scaled);
  return places === 0 ? d : d.div(POW10[places]!);
}

/**
 * The exact sum of `column` over `rows` (all rows when omitted), as a Dec. Adds scaled integers in
 * doubles; when the sum could have lost precision it adds again in decimal.
 */
export function exactSum(column: ExactColumn, rows?: ArrayLike<number>, count = rows ? rows.length : column.scaled.length): Dec {
  const scaled = column.scaled;
  const sum = rows ? sumAt(scaled, rows, count) : sumFirst(scaled, count);
  if (sum === sum) return scaledToDec(sum, column.places);
  let exact = new Dec(0);
  for (let k = 0; k < count; k++) {
    const v = scaled[rows ? rows[k]! : k]!;
    if (v === v) exact = exact.add(v);
  }
  return column.places === 0 ? exact : exact.div(POW10[column.places]!);
}

// The loops below return as soon as they end: code after a long loop, optimised while the loop
// first ran and so without type feedback, would be deoptimised on every later call.

/**
 * The sum of `values` at `rows[0 … count)`, empty values skipped; NaN as soon as the sum of their
 * magnitudes passes 2^53 − 1, when it might not be exact.
 */
function sumAt(values: Float64Array, rows: ArrayLike<number>, count: number): number {
  let sum = 0;
  let magnitude = 0;
  for (let k = 0; k < count; k++) {
    const v = values[rows[k]!]!;
    if (v !== v) continue;
    sum += v;
    magnitude += v < 0 ? -v : v;
    if (magnitude > Number.MAX_SAFE_INTEGER) return NaN;
  }
  return sum;
}

/** sumAt over the first `count` values. */
function sumFirst(values: Float64Array, count: number): number {
  let sum = 0;
  let magnitude = 0;
  for (let k = 0; k < count; k++) {
    const v = values[k]!;
    if (v !== v) continue;
    sum += v;
    magnitude += v < 0 ? -v : v;
    if (magnitude > Number.MAX_SAFE_INTEGER) return NaN;
  }
  return sum;
}

/** Builds an ExactColumn from decimal strings, widening the scale when a value has more places. */
export class ExactColumnBuilder {
  private places = 0;
  readonly scaled: Float64Array;
  /** Values already parsed at the current scale (most columns repeat a few values). */
  private readonly known = new Map<string, number>();

  constructor(
    length: number,
    private readonly file: string,
    private readonly field: string,
  ) {
    this.scaled = new Float64Array(length);
  }

  /** Sets value i from text; empty or undefined text leaves the field empty. `row` is the file row for errors. */
  set(i: number, text: string | undefined, row: number, options: { nonNegative?: boolean; required?: boolean } = {}): void {
    if (text === undefined || text === "") {
      if (options.required) throw new SettlementError("PCMH0503", `${this.field} is empty; expected a decimal number like 12.50.`, { file: this.file, row, field: this.field });
      this.scaled[i] = NaN;
      return;
    }
    const known = this.known.get(text);
    if (known !== undefined) {
      this.scaled[i] = known;
      if (known < 0 && options.nonNegative) throw new SettlementError("PCMH0503", `${this.field} is ${text}; it can't be negative.`, { file: this.file, row, field: this.field });
      return;
    }
    const m = exactPattern.exec(text);
    const whole = m?.[2] ?? "";
    const fraction = m?.[3] ?? "";
    if (!m || (whole === "" && fraction === "")) throw new SettlementError("PCMH0503", `${this.field} is "${text}"; expected a decimal number like 12.50.`, { file: this.file, row, field: this.field });
    if (m[1] === "-" && options.nonNegative) throw new SettlementError("PCMH0503", `${this.field} is ${text}; it can't be negative.`, { file: this.file, row, field: this.field });
    const trimmed = fraction.replace(/0+$/, "");
    if (trimmed.length > this.places) this.widen(trimmed.length, row);
    const digits = (whole + trimmed.padEnd(this.places, "0")).replace(/^0+(?=\d)/, "");
    const value = Number(digits);
    if (!Number.isSafeInteger(value) || digits.length > 16)
      throw new SettlementError("PCMH0503", `${this.field} is ${text}, which has more digits than can be settled exactly (at most 15 significant digits in a column).`, { file: this.file, row, field: this.field });
    this.scaled[i] = m[1] === "-" ? -value : value;
    if (this.known.size < 65536) this.known.set(text, this.scaled[i]!);
  }

  private widen(places: number, row: number) {
    if (places > 15) throw new SettlementError("PCMH0503", `${this.field} has more than 15 decimal places.`, { file: this.file, row, field: this.field });
    const factor = POW10[places - this.places]!;
    for (let k = 0; k < this.scaled.length; k++) {
      const v = this.scaled[k]! * factor;
      if (v === v && !Number.isSafeInteger(v))
        throw new SettlementError("PCMH0503", `${this.field} needs ${places} decimal places here, and with them an earlier value has more digits than can be settled exactly.`, { file: this.file, row, field: this.field });
      this.scaled[k] = v;
    }
    this.places = places;
    this.known.clear();
  }

  build(): ExactColumn {
    return { places: this.places, scaled: this.scaled };
  }
}

/** Interns strings to dense indices in first-seen order. */
export class Dictionary {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(initial: readonly string[] = []) {
    for (const v of initial) this.of(v);
  }

  of(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(value, i);
    }
    return i;
  }

  get(value: string): number | undefined {
    return this.index.get(value);
  }
}

// ROWS TO COLUMNS

/** Columns of row input, with each field checked; physicians named by members must exist. */
export function columnsOf(input: AnyInput): ColumnarInput {
  if (isColumnar(input)) return input;
  const physicianIndex = new Map<string, number>();
  input.physicians.forEach((d, i) => {
    if (!physicianIndex.has(d.id)) physicianIndex.set(d.id, i);
  });
  const memberIds = new Dictionary();
  const payers = new Dictionary();
  const lobs = new Dictionary();
  const rows = input.members;
  const n = rows.length;
  const members = {
    length: n,
    member: new Int32Array(n),
    month: new Int32Array(n),
    payer: new Int32Array(n),
    lob: new Int32Array(n),
    physician: new Int32Array(n),
  };
  const risk = new ExactColumnBuilder(n, "members", "risk_score");
  const age = new ExactColumnBuilder(n, "members", "age");
  const monthCache = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const row = i + 2;
    members.member[i] = memberIds.of(r.member);
    let month = monthCache.get(r.month);
    if (month === undefined) {
      const m = monthPattern.exec(r.month);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new SettlementError("PCMH0503", `month is "${r.month}"; expected a month like 2026-01.`, { file: "members", row, field: "month" });
      monthCache.set(r.month, (month = monthNumber(Number(m[1]), Number(m[2]))));
    }
    members.month[i] = month;
    members.payer[i] = payers.of(r.payer);
    members.lob[i] = r.lob === undefined || r.lob === "" ? -1 : lobs.of(r.lob);
    risk.set(i, r.riskScore, row, { nonNegative: true, required: true });
    age.set(i, r.age, row, { nonNegative: true });
    if (r.physician) {
      const p = physicianIndex.get(r.physician);
      if (p === undefined) throw new SettlementError("PCMH0505", `physician ${r.physician} is not in physicians.`, { file: "members", row, field: "physician_id" });
      members.physician[i] = p;
    } else members.physician[i] = -1;
  }
  const claimRows = input.claims;
  const c = claimRows.length;
  const codes = new Dictionary();
  const categories = new Dictionary();
  const claims = {
    length: c,
    id: claimRows.map((x) => x.id),
    member: new Int32Array(c),
    date: new Int32Array(c),
    physician: new Int32Array(c),
    code: new Int32Array(c),
    category: new Int32Array(c),
  };
  const allowed = new ExactColumnBuilder(c, "claims", "allowed");
  const units = new ExactColumnBuilder(c, "claims", "units");
  for (let i = 0; i < c; i++) {
    const r = claimRows[i]!;
    const row = i + 2;
    claims.member[i] = memberIds.of(r.member);
    const d = datePattern.exec(r.date);
    if (!d) throw new SettlementError("PCMH0503", `service date is "${r.date}"; expected a date like 2026-03-15.`, { file: "claims", row, field: "service_date" });
    claims.date[i] = Number(d[1]) * 10000 + Number(d[2]) * 100 + Number(d[3]);
    claims.physician[i] = r.physician ? (physicianIndex.get(r.physician) ?? -1) : -1;
    claims.code[i] = codes.of(r.code);
    claims.category[i] = categories.of(r.category);
    if (r.allowed.trim().startsWith("-")) throw new SettlementError("PCMH0503", `claim ${r.id} has a negative allowed amount.`, { file: "claims", row, field: "allowed" });
    allowed.set(i, r.allowed, row, { required: true });
    units.set(i, r.units, row);
  }
  return remember({
    format: "columns",
    physicians: input.physicians,
    practices: input.practices,
    quality: input.quality,
    baseline: input.baseline,
    ...(input.parameters ? { parameters: input.parameters } : {}),
    memberIds: memberIds.values,
    payers: payers.values,
    lobs: lobs.values,
    codes: codes.values,
    categories: categories.values,
    members: { ...members, riskScore: risk.build(), age: age.build() },
    claims: { ...claims, allowed: allowed.build(), units: units.build() },
  });
}

/**
 * Columns already checked, by their member-month table: the claim table and the dictionary sizes
 * they were checked with. A later input that reuses both tables with the same sizes (a copy with
 * parameters added, say) is not checked again; any other is.
 */
const checked = new WeakMap<MemberMonthColumns, { claims: ClaimColumns; sizes: string }>();

const sizesOf = (input: ColumnarInput) => [input.physicians.length, input.memberIds.length, input.payers.length, input.lobs.length, input.codes.length, input.categories.length].join(",");

function remember(input: ColumnarInput): ColumnarInput {
  checked.set(input.members, { claims: input.claims, sizes: sizesOf(input) });
  return input;
}

/**
 * For a builder whose columns are valid by construction, and tested to be (the simulator's
 * population draws): settle then skips `checkColumns` for them.
 */
export function markChecked(input: ColumnarInput): ColumnarInput {
  return remember(input);
}

/** Checks a columnar input built outside this module: lengths, indices in range, months and dates valid. */
export function checkColumns(input: ColumnarInput): void {
  const known = checked.get(input.members);
  if (known && known.claims === input.claims && known.sizes === sizesOf(input)) return;
  checkAll(input);
  remember(input);
}

function checkAll(input: ColumnarInput): void {
  const bad = (file: string, field: string, message: string, row?: number): never => {
    throw new SettlementError("PCMH0503", message, { file, field, ...(row !== undefined ? { row: row + 2 } : {}) });
  };
  const m = input.members;
  const inRange = (file: string, field: string, values: Int32Array, length: number, size: number, optional: boolean) => {
    if (values.length !== length) bad(file, field, `the ${field} column has ${values.length} values for ${length} rows.`);
    const low = optional ? -1 : 0;
    let i = 0;
    for (; i < length; i++) {
      const v = values[i]!;
      if (v >= size || v < low) break;
    }
    if (i < length) bad(file, field, `${field} index ${values[i]} is out of range.`, i);
  };
  const exact = (file: string, field: string, column: ExactColumn, length: number, optional: boolean) => {
    if (column.scaled.length !== length) bad(file, field, `the ${field} column has ${column.scaled.length} values for ${length} rows.`);
    if (!Number.isInteger(column.places) || column.places < 0 || column.places > 15) bad(file, field, `${field} has ${column.places} decimal places; expected 0 to 15.`);
    const scaled = column.scaled;
    let i = 0;
    for (; i < length; i++) {
      const v = scaled[i]!;
      if (v !== v ? !optional : !(Math.floor(v) === v && v <= Number.MAX_SAFE_INTEGER && v >= -Number.MAX_SAFE_INTEGER)) break;
    }
    if (i < length) bad(file, field, scaled[i] !== scaled[i] ? `${field} is empty.` : `${field} is not an exact scaled integer.`, i);
  };
  inRange("members", "member_id", m.member, m.length, input.memberIds.length, false);
  inRange("members", "payer", m.payer, m.length, input.payers.length, false);
  inRange("members", "lob", m.lob, m.length, input.lobs.length, true);
  inRange("members", "physician_id", m.physician, m.length, input.physicians.length, true);
  exact("members", "risk_score", m.riskScore, m.length, false);
  exact("members", "age", m.age, m.length, true);
  const months = m.month;
  for (let i = 0; i < m.length; i++) {
    const month = months[i]!;
    if (!(month >= 0 && month < 120000 && Math.floor(month) === month)) bad("members", "month", `month ${month} is not a month.`, i);
  }
  const c = input.claims;
  if (c.id.length !== c.length) bad("claims", "claim_id", `the claim_id column has ${c.id.length} values for ${c.length} rows.`);
  inRange("claims", "member_id", c.member, c.length, input.memberIds.length, false);
  inRange("claims", "physician_id", c.physician, c.length, input.physicians.length, true);
  inRange("claims", "code", c.code, c.length, input.codes.length, false);
  inRange("claims", "category", c.category, c.length, input.categories.length, false);
  exact("claims", "allowed", c.allowed, c.length, false);
  exact("claims", "units", c.units, c.length, true);
  const dates = c.date;
  const allowed = c.allowed.scaled;
  for (let i = 0; i < c.length; i++) {
    const d = dates[i]!;
    const mm = Math.floor(d / 100) % 100;
    const dd = d % 100;
    if (mm < 1 || mm > 12 || dd < 1 || dd > 31) bad("claims", "service_date", `service date ${d} is not a yyyymmdd date.`, i);
    if (allowed[i]! < 0) bad("claims", "allowed", `claim ${c.id[i]} has a negative allowed amount.`, i);
  }
}
