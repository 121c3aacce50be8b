import { addDays } from "../dates";
import { evaluateSignalCondition } from "../signals/rules/evaluate-rule";
import { cronSlots, parseCron } from "./cron";
import type {
  Automation,
  AutomationAccountFacts,
  AutomationAccountState,
  AutomationEvents,
  AutomationMatch,
  AutomationOutcome,
  AutomationSnapshot,
  PropertyCondition,
} from "./types";

/** Everything one evaluation pass reads; the pass itself reads no clock and no database. */
export interface AutomationEvaluationInput {
  automations: readonly Automation[];
  accounts: readonly AutomationAccountFacts[];
  /** Each account's facts at the previous pass; an account without one fires no transition trigger. */
  previous: ReadonlyMap<string, AutomationSnapshot>;
  /** Signals opened and events tracked in the window. */
  events: AutomationEvents;
  /** The window (ISO timestamps): after `since`, up to and including `asOf`. */
  since: string;
  asOf: string;
  /** The guards' memory per automation and account. */
  state: (automationId: string, accountId: string) => AutomationAccountState | undefined;
}

/**
 * Deterministic share in [0, 1) of an account in an automation (FNV-1a of "automationId:accountId"):
 * the same account is always control or always treated in the same automation.
 */
export function holdoutFraction(automationId: string, accountId: string): number {
  let h = 0x811c9dc5;
  const text = `${automationId}:${accountId}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 0x1_0000_0000;
}

/** True when the account falls in the automation's hold-out share (`pct` of 100). */
export function isHeldOut(automationId: string, accountId: string, pct: number): boolean {
  return pct > 0 && holdoutFraction(automationId, accountId) * 100 < pct;
}

function propertyHolds(c: PropertyCondition, props: Readonly<Record<string, unknown>>): boolean {
  const has = Object.hasOwn(props, c.property);
  if (c.op === "exists") return has && props[c.property] !== null;
  if (!has) return false;
  const v = props[c.property];
  switch (c.op) {
    case "eq":
      return v === c.value || (typeof v === "number" && typeof c.value === "string" && String(v) === c.value);
    case "neq":
      return v !== c.value;
    case "contains":
      return typeof v === "string" && typeof c.value === "string" && v.includes(c.value);
    default: {
      const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
      const k = typeof c.value === "number" ? c.value : Number(c.value);
      if (Number.isNaN(n) || Number.isNaN(k)) return false;
      if (c.op === "gt") return n > k;
      if (c.op === "gte") return n >= k;
      if (c.op === "lt") return n < k;
      return n <= k;
    }
  }
}

const DAY_MS = 86_400_000;

/**
 * The days a window (after `since`, up to and including `asOf`) reaches, a day being reached at its
 * midnight (UTC) and held by one window only: from the first midnight after `since` to `asOf`'s day.
 * Null when the window holds no midnight.
 */
function windowTargetDays(since: string, asOf: string): { first: string; last: string } | null {
  const sinceDay = since.slice(0, 10);
  const asOfDay = asOf.slice(0, 10);
  const first = `${sinceDay}T00:00:00.000Z` > since ? sinceDay : addDays(sinceDay, 1);
  const last = `${asOfDay}T00:00:00.000Z` <= asOf ? asOfDay : addDays(asOfDay, -1);
  return first <= last ? { first, last } : null;
}

/** Tag names the conditions read as `tag:<name>` metrics. */
function conditionTags(a: Automation): string[] {
  const out: string[] = [];
  const walk = (c: NonNullable<Automation["conditions"]>): void => {
    if ("all" in c) c.all.forEach(walk);
    else if ("any" in c) c.any.forEach(walk);
    else if ("not" in c) walk(c.not);
    else if (c.metric.startsWith("tag:")) out.push(c.metric.slice(4));
  };
  if (a.conditions !== null) walk(a.conditions);
  return out;
}

/**
 * Runs every enabled automation's trigger and conditions over the accounts and the window's events,
 * and applies the built-in guards in order: churned accounts excluded (unless included), snooze,
 * re-entry limit, an open run of the same automation (deduped: the run is updated, no new work), then
 * the hold-out share. Returns every match with its outcome, in automation then trigger order.
 */
export function evaluateAutomations(input: AutomationEvaluationInput): AutomationMatch[] {
  const { accounts, previous, events, since, asOf } = input;
  const byId = new Map<string, AutomationAccountFacts>();
  for (const a of accounts) byId.set(a.id, a);
  const day = asOf.slice(0, 10);
  const out: AutomationMatch[] = [];
  // Every tag any condition reads, merged into each account's metrics once per pass (not per automation).
  const allTags = [...new Set(input.automations.filter((a) => a.enabled).flatMap(conditionTags))];
  const merged = new Map<string, Readonly<Record<string, number | null>>>();
  const metricsOf = (account: AutomationAccountFacts) => {
    if (allTags.length === 0) return account.metrics;
    let m = merged.get(account.id);
    if (m === undefined) {
      const withTags: Record<string, number | null> = { ...account.metrics };
      for (const t of allTags) withTags[`tag:${t}`] = account.tags.includes(t) ? 1 : 0;
      m = withTags;
      merged.set(account.id, m);
    }
    return m;
  };
  for (const automation of input.automations) {
    if (!automation.enabled) continue;
    // Accounts entered in this pass count as open, so a second trigger in the same window dedupes.
    const enteredNow = new Set<string>();
    const consider = (account: AutomationAccountFacts, instance: string): void => {
      if (account.stage === "churned" && !automation.options.includeChurned) return;
      if (
        automation.conditions !== null &&
        !evaluateSignalCondition(automation.conditions, metricsOf(account))
      )
        return;
      out.push({
        automationId: automation.id,
        accountId: account.id,
        instance,
        outcome: guard(automation, account.id, enteredNow.has(account.id)),
      });
      enteredNow.add(account.id);
    };
    const guard = (a: Automation, accountId: string, enteredInPass: boolean): AutomationOutcome => {
      const s = input.state(a.id, accountId);
      if (s?.snoozedUntil != null && s.snoozedUntil > asOf) return "snoozed";
      if (enteredInPass || s?.openRun === true) return "deduped";
      if (a.options.reentryDays !== null && s?.lastEnteredAt != null) {
        const next = Date.parse(s.lastEnteredAt) + a.options.reentryDays * DAY_MS;
        if (next > Date.parse(asOf)) return "reentry";
      }
      return isHeldOut(a.id, accountId, a.options.holdoutPct) ? "held_out" : "fired";
    };
    const t = automation.trigger;
    switch (t.type) {
      case "signal_raised": {
        const wanted = t.signalTypes.length === 0 ? null : new Set(t.signalTypes);
        for (const s of events.signals) {
          const account = byId.get(s.accountId);
          if (account !== undefined && (wanted === null || wanted.has(s.type)))
            consider(account, `signal:${s.id}`);
        }
        break;
      }
      case "event_tracked":
        for (const e of events.tracked) {
          if (e.event !== t.event || !t.where.every((c) => propertyHolds(c, e.properties))) continue;
          const account = byId.get(e.accountId);
          if (account !== undefined) consider(account, `event:${e.id}`);
        }
        break;
      case "score_band_crossed":
        for (const account of accounts) {
          const prev = previous.get(account.id);
          if (prev === undefined || prev.band === account.band || account.band !== t.to) continue;
          if (t.from !== "any" && prev.band !== t.from) continue;
          consider(account, `band:${prev.band ?? "none"}->${t.to}@${day}`);
        }
        break;
      case "stage_entered":
        for (const account of accounts) {
          const prev = previous.get(account.id);
          if (prev === undefined || prev.stage === account.stage || account.stage !== t.stage) continue;
          consider(account, `stage:${t.stage}@${day}`);
        }
        break;
      case "segment_entered":
        for (const account of accounts) {
          const prev = previous.get(account.id);
          if (prev === undefined || prev.segment === account.segment || account.segment !== t.segment)
            continue;
          consider(account, `segment:${t.segment}@${day}`);
        }
        break;
      case "date_relative": {
        // The target days the window holds, shifted back by the offset once: each account's date is
        // then two string comparisons, and only the accounts in range pay for a date computation.
        const targets = windowTargetDays(since, asOf);
        if (targets === null) break;
        const lo = addDays(targets.first, -t.offsetDays);
        const hi = addDays(targets.last, -t.offsetDays);
        for (const account of accounts) {
          const date = account.dates[t.field];
          if (date == null || date < lo || date > hi) continue;
          consider(account, `date:${t.field}:${addDays(date, t.offsetDays)}`);
        }
        break;
      }
      case "schedule": {
        // After downtime only the latest slot runs: a missed hourly schedule does not fire 24 times.
        const slots = cronSlots(parseCron(t.cron), since, asOf, 100_000);
        const slot = slots[slots.length - 1];
        if (slot === undefined) break;
        for (const account of accounts) consider(account, `schedule:${slot}`);
        break;
      }
    }
  }
  return out;
}
