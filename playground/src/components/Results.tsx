// SIMULATION RESULTS
//
// Headline figures (exact means from the simulator), the histogram of contract payments across
// trials, payments by clause as a waterfall, the tornado of sensitivity to each parameter's range,
// and per-recipient figures; in compare mode, the change in each headline figure and the clauses
// that moved it. Every chart has its figures in a table as well.

import type { ChartConfiguration } from "chart.js";
import { useMemo } from "react";
import type { ParameterSpec } from "../../../runtime/src/program";
import type { Distribution, Summary } from "../../../simulator/src/montecarlo";
import { csv, download } from "../lib/download";
import { dollars, minus, money, percent } from "../lib/money";
import type { SimSettings } from "../lib/settings";
import type { Run, SimResult, TornadoBar } from "../lib/simulation";
import { Chart } from "./Chart";

interface Props {
  readonly result: SimResult;
  readonly parameters: readonly ParameterSpec[];
  readonly overrides: Readonly<Record<string, string>>;
  readonly settings: SimSettings;
}

interface Headline {
  readonly key: string;
  readonly label: string;
  readonly value: (s: Summary) => string;
  readonly kind: "money" | "probability";
  readonly description: string;
}

const headlines: readonly Headline[] = [
  { key: "payer-spend", label: "Expected payer spend", value: (s) => s.payerNetCost.mean, kind: "money", description: "Claims cost plus contract payments, mean over trials." },
  { key: "contract-payments", label: "Expected contract payments", value: (s) => s.contractPayments.mean, kind: "money", description: "Everything the contract pays, mean over trials." },
  { key: "practice-revenue", label: "Practice revenue", value: (s) => s.practiceRevenue.mean, kind: "money", description: "Contract payments to practices, mean over trials." },
  { key: "shared-savings", label: "Shared savings", value: (s) => s.sharedSavings.mean, kind: "money", description: "Paid (or recouped) by shared-savings clauses, mean over trials." },
  { key: "probability-of-loss", label: "Probability of loss", value: (s) => s.probabilityOfLoss, kind: "probability", description: "Share of trials where shared savings are negative (practices owe)." },
  { key: "probability-msr", label: "Probability of clearing the MSR", value: (s) => s.probabilityOfClearingMinimum, kind: "probability", description: "Share of trials where a shared-savings clause pays anything." },
];

const show = (h: Headline, v: string) => (h.kind === "money" ? dollars(v) : percent(v));
const showChange = (h: Headline, a: string, b: string) =>
  h.kind === "money" ? dollars(minus(b, a), { sign: true }) : `${Number(b) - Number(a) >= 0 ? "+" : "−"}${Math.abs((Number(b) - Number(a)) * 100).toFixed(1)} pts`;

