// SETTLEMENT INPUT
//
// One period's data, already read and checked field by field (see compiler/src/data for the CSV
// and JSON readers, which name file, row and field on any error). Numbers are decimal strings;
// months are "YYYY-MM", dates "YYYY-MM-DD". The engine checks what crosses tables: unknown
// physicians or practices, duplicate member-months, months outside the term, panel sizes.

export interface PhysicianRow {
  readonly id: string;
  readonly practice: string;
  readonly panel?: string;
  readonly name?: string;
}

export interface PracticeRow {
  readonly id: string;
  readonly name?: string;
  readonly riskGroup?: string;
  readonly recognitionLevel?: string;
  readonly careTeam?: string;
}

export interface MemberMonthRow {
  readonly member: string;
  readonly month: string;
  readonly payer: string;
  readonly lob?: string;
  readonly riskScore: string;
  readonly age?: string;
  /** The attributed (roster) or designated physician, when the payer supplies one. */
  readonly physician?: string;
}

export interface ClaimRow {
  readonly id: string;
  readonly member: string;
  readonly date: string;
  readonly physician?: string;
  readonly code: string;
  /** primary_care, ed, inpatient, specialist, outpatient, pharmacy or other. */
  readonly category: string;
  readonly allowed: string;
  readonly units?: string;
}

export interface QualityRow {
  readonly level: "practice" | "physician";
  readonly id: string;
  readonly measure: string;
  readonly numerator: string;
  readonly denominator: string;
}

export interface BaselineRow {
  readonly level: "practice" | "physician" | "panel" | "contract";
  readonly id: string;
  readonly memberMonths: string;
  readonly cost: string;
  readonly riskScore: string;
}

export interface SettlementInput {
  readonly physicians: readonly PhysicianRow[];
  readonly practices: readonly PracticeRow[];
  readonly members: readonly MemberMonthRow[];
  readonly claims: readonly ClaimRow[];
  readonly quality: readonly QualityRow[];
  readonly baseline: readonly BaselineRow[];
  /** Negotiable terms set for this run (`--set uplift=15%`), by parameter name. */
  readonly parameters?: Readonly<Record<string, string>>;
}
