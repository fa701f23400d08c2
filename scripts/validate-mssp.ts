// VALIDATE THE MSSP CONTRACTS AGAINST CMS'S PUBLISHED RESULTS
//
//   npm run validate:mssp -- /work/shared/data/mssp_puf_py2018.csv [more.csv …]
//
// Reads a Medicare Shared Savings Program public use file (one row per ACO, any of the layouts of
// PY2013, PY2014, PY2018, PY2021 and PY2022), turns each ACO into the settlement input of its
// track's contract in contracts/cms/ (mssp-*.pcmh), settles it, and compares the computed earned
// shared savings or losses with the published EarnSaveLoss.
//
// Inputs read from each row: the track (or BASIC level), assigned beneficiaries (N_AB), the total
// benchmark (ABtotBnchmk) and expenditure (ABtotExp), the quality score and whether the quality
// performance standard was met, the MSR/MLR the ACO chose (MinSavPerc, read for two-sided tracks
// and for ACOs under 5,000 beneficiaries only; one-sided MSRs come from the contract's table), the
// start of the agreement (Track 2's loss limit) and whether a Track 1+ loss limit is revenue-based
// (RevLossLimit). Published results (EarnSaveLoss, GenSaveLoss, FinalShareRate, FinalLossRate,
// DisAdj) are never inputs: EarnSaveLoss is what is compared, and DisAdj only feeds a separate,
// informational check of shared losses before the disaster adjustment.
//
// A row is skipped, with its reason, when its result cannot be computed from public columns:
// a disaster (EUC) reduction of losses whose share of affected beneficiaries is not published
// (PY2017-2019, PY2023), a loss limit based on unpublished participant revenue, or a quality score
// published rounded (the result then agrees only within that rounding: the row is settled at both
// ends of the rounding interval and must fall inside it, else it is a mismatch).
//
// The last line printed is `mssp: R/N rows reproduced within $1 (S skipped: <reasons>)`, N being
// every data row read. The process exits 0 whatever the result; tests/programs/mssp.test.ts holds
// the rates.

import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { compile, interpret } from "../compiler/src";
import { settle } from "../runtime/src/engine";
import { SettlementError } from "../runtime/src/errors";
import type { SettlementInput } from "../runtime/src/input";
import { Dec } from "../runtime/src/money";
import type { Program } from "../runtime/src/program";
import type { Statement } from "../runtime/src/statement";


// TRACKS AND CONTRACTS

export type Track = "Track 1" | "Track 2" | "Track 3" | "Track 1+" | "BASIC A" | "BASIC B" | "BASIC C" | "BASIC D" | "BASIC E" | "ENHANCED";

const contractOf: Record<Track, string> = {
  "Track 1": "mssp-track-1.pcmh",
  "Track 2": "mssp-track-2.pcmh",
  "Track 3": "mssp-enhanced.pcmh",
  ENHANCED: "mssp-enhanced.pcmh",
  "Track 1+": "mssp-track-1-plus.pcmh",
  "BASIC A": "mssp-basic.pcmh",
  "BASIC B": "mssp-basic.pcmh",
  "BASIC C": "mssp-basic.pcmh",
  "BASIC D": "mssp-basic.pcmh",
  "BASIC E": "mssp-basic.pcmh",
};
const trackOrder = Object.keys(contractOf) as Track[];
const twoSided = (t: Track) => !(t === "Track 1" || t === "BASIC A" || t === "BASIC B");
/** Tracks whose loss limit is (or may be) a share of the unpublished participant revenue. */
const revenueLimit = (t: Track, row: AcoRow) => t === "BASIC C" || t === "BASIC D" || t === "BASIC E" || (t === "Track 1+" && row.revenueBasedLimit === true);

export const contractsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "contracts", "cms");
const programs = new Map<string, Program>();

/** The compiled contract of a track (compiled once per process). */
export function programFor(track: Track): Program {
  const file = contractOf[track];
  let program = programs.get(file);
  if (!program) {
    const compiled = compile(readFileSync(join(contractsDir, file), "utf8"));
    if (!compiled.ok) throw new Error(`${file} does not compile: ${compiled.diagnostics.map((d) => `${d.code} ${d.message}`).join("; ")}`);
    program = interpret(compiled.ir);
    programs.set(file, program);
  }
  return program;
}