export function Results({ result, parameters, overrides, settings }: Props) {
  const { main, comparison } = result;
  const s = main.summary;
  const base = comparison?.base.summary;
  const exportCsv = () => download(`${slug(main.title)}-simulation.csv`, resultsCsv(result, settings, overrides), "text/csv");
  return (
    <div className="results" data-testid="results">
      <section className="card" aria-labelledby="headline-heading">
        <div className="section-head">
          <h2 id="headline-heading">Results: {main.title}</h2>
          <button type="button" onClick={exportCsv} data-testid="export-results">
            Export results CSV
          </button>
        </div>
        <p className="muted">
          {s.trials.toLocaleString("en-US")} trials of {settings.members.toLocaleString("en-US")} {settings.preset} members, seed {settings.seed} · {(result.ms / 1000).toFixed(1)} s on {result.workers} worker{result.workers === 1 ? "" : "s"} · standard error of the mean payment {money(s.standardErrorOfMean)}
          {Object.keys(overrides).length > 0 && <> · parameters {Object.entries(overrides).map(([k, v]) => `${k} ${v}`).join(", ")}</>}
        </p>
        {s.failedTrials > 0 && (
          <div className="error-box" role="alert">
            {s.failedTrials} of {s.trials} trials could not be settled and are left out:
            <ul>
              {s.errors.slice(0, 5).map((e, i) => (
                <li key={i}>{e}</li>
              ))}
            </ul>
          </div>
        )}
        <dl className="headlines">
          {headlines.map((h) => (
            <div key={h.key} className="headline" data-testid={`figure-${h.key}`} title={h.description}>
              <dt>{h.label}</dt>
              <dd>
                <span className="figure">{show(h, h.value(s))}</span>
                {base && (
                  <span className="change" data-testid={`change-${h.key}`}>
                    {showChange(h, h.value(base), h.value(s))} <span className="muted">vs {show(h, h.value(base))} as loaded</span>
                  </span>
                )}
              </dd>
            </div>
          ))}
        </dl>
      </section>
      {comparison && <CompareView result={result} />}
      <section className="card" aria-labelledby="histogram-heading">
        <h2 id="histogram-heading">Contract payments across trials</h2>
        <Histogram main={main} {...(comparison ? { base: comparison.base } : {})} />
        <DistributionTable rows={[["Contract payments", s.contractPayments], ["Payer spend", s.payerNetCost], ["Practice revenue", s.practiceRevenue], ["Shared savings", s.sharedSavings]]} caption="Distribution of the headline amounts over trials" />
      </section>
      <section className="card" aria-labelledby="clauses-heading">
        <h2 id="clauses-heading">Payments by clause</h2>
        <Waterfall summary={s} />
        <DistributionTable rows={Object.entries(s.byClause)} caption="Payments by clause over trials" />
      </section>
      {result.tornado.length > 0 && (
        <section className="card" aria-labelledby="tornado-heading">
          <h2 id="tornado-heading">Sensitivity to each parameter's range</h2>
          <p className="muted">Expected contract payments with one parameter at each end of its declared range and the others as set, on the first {result.sensitivityTrials} trials' draws.</p>
          <Tornado bars={result.tornado} />
          <table className="data" data-testid="tornado-table">
            <caption className="visually-hidden">Sensitivity figures</caption>
            <thead>
              <tr>
                <th scope="col">Parameter</th>
                <th scope="col" className="num">At low bound</th>
                <th scope="col" className="num">At high bound</th>
                <th scope="col" className="num">Swing</th>
              </tr>
            </thead>
            <tbody>
              {result.tornado.map((t) => (
                <tr key={t.parameter}>
                  <th scope="row">{t.parameter}</th>
                  <td className="num">{t.low}: {dollars(t.meanAtLow)}</td>
                  <td className="num">{t.high}: {dollars(t.meanAtHigh)}</td>
                  <td className="num">{dollars(minus(t.meanAtHigh, t.meanAtLow), { sign: true })}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {parameters.length > result.tornado.length && <p className="note small">Parameters without a numeric range are not varied.</p>}
        </section>
      )}
      <section className="card" aria-labelledby="recipients-heading">
        <h2 id="recipients-heading">By practice and panel</h2>
        <RecipientTable main={main} {...(comparison ? { base: comparison.base } : {})} />
      </section>
    </div>
  );
}

function CompareView({ result }: { result: SimResult }) {
  const comparison = result.comparison!;
  const a = comparison.base.summary;
  const b = result.main.summary;
  const clauses = [...new Set([...Object.keys(a.byClause), ...Object.keys(b.byClause)])];
  const moved = clauses
    .map((c) => ({ clause: c, before: a.byClause[c]?.mean ?? "0.00", after: b.byClause[c]?.mean ?? "0.00" }))
    .map((x) => ({ ...x, change: minus(x.after, x.before) }))
    .sort((x, y) => Math.abs(Number(y.change)) - Math.abs(Number(x.change)));
  const totalChange = minus(b.contractPayments.mean, a.contractPayments.mean);
  return (
    <section className="card compare" aria-labelledby="compare-heading" data-testid="compare-view">
      <h2 id="compare-heading">Edited contract vs the contract as loaded</h2>
      {!comparison.sameDraws && <p className="note">The two versions need different data (payers, measures or periods), so each drew its own population from the same seed.</p>}
      <table className="data" data-testid="compare-table">
        <caption>Headline figures, same draws</caption>
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col" className="num">As loaded</th>
            <th scope="col" className="num">Edited</th>
            <th scope="col" className="num">Change</th>
          </tr>
        </thead>
        <tbody>
          {headlines.map((h) => (
            <tr key={h.key}>
              <th scope="row">{h.label}</th>
              <td className="num">{show(h, h.value(a))}</td>
              <td className="num">{show(h, h.value(b))}</td>
              <td className="num delta">{showChange(h, h.value(a), h.value(b))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Per trial, the edit changes contract payments by {dollars(comparison.paymentChange.mean, { sign: true })} on average (5th to 95th percentile {dollars(comparison.paymentChange.p5, { sign: true })} to {dollars(comparison.paymentChange.p95, { sign: true })}).
      </p>
      <table className="data" data-testid="clauses-moved">
        <caption>Which clauses moved expected contract payments</caption>
        <thead>
          <tr>
            <th scope="col">Clause</th>
            <th scope="col" className="num">As loaded</th>
            <th scope="col" className="num">Edited</th>
            <th scope="col" className="num">Change</th>
            <th scope="col" className="num">Share of change</th>
          </tr>
        </thead>
        <tbody>
          {moved.map((m) => (
            <tr key={m.clause} className={Number(m.change) === 0 ? "muted" : undefined}>
              <th scope="row">{m.clause}</th>
              <td className="num">{dollars(m.before)}</td>
              <td className="num">{dollars(m.after)}</td>
              <td className="num delta">{dollars(m.change, { sign: true })}</td>
              <td className="num">{Number(totalChange) !== 0 ? percent(Number(m.change) / Number(totalChange), 0) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details open={comparison.changes.length > 0 && comparison.changes.length <= 6}>
        <summary>What changed in the text ({comparison.changes.length === 0 ? "nothing but layout or comments" : `${comparison.changes.length} declaration${comparison.changes.length === 1 ? "" : "s"}`})</summary>
        <ul className="changes">
          {comparison.changes.map((c, i) => (
            <li key={i}>
              <strong>{c.subject}</strong> {c.kind}
              <pre>{c.lines.map((l) => (l.old !== undefined && l.new !== undefined ? `- ${l.old}\n+ ${l.new}` : l.old !== undefined ? `- ${l.old}` : `+ ${l.new}`)).join("\n")}</pre>
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}

function bins(values: readonly number[], lo: number, hi: number, count: number): number[] {
  const out = new Array<number>(count).fill(0);
  const width = (hi - lo) / count || 1;
  for (const v of values) out[Math.min(count - 1, Math.max(0, Math.floor((v - lo) / width)))]!++;
  return out;
}

const compact = (n: number) => `${n < 0 ? "−" : ""}$${Math.abs(n) >= 1e6 ? `${(Math.abs(n) / 1e6).toFixed(2)}M` : Math.abs(n) >= 1e3 ? `${(Math.abs(n) / 1e3).toFixed(1)}k` : Math.abs(n).toFixed(0)}`;

function Histogram({ main, base }: { main: Run; base?: Run }) {
  const config = useMemo<ChartConfiguration<"bar">>(() => {
    const all = [...main.totals, ...(base?.totals ?? [])];
    const lo = Math.min(...all);
    const hi = Math.max(...all);
    const count = hi === lo ? 1 : Math.min(30, Math.max(5, Math.ceil(Math.sqrt(all.length / (base ? 2 : 1))) + 1));
    const width = (hi - lo) / count;
    const labels = Array.from({ length: count }, (_, i) => (hi === lo ? compact(lo) : `${compact(lo + i * width)}–${compact(lo + (i + 1) * width)}`));
    return {
      type: "bar",
      data: {
        labels,
        datasets: [
          ...(base ? [{ label: "As loaded", data: bins(base.totals, lo, hi, count), backgroundColor: "rgba(120,120,120,0.45)", barPercentage: 1, categoryPercentage: 0.95 }] : []),
          { label: base ? "Edited" : "Trials", data: bins(main.totals, lo, hi, count), backgroundColor: "rgba(11,79,156,0.7)", barPercentage: 1, categoryPercentage: 0.95 },
        ],
      },
      options: { plugins: { legend: { display: !!base } }, scales: { x: { title: { display: true, text: "Contract payments in a trial" } }, y: { title: { display: true, text: "Trials" }, beginAtZero: true, ticks: { precision: 0 } } } },
    };
  }, [main, base]);
  const d = main.summary.contractPayments;
  return <Chart config={config} label={`Histogram of contract payments over ${main.totals.length} trials: 5th percentile ${dollars(d.p5)}, median ${dollars(d.p50)}, 95th percentile ${dollars(d.p95)}.`} testId="histogram" />;
}

function Waterfall({ summary }: { summary: Summary }) {
  const config = useMemo<ChartConfiguration<"bar">>(() => {
    const entries = Object.entries(summary.byClause);
    let running = 0;
    const steps = entries.map(([, d]) => {
      const start = running;
      running += Number(d.mean);
      return [start, running] as [number, number];
    });
    return {
      type: "bar",
      data: {
        labels: [...entries.map(([c]) => c), "Total"],
        datasets: [
          {
            label: "Mean payment",
            data: [...steps, [0, Number(summary.contractPayments.mean)] as [number, number]],
            backgroundColor: [...entries.map(([, d]) => (Number(d.mean) >= 0 ? "rgba(10,122,75,0.7)" : "rgba(190,40,40,0.7)")), "rgba(11,79,156,0.8)"],
          },
        ],
      },
      options: {
        indexAxis: "y",
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (ctx) => { const [a, b] = ctx.raw as [number, number]; return `${compact(b - a)}`; } } } },
        scales: { x: { title: { display: true, text: "Mean over trials" }, ticks: { callback: (v) => compact(Number(v)) } } },
      },
    };
  }, [summary]);
  return <Chart config={config} label={`Waterfall of mean payments by clause: ${Object.entries(summary.byClause).map(([c, d]) => `${c} ${dollars(d.mean)}`).join("; ")}; total ${dollars(summary.contractPayments.mean)}.`} height={Math.max(140, 40 + 32 * (Object.keys(summary.byClause).length + 1))} testId="waterfall" />;
}

function Tornado({ bars }: { bars: readonly TornadoBar[] }) {
  const config = useMemo<ChartConfiguration<"bar">>(() => {
    const delta = (v: string, base: string) => Number(v) - Number(base);
    return {
      type: "bar",
      data: {
        labels: bars.map((b) => b.parameter),
        datasets: [
          { label: "At the low bound", data: bars.map((b) => [0, delta(b.meanAtLow, b.base)] as [number, number]), backgroundColor: "rgba(190,90,20,0.75)", grouped: false },
          { label: "At the high bound", data: bars.map((b) => [0, delta(b.meanAtHigh, b.base)] as [number, number]), backgroundColor: "rgba(11,79,156,0.75)", grouped: false },
        ],
      },
      options: {
        indexAxis: "y",
        scales: { x: { title: { display: true, text: "Change in expected contract payments" }, ticks: { callback: (v) => compact(Number(v)) } } },
        plugins: { tooltip: { callbacks: { label: (ctx) => { const [, b] = ctx.raw as [number, number]; return `${ctx.dataset.label}: ${compact(b)}`; } } } },
      },
    };
  }, [bars]);
  return <Chart config={config} label={`Tornado chart: ${bars.map((b) => `${b.parameter} from ${dollars(b.meanAtLow)} at ${b.low} to ${dollars(b.meanAtHigh)} at ${b.high}`).join("; ")}.`} height={Math.max(140, 50 + 34 * bars.length)} testId="tornado" />;
}

function DistributionTable({ rows, caption }: { rows: readonly (readonly [string, Distribution])[]; caption: string }) {
  return (
    <table className="data">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col"></th>
          <th scope="col" className="num">Mean</th>
          <th scope="col" className="num">SD</th>
          <th scope="col" className="num">5th pct</th>
          <th scope="col" className="num">Median</th>
          <th scope="col" className="num">95th pct</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, d]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td className="num">{dollars(d.mean)}</td>
            <td className="num">{dollars(d.sd)}</td>
            <td className="num">{dollars(d.p5)}</td>
            <td className="num">{dollars(d.p50)}</td>
            <td className="num">{dollars(d.p95)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RecipientTable({ main, base }: { main: Run; base?: Run }) {
  const names = [...new Set([...Object.keys(main.recipients), ...Object.keys(base?.recipients ?? {})])].sort(byKindThenName);
  if (names.length === 0) return <p className="note">No payments in any trial.</p>;
  return (
    <div className="table-scroll">
      <table className="data" data-testid="recipients">
        <caption className="visually-hidden">Payments by recipient over trials</caption>
        <thead>
          <tr>
            <th scope="col">Recipient</th>
            <th scope="col" className="num">Mean</th>
            <th scope="col" className="num">5th pct</th>
            <th scope="col" className="num">95th pct</th>
            {base && <th scope="col" className="num">Change vs as loaded</th>}
          </tr>
        </thead>
        <tbody>
          {names.map((n) => {
            const d = main.recipients[n];
            return (
              <tr key={n}>
                <th scope="row">{n}</th>
                <td className="num">{d ? dollars(d.mean) : "—"}</td>
                <td className="num">{d ? dollars(d.p5) : "—"}</td>
                <td className="num">{d ? dollars(d.p95) : "—"}</td>
                {base && <td className="num delta">{dollars(minus(d?.mean ?? "0.00", base.recipients[n]?.mean ?? "0.00"), { sign: true })}</td>}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const kindOrder = ["practice", "panel", "physician", "community care team"];
function byKindThenName(a: string, b: string): number {
  const ka = kindOrder.indexOf(a.slice(0, a.indexOf(":")));
  const kb = kindOrder.indexOf(b.slice(0, b.indexOf(":")));
  return ka !== kb ? ka - kb : a.localeCompare(b, "en", { numeric: true });
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "contract";
}

function resultsCsv(result: SimResult, settings: SimSettings, overrides: Readonly<Record<string, string>>): string {
  const rows: (string | number | undefined)[][] = [["section", "name", "version", "mean", "sd", "p5", "p50", "p95", "min", "max"]];
  const dist = (section: string, name: string, version: string, d: Distribution) => rows.push([section, name, version, d.mean, d.sd, d.p5, d.p50, d.p95, d.min, d.max]);
  rows.push(["setting", "preset", "", settings.preset], ["setting", "members", "", settings.members], ["setting", "trials", "", settings.trials], ["setting", "seed", "", settings.seed]);
  for (const [k, v] of Object.entries(settings.effects)) rows.push(["lever", k, "", v]);
  for (const [k, v] of Object.entries(overrides)) rows.push(["parameter", k, "edited", v]);
  const runs: [string, Run][] = [["edited", result.main], ...(result.comparison ? [["as loaded", result.comparison.base] as [string, Run]] : [])];
  for (const [version, run] of runs) {
    const s = run.summary;
    dist("headline", "contract payments", version, s.contractPayments);
    dist("headline", "payer spend", version, s.payerNetCost);
    dist("headline", "practice revenue", version, s.practiceRevenue);
    dist("headline", "shared savings", version, s.sharedSavings);
    rows.push(["headline", "probability of loss", version, s.probabilityOfLoss]);
    rows.push(["headline", "probability of clearing the MSR", version, s.probabilityOfClearingMinimum]);
    rows.push(["headline", "failed trials", version, s.failedTrials]);
    for (const [c, d] of Object.entries(s.byClause)) dist("clause", c, version, d);
    for (const [r, d] of Object.entries(run.recipients)) dist("recipient", r, version, d);
  }
  if (result.comparison) dist("change", "contract payments per trial", "edited − as loaded", result.comparison.paymentChange);
  for (const t of result.tornado) {
    rows.push(["sensitivity", t.parameter, `at ${t.low}`, t.meanAtLow]);
    rows.push(["sensitivity", t.parameter, `at ${t.high}`, t.meanAtHigh]);
  }
  result.main.totals.forEach((v, i) => rows.push(["trial", String(i), "edited", v.toFixed(2)]));
  return csv(rows);
}
