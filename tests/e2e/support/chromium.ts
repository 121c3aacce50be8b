import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium; playwright-core never downloads a browser of its own. */
export const CHROMIUM_PATH = process.env.TENURE_CHROMIUM ?? "/usr/bin/chromium";

const HOW_TO_ENABLE =
  "install Debian's chromium (apt-get install chromium; .ci/run does this) or set TENURE_CHROMIUM to a Chromium binary";

/**
 * True when this run has no Chromium and may go without: browser test files are then skipped
 * (`describe.skipIf(skipBrowserTests())`). Under CI=true a missing browser is a failure, never a skip.
 */
export function skipBrowserTests(): boolean {
  return !existsSync(CHROMIUM_PATH) && process.env.CI !== "true";
}

/**
 * The run's one line about browser tests (vitest globalSetup prints it), or undefined when Chromium is
 * there. Throws under CI=true when it is missing.
 */
export function browserTestsNotice(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  if (process.env.CI === "true") {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} and CI=true: ${HOW_TO_ENABLE}`);
  }
  return `Browser tests skipped: no Chromium at ${CHROMIUM_PATH}. To run them, ${HOW_TO_ENABLE}.`;
}

/** Launches headless Chromium, or fails with how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: ${HOW_TO_ENABLE}`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