// READING A PUF ROW

/** One ACO as read from a PUF row: inputs, and the published results kept apart. */
export interface AcoRow {
  /** 1-based line in the file (the header is line 1). */
  readonly line: number;
  readonly id: string;
  readonly year: number;
  readonly track?: Track;
  readonly trackText: string;
  readonly beneficiaries?: Dec;
  /** Plain decimal strings, dollars. */
  readonly benchmark?: string;
  readonly expenditure?: string;
  /** Quality score as a fraction; `step` is half the last published digit, as a fraction. */
  readonly quality?: { readonly value: Dec; readonly halfStep: Dec; readonly text: string; readonly payForReporting: boolean };
  readonly metQps: boolean;
  readonly metAltQps: boolean;
  /** MinSavPerc as a fraction (the chosen or CMS-set MSR/MLR). */
  readonly msr?: Dec;
  readonly agreementStartYear?: number;
  readonly revenueBasedLimit?: boolean;
  /** Required inputs that are missing or suppressed (`-`, `*`, blank). */
  readonly missing: readonly string[];
  readonly published: { readonly earned?: Dec; readonly disasterAdjustment?: Dec };
}

interface Num {
  readonly value: Dec;
  readonly percent: boolean;
  /** Digits after the decimal point, as written. */
  readonly decimals: number;
}

/** "$1,234.50", "2.00%", "-5,179,851", "0.9084"; undefined for blank, "-" and "*". */
function readNumber(text: string | undefined): Num | undefined {
  if (text === undefined) return undefined;
  let t = text.trim().replace(/[$,\s]/g, "");
  if (t === "" || t === "-" || t === "*" || t === "." || /^n\/?a$/i.test(t)) return undefined;
  const percent = t.endsWith("%");
  if (percent) t = t.slice(0, -1);
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(t)) return undefined;
  const dot = t.indexOf(".");
  return { value: new Dec(t), percent, decimals: dot < 0 ? 0 : t.length - dot - 1 };
}

const TEN = new Dec(10);
const HALF = new Dec("0.5");
const HUNDRED = new Dec(100);

/** How a layout writes rates: as fractions (0.02), percent numbers (2.0) or percent strings (2.00%). */
type RateStyle = "fraction" | "percent number";

interface Layout {
  readonly name: string;
  /** The performance year the layout was published for, when the file name does not say. */
  readonly year: number;
  readonly detect: (header: readonly string[]) => boolean;
  readonly read: (cells: (name: string) => string | undefined, at: (index: number) => string | undefined, header: readonly string[], year: number) => Omit<AcoRow, "line" | "year">;
}

function flag(text: string | undefined): boolean | undefined {
  const t = text?.trim();
  return t === "1" ? true : t === "0" ? false : undefined;
}

function yearOf(date: string | undefined): number | undefined {
  const m = date?.match(/(\d{4})/);
  return m ? Number(m[1]) : undefined;
}

/** A rate as a fraction, given the layout's style; a trailing % always means percent. */
function rate(n: Num | undefined, style: RateStyle): Dec | undefined {
  if (!n) return undefined;
  return n.percent || style === "percent number" ? n.value.div(HUNDRED) : n.value;
}

function quality(text: string | undefined, style: RateStyle | "points"): AcoRow["quality"] {
  const t = text?.trim() ?? "";
  // Pay-for-reporting year (first performance year): 100% for complete and accurate reporting
  // (42 CFR 425.502(a)). ASSUMPTION: the PUF's "P4R" means the ACO reported completely.
  if (/^p4r$/i.test(t)) return { value: new Dec(1), halfStep: new Dec(0), text: t, payForReporting: true };
  const n = readNumber(t);
  if (!n) return undefined;
  const asPercent = n.percent || style === "points" || style === "percent number";
  const value = asPercent ? n.value.div(HUNDRED) : n.value;
  const halfStep = HALF.div(TEN.pow(n.decimals + (asPercent ? 2 : 0)));
  return { value, halfStep, text: t, payForReporting: false };
}

