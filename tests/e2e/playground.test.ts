// END TO END: the built playground in Debian's chromium.
//
// Every page runs behind a route that refuses any request that does not go to the preview server
// on 127.0.0.1, and remembers it; each test fails if one was made. Screenshots go to
// test-artifacts/e2e/ (gitignored) for a person to look at.

import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, onTestFailed, test } from "vitest";
import { chromiumArgs, chromiumPath, noChromiumMessage } from "./chromium";

const baseUrl = inject("baseUrl");
const artifacts = "test-artifacts/e2e";

if (!chromiumPath) console.warn(noChromiumMessage);

describe.skipIf(!chromiumPath || !baseUrl)("playground in chromium", () => {
  let browser: Browser;
  const offsite: string[] = [];
  const pageErrors: string[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    browser = await chromium.launch({ executablePath: chromiumPath!, args: chromiumArgs });
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
    expect(offsite, "requests that left localhost").toEqual([]);
    expect(pageErrors, "uncaught errors in the page").toEqual([]);
  });

  /** The simulation workers each page has started, in order. */
  const simulationWorkers = new Map<Page, string[]>();

  async function open(url = baseUrl): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    await context.route("**/*", (route) => {
      const target = new URL(route.request().url());
      if (target.protocol === "blob:" || target.protocol === "data:" || ((target.hostname === "127.0.0.1" || target.hostname === "localhost") && target.origin === new URL(baseUrl).origin))
        return route.continue();
      offsite.push(target.href);
      return route.abort("blockedbyclient");
    });
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    const started: string[] = [];
    simulationWorkers.set(page, started);
    page.on("worker", (w) => {
      if (w.url().includes("simulate.worker")) started.push(w.url());
    });
    onTestFailed(async ({ task }) => {
      await page.screenshot({ path: join(artifacts, `failed-${task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}.png`) }).catch(() => undefined);
    });
    await page.goto(url);
    await page.waitForSelector(".monaco-editor .view-lines");
    await poll(() => page.textContent("[data-testid=contract-title]"), 20_000).toMatch(/\d/);
    return page;
  }

  /** expect.poll with room for a worker to answer (vitest's default is one second). */
  const poll = <T>(fn: () => T | Promise<T>, timeout = 20_000) => expect.poll(fn, { timeout, interval: 100 });

  /** The page as it looks, and the analyses column whole (it scrolls on its own). */
  const shot = async (page: Page, name: string) => {
    await page.screenshot({ path: join(artifacts, `${name}.png`) });
    await page.evaluate(() => {
      const side = document.querySelector<HTMLElement>(".side-column")!;
      side.dataset.height = side.style.height;
      side.style.height = "auto";
      side.style.overflow = "visible";
    });
    await page.locator(".side-column").screenshot({ path: join(artifacts, `${name}-analyses.png`) });
    await page.evaluate(() => {
      const side = document.querySelector<HTMLElement>(".side-column")!;
      side.style.height = side.dataset.height ?? "";
      side.style.overflow = "";
    });
  };

  async function download(page: Page, click: () => Promise<void>): Promise<string> {
    const [file] = await Promise.all([page.waitForEvent("download"), click()]);
    const path = await file.path();
    return readFileSync(path, "utf8");
  }

  /**
   * Closes the suggestion list once it has settled (it opens asynchronously as words are typed),
   * so that the next Enter starts a new line instead of accepting a suggestion.
   */
  async function closeSuggestions(page: Page) {
    const open = page.locator(".suggest-widget.visible");
    for (let quiet = 0; quiet < 3; ) {
      await page.waitForTimeout(100);
      if ((await open.count()) > 0) {
        await page.keyboard.press("Escape");
        quiet = 0;
      } else quiet++;
    }
  }

  /** Types at the end of the contract, on a new line. */
  async function typeAtEnd(page: Page, text: string) {
    await page.click(".monaco-editor .view-lines");
    await page.keyboard.press("Control+End");
    for (const line of text.split("\n")) {
      await closeSuggestions(page);
      await page.keyboard.press("Enter");
      await page.keyboard.type(line);
    }
    await closeSuggestions(page);
  }

  /** A second example, for the tests that switch contracts. */
  const otherExample = "multi-payer/maine-pcmh-pilot.pcmh";

  async function chooseExample(page: Page, id: string) {
    await page.selectOption("[data-testid=example-picker]", id);
    const title = (await page.locator(`[data-testid=example-picker] option[value="${id}"]`).textContent())!.replace(/ \([^)]*\)$/, "");
    await poll(() => page.textContent("[data-testid=contract-title]")).toContain(title);
  }

  async function runSimulation(page: Page, members = "300", trials = "12", sensitivity = "3") {
    await page.click("#analysis-tab-simulation");
    await page.fill("[data-testid=members]", members);
    await page.fill("[data-testid=trials]", trials);
    await page.getByLabel("Sensitivity trials").fill(sensitivity);
    await page.click("[data-testid=run]");
    await page.waitForSelector("[data-testid=results]", { timeout: 60_000 });
    await poll(() => page.isEnabled("[data-testid=run]"), 60_000).toBe(true);
    expect(await page.locator("[data-testid=results] .error-box").count(), "no trial failed").toBe(0);
  }

  const figure = (page: Page, key: string) => page.textContent(`[data-testid=figure-${key}] .figure`);

  test("the page loads with an example, highlighted, and lists every contract", async () => {
    const page = await open();
    expect(await page.textContent("[data-testid=contract-title]")).toContain("Regional PCMH Program");
    expect(await page.locator(".monaco-editor .view-lines .mtk1, .monaco-editor .view-lines [class*=mtk]").count()).toBeGreaterThan(10);
    const options = await page.locator("[data-testid=example-picker] option").allTextContents();
    const contracts = inject("contracts");
    expect(options).toHaveLength(contracts.length);
    for (const c of contracts) expect(options.some((o) => o.includes(c))).toBe(true);
    expect(await page.textContent("[data-testid=problems-summary]")).toContain("No problems");
    await poll(() => page.locator(".parameter").count()).toBe(3);
    await shot(page, "01-loaded");
  });

  test("typing a unit error shows a marker with the message, and fixing it clears it", async () => {
    const page = await open();
    await typeAtEnd(page, "value bad = 5% + $10");
    await page.waitForSelector(".monaco-editor .squiggly-error", { timeout: 10_000 });
    await poll(() => page.textContent("[data-testid=problems]")).toContain("I can't add Money to a Percent.");
    const squiggle = (await page.locator(".monaco-editor .squiggly-error").first().boundingBox())!;
    await page.mouse.move(squiggle.x + squiggle.width / 2, squiggle.y + squiggle.height / 2);
    await poll(() => page.locator(".monaco-hover").first().textContent(), 10_000).toContain("I can't add Money to a Percent.");
    await shot(page, "02-unit-error");
    await page.click(".monaco-editor .view-lines");
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Shift+Home");
    await page.keyboard.press("Shift+Home");
    await page.keyboard.press("Delete");
    await page.keyboard.press("Backspace");
    await poll(() => page.textContent("[data-testid=problems-summary]")).toContain("No problems");
    expect(await page.locator(".monaco-editor .squiggly-error").count()).toBe(0);
  });

  test("hover shows unit and citation, completion offers names, F12 goes to a definition, Format formats", async () => {
    const page = await open();
    const find = async (text: string) => {
      await page.click(".monaco-editor .view-lines");
      await page.keyboard.press("Control+F");
      await page.keyboard.type(text);
      await page.keyboard.press("Escape");
    };
    await find("uplift of allowed");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("Control+K");
    await page.keyboard.press("Control+I");
    const hover = page.locator(".monaco-hover:not(.hidden)").first();
    await poll(() => hover.textContent()).toContain("Cited: §3.1");
    expect(await hover.textContent()).toMatch(/uplift — parameter.*Percent/);
    await page.keyboard.press("Escape");
    await page.keyboard.press("F12");
    await poll(() => page.textContent(".monaco-editor .active-line-number")).toBe("9");
    await find("uplift of allowed");
    await page.keyboard.type("up");
    await page.keyboard.press("Control+Space");
    await poll(() => page.locator(".monaco-editor .suggest-widget").textContent()).toContain("uplift");
    await shot(page, "03-completion");
    await page.keyboard.press("Escape");
    await page.keyboard.type("lift   of allowed");
    await poll(() => page.textContent("[data-testid=problems-summary]")).toContain("No problems");
    await page.getByRole("button", { name: "Format" }).click();
    await poll(async () => (await page.textContent(".monaco-editor .view-lines"))?.replace(/\u00a0/g, " ")).toContain("pay uplift of allowed");
  });

  test("settling the example data shows the statement and a line's explanation", async () => {
    const page = await open();
    await page.click("#analysis-tab-settlement");
    await page.click("[data-testid=settle]");
    await page.waitForSelector("[data-testid=statement]");
    expect(await page.textContent("[data-testid=statement-total]")).toBe("$3,864.60");
    await page.getByRole("button", { name: "Explain line 12" }).click();
    const explanation = page.locator("[data-testid=explanation]");
    await explanation.waitFor();
    expect(await explanation.textContent()).toContain("Outcome incentive");
    expect(await explanation.locator("tbody tr").count()).toBeGreaterThan(2);
    await shot(page, "03-settlement");
    // Exports: the statement as JSON and CSV, and the compiled TypeScript module.
    const json = await download(page, () => page.getByRole("button", { name: "Export JSON" }).click());
    expect(JSON.parse(json).lines).toHaveLength(13);
    const csv = await download(page, () => page.getByRole("button", { name: "Export CSV" }).click());
    expect(csv.split("\r\n")[0]).toBe("line,clause,kind,recipient,payer,period,amount,rule,cite");
    const ts = await download(page, () => page.getByRole("button", { name: "Export TypeScript module" }).click());
    expect(ts).toContain("export const meta: rt.Meta");
    // A parameter moved on the slider settles again by itself.
    await page.getByRole("slider", { name: /^uplift/ }).focus();
    await page.keyboard.press("End");
    await poll(() => page.textContent("[data-testid=statement-total]")).not.toBe("$3,864.60");
  });

  test("uploaded CSV files settle, a bad file says where, and generated data settles", async () => {
    const page = await open();
    await page.click("#analysis-tab-settlement");
    const dir = "data/examples/regional";
    const files = readdirSync(dir).filter((f) => f.endsWith(".csv"));
    await page.setInputFiles("[data-testid=data-files]", files.map((f) => join(dir, f)));
    await page.getByText(/Loaded: 6 files/).waitFor();
    await page.click("[data-testid=settle]");
    await poll(() => page.textContent("[data-testid=statement-total]")).toBe("$3,864.60");
    const members = readFileSync(join(dir, "members.csv"), "utf8").split("\n");
    const header = members[0]!.split(",");
    const row = members[1]!.split(",");
    row[header.indexOf("risk_score")] = "high";
    const bad = [members[0], row.join(","), ...members.slice(2)].join("\n");
    await page.setInputFiles("[data-testid=data-files]", [
      ...files.filter((f) => f !== "members.csv").map((f) => ({ name: f, mimeType: "text/csv", buffer: readFileSync(join(dir, f)) })),
      { name: "members.csv", mimeType: "text/csv", buffer: Buffer.from(bad) },
    ]);
    await page.click("[data-testid=settle]");
    await poll(() => page.textContent("[data-testid=settle-error]")).toContain("members.csv:2 (risk_score)");
    expect(await page.locator("[data-testid=statement]").count(), "no partial statement").toBe(0);
    await chooseExample(page, otherExample);
    await page.click("#analysis-tab-simulation");
    await page.fill("[data-testid=members]", "300");
    await page.click("#analysis-tab-settlement");
    await page.getByRole("button", { name: "Generate from population settings" }).click();
    await page.getByText(/Generated: 300 commercial members/).waitFor();
    await page.click("[data-testid=settle]");
    await page.waitForSelector("[data-testid=statement]");
    expect(await page.locator("[data-testid=statement-lines] tbody tr").count()).toBeGreaterThan(0);
    await shot(page, "04-generated-data");
  });

  test("a simulation shows figures and charts, and moving a slider changes the figures", async () => {
    const page = await open();
    await runSimulation(page);
    for (const key of ["payer-spend", "contract-payments", "practice-revenue", "shared-savings"]) expect(await figure(page, key)).toMatch(/^−?\$[\d,]+$/);
    for (const key of ["probability-of-loss", "probability-msr"]) expect(await figure(page, key)).toMatch(/^\d+\.\d%$/);
    for (const chart of ["histogram", "waterfall", "tornado"]) {
      const painted = await page.$eval(`[data-testid=${chart}]`, (c) => {
        const canvas = c as HTMLCanvasElement;
        const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
        return n;
      });
      expect(painted, `${chart} has something drawn`).toBeGreaterThan(500);
    }
    expect(await page.locator("[data-testid=recipients] tbody tr").count()).toBeGreaterThan(0);
    await shot(page, "04-simulation");
    const before = await page.textContent(".headlines");
    const slider = page.locator(".parameter input[type=range]").first();
    await slider.focus();
    await page.keyboard.press("End");
    await poll(() => page.textContent(".headlines"), 60_000).not.toBe(before);
    await poll(() => page.isEnabled("[data-testid=run]"), 60_000).toBe(true);
    await shot(page, "05-slider-moved");
  });

  test("simulation workers get ready while the page is idle, and runs reuse them", async () => {
    const page = await open();
    // started and prepared in the background as the page opens, before any click
    await poll(() => simulationWorkers.get(page)!.length).toBeGreaterThan(0);
    await runSimulation(page);
    const afterFirst = simulationWorkers.get(page)!.length;
    const before = await figure(page, "contract-payments");
    await page.fill("[data-testid=seed]", "2");
    await page.click("[data-testid=run]");
    await page.waitForSelector("[data-testid=run]:disabled");
    await poll(() => page.isEnabled("[data-testid=run]"), 60_000).toBe(true);
    expect(await figure(page, "contract-payments"), "new draws, new figures").not.toBe(before);
    expect(simulationWorkers.get(page)!.length, "no new workers for a second run").toBe(afterFirst);
  });

  test("a simulation can be cancelled, and the page stays responsive", async () => {
    const page = await open();
    await page.fill("[data-testid=members]", "20000");
    await page.fill("[data-testid=trials]", "500");
    expect(await page.isEnabled("[data-testid=run]")).toBe(true);
    await page.click("[data-testid=run]");
    await page.waitForSelector("[data-testid=progress]");
    await page.click("[data-testid=cancel]");
    await page.getByText("Simulation cancelled.").waitFor();
    expect(await page.isEnabled("[data-testid=run]")).toBe(true);
  });

  test("compare mode shows the change in each headline figure and the clauses that moved it", async () => {
    const page = await open();
    await typeAtEnd(page, 'care management fee "E2E bonus"\npay $5.00 pmpm');
    await poll(() => page.textContent("[data-testid=contract-title]")).toContain("edited");
    await poll(async () => `${await page.textContent("[data-testid=problems-summary]")} ${(await page.locator("[data-testid=problems]").allTextContents()).join(" ")}`).toContain("No problems");
    await page.check("[data-testid=compare]");
    await runSimulation(page);
    const view = page.locator("[data-testid=compare-view]");
    await view.waitFor();
    expect(await page.textContent("[data-testid=change-contract-payments]")).toMatch(/^\+\$[\d,]+/);
    expect(await page.textContent("[data-testid=change-payer-spend]")).toMatch(/^\+\$[\d,]+/);
    const firstMoved = page.locator("[data-testid=clauses-moved] tbody tr").first();
    expect(await firstMoved.locator("th").textContent()).toBe("E2E bonus");
    expect(await firstMoved.locator("td.delta").textContent()).toMatch(/^\+\$[\d,]+$/);
    expect(await view.textContent()).toContain('clause "E2E bonus"');
    await shot(page, "06-compare");
  });

  test("a share link restores the contract and the settings", async () => {
    const page = await open();
    await typeAtEnd(page, "# shared by the e2e test");
    await poll(() => page.textContent("[data-testid=contract-title]")).toContain("edited");
    await page.locator(".parameter[data-parameter=share_rate] input[type=text]").fill("60%");
    await page.fill("[data-testid=members]", "321");
    await page.fill("[data-testid=seed]", "42");
    await page.click("#analysis-tab-settlement");
    await page.click("[data-testid=share]");
    await poll(() => page.url()).toContain("#s=");
    const url = page.url();
    const restored = await open(url);
    await poll(() => restored.textContent("[data-testid=contract-title]")).toContain("edited");
    await restored.click(".monaco-editor .view-lines");
    await restored.keyboard.press("Control+End");
    // Monaco renders spaces as no-break spaces.
    await poll(async () => (await restored.textContent(".monaco-editor .view-lines"))?.replace(/\u00a0/g, " ")).toContain("shared by the e2e test");
    await poll(() => restored.inputValue(".parameter[data-parameter=share_rate] input[type=text]")).toBe("60%");
    expect(await restored.inputValue("[data-testid=members]")).toBe("321");
    expect(await restored.inputValue("[data-testid=seed]")).toBe("42");
    expect(await restored.getAttribute("#analysis-tab-settlement", "aria-selected")).toBe("true");
    await shot(restored, "07-shared");
  });

  test("every example contract loads", async () => {
    const page = await open();
    const options = await page.locator("[data-testid=example-picker] option").evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent! })));
    for (const { value, text } of options.reverse()) {
      await page.selectOption("[data-testid=example-picker]", value);
      // Its title once it compiles (whether every contract compiles is the unit tests' business).
      const title = text.replace(/ \([^)]*\)$/, "");
      await poll(() => page.textContent("[data-testid=contract-title]"), 20_000).toMatch(new RegExp(`${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}|does not compile`));
    }
  });
});
