// Grid search for each preset's cost shape (sigma, high-need weight and scale) so that, after the
// demographic spread, the modelled concentration matches the published targets:
// `npx tsx simulator/scripts/tune-shape.ts [preset]`.
import { buildCalibration, modelConcentration } from "../src/calibrate";
import { params, presets, type Preset } from "../src/presets";

const targets: Record<Preset, Record<string, number>> = {
  commercial: { top1: 0.217, top5: 0.49, bottom50: 0.028 },
  medicaid: { top1: 0.217, top5: 0.49, bottom50: 0.028 },
  medicare: { top1: 0.149, top5: 0.415, top10: 0.6, top20: 0.791 },
};
for (const preset of (process.argv[2] ? [process.argv[2] as Preset] : presets)) {
  let best: { err: number; desc: string } = { err: Infinity, desc: "" };
  const base = params[preset];
  for (const highWeight of [0.25, 0.3, 0.35, 0.4, 0.45])
    for (const highScale of [8, 10, 12, 14])
      for (let sigma = 0.8; sigma <= 1.35; sigma += 0.05) {
        const cal = buildCalibration({ ...base, shape: { ...base.shape, highWeight, highScale, sigma } });
        const c = modelConcentration(cal) as unknown as Record<string, number>;
        let err = 0;
        for (const [k, v] of Object.entries(targets[preset])) err += (c[k]! - v) ** 2;
        if (err < best.err) best = { err, desc: `w ${highWeight} m ${highScale} sigma ${sigma.toFixed(2)}: ${Object.keys(targets[preset]).map((k) => `${k} ${(c[k]! * 100).toFixed(2)}`).join(" ")} cv ${c.cv!.toFixed(2)}` };
      }
  console.log(preset, best.desc);
}