function missingOf(fields: Record<string, unknown>): string[] {
  return Object.entries(fields)
    .filter(([, v]) => v === undefined)
    .map(([k]) => k);
}

function amount(n: Num | undefined): string | undefined {
  return n && !n.value.isNegative() ? n.value.toFixed() : undefined;
}

/** The columns of the layouts since PY2014 that share names. */
function namedRow(cells: (name: string) => string | undefined, track: Track | undefined, trackText: string, rates: RateStyle, qualityStyle: RateStyle | "points"): Omit<AcoRow, "line" | "year"> {
  const id = cells("ACO_ID") ?? cells("ACO_Num") ?? "";
  const beneficiaries = readNumber(cells("N_AB"))?.value;
  const benchmark = amount(readNumber(cells("ABtotBnchmk")));
  const expenditure = amount(readNumber(cells("ABtotExp")));
  const earned = readNumber(cells("EarnSaveLoss"))?.value;
  const q = quality(cells("QualScore"), qualityStyle);
  const initialTrack2 = flag(cells("Initial_Track_2"));
  const start = initialTrack2 && track === "Track 2" ? cells("Initial_Start_Date") : (cells("Current_Start_Date") ?? cells("Start_Date"));
  const disaster = readNumber(cells("DisAdj"))?.value;
  const startYear = yearOf(start);
  const revenueBased = flag(cells("RevLossLimit"));
  const msr = rate(readNumber(cells("MinSavPerc")), rates);
  return {
    id,
    track,
    trackText,
    ...(beneficiaries ? { beneficiaries } : {}),
    ...(benchmark ? { benchmark } : {}),
    ...(expenditure ? { expenditure } : {}),
    ...(q ? { quality: q } : {}),
    metQps: flag(cells("Met_QPS")) ?? true,
    metAltQps: flag(cells("Met_AltQPS")) ?? false,
    ...(msr ? { msr } : {}),
    ...(startYear !== undefined ? { agreementStartYear: startYear } : {}),
    ...(revenueBased !== undefined ? { revenueBasedLimit: revenueBased } : {}),
    missing: missingOf({ track, N_AB: beneficiaries, ABtotBnchmk: benchmark, ABtotExp: expenditure, EarnSaveLoss: earned }),
    published: { ...(earned ? { earned } : {}), ...(disaster ? { disasterAdjustment: disaster } : {}) },
  };
}

const flagTracks: [string, Track][] = [
  ["Current_Track_1", "Track 1"],
  ["Current_Track_2", "Track 2"],
  ["Current_Track_3", "Track 3"],
  ["Current_Track_1_Plus", "Track 1+"],
  ["Current_BASIC_A", "BASIC A"],
  ["Current_BASIC_B", "BASIC B"],
  ["Current_BASIC_C", "BASIC C"],
  ["Current_BASIC_D", "BASIC D"],
  ["Current_BASIC_E", "BASIC E"],
  ["Current_ENHANCED", "ENHANCED"],
];

function trackFromFlags(cells: (name: string) => string | undefined): [Track | undefined, string] {
  const on = flagTracks.filter(([column]) => flag(cells(column)) === true);
  return on.length === 1 ? [on[0]![1], on[0]![0]] : [undefined, on.map(([c]) => c).join("+") || "no Current_* flag"];
}

const codeTracks: Record<string, Track> = { A: "BASIC A", B: "BASIC B", C: "BASIC C", D: "BASIC D", E: "BASIC E", EN: "ENHANCED", ENHANCED: "ENHANCED" };

