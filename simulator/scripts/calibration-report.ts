// Prints the model-side calibration of each preset (numerical, no sampling): run with
// `npx tsx simulator/scripts/calibration-report.ts`.
import { calibration, modelConcentration } from "../src/calibrate";
import { presets } from "../src/presets";

for (const preset of presets) {
  const t0 = performance.now();
  const cal = calibration(preset);
  const ms = performance.now() - t0;
  const conc = modelConcentration(cal);
  const p = cal.params;
  let meanBy = (pred: (c: (typeof p.cells)[number]) => boolean) => {
    let s = 0, w = 0;
    p.cells.forEach((c, i) => { if (pred(c)) { s += c.share * c.factor; w += c.share; } });
    return s / w;
  };
  console.log(preset, `init ${ms.toFixed(0)} ms`);
  console.log("  tau", cal.tau.toFixed(3), "psi", cal.psi.toFixed(3), "omega", cal.omega.toFixed(3), "kappa", cal.kappa.toFixed(3), "ipMax", cal.ipMax.toFixed(3), "shiftVar", cal.achieved.shiftVariance.toFixed(3));
  console.log("  riskCv", cal.achieved.riskCv.toFixed(3), "persistence", cal.achieved.persistence.toFixed(3));
  console.log("  conc", Object.entries(conc).map(([k, v]) => `${k} ${(v * (k === "cv" ? 1 : 100)).toFixed(2)}`).join("  "));
  console.log("  F/M", (meanBy((c) => c.female) / meanBy((c) => !c.female)).toFixed(3), "shifts", Array.from(cal.shift).map((x) => x.toFixed(2)).join(" "));
}
