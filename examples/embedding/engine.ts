// A payment engine embedding a compiled contract: it builds the period's data from its own
// systems (here, literals), settles, and posts each statement line. Run with:
//   npx pcmh compile contracts/examples/regional-pcmh.pcmh --out examples/embedding
//   npx tsx examples/embedding/engine.ts
import { SettlementError, type Statement } from "@pcmh/runtime";
import contract, { type ContractInput } from "./regional-pcmh.ts";

const physicians = Array.from({ length: 10 }, (_, i) => ({ id: `D${i + 1}`, practice: i < 6 ? "P1" : "P2", panel: "N1" }));

export function januaryData(): ContractInput {
  return {
    practices: [{ id: "P1" }, { id: "P2" }],
    physicians,
    members: [
      { member: "M1", month: "2026-01", payer: "Example Health Plan", riskScore: "0.85", physician: "D1" },
      { member: "M2", month: "2026-01", payer: "Example Health Plan", riskScore: "2.40", physician: "D7" },
    ],
    claims: [{ id: "C1", member: "M1", date: "2026-01-12", physician: "D1", code: "99214", category: "primary_care", allowed: "150.00" }],
    quality: [{ level: "practice", id: "P1", measure: "BCS", numerator: "40", denominator: "50" }],
    baseline: [{ level: "panel", id: "N1", memberMonths: "2", cost: "900.00", riskScore: "1.00" }],
    parameters: { uplift: "15%" },
  };
}

export function run(input: ContractInput): Statement {
  const statement = contract.settle(input);
  for (const line of statement.lines) console.log(`post ${line.amount.padStart(10)} to ${line.recipient} for "${line.clause}" (${line.period})`);
  console.log(`total ${statement.totals.total}, contract ${contract.meta.contractId} ${contract.meta.version}, source ${contract.meta.sourceHash.slice(0, 12)}`);
  return statement;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    run(januaryData());
  } catch (e) {
    if (!(e instanceof SettlementError)) throw e;
    console.error(e.describe());
    process.exitCode = 1;
  }
}