export const layouts: readonly Layout[] = [
  {
    // Long English headers. From "Total benchmark expenditures ($)" on, the labels are one column
    // off: the file has no "Total expenditures" label, so that column is labelled "Total
    // savings/losses ($)", the savings under "Shared Savings ($)", the earned shared savings under
    // "Shared Losses ($)", the shared losses under "Total number of assigned beneficiaries" and the
    // assigned beneficiaries under "Total assigned beneficiary person years". Each row is checked:
    // benchmark - expenditure must equal the savings column. Rates are fractions with a stray "%"
    // ("0.023373146%" is 2.34%). Amounts carry cents.
    name: "PY2013 (long headers)",
    year: 2013,
    detect: (h) => h.includes("ACO Identifier") && h.includes("Total benchmark expenditures ($)"),
    read: (cells, at, header) => {
      const b = header.indexOf("Total benchmark expenditures ($)");
      const track: Track = flag(cells("Track 2 ACO")) ? "Track 2" : "Track 1";
      const benchmarkN = readNumber(at(b));
      const expenditureN = readNumber(at(b + 1));
      const savingsN = readNumber(at(b + 2));
      const sharedSavings = readNumber(at(b + 3));
      const sharedLosses = readNumber(at(b + 4));
      const beneficiaries = readNumber(at(b + 5))?.value;
      const layoutHolds = benchmarkN && expenditureN && savingsN && benchmarkN.value.sub(expenditureN.value).sub(savingsN.value).abs().lte(1);
      const earned = sharedSavings || sharedLosses ? (sharedSavings?.value ?? new Dec(0)).add(sharedLosses?.value ?? new Dec(0)) : undefined;
      const msrN = readNumber(cells("Minimum Savings Rate (%)"));
      const q = quality(cells("Quality Score"), "fraction");
      const startYear = yearOf(cells("Start Date"));
      const benchmark = amount(benchmarkN);
      const expenditure = amount(expenditureN);
      return {
        id: cells("ACO Identifier") ?? "",
        track,
        trackText: `Track 2 ACO = ${cells("Track 2 ACO")}`,
        ...(beneficiaries ? { beneficiaries } : {}),
        ...(benchmark ? { benchmark } : {}),
        ...(expenditure ? { expenditure } : {}),
        ...(q ? { quality: q } : {}),
        metQps: true,
        metAltQps: false,
        ...(msrN ? { msr: msrN.value } : {}),
        ...(startYear !== undefined ? { agreementStartYear: startYear } : {}),
        missing: [...missingOf({ "Total benchmark expenditures": benchmark, "total expenditures": expenditure, "assigned beneficiaries": beneficiaries, "shared savings or losses": earned }), ...(layoutHolds ? [] : ["the PY2013 column layout (benchmark - expenditure is not the savings column)"])],
        published: earned ? { earned } : {},
      };
    },
  },
  {
    // ACO_Num, Track1/Track2 flags; MinSavPerc and Sav_rate in percent numbers, QualScore a
    // fraction or "P4R".
    name: "PY2014 (Track1/Track2)",
    year: 2014,
    detect: (h) => h.includes("Track1") && h.includes("EarnSaveLoss"),
    read: (cells) => {
      const track: Track | undefined = flag(cells("Track2")) ? "Track 2" : flag(cells("Track1")) ? "Track 1" : undefined;
      return namedRow(cells, track, `Track1 = ${cells("Track1")}, Track2 = ${cells("Track2")}`, "percent number", "fraction");
    },
  },
  {
    // Current_Track_1/2/3/1_Plus and Current_BASIC_A..E/Current_ENHANCED flags; rates as fractions
    // (PY2018) or percent strings (PY2021); QualScore a fraction (PY2018) or points (PY2021).
    name: "PY2018-PY2021 (Current_Track_* flags)",
    year: 2018,
    detect: (h) => h.includes("Current_Track_1") && h.includes("EarnSaveLoss"),
    read: (cells, _at, header) => {
      const [track, text] = trackFromFlags(cells);
      const points = header.includes("Current_BASIC_A");
      return namedRow(cells, track, text, "fraction", points ? "points" : "fraction");
    },
  },
  {
    // Current_Track = A, B, C, D, E or EN; rates as percent strings.
    name: "PY2022+ (Current_Track code)",
    year: 2022,
    detect: (h) => h.includes("Current_Track") && h.includes("EarnSaveLoss"),
    read: (cells) => {
      const code = cells("Current_Track")?.trim() ?? "";
      return namedRow(cells, codeTracks[code.toUpperCase()], `Current_Track = ${code}`, "fraction", "fraction");
    },
  },
];

export interface PufFile {
  readonly file: string;
  readonly year: number;
  readonly layout: string;
  readonly rows: readonly AcoRow[];
}

