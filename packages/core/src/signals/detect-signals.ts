import { detectBreadthCollapse } from "./detectors/breadth-collapse";
import { detectChampionLeft } from "./detectors/champion-left";
import { detectChampionSilent } from "./detectors/champion-silent";
import { detectDiscountAtRenewal } from "./detectors/discount-at-renewal";
import { detectNewDepartment } from "./detectors/new-department";
import { detectNewStakeholder } from "./detectors/new-stakeholder";
import { detectNoLogin } from "./detectors/no-login";
import { detectNpsDetractor } from "./detectors/nps-detractor";
import { detectQuotaExpansion } from "./detectors/quota-expansion";
import { detectRenewalRisk } from "./detectors/renewal-risk";
import { detectSeatUtilisationHigh } from "./detectors/seat-utilisation-high";
import { detectTicketSpike } from "./detectors/ticket-spike";
import { detectUsageDrop } from "./detectors/usage-drop";
import type { SignalRule } from "./rules/condition";
import { evaluateSignalRule } from "./rules/evaluate-rule";
import { DEFAULT_SIGNAL_SETTINGS, type SignalSettings } from "./settings";
import { signalTextEn } from "./signal-messages";
import type { BuiltinSignalType, DetectedSignal, DetectedSignalFacts, SignalContext } from "./types";

type DetectorTable = {
  [K in BuiltinSignalType]: (ctx: SignalContext, s: SignalSettings[K]) => DetectedSignalFacts[];
};

/** The built-in detectors by signal type (each a pure function of the context and its settings). */
export const BUILTIN_DETECTORS: DetectorTable = {
  usage_drop: detectUsageDrop,
  breadth_collapse: detectBreadthCollapse,
  champion_left: detectChampionLeft,
  champion_silent: detectChampionSilent,
  no_login: detectNoLogin,
  quota_expansion: detectQuotaExpansion,
  seat_utilisation_high: detectSeatUtilisationHigh,
  new_stakeholder: detectNewStakeholder,
  new_department: detectNewDepartment,
  renewal_risk: detectRenewalRisk,
  discount_at_renewal: detectDiscountAtRenewal,
  ticket_spike: detectTicketSpike,
  nps_detractor: detectNpsDetractor,
};

// Pairs resolved once: the hot loop below runs for every account on every pass.
const DETECTORS = Object.entries(BUILTIN_DETECTORS) as [
  BuiltinSignalType,
  (ctx: SignalContext, s: SignalSettings[BuiltinSignalType]) => DetectedSignalFacts[],
][];

/** A detector's finding with its English title and summary. */
export function withSignalText(facts: DetectedSignalFacts): DetectedSignal {
  return { ...facts, ...signalTextEn(facts.type, facts.evidence) };
}

function pushUnique(out: DetectedSignal[], s: DetectedSignal): void {
  // Linear scan: an account has a handful of signals, cheaper than a Set per call.
  for (const o of out) if (o.dedupKey === s.dedupKey) return;
  out.push(s);
}

/**
 * Every signal true for one account at `ctx.asOf`: enabled built-in detectors, then user rules
 * (validated beforehand with parseSignalRule). One signal per dedupKey, first wins.
 */
export function detectSignals(
  ctx: SignalContext,
  settings: SignalSettings = DEFAULT_SIGNAL_SETTINGS,
  rules: readonly SignalRule[] = [],
): DetectedSignal[] {
  const out: DetectedSignal[] = [];
  for (const [type, detect] of DETECTORS) {
    const s = settings[type];
    if (!s.enabled) continue;
    for (const facts of detect(ctx, s))
      if (!out.some((o) => o.dedupKey === facts.dedupKey)) out.push(withSignalText(facts));
  }
  for (const rule of rules) {
    const signal = evaluateSignalRule(rule, ctx);
    if (signal !== null) pushUnique(out, signal);
  }
  return out;
}
