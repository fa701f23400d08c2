// Every parameter of the contract as a control within its declared range: a slider and a text box
// for numeric parameters with a range, a text box otherwise. Values are exact text throughout.

import { useId, useState } from "react";
import type { ParameterSpec } from "../../../runtime/src/program";
import { display, problemWith, sliderFor } from "../lib/params";

interface Props {
  readonly parameters: readonly ParameterSpec[];
  /** Display text of the parameters the user changed, by name. */
  readonly values: Readonly<Record<string, string>>;
  readonly onChange: (name: string, text: string | undefined) => void;
  readonly stale: boolean;
}

export function ParametersPanel({ parameters, values, onChange, stale }: Props) {
  return (
    <section className="parameters" aria-labelledby="parameters-heading">
      <div className="section-head">
        <h2 id="parameters-heading">Negotiable parameters</h2>
        {Object.keys(values).length > 0 && (
          <button type="button" className="link" onClick={() => parameters.forEach((p) => onChange(p.name, undefined))}>
            Reset all
          </button>
        )}
      </div>
      {stale && <p className="note" role="status">The contract has errors; these are the parameters of its last version that compiled.</p>}
      {parameters.length === 0 ? (
        <p className="note">This contract declares no parameters.</p>
      ) : (
        <ul className="parameter-list">
          {parameters.map((p) => (
            <ParameterControl key={`${p.name}:${p.unit}:${p.range?.join("-")}`} spec={p} value={values[p.name]} onChange={(t) => onChange(p.name, t)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ParameterControl({ spec, value, onChange }: { spec: ParameterSpec; value: string | undefined; onChange: (text: string | undefined) => void }) {
  const id = useId();
  // A parameter may leave its value to each settlement (`parameter basic_level: Text`).
  const declared = (spec as { value?: string }).value;
  const defaultText = declared !== undefined ? display(spec, declared) : "";
  const current = value ?? defaultText;
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const slider = sliderFor(spec);
  const shown = draft ?? current;
  const problem = draft !== undefined ? problemWith(spec, draft) : undefined;
  const commit = (text: string) => {
    if (problemWith(spec, text)) return;
    onChange(text.trim() === defaultText ? undefined : text.trim());
  };
  const range = spec.range ? `${display(spec, spec.range[0])} to ${display(spec, spec.range[1])}` : undefined;
  return (
    <li className={`parameter${value !== undefined ? " changed" : ""}${declared === undefined && value === undefined ? " missing" : ""}`} data-parameter={spec.name}>
      <div className="parameter-head">
        <label htmlFor={`${id}-text`} className="parameter-name">
          {spec.name}
        </label>
        <span className="parameter-meta">
          {unitLabel(spec.unit)}
          {range && <> · range {range}</>}
          {spec.cite && <> · {spec.cite}</>}
        </span>
      </div>
      <div className="parameter-controls">
        {slider && (
          <input
            type="range"
            id={`${id}-slider`}
            aria-label={`${spec.name}${range ? `, ${range}` : ""}`}
            aria-valuetext={current || "not set"}
            min={0}
            max={slider.steps}
            step={1}
            value={slider.indexOf(current)}
            onChange={(e) => {
              setDraft(undefined);
              commit(slider.textAt(Number(e.target.value)));
            }}
          />
        )}
        <input
          type="text"
          id={`${id}-text`}
          className="parameter-text"
          value={shown}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
          spellCheck={false}
          onChange={(e) => {
            setDraft(e.target.value);
            if (!problemWith(spec, e.target.value)) commit(e.target.value);
          }}
          onBlur={() => setDraft(undefined)}
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              setDraft(undefined);
              onChange(undefined);
            }
          }}
        />
        {value !== undefined && (
          <button type="button" className="link" onClick={() => { setDraft(undefined); onChange(undefined); }} aria-label={declared !== undefined ? `Reset ${spec.name} to ${defaultText}` : `Clear ${spec.name}`}>
            {declared !== undefined ? "reset" : "clear"}
          </button>
        )}
      </div>
      {declared === undefined && value === undefined && !problem && <p className="field-error small">The contract leaves this to each settlement: set a value to settle or simulate.</p>}
      {problem && (
        <p id={`${id}-problem`} className="field-error" role="alert">
          {problem}
        </p>
      )}
      {spec.effective.length > 0 && (
        <p className="note small">
          Dated values: {spec.effective.map((e) => `${display(spec, e.value)} from ${e.date}`).join("; ")}
          {value !== undefined && " (a value set here applies to the whole period)"}
        </p>
      )}
    </li>
  );
}

function unitLabel(unit: string): string {
  return { Percent: "percent", Money: "money", Rate: "money per member-month", Count: "count", Number: "number", Score: "score", MemberMonths: "member-months", Date: "date", Bool: "yes/no", Text: "text", Period: "period" }[unit] ?? unit;
}
