// A chart.js chart on a canvas, rebuilt when its configuration changes and destroyed on unmount.
// The canvas is an image to assistive technology, described by `label`; every chart in the
// playground also has its figures in a table next to it.

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJs,
  Legend,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
} from "chart.js";
import { useEffect, useRef } from "react";

ChartJs.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);
ChartJs.defaults.animation = false;
ChartJs.defaults.font.family = "system-ui, sans-serif";

interface Props {
  readonly config: ChartConfiguration<"bar">;
  readonly label: string;
  readonly height?: number;
  readonly testId?: string;
}

export function Chart({ config, label, height = 220, testId }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const chart = new ChartJs(canvas.current!, { ...config, options: { responsive: true, maintainAspectRatio: false, ...config.options } });
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="chart" style={{ height }}>
      <canvas ref={canvas} role="img" aria-label={label} data-testid={testId} />
    </div>
  );
}
