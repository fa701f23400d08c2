// A settlement input written back as the CSV tables of docs/data-formats.md, so that generated
// data goes through the same reader as uploaded data (and can be downloaded).
import type { DataFiles, TableName } from "../../../compiler/src/data/read";
import type { SettlementInput } from "../../../runtime/src/input";
import { csv } from "./download";

export function toCsvTables(input: SettlementInput): DataFiles {
  const t = (header: string[], rows: (string | undefined)[][]) => csv([header, ...rows]);
  const tables: Record<TableName, string> = {
    physicians: t(["physician_id", "practice_id", "panel_id", "name"], input.physicians.map((r) => [r.id, r.practice, r.panel, r.name])),
    practices: t(["practice_id", "name", "risk_group", "recognition_level", "community_care_team"], input.practices.map((r) => [r.id, r.name, r.riskGroup, r.recognitionLevel, r.careTeam])),
    members: t(["member_id", "month", "payer", "lob", "risk_score", "age", "physician_id"], input.members.map((r) => [r.member, r.month, r.payer, r.lob, r.riskScore, r.age, r.physician])),
    claims: t(["claim_id", "member_id", "date", "physician_id", "code", "category", "allowed", "units"], input.claims.map((r) => [r.id, r.member, r.date, r.physician, r.code, r.category, r.allowed, r.units])),
    quality: t(["level", "id", "measure", "numerator", "denominator"], input.quality.map((r) => [r.level, r.id, r.measure, r.numerator, r.denominator])),
    baseline: t(["level", "id", "member_months", "cost", "risk_score"], input.baseline.map((r) => [r.level, r.id, r.memberMonths, r.cost, r.riskScore])),
  };
  return { format: "csv", tables };
}
