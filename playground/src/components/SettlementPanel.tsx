// THE SETTLEMENT VIEW
//
// One period's data (the bundled example folder, CSV or JSON files the user picks, or a data set
// generated from the population settings) settled exactly in a worker. The statement is browsed by
// recipient and clause; any line opens its explanation, the trace of every input and step. A
// statement exists whole or not at all: an error names the file, row and field.

import { useEffect, useMemo, useRef, useState } from "react";
import type { DataFiles, TableName } from "../../../compiler/src/data/read";
import type { Statement, StatementLine } from "../../../runtime/src/statement";
import { csv, download } from "../lib/download";
import { exampleData } from "../lib/examples";
import { explainLine } from "../../../compiler/src/explain";
import { money } from "../lib/money";
import { Cancelled } from "../lib/rpc";
import { settleClient } from "../lib/workers";
import type { SettleOutcome } from "../workers/settle.worker";

const tableNames: readonly TableName[] = ["physicians", "practices", "members", "claims", "quality", "baseline"];

export type DataSource =
  | { readonly kind: "example" }
  | { readonly kind: "files"; readonly label: string; readonly data: DataFiles; readonly ignored: readonly string[] }
  | { readonly kind: "generated"; readonly label: string; readonly data: DataFiles };

interface Props {
  readonly text: string;
  readonly compiles: boolean;
  readonly overrides: Readonly<Record<string, string>>;
  /** Generates one period of data for the contract from the population settings; absent until a simulator is available. */
  readonly generate?: () => Promise<{ label: string; data: DataFiles }>;
}

const exampleFiles: DataFiles = { format: "csv", tables: exampleData as Partial<Record<TableName, string>> };

export function SettlementPanel({ text, compiles, overrides, generate }: Props) {
  const [source, setSource] = useState<DataSource>({ kind: "example" });
  const [outcome, setOutcome] = useState<SettleOutcome | undefined>();
  const [busy, setBusy] = useState(false);
  const [settledWith, setSettledWith] = useState<string>("");
  const [fileProblem, setFileProblem] = useState<string | undefined>();
  const folderInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    folderInput.current?.setAttribute("webkitdirectory", "");
  }, []);

  const data = source.kind === "example" ? exampleFiles : source.data;
  const key = JSON.stringify([text, overrides]);

  const settling = useRef(0);
  const run = async () => {
    // A newer settlement replaces one still running (its worker stops; a new one starts).
    if (settling.current > 0) settleClient.cancel();
    settling.current++;
    setBusy(true);
    try {
      const result = await settleClient.call("settle", [text, data, { ...overrides }]);
      setOutcome(result);
      setSettledWith(key);
    } catch (e) {
      if (!(e instanceof Cancelled)) setOutcome({ ok: false, error: (e as Error).message });
    } finally {
      settling.current--;
      if (settling.current === 0) setBusy(false);
    }
  };

  // Once there is a statement, keep it current: settle again when the contract or a parameter changes.
  const hasResult = outcome !== undefined;
  useEffect(() => {
    if (!hasResult || !compiles || key === settledWith) return;
    const timer = setTimeout(() => void run(), 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, compiles, hasResult]);

  const readFiles = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    const tables: Partial<Record<TableName, string>> = {};
    const ignored: string[] = [];
    const formats = new Set<string>();
    for (const file of [...files]) {
      const m = /^(.*)\.(csv|json)$/i.exec(file.name);
      const name = m?.[1]?.toLowerCase() as TableName | undefined;
      if (!m || !name || !tableNames.includes(name)) {
        ignored.push(file.name);
        continue;
      }
      formats.add(m[2]!.toLowerCase());
      tables[name] = await file.text();
    }
    if (formats.size > 1) return setFileProblem("These files mix CSV and JSON; a data folder uses one format.");
    if (formats.size === 0) return setFileProblem(`None of these files is a settlement table; the tables are ${tableNames.map((t) => `${t}.csv`).join(", ")}.`);
    setFileProblem(undefined);
    const present = Object.keys(tables);
    setSource({ kind: "files", label: `${present.length} file${present.length === 1 ? "" : "s"}: ${present.join(", ")}`, data: { format: [...formats][0] as "csv" | "json", tables }, ignored });
    setOutcome(undefined);
  };

  return (
    <div className="settlement">
      <section aria-labelledby="data-heading" className="card">
        <h2 id="data-heading">Settlement data</h2>
        <fieldset className="data-source">
          <legend className="visually-hidden">Data source</legend>
          <label>
            <input type="radio" name="data-source" checked={source.kind === "example"} onChange={() => { setSource({ kind: "example" }); setOutcome(undefined); }} /> Example data (data/examples/regional)
          </label>
          {source.kind !== "example" && (
            <label>
              <input type="radio" name="data-source" checked readOnly /> {source.kind === "files" ? "Loaded" : "Generated"}: {source.label}
            </label>
          )}
        </fieldset>
        <div className="row">
          <label className="file-button">
            Load CSV or JSON files…
            <input type="file" multiple accept=".csv,.json,text/csv,application/json" onChange={(e) => void readFiles(e.target.files)} data-testid="data-files" />
          </label>
          <label className="file-button">
            Load a folder…
            <input ref={folderInput} type="file" multiple onChange={(e) => void readFiles(e.target.files)} />
          </label>
          {generate && (
            <button
              type="button"
              onClick={async () => {
                setBusy(true);
                try {
                  const g = await generate();
                  setSource({ kind: "generated", ...g });
                  setOutcome(undefined);
                } catch (e) {
                  setFileProblem((e as Error).message);
                } finally {
                  setBusy(false);
                }
              }}
            >
              Generate from population settings
            </button>
          )}
        </div>
        {fileProblem && <p className="field-error" role="alert">{fileProblem}</p>}
        {source.kind === "files" && source.ignored.length > 0 && <p className="note">Not settlement tables, so ignored: {source.ignored.join(", ")}.</p>}
        <div className="row">
          <button type="button" className="primary" onClick={() => void run()} disabled={!compiles || busy} data-testid="settle">
            {busy ? "Settling…" : "Settle"}
          </button>
          {!compiles && <span className="note">Fix the contract's errors to settle.</span>}
        </div>
      </section>
      <div aria-live="polite" aria-busy={busy}>
        {outcome && !outcome.ok && (
          <p className="error-box" role="alert" data-testid="settle-error">
            No statement: {outcome.error}
          </p>
        )}
        {outcome?.ok && <StatementView statement={outcome.statement} ms={outcome.ms} />}
      </div>
    </div>
  );
}

