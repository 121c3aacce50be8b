import { TenureError } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { z } from "zod";
import { clearPortfolioCache } from "./portfolio-data";

/**
 * The gross margin and discount rate of lifetime values, per workspace (issue 14 point 3): set in the
 * web app and stored; until then the deployment's TENURE_GROSS_MARGIN and a 10% discount rate. A 100%
 * margin makes every CLV a revenue LTV, which the API and the web app say.
 */

const KEY = "clv";

/** Annual discount rate of CLV when none is set. */
export const DEFAULT_ANNUAL_DISCOUNT_RATE = 0.1;

const ClvSettingsValue = z.object({
  grossMargin: z.number().gt(0).max(1),
  annualDiscountRate: z.number().gt(0).max(1),
});

export interface ClvSettings {
  /** Gross margin in (0, 1]. */
  grossMargin: number;
  /** Annual discount rate in (0, 1]. */
  annualDiscountRate: number;
  /** workspace: set in the app; default: the deployment's margin and the 10% rate. */
  source: "workspace" | "default";
  /** True at a 100% margin: the values are revenue, not profit. */
  revenueLtv: boolean;
  updatedAt: string | null;
}

/** The workspace's CLV settings, or the defaults when none were set (a stored value that fails validation too). */
export async function clvSettings(
  storage: Storage,
  ws: string,
  defaults: { grossMargin: number },
): Promise<ClvSettings> {
  const stored = await storage.workspaceSettings.get(ws, KEY);
  const parsed = stored === null ? null : ClvSettingsValue.safeParse(stored.value);
  if (stored !== null && parsed?.success === true)
    return {
      ...parsed.data,
      source: "workspace",
      revenueLtv: parsed.data.grossMargin === 1,
      updatedAt: stored.updatedAt,
    };
  return {
    grossMargin: defaults.grossMargin,
    annualDiscountRate: DEFAULT_ANNUAL_DISCOUNT_RATE,
    source: "default",
    revenueLtv: defaults.grossMargin === 1,
    updatedAt: null,
  };
}

/** Validates and stores the workspace's CLV settings; the cached fits are dropped so values follow at once. */
export async function setClvSettings(
  storage: Storage,
  ws: string,
  input: { grossMargin: unknown; annualDiscountRate: unknown },
): Promise<ClvSettings> {
  const checks: [keyof typeof input, string][] = [
    ["grossMargin", "grossMargin must be a fraction in (0, 1] (0.8 = 80%)"],
    ["annualDiscountRate", "annualDiscountRate must be a fraction in (0, 1] (0.1 = 10% a year)"],
  ];
  for (const [field, message] of checks) {
    const v = input[field];
    if (typeof v !== "number" || !Number.isFinite(v) || !(v > 0 && v <= 1))
      throw new TenureError("validation", `${message}, got ${JSON.stringify(v) ?? String(v)}`);
  }
  const value = {
    grossMargin: input.grossMargin as number,
    annualDiscountRate: input.annualDiscountRate as number,
  };
  const saved = await storage.workspaceSettings.set(ws, KEY, value);
  clearPortfolioCache();
  return { ...value, source: "workspace", revenueLtv: value.grossMargin === 1, updatedAt: saved.updatedAt };
}
