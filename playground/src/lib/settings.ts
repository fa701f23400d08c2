// The simulation settings a user controls (and a share link carries).
import { defaultEffects, effectRanges, presets } from "../../../simulator/src/population";

export interface SimSettings {
  readonly preset: string;
  readonly members: number;
  readonly trials: number;
  readonly seed: number;
  /** Scenario levers by name, as fractions (−0.1 is −10%). */
  readonly effects: Readonly<Record<string, number>>;
  /** Trials per parameter bound for the tornado; 0 turns it off. */
  readonly sensitivityTrials: number;
}

export const presetNames: readonly string[] = presets;
export const effectDefaults: Readonly<Record<string, number>> = defaultEffects as unknown as Record<string, number>;

export const effectInfo: Readonly<Record<string, { readonly min: number; readonly max: number; readonly meaning: string }>> = effectRanges;

export const defaultSettings: SimSettings = {
  preset: presetNames[0] ?? "",
  members: 1_000,
  trials: 50,
  seed: 1,
  effects: { ...effectDefaults },
  sensitivityTrials: 10,
};

export const limits = {
  members: { min: 10, max: 200_000 },
  trials: { min: 1, max: 10_000 },
  sensitivityTrials: { min: 0, max: 200 },
} as const;