/** Reads a PUF file of any supported layout; the performance year comes from the file name (`py2018`) or the layout. */
export function readPuf(path: string): PufFile {
  const text = readFileSync(path, "utf8");
  const records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  const header = (records[0] ?? []).map((h) => h.replace(/^\uFEFF/, "").trim());
  const layout = layouts.find((l) => l.detect(header));
  if (!layout) throw new Error(`${basename(path)}: not a known MSSP PUF layout (header starts ${header.slice(0, 6).join(", ")})`);
  const named = basename(path).match(/py[_-]?(\d{4})/i) ?? basename(path).match(/(20\d\d)/);
  const year = named ? Number(named[1]) : layout.year;
  const index = new Map(header.map((h, i) => [h, i] as const));
  const rows = records.slice(1).map((cellsOfRow, i) => {
    const cells = (name: string) => {
      const at = index.get(name);
      return at === undefined ? undefined : cellsOfRow[at];
    };
    return { line: i + 2, year, ...layout.read(cells, (k) => cellsOfRow[k], header, year) };
  });
  return { file: basename(path), year, layout: layout.name, rows };
}

// SETTLING ONE ACO

/** Fixed MSR/MLR choices of the two-sided tracks (42 CFR 425.606(b), 425.610(b), 425.605(b)(2)). */
const fixedChoices = ["0", "0.005", "0.01", "0.015", "0.02"].map((c) => new Dec(c));

const pct = (fraction: Dec) => `${fraction.mul(HUNDRED).toFixed()}%`;

/**
 * The share of shared losses forgiven for extreme and uncontrollable circumstances, where public:
 * none before PY2017 (the policy starts with PY2017, 82 FR 60912); all of it in PY2020-2022 (the
 * COVID-19 public health emergency covered every month and every county). PY2017-2019 and
 * PY2023 on depend on the share of beneficiaries living in affected areas, which is not published.
 */
export function eucShare(year: number): Dec | undefined {
  if (year <= 2016) return new Dec(0);
  if (year >= 2020 && year <= 2022) return new Dec(1);
  return undefined;
}

export interface RowInput {
  readonly track: Track;
  readonly input: SettlementInput;
}

/** The settlement input of a row (parameters as the contract's `--set` strings). */
export function inputOf(row: AcoRow, overrides: Record<string, string> = {}): RowInput {
  const track = row.track!;
  const program = programFor(track);
  const names = new Set(program.parameters.map((p) => p.name));
  const params: Record<string, string> = {};
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined && names.has(name)) params[name] = value;
  };
  const n = row.beneficiaries!;
  set("assigned_beneficiaries", n.toFixed());
  if (row.quality) set("quality_score", pct(row.quality.value));
  set("met_qps", String(row.metQps));
  set("met_alt_qps", String(row.metAltQps));
  if (n.lt(5000) && row.msr) set("msr_below_5000", pct(row.msr));
  if (twoSided(track) && row.msr) {
    const fixed = fixedChoices.find((c) => c.sub(row.msr!).abs().lt("0.0000001"));
    set("msr_variable", String(!fixed));
    if (fixed) set("chosen_msr", pct(fixed));
  }
  if (track.startsWith("BASIC ")) set("basic_level", track.slice(6));
  if (track === "Track 2" && row.agreementStartYear !== undefined) {
    // The 2012 starters' first performance year ran to December 2013 (42 CFR 425.608).
    set("track_2_year", String(Math.max(1, row.year - Math.max(row.agreementStartYear, 2013) + 1)));
  }
  if (row.revenueBasedLimit !== undefined) set("revenue_based_limit", String(row.revenueBasedLimit));
  // Participant revenue is not published. Where the result cannot depend on it (no loss owed, or
  // every loss forgiven), it is set to half the benchmark: the revenue at which every revenue-based
  // limit (2%, 4%, 8%) equals its benchmark-based one (1%, 2%, 4%), so the trace shows the
  // benchmark-based limit. Rows where it could matter are skipped (see validateRow).
  set("participant_revenue", `$${new Dec(row.benchmark!).div(2).toFixed()}`);
  const euc = eucShare(row.year);
  set("euc_share", pct(euc ?? new Dec(0)));
  Object.assign(params, overrides);
  const aco = row.id || `line-${row.line}`;
  const payer = program.header.payers[0] ?? "Medicare";
  const month = `${row.year}-01`;
  return {
    track,
    input: {
      practices: [{ id: aco }],
      physicians: [{ id: aco, practice: aco }],
      members: [{ member: aco, month, payer, riskScore: "1", physician: aco }],
      claims: [{ id: `${aco}-expenditure`, member: aco, date: `${month}-01`, physician: aco, code: "ABtotExp", category: "other", allowed: row.expenditure! }],
      quality: [],
      baseline: [{ level: "contract", id: aco, memberMonths: "1", cost: row.benchmark!, riskScore: "1" }],
      parameters: params,
    },
  };
}

