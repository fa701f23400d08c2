// SETTLEMENT ERRORS
//
// Everything that stops a settlement: bad data, a value no tier row matches, a division by zero, a
// module built for another runtime. Each carries a PCMH05xx code and says where (file, row, field,
// or the clause and unit being settled). A settlement that throws produces no statement at all.

export type SettlementErrorCode =
  | "PCMH0501" // malformed data file
  | "PCMH0502" // missing or unexpected column
  | "PCMH0503" // wrong value in a field
  | "PCMH0504" // duplicate key
  | "PCMH0505" // unknown reference (physician, practice, member)
  | "PCMH0506" // date outside the contract term or the settled period
  | "PCMH0507" // panel outside its bounds
  | "PCMH0508" // no tier row matches
  | "PCMH0509" // two rules apply at once
  | "PCMH0510" // division by zero
  | "PCMH0511" // runtime ABI mismatch
  | "PCMH0512" // bad parameter override
  | "PCMH0513"; // missing data a clause needs

export class SettlementError extends Error {
  constructor(
    readonly code: SettlementErrorCode,
    message: string,
    readonly where?: { file?: string; row?: number; field?: string; clause?: string; unit?: string },
  ) {
    super(message);
    this.name = "SettlementError";
  }

  /** `file:row: field: message` or `clause "X", unit Y: message`. */
  describe(): string {
    const w = this.where;
    const place = w?.file
      ? `${w.file}${w.row !== undefined ? `:${w.row}` : ""}${w.field ? ` (${w.field})` : ""}: `
      : w?.clause
        ? `clause "${w.clause}"${w.unit ? `, ${w.unit}` : ""}: `
        : "";
    return `${this.code}: ${place}${this.message}`;
  }
}
