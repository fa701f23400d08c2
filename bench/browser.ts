// BROWSER FIGURES for `npm run bench`: the built playground (playground/dist, which bench/run.ts builds first) served
// by `vite preview` on 127.0.0.1 and driven in Debian's chromium through playwright-core. Measures a
// 10,000-member x 200-trial simulation in the page's web workers and the time from a keystroke to
// the diagnostics it causes on a 300-line contract (in the page, from keydown to the marker; median
// of 7 after 2 warm-up keystrokes). Returns nothing when chromium or the build is
// missing, so the rest of the bench still runs.

import { existsSync, readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { preview } from "vite";
import { chromiumArgs, chromiumPath } from "../tests/e2e/chromium";

export interface BrowserFigures {
  /** The first run after the page loads, settings filled in at once (workers barely prepared). */
  readonly simulateSeconds: number;
  /** The same run again, the workers warm. */
  readonly simulateAgainSeconds: number;
  readonly workers: number;
  readonly keystrokeMilliseconds: number;
  readonly contractLines: number;
}

export async function browserFigures(): Promise<BrowserFigures | string> {
  if (!chromiumPath) return "no chromium (apt-get install chromium)";
  if (!existsSync("playground/dist/index.html")) return "no playground build (npm run build)";
  const server = await preview({ configFile: "playground/vite.config.ts", logLevel: "warn", preview: { port: 0, host: "127.0.0.1", strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    if (!url) return "vite preview gave no address";
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(url);
    await page.waitForSelector("[data-testid=contract-title]");

    // Simulation: 10,000 members x 200 trials, no sensitivity runs.
    await page.click("#analysis-tab-simulation");
    await page.fill("[data-testid=members]", "10000");
    await page.fill("[data-testid=trials]", "200");
    await page.getByLabel("Sensitivity trials").fill("0");
    const runSeconds = async () => {
      const started = performance.now();
      await page.click("[data-testid=run]");
      await page.waitForSelector("[data-testid=run]:disabled", { timeout: 10_000 });
      await page.waitForSelector("[data-testid=results]", { timeout: 600_000 });
      await page.waitForFunction(() => !(document.querySelector("[data-testid=run]") as HTMLButtonElement | null)?.disabled, undefined, { timeout: 600_000 });
      return (performance.now() - started) / 1000;
    };
    const simulateSeconds = await runSeconds();
    const simulateAgainSeconds = await runSeconds();
    const summary = (await page.textContent("[data-testid=results]")) ?? "";
    const workers = Number(/on (\d+) workers?/.exec(summary)?.[1] ?? 0);

    // Keystroke to diagnostics: a 300-line contract, one character that breaks a unit.
    const base = readFileSync("contracts/examples/regional-pcmh.pcmh", "utf8");
    const padding = Array.from({ length: 300 }, (_, i) => `parameter p${i} = ${i % 90}% range 0% to 100% cite "§${i}"`);
    const text = `${base}\n${padding.join("\n")}\n`.split("\n").slice(0, 300).join("\n");
    const lines = text.split("\n").length;
    await page.click(".monaco-editor .view-lines");
    await page.keyboard.press("Control+A");
    await page.keyboard.insertText(text);
    await page.waitForTimeout(1500);
    if ((await page.locator(".monaco-editor .squiggly-error").count()) > 0) return "the 300-line contract shows errors before the keystroke";
    await page.keyboard.press("Control+End");
    // Measured in the page, from the keydown event to the marker's element appearing, so that the
    // figure is what a user waits for, not the time the test driver takes to type and to look.
    await page.evaluate(() => {
      const w = window as unknown as { pcmhKeydown: number; pcmhLatencies: number[] };
      w.pcmhLatencies = [];
      w.pcmhKeydown = 0;
      document.addEventListener("keydown", (e) => (w.pcmhKeydown = e.key === "x" ? performance.now() : 0), true);
      new MutationObserver(() => {
        if (w.pcmhKeydown && document.querySelector(".monaco-editor .squiggly-error")) {
          w.pcmhLatencies.push(performance.now() - w.pcmhKeydown);
          w.pcmhKeydown = 0;
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    for (let k = 0; k < 9; k++) {
      await page.keyboard.type("x");
      await page.waitForSelector(".monaco-editor .squiggly-error", { timeout: 10_000 });
      await page.keyboard.press("Backspace");
      await page.waitForSelector(".monaco-editor .squiggly-error", { state: "detached", timeout: 10_000 });
      await page.waitForTimeout(300);
    }
    const samples = await page.evaluate(() => (window as unknown as { pcmhLatencies: number[] }).pcmhLatencies);
    if (samples.length !== 9) return `measured ${samples.length} of 9 keystrokes`;
    // The first two warm the worker's compiled code; the median of the other seven.
    const keystrokeMilliseconds = samples.slice(2).sort((a, b) => a - b)[3]!;
    return { simulateSeconds, simulateAgainSeconds, workers, keystrokeMilliseconds, contractLines: lines };
  } finally {
    await browser.close();
    await server.close();
  }
}