export function settleRow(row: AcoRow, overrides: Record<string, string> = {}): Statement {
  const { track, input } = inputOf(row, overrides);
  return settle(programFor(track), input);
}

const total = (s: Statement) => new Dec(s.totals.total);

/** The trace steps of the statement's shared savings line, by name. */
export function stepsOf(s: Statement): Map<string, string> {
  return new Map((s.lines[0]?.trace.steps ?? []).map((st) => [st.name, st.value] as const));
}

// VALIDATING

export type Outcome =
  | { readonly kind: "reproduced"; readonly computed: Dec }
  | { readonly kind: "skipped"; readonly reason: string; readonly computed?: Dec }
  | { readonly kind: "mismatch"; readonly reason: string; readonly computed?: Dec };

/** A check of shared losses before the disaster adjustment: computed vs EarnSaveLoss + DisAdj. */
export interface LossCheck {
  readonly row: AcoRow;
  readonly computed: Dec;
  readonly published: Dec;
  readonly ok: boolean;
  readonly note?: string;
}

export interface RowResult {
  readonly row: AcoRow;
  readonly outcome: Outcome;
  readonly lossCheck?: LossCheck;
}

const ONE_DOLLAR = new Dec(1);
const money = (x: Dec) => `${x.isNegative() ? "-" : ""}$${x.abs().toFixed(0).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`;

export const reasons = {
  missing: (what: readonly string[]) => `missing or suppressed input (${what.join(", ")})`,
  outsideTerm: "performance year outside the contract's term",
  euc: "shared losses reduced for disasters (EUC) by an unpublished share of affected beneficiaries",
  revenue: "loss limit based on unpublished ACO participant revenue",
  rounded: "quality score published rounded (result within that rounding)",
} as const;

export function validateRow(row: AcoRow): RowResult {
  if (row.missing.length > 0 || !row.track) return { row, outcome: { kind: "skipped", reason: reasons.missing(row.missing.length ? row.missing : [`track (${row.trackText})`]) } };
  // Every parameter a contract reads must be given: the compiler currently lowers a parameter
  // declared without a value to 0, so a forgotten one would be a silent zero, not an error.
  const needed = missingOf({
    QualScore: row.quality,
    MinSavPerc: row.beneficiaries!.lt(5000) || twoSided(row.track) ? row.msr : true,
    "agreement start date": row.track === "Track 2" ? row.agreementStartYear : true,
  });
  if (needed.length > 0) return { row, outcome: { kind: "skipped", reason: reasons.missing(needed) } };
  const program = programFor(row.track);
  const { from, to } = program.header.term;
  if (`${row.year}-12-31` < from || `${row.year}-01-01` > to) return { row, outcome: { kind: "skipped", reason: reasons.outsideTerm } };
  const published = row.published.earned!;
  let statement: Statement;
  let lossCheck: LossCheck | undefined;
  try {
    const euc = eucShare(row.year);
    if (twoSided(row.track)) {
      // Settle before the disaster adjustment first: a loss owed there makes the EUC share (and,
      // for a revenue-based limit, the revenue) matter.
      const before = settleRow(row, { euc_share: "0%" });
      const owed = total(before);
      if (owed.isNegative()) {
        lossCheck = checkLosses(row, before);
        if (euc === undefined) return { row, outcome: { kind: "skipped", reason: reasons.euc, computed: owed }, ...(lossCheck ? { lossCheck } : {}) };
        if (euc.lt(1) && revenueLimit(row.track, row)) return { row, outcome: { kind: "skipped", reason: reasons.revenue, computed: owed }, ...(lossCheck ? { lossCheck } : {}) };
      }
    }
    statement = settleRow(row);
  } catch (e) {
    if (e instanceof SettlementError) {
      return { row, outcome: { kind: "mismatch", reason: `settlement error ${e.describe()}` } };
    }
    throw e;
  }
  const computed = total(statement);
  const withLoss = lossCheck ? { lossCheck } : {};
  if (computed.sub(published).abs().lte(ONE_DOLLAR)) return { row, outcome: { kind: "reproduced", computed }, ...withLoss };
  const interval = qualityInterval(row);
  if (interval && published.gte(interval[0].sub(ONE_DOLLAR)) && published.lte(interval[1].add(ONE_DOLLAR))) return { row, outcome: { kind: "skipped", reason: reasons.rounded, computed }, ...withLoss };
  return { row, outcome: { kind: "mismatch", reason: explain(row, statement, computed, published, interval), computed }, ...withLoss };
}

