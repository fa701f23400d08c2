// What a share link carries, and the page's first state (from a link or the default example).
import { defaultExampleId, exampleById, examples } from "./examples";
import { defaultSettings, limits, presetNames, type SimSettings } from "./settings";

export interface SharedState {
  readonly v: 1;
  readonly example: string;
  readonly text: string;
  readonly params: Readonly<Record<string, string>>;
  readonly sim: SimSettings;
  readonly tab: TabKey;
  readonly compare: boolean;
}

export type TabKey = "simulation" | "settlement";
export const tabs = [
  { key: "simulation" as const, label: "Simulation" },
  { key: "settlement" as const, label: "Settlement" },
];

export function initialState(shared: Partial<SharedState> | undefined): SharedState {
  const example = exampleById(shared?.example) ?? exampleById(defaultExampleId) ?? examples[0]!;
  return {
    v: 1,
    example: example.id,
    text: typeof shared?.text === "string" ? shared.text : example.text,
    params: strings(shared?.params),
    sim: settingsFrom(shared?.sim),
    tab: shared?.tab === "settlement" ? "settlement" : "simulation",
    compare: shared?.compare === true,
  };
}


function strings(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object") return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === "string"));
}

/** Settings from a link, each one checked; anything out of place falls back to the default. */
function settingsFrom(value: Partial<SimSettings> | undefined): SimSettings {
  const d = defaultSettings;
  if (!value || typeof value !== "object") return d;
  const whole = (v: unknown, min: number, max: number, fallback: number) => (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max ? v : fallback);
  const effects: Record<string, number> = { ...d.effects };
  for (const [k, v] of Object.entries(value.effects ?? {})) if (k in effects && typeof v === "number" && Number.isFinite(v)) effects[k] = v;
  return {
    preset: typeof value.preset === "string" && presetNames.includes(value.preset) ? value.preset : d.preset,
    members: whole(value.members, limits.members.min, limits.members.max, d.members),
    trials: whole(value.trials, limits.trials.min, limits.trials.max, d.trials),
    seed: whole(value.seed, -2147483648, 2147483647, d.seed),
    sensitivityTrials: whole(value.sensitivityTrials, limits.sensitivityTrials.min, limits.sensitivityTrials.max, d.sensitivityTrials),
    effects,
  };
}
