import { z } from "zod";
import { TenureError } from "../errors";
import { type BreadthCollapseSettings, DEFAULT_BREADTH_COLLAPSE } from "./detectors/breadth-collapse";
import { type ChampionLeftSettings, DEFAULT_CHAMPION_LEFT } from "./detectors/champion-left";
import { type ChampionSilentSettings, DEFAULT_CHAMPION_SILENT } from "./detectors/champion-silent";
import { DEFAULT_DISCOUNT_AT_RENEWAL, type DiscountAtRenewalSettings } from "./detectors/discount-at-renewal";
import { DEFAULT_NEW_DEPARTMENT, type NewDepartmentSettings } from "./detectors/new-department";
import { DEFAULT_NEW_STAKEHOLDER, type NewStakeholderSettings } from "./detectors/new-stakeholder";
import { DEFAULT_NO_LOGIN, type NoLoginSettings } from "./detectors/no-login";
import { DEFAULT_NPS_DETRACTOR, type NpsDetractorSettings } from "./detectors/nps-detractor";
import { DEFAULT_QUOTA_EXPANSION, type QuotaExpansionSettings } from "./detectors/quota-expansion";
import { DEFAULT_RENEWAL_RISK, type RenewalRiskSettings } from "./detectors/renewal-risk";
import { DEFAULT_SEAT_UTILISATION, type SeatUtilisationSettings } from "./detectors/seat-utilisation-high";
import { DEFAULT_TICKET_SPIKE, type TicketSpikeSettings } from "./detectors/ticket-spike";
import { DEFAULT_USAGE_DROP, type UsageDropSettings } from "./detectors/usage-drop";
import type { BuiltinSignalType } from "./types";

/** Thresholds of every built-in detector, keyed by signal type. */
export interface SignalSettings {
  usage_drop: UsageDropSettings;
  breadth_collapse: BreadthCollapseSettings;
  champion_left: ChampionLeftSettings;
  champion_silent: ChampionSilentSettings;
  no_login: NoLoginSettings;
  quota_expansion: QuotaExpansionSettings;
  seat_utilisation_high: SeatUtilisationSettings;
  new_stakeholder: NewStakeholderSettings;
  new_department: NewDepartmentSettings;
  renewal_risk: RenewalRiskSettings;
  discount_at_renewal: DiscountAtRenewalSettings;
  ticket_spike: TicketSpikeSettings;
  nps_detractor: NpsDetractorSettings;
  /** A resolved signal whose condition comes back within this many days is not raised again. */
  reopenAfterDays: number;
}

/** Per-workspace overrides: any detector, any subset of its fields. */
export type SignalSettingsOverrides = {
  [K in BuiltinSignalType]?: Partial<SignalSettings[K]>;
} & { reopenAfterDays?: number };

/** The defaults of issue 3 point 5 (e.g. usage −50% over 4 weeks, quota ≥ 70% with ≥ 6 months left). */
export const DEFAULT_SIGNAL_SETTINGS: SignalSettings = {
  usage_drop: DEFAULT_USAGE_DROP,
  breadth_collapse: DEFAULT_BREADTH_COLLAPSE,
  champion_left: DEFAULT_CHAMPION_LEFT,
  champion_silent: DEFAULT_CHAMPION_SILENT,
  no_login: DEFAULT_NO_LOGIN,
  quota_expansion: DEFAULT_QUOTA_EXPANSION,
  seat_utilisation_high: DEFAULT_SEAT_UTILISATION,
  new_stakeholder: DEFAULT_NEW_STAKEHOLDER,
  new_department: DEFAULT_NEW_DEPARTMENT,
  renewal_risk: DEFAULT_RENEWAL_RISK,
  discount_at_renewal: DEFAULT_DISCOUNT_AT_RENEWAL,
  ticket_spike: DEFAULT_TICKET_SPIKE,
  nps_detractor: DEFAULT_NPS_DETRACTOR,
  reopenAfterDays: 7,
};

/** Defaults with a workspace's overrides applied field by field. */
export function resolveSignalSettings(overrides: SignalSettingsOverrides = {}): SignalSettings {
  const out = { ...DEFAULT_SIGNAL_SETTINGS } as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const base = (DEFAULT_SIGNAL_SETTINGS as unknown as Record<string, unknown>)[key];
    out[key] = typeof base === "object" && base !== null ? { ...base, ...(value as object) } : value;
  }
  return out as unknown as SignalSettings;
}

const settingValue = z.union([z.boolean(), z.number().finite().min(0), z.array(z.string())]);

/**
 * Validates untrusted settings overrides (workspace JSON): only known detectors and fields, each of the
 * same kind as its default. Throws TenureError("validation") naming the path.
 */
export function parseSignalSettingsOverrides(input: unknown): SignalSettingsOverrides {
  const shape = z
    .object({ reopenAfterDays: z.number().int().min(0).optional() })
    .catchall(z.record(z.string(), settingValue));
  const parsed = shape.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const path = first?.path.join(".") || "(root)";
    throw new TenureError("validation", `Invalid signal settings at ${path}: ${first?.message}`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  const defaults = DEFAULT_SIGNAL_SETTINGS as unknown as Record<string, Record<string, unknown>>;
  for (const [key, fields] of Object.entries(parsed.data)) {
    if (key === "reopenAfterDays") continue;
    const base = defaults[key];
    if (base === undefined)
      throw new TenureError("validation", `Invalid signal settings at ${key}: unknown detector`);
    for (const [field, value] of Object.entries(fields as Record<string, unknown>)) {
      const def = base[field];
      const same =
        def !== undefined &&
        (Array.isArray(def) ? Array.isArray(value) : typeof def === typeof value && !Array.isArray(value));
      if (!same) {
        const why =
          def === undefined ? "unknown setting" : `expected ${Array.isArray(def) ? "a list" : typeof def}`;
        throw new TenureError("validation", `Invalid signal settings at ${key}.${field}: ${why}`);
      }
    }
  }
  return parsed.data as SignalSettingsOverrides;
}