/** The results at both ends of the published quality score's rounding interval, when it has one. */
function qualityInterval(row: AcoRow): [Dec, Dec] | undefined {
  const q = row.quality;
  if (!q || q.halfStep.isZero()) return undefined;
  const lo = Dec.max(q.value.sub(q.halfStep), 0);
  const hi = Dec.min(q.value.add(q.halfStep), 1);
  try {
    const a = total(settleRow(row, { quality_score: pct(lo) }));
    const b = total(settleRow(row, { quality_score: pct(hi) }));
    return a.lte(b) ? [a, b] : [b, a];
  } catch {
    return undefined;
  }
}

function checkLosses(row: AcoRow, before: Statement): LossCheck | undefined {
  if (row.published.earned === undefined || row.published.disasterAdjustment === undefined) return undefined;
  const computed = total(before);
  const published = row.published.earned.add(row.published.disasterAdjustment);
  if (computed.sub(published).abs().lte(ONE_DOLLAR)) return { row, computed, published, ok: true };
  let note: string | undefined;
  const q = row.quality;
  if (revenueLimit(row.track!, row) && published.gt(computed)) note = "smaller than computed: consistent with the revenue-based limit (revenue unpublished)";
  else if (q && !q.halfStep.isZero()) {
    const lo = total(settleRow(row, { euc_share: "0%", quality_score: pct(Dec.max(q.value.sub(q.halfStep), 0)) }));
    const hi = total(settleRow(row, { euc_share: "0%", quality_score: pct(Dec.min(q.value.add(q.halfStep), 1)) }));
    if (published.gte(Dec.min(lo, hi).sub(ONE_DOLLAR)) && published.lte(Dec.max(lo, hi).add(ONE_DOLLAR))) note = "within the rounding of the published quality score";
  }
  return { row, computed, published, ok: note !== undefined, ...(note ? { note } : {}) };
}

function explain(row: AcoRow, s: Statement, computed: Dec, published: Dec, interval: [Dec, Dec] | undefined): string {
  const steps = stepsOf(s);
  const parts = [`computed ${money(computed)}, published ${money(published)} (difference ${money(computed.sub(published))})`];
  if (row.quality?.payForReporting && published.isZero() && computed.gt(0))
    parts.push("a pay-for-reporting ACO with savings above its MSR but no published savings: presumably incomplete quality reporting, which the PUF does not show (the quality score is taken as 100%)");
  const show = ["savings rate", "minimum savings rate", "minimum loss rate", "sharing rate", "loss sharing rate", "cap", "loss limit"].filter((k) => steps.has(k)).map((k) => `${k} ${steps.get(k)}`);
  if (show.length) parts.push(show.join(", "));
  if (row.msr) parts.push(`PUF MinSavPerc ${pct(row.msr)}`);
  if (interval) parts.push(`quality score ${row.quality!.text}: ${money(interval[0])} to ${money(interval[1])} over its rounding`);
  return parts.join("; ");
}

// A FILE

export interface TrackCount {
  rows: number;
  reproduced: number;
  skipped: number;
  mismatched: number;
}

