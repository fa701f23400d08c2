// THE POPULATION PANEL AND THE SIMULATION
//
// Settings (preset, members, trials, seed, scenario levers) and a Run button; the run happens in a
// worker with a progress bar and a Cancel button, so the page never freezes. Once there are
// results, moving a parameter runs the simulation again by itself; other edits mark the results as
// out of date until the next run.

import { useEffect, useId, useRef, useState } from "react";
import type { ParameterSpec } from "../../../runtime/src/program";
import { Cancelled } from "../lib/rpc";
import { effectDefaults, effectInfo, limits, presetNames, type SimSettings } from "../lib/settings";
import { cancelSimulation, scenarioOf, simulate, type Progress, type SimResult } from "../lib/simulation";
import type { ContractInfo } from "../workers/service.worker";
import { Results } from "./Results";

interface Props {
  readonly text: string;
  readonly originalText: string;
  readonly compiles: boolean;
  readonly contract: ContractInfo | undefined;
  readonly overrides: Readonly<Record<string, string>>;
  readonly settings: SimSettings;
  readonly onSettings: (s: SimSettings) => void;
  readonly compare: boolean;
  readonly onCompare: (on: boolean) => void;
}

type Status = { kind: "idle" } | { kind: "running"; progress?: Progress } | { kind: "cancelled" } | { kind: "failed"; message: string };

