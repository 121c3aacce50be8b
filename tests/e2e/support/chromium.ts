import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium; playwright-core never downloads a browser of its own. */
export const CHROMIUM_PATH = process.env.TENURE_CHROMIUM ?? "/usr/bin/chromium";

/** True when browser tests should be skipped: no Chromium and TENURE_SKIP_BROWSER_TESTS=1. */
export function skipBrowserTests(): boolean {
  return process.env.TENURE_SKIP_BROWSER_TESTS === "1" && !existsSync(CHROMIUM_PATH);
}

/** Launches headless Chromium, or fails with how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium: apt-get install chromium; .ci/run does this ` +
        "(or set TENURE_SKIP_BROWSER_TESTS=1 to skip the browser tests)",
    );
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