export interface FileResult {
  readonly file: string;
  readonly year: number;
  readonly layout: string;
  readonly rows: number;
  readonly reproduced: number;
  /** Reproduced rows whose published EarnSaveLoss is not zero. */
  readonly reproducedNonzero: number;
  readonly skipped: ReadonlyMap<string, number>;
  readonly results: readonly RowResult[];
  readonly byTrack: ReadonlyMap<string, TrackCount>;
  /** The last line: `mssp: R/N rows reproduced within $1 (S skipped: …)`. */
  readonly summary: string;
}

export function summaryLine(reproduced: number, rows: number, skipped: ReadonlyMap<string, number>): string {
  const s = [...skipped.values()].reduce((a, b) => a + b, 0);
  const why = [...skipped].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([r, k]) => `${k} ${r}`);
  return `mssp: ${reproduced}/${rows} rows reproduced within $1 (${s} skipped: ${why.length ? why.join("; ") : "none"})`;
}

export function validateFile(path: string): FileResult {
  const puf = readPuf(path);
  const results = puf.rows.map(validateRow);
  const skipped = new Map<string, number>();
  const byTrack = new Map<string, TrackCount>();
  let reproduced = 0;
  let reproducedNonzero = 0;
  for (const r of results) {
    const key = r.row.track ?? "unknown track";
    const c = byTrack.get(key) ?? { rows: 0, reproduced: 0, skipped: 0, mismatched: 0 };
    byTrack.set(key, c);
    c.rows++;
    if (r.outcome.kind === "reproduced") {
      reproduced++;
      if (!r.row.published.earned!.isZero()) reproducedNonzero++;
      c.reproduced++;
    } else if (r.outcome.kind === "skipped") {
      c.skipped++;
      skipped.set(r.outcome.reason, (skipped.get(r.outcome.reason) ?? 0) + 1);
    } else c.mismatched++;
  }
  const order = (t: string) => (trackOrder.indexOf(t as Track) + 100) % 100;
  const sortedTracks = new Map([...byTrack].sort((a, b) => order(a[0]) - order(b[0])));
  return { file: puf.file, year: puf.year, layout: puf.layout, rows: puf.rows.length, reproduced, reproducedNonzero, skipped, results, byTrack: sortedTracks, summary: summaryLine(reproduced, puf.rows.length, skipped) };
}

export function report(r: FileResult): string[] {
  const out = [`${r.file}: PY${r.year}, layout ${r.layout}, ${r.rows} rows; ${r.reproduced} reproduced within $1, ${r.reproducedNonzero} of them with non-zero earned savings or losses`];
  for (const [track, c] of r.byTrack) out.push(`  ${track.padEnd(9)} ${String(c.rows).padStart(4)} rows: ${c.reproduced} reproduced, ${c.skipped} skipped, ${c.mismatched} mismatched`);
  for (const x of r.results) if (x.outcome.kind === "mismatch") out.push(`  mismatch line ${x.row.line} ${x.row.id} (${x.row.track ?? x.row.trackText}): ${x.outcome.reason}`);
  const losses = r.results.flatMap((x) => (x.lossCheck ? [x.lossCheck] : []));
  if (losses.length) {
    out.push(`  shared losses before the disaster adjustment (computed vs EarnSaveLoss + DisAdj, informational): ${losses.filter((l) => l.ok && !l.note).length}/${losses.length} within $1`);
    for (const l of losses) if (!l.ok || l.note) out.push(`    ${l.row.id} (${l.row.track}): computed ${money(l.computed)}, published ${money(l.published)}${l.note ? `: ${l.note}` : ": MISMATCH"}`);
  }
  return out;
}

function main(files: string[]) {
  if (files.length === 0) {
    console.error("usage: npm run validate:mssp -- FILE.csv [FILE.csv …]");
    return;
  }
  let reproduced = 0;
  let rows = 0;
  const skipped = new Map<string, number>();
  for (const f of files) {
    const r = validateFile(f);
    for (const line of report(r)) console.log(line);
    if (files.length > 1) console.log(`  ${r.summary}`);
    reproduced += r.reproduced;
    rows += r.rows;
    for (const [k, v] of r.skipped) skipped.set(k, (skipped.get(k) ?? 0) + v);
  }
  console.log(summaryLine(reproduced, rows, skipped));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