export function SimulationPanel({ text, originalText, compiles, contract, overrides, settings, onSettings, compare, onCompare }: Props) {
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const [result, setResult] = useState<{ result: SimResult; key: string; overrides: Readonly<Record<string, string>> } | undefined>();
  const id = useId();
  const runKey = JSON.stringify([text, overrides, settings, compare, compare ? originalText : ""]);
  const parametersKey = JSON.stringify(overrides);
  const lastParameters = useRef(parametersKey);

  const run = async () => {
    setStatus({ kind: "running" });
    try {
      const request = {
        text,
        parameters: { ...overrides },
        ...(compare ? { baseText: originalText } : {}),
        scenario: scenarioOf(settings),
        trials: settings.trials,
        sensitivityTrials: settings.sensitivityTrials,
      };
      const r = await simulate(request, (progress) => setStatus({ kind: "running", progress }));
      setResult({ result: r, key: runKey, overrides: { ...overrides } });
      setStatus({ kind: "idle" });
    } catch (e) {
      setStatus(e instanceof Cancelled ? { kind: "cancelled" } : { kind: "failed", message: (e as Error).message });
    }
  };

  // Moving a parameter (or switching compare mode) re-runs a simulation that already has results.
  const compareKey = String(compare);
  const lastCompare = useRef(compareKey);
  useEffect(() => {
    const changed = parametersKey !== lastParameters.current || compareKey !== lastCompare.current;
    lastParameters.current = parametersKey;
    lastCompare.current = compareKey;
    if (!changed || !result || !compiles) return;
    const timer = setTimeout(() => void run(), 350);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [parametersKey, compareKey]);

  useEffect(() => () => cancelSimulation(), []);

  const running = status.kind === "running";
  const set = (patch: Partial<SimSettings>) => onSettings({ ...settings, ...patch });
  const stale = result !== undefined && result.key !== runKey && !running;
  const progress = status.kind === "running" ? status.progress : undefined;

  return (
    <div className="simulation">
      <section className="card" aria-labelledby={`${id}-population`}>
        <h2 id={`${id}-population`}>Population</h2>
        <form
          className="settings-grid"
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <label>
            Preset
            <select value={settings.preset} onChange={(e) => set({ preset: e.target.value })} data-testid="preset">
              {presetNames.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          <NumberField label="Members" value={settings.members} {...limits.members} onChange={(members) => set({ members })} testId="members" />
          <NumberField label="Trials" value={settings.trials} {...limits.trials} onChange={(trials) => set({ trials })} testId="trials" />
          <NumberField label="Seed" value={settings.seed} min={-2147483648} max={2147483647} onChange={(seed) => set({ seed })} testId="seed" />
          <NumberField
            label="Sensitivity trials"
            value={settings.sensitivityTrials}
            {...limits.sensitivityTrials}
            onChange={(sensitivityTrials) => set({ sensitivityTrials })}
            description="Trials per parameter bound for the tornado; 0 turns it off."
          />
          <fieldset className="levers">
            <legend>Scenario levers</legend>
            {Object.keys(effectDefaults).length === 0 && <p className="note">This population model has no levers.</p>}
            {Object.entries(effectDefaults).map(([name, fallback]) => (
              <Lever key={name} name={name} value={settings.effects[name] ?? fallback} onChange={(v) => set({ effects: { ...settings.effects, [name]: v } })} />
            ))}
          </fieldset>
          <label className="checkbox">
            <input type="checkbox" checked={compare} onChange={(e) => onCompare(e.target.checked)} data-testid="compare" /> Compare with the contract as loaded (same draws)
          </label>
          <div className="row">
            <button type="submit" className="primary" disabled={!compiles || running} data-testid="run">
              {running ? "Simulating…" : result ? "Run again" : "Run simulation"}
            </button>
            <button type="button" onClick={() => cancelSimulation()} disabled={!running} data-testid="cancel">
              Cancel
            </button>
            {!compiles && <span className="note">Fix the contract's errors to simulate.</span>}
          </div>
        </form>
        <div aria-live="polite" className="status-line">
          {running && (
            <div className="progress">
              <label htmlFor={`${id}-progress`}>
                {progress ? `Settled ${progress.done.toLocaleString("en-US")} of ${progress.total.toLocaleString("en-US")} populations` : "Starting…"}
              </label>
              <progress id={`${id}-progress`} max={progress?.total ?? 1} value={progress?.done ?? 0} data-testid="progress" />
            </div>
          )}
          {status.kind === "cancelled" && <p className="note">Simulation cancelled.</p>}
          {status.kind === "failed" && (
            <p className="error-box" role="alert">
              {status.message}
            </p>
          )}
          {stale && <p className="note" data-testid="stale">These results are for an earlier version of the contract or settings. Run again to update them.</p>}
        </div>
      </section>
      {result && <Results result={result.result} parameters={contract?.parameters ?? ([] as ParameterSpec[])} overrides={result.overrides} settings={settings} />}
    </div>
  );
}

function NumberField(props: { label: string; value: number; min: number; max: number; onChange: (n: number) => void; testId?: string; description?: string }) {
  const id = useId();
  const [draft, setDraft] = useState<string | undefined>();
  const text = draft ?? String(props.value);
  const n = Number(text);
  const bad = !/^-?\d+$/.test(text.trim()) || n < props.min || n > props.max;
  return (
    <label>
      {props.label}
      <input
        type="number"
        inputMode="numeric"
        min={props.min}
        max={props.max}
        step={1}
        value={text}
        aria-invalid={bad || undefined}
        aria-describedby={bad || props.description ? `${id}-d` : undefined}
        data-testid={props.testId}
        onChange={(e) => {
          setDraft(e.target.value);
          const v = Number(e.target.value);
          if (/^-?\d+$/.test(e.target.value.trim()) && v >= props.min && v <= props.max) props.onChange(v);
        }}
        onBlur={() => setDraft(undefined)}
      />
      {(bad || props.description) && (
        <span id={`${id}-d`} className={bad ? "field-error" : "note small"}>
          {bad ? `A whole number from ${props.min.toLocaleString("en-US")} to ${props.max.toLocaleString("en-US")}.` : props.description}
        </span>
      )}
    </label>
  );
}

function Lever({ name, value, onChange }: { name: string; value: number; onChange: (v: number) => void }) {
  const id = useId();
  const info = effectInfo[name];
  const label = name.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase();
  const min = Math.max(-0.5, info?.min ?? -0.5);
  const max = Math.min(0.5, info?.max ?? 0.5);
  const pct = Math.round(value * 1000) / 10;
  const text = `${pct > 0 ? "+" : ""}${pct}%`;
  return (
    <div className="lever">
      <label htmlFor={id} title={info?.meaning}>
        {label}
      </label>
      <input
        id={id}
        type="range"
        min={min * 100}
        max={max * 100}
        step={0.5}
        value={Math.max(min * 100, Math.min(max * 100, pct))}
        aria-valuetext={text}
        aria-describedby={`${id}-meaning`}
        onChange={(e) => onChange(Number(e.target.value) / 100)}
      />
      <output htmlFor={id}>{text}</output>
      {info && (
        <span id={`${id}-meaning`} className="visually-hidden">
          {info.meaning}
        </span>
      )}
    </div>
  );
}