const PAGE = 100;

function StatementView({ statement, ms }: { statement: Statement; ms: number }) {
  const [recipient, setRecipient] = useState("");
  const [clause, setClause] = useState("");
  const [shown, setShown] = useState(PAGE);
  const [explained, setExplained] = useState<StatementLine | undefined>();
  const explanation = useRef<HTMLDivElement>(null);
  const recipients = Object.keys(statement.totals.byRecipient);
  const clauses = Object.keys(statement.totals.byClause);
  const lines = useMemo(() => statement.lines.filter((l) => (!recipient || l.recipient === recipient) && (!clause || l.clause === clause)), [statement, recipient, clause]);
  useEffect(() => {
    if (explained && !statement.lines.some((l) => l.id === explained.id && l.amount === explained.amount)) setExplained(undefined);
  }, [statement, explained]);
  useEffect(() => {
    if (explained) explanation.current?.focus();
  }, [explained]);

  const exportJson = () => download(`${statement.contract.id || "statement"}-statement.json`, JSON.stringify(statement, null, 2) + "\n", "application/json");
  const exportCsv = () =>
    download(
      `${statement.contract.id || "statement"}-statement.csv`,
      csv([["line", "clause", "kind", "recipient", "payer", "period", "amount", "rule", "cite"], ...statement.lines.map((l) => [l.id, l.clause, l.kind, l.recipient, l.payer, l.period, l.amount, l.trace.rule, l.trace.cite])]),
      "text/csv",
    );

  return (
    <section className="card statement" aria-labelledby="statement-heading" data-testid="statement">
      <div className="section-head">
        <h2 id="statement-heading">
          Statement: {statement.contract.title} {statement.contract.version}, {statement.period.from} to {statement.period.to}
        </h2>
        <div className="row">
          <button type="button" onClick={exportJson}>Export JSON</button>
          <button type="button" onClick={exportCsv}>Export CSV</button>
        </div>
      </div>
      <p className="figure-line">
        Total <strong data-testid="statement-total">{money(statement.totals.total)}</strong> in {statement.lines.length} line{statement.lines.length === 1 ? "" : "s"} · settled in {Math.round(ms)} ms
        {Object.keys(statement.parameters).length > 0 && <> · parameters {Object.entries(statement.parameters).map(([k, v]) => `${k} ${v}`).join(", ")}</>}
      </p>
      {statement.notes.length > 0 && (
        <ul className="notes">
          {statement.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      <div className="two-columns">
        <table className="data">
          <caption>By recipient</caption>
          <thead>
            <tr><th scope="col">Recipient</th><th scope="col" className="num">Amount</th></tr>
          </thead>
          <tbody>
            {Object.entries(statement.totals.byRecipient).map(([r, a]) => (
              <tr key={r}><th scope="row"><button type="button" className="link" onClick={() => { setRecipient(r); setShown(PAGE); }}>{r}</button></th><td className="num">{money(a)}</td></tr>
            ))}
          </tbody>
        </table>
        <table className="data">
          <caption>By clause</caption>
          <thead>
            <tr><th scope="col">Clause</th><th scope="col" className="num">Amount</th></tr>
          </thead>
          <tbody>
            {Object.entries(statement.totals.byClause).map(([c, a]) => (
              <tr key={c}><th scope="row"><button type="button" className="link" onClick={() => { setClause(c); setShown(PAGE); }}>{c}</button></th><td className="num">{money(a)}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="row filters">
        <label>
          Recipient{" "}
          <select value={recipient} onChange={(e) => { setRecipient(e.target.value); setShown(PAGE); }}>
            <option value="">All recipients</option>
            {recipients.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <label>
          Clause{" "}
          <select value={clause} onChange={(e) => { setClause(e.target.value); setShown(PAGE); }}>
            <option value="">All clauses</option>
            {clauses.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        <span className="muted" role="status">{lines.length} line{lines.length === 1 ? "" : "s"}</span>
      </div>
      <div className="table-scroll">
        <table className="data lines" data-testid="statement-lines">
          <caption className="visually-hidden">Statement lines</caption>
          <thead>
            <tr>
              <th scope="col" className="num">Line</th>
              <th scope="col">Clause</th>
              <th scope="col">Kind</th>
              <th scope="col">Recipient</th>
              <th scope="col">Period</th>
              <th scope="col" className="num">Amount</th>
              <th scope="col"><span className="visually-hidden">Explanation</span></th>
            </tr>
          </thead>
          <tbody>
            {lines.slice(0, shown).map((l) => (
              <tr key={l.id} aria-selected={explained?.id === l.id} className={explained?.id === l.id ? "selected" : undefined}>
                <td className="num">{l.id}</td>
                <td>{l.clause}</td>
                <td>{l.kind}</td>
                <td>{l.recipient}</td>
                <td>{l.period}</td>
                <td className="num">{money(l.amount)}</td>
                <td>
                  <button type="button" className="link" onClick={() => setExplained(l)} aria-label={`Explain line ${l.id}`}>
                    Explain
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {lines.length > shown && (
        <button type="button" onClick={() => setShown(shown + PAGE)}>
          Show {Math.min(PAGE, lines.length - shown)} more of {lines.length - shown}
        </button>
      )}
      {explained && (
        <div className="explanation" ref={explanation} tabIndex={-1} role="region" aria-label={`Explanation of line ${explained.id}`} data-testid="explanation">
          <div className="section-head">
            <h3>Line {explained.id}: {explained.clause}</h3>
            <button type="button" className="link" onClick={() => setExplained(undefined)}>Close</button>
          </div>
          <p>
            {explained.kind} of <strong>{money(explained.amount)}</strong> to {explained.recipient}
            {explained.payer ? `, paid by ${explained.payer}` : ""}, for {explained.period}.
          </p>
          <p>
            Rule: {explained.trace.rule}
            {explained.trace.cite && <> · cited {explained.trace.cite}</>}
            {explained.trace.unit && <> · measured for {explained.trace.unit}</>}
          </p>
          <table className="data trace">
            <caption className="visually-hidden">Trace steps</caption>
            <thead>
              <tr><th scope="col">Step</th><th scope="col" className="num">Value</th><th scope="col">Note</th></tr>
            </thead>
            <tbody>
              {explained.trace.steps.map((s, i) => (
                <tr key={i}><th scope="row">{s.name}</th><td className="num">{s.value}</td><td>{s.note ?? ""}</td></tr>
              ))}
            </tbody>
          </table>
          <details>
            <summary>As text (pcmh explain)</summary>
            <pre>{explainLine(explained)}</pre>
          </details>
        </div>
      )}
    </section>
  );
}
