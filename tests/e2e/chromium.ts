// Where the system chromium is (CHROMIUM_PATH, or `command -v chromium`), and how to start it
// here: no sandbox (containers), no GPU, nothing in the background that could reach the network.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

function find(): string | undefined {
  if (process.env.CHROMIUM_PATH) return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined;
  try {
    const path = execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

export const chromiumPath = find();

export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

export const noChromiumMessage =
  "e2e: SKIPPED — no chromium binary found (set CHROMIUM_PATH or install Debian's chromium: apt-get install -y chromium). The playground was not tested in a browser.";
