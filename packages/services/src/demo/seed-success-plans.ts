import { randomUUID } from "node:crypto";
import {
  DEFAULT_COVERAGE,
  daysBetween,
  findPlanTemplate,
  type PlanTemplate,
  quarterBounds,
  quarterOf,
  shiftQuarter,
  signingDates,
} from "@tenure/core";
import type { Storage, SuccessPlanMilestone } from "@tenure/storage";
import { qbrSchedule } from "../coverage-model/coverage-service";
import { addDays } from "../health/days";
import { createSuccessPlan } from "../success-plans/success-plan-service";
import type { DemoCompany } from "./generate-demo-company";
import { deriveSeed, Rng } from "./prng";

/** Its own random stream, so that the rest of the demo's draws never move. */
const SUCCESS_PLAN_STREAM = 0x5c_e55;

/** Median days from signing to first value by tier: small accounts get there fastest (seed 002). */
const TTFV_MEDIAN_DAYS: Record<string, number> = { smb: 9, "mid-market": 17, enterprise: 31 };

export interface SeedSuccessPlansResult {
  onboarding: number;
  successPlans: number;
}

/**
 * Onboarding checklists for every account that signed in the last year (ticked as its onboarding went,
 * a few stuck before first value), and GPCT success plans for the largest enterprise accounts.
 */
export async function seedDemoSuccessPlans(
  storage: Storage,
  ws: string,
  demo: Pick<DemoCompany, "accounts" | "subscriptions">,
  opts: { asOf: string; seed: number; reportingCurrency: string },
): Promise<SeedSuccessPlansResult> {
  const rng = new Rng(deriveSeed(opts.seed, SUCCESS_PLAN_STREAM));
  const { asOf } = opts;
  const signed = signingDates(demo.subscriptions);
  const live = new Set<string>();
  const mrr = new Map<string, number>();
  for (const s of demo.subscriptions) {
    if (s.startDate <= asOf && (s.endDate === null || s.endDate > asOf)) {
      live.add(s.accountId);
      mrr.set(s.accountId, (mrr.get(s.accountId) ?? 0) + s.amount * s.quantity);
    }
  }
  const techTouch = findPlanTemplate("onboarding-tech-touch") as PlanTemplate;
  const highTouch = findPlanTemplate("onboarding-high-touch") as PlanTemplate;
  let onboarding = 0;
  await storage.transaction(async (tx) => {
    for (const a of demo.accounts) {
      const start = signed.get(a.id);
      if (start === undefined || start > asOf) continue;
      const age = daysBetween(start, asOf);
      if (age > 365) continue;
      const tpl = a.tier === "enterprise" || a.tier === "mid-market" ? highTouch : techTouch;
      const median = TTFV_MEDIAN_DAYS[a.tier ?? "smb"] ?? 14;
      const valueDay = Math.max(1, Math.round(median * Math.exp(0.45 * rng.normal())));
      const stuck = rng.chance(0.12);
      const valueDue = tpl.milestones.find((m) => m.valueMilestone)?.dueDays ?? 1;
      const milestones: SuccessPlanMilestone[] = tpl.milestones.map((m, i) => {
        const day = m.valueMilestone
          ? valueDay
          : Math.max(0, Math.round((m.dueDays * valueDay * rng.float(0.8, 1.2)) / valueDue));
        const reachable = !stuck || m.dueDays < valueDue;
        const done = reachable && day <= age;
        return {
          id: randomUUID(),
          position: i,
          title: m.title.en,
          dueOn: addDays(start, m.dueDays),
          doneAt: done
            ? `${addDays(start, day)}T${String(9 + rng.int(0, 8)).padStart(2, "0")}:00:00.000Z`
            : null,
          doneBy: done ? a.owner : null,
          valueMilestone: m.valueMilestone === true,
        };
      });
      const allDone = milestones.every((m) => m.doneAt !== null);
      await tx.successPlans.create(ws, {
        id: randomUUID(),
        accountId: a.id,
        kind: "onboarding",
        templateKey: tpl.key,
        title: tpl.title.en,
        status: allDone ? "achieved" : live.has(a.id) ? "active" : "abandoned",
        startedOn: start,
        challenges: tpl.challenges.map((c) => c.en),
        createdBy: a.owner,
        goals: [],
        milestones,
      });
      onboarding += 1;
    }
  });

  // GPCT plans for the 20 largest live enterprise accounts, started 2-12 weeks ago.
  const largest = demo.accounts
    .filter((a) => a.tier === "enterprise" && live.has(a.id))
    .sort((x, y) => (mrr.get(y.id) ?? 0) - (mrr.get(x.id) ?? 0) || (x.id < y.id ? -1 : 1))
    .slice(0, 20);
  for (const a of largest) {
    const startedOn = addDays(asOf, -rng.int(14, 84));
    const plan = await createSuccessPlan(
      storage,
      ws,
      a.id,
      { templateKey: "success-plan-gpct", startedOn, createdBy: a.owner },
      { asOf: startedOn, reportingCurrency: opts.reportingCurrency },
    );
    for (const m of plan.milestones) {
      if (m.dueOn === null || m.dueOn > asOf || rng.chance(0.2)) continue;
      const at = `${addDays(m.dueOn, -rng.int(0, 3))}T15:00:00.000Z`;
      await storage.successPlans.setMilestoneDone(ws, plan.id, m.id, { at, by: a.owner });
    }
  }
  return { onboarding, successPlans: largest.length };
}

/** Which demo team covers which tier (seed-team.ts's team ids). */
const DEMO_TIER_TEAMS: Record<string, string> = {
  enterprise: "enterprise",
  "mid-market": "mid-market",
  smb: "tech-touch",
};

/**
 * The demo's coverage model (each tier owned by its team) and QBRs of its high- and mid-touch accounts
 * for the last four quarters and the running one: a growth target set at the quarter's start, most
 * reviews held mid-quarter.
 */
export async function seedDemoCoverage(
  storage: Storage,
  ws: string,
  opts: { asOf: string; seed: number; reportingCurrency: string },
): Promise<{ qbrs: number }> {
  const rng = new Rng(deriveSeed(opts.seed, SUCCESS_PLAN_STREAM + 1));
  const teams = new Set((await storage.team.listTeams(ws)).map((t) => t.id));
  const model = structuredClone(DEFAULT_COVERAGE);
  for (const tier of model.tiers) {
    const team = DEMO_TIER_TEAMS[tier.tier];
    tier.teamId = team !== undefined && teams.has(team) ? team : null;
  }
  await storage.workspaceSettings.set(ws, "coverage", model);

  const current = quarterOf(opts.asOf);
  let count = 0;
  for (let back = 4; back >= 0; back--) {
    const quarter = shiftQuarter(current, -back);
    const { start, end } = quarterBounds(quarter);
    // The schedule's own start MRR (the revenue engine's, in the reporting currency) sets each target.
    const schedule = await qbrSchedule(storage, ws, {
      quarter,
      asOf: opts.asOf,
      reportingCurrency: opts.reportingCurrency,
    });
    const index = Number(quarter.slice(0, 4)) * 4 + Number(quarter.slice(6));
    const records = schedule.rows.flatMap((row) => {
      // A QBR every cadence: quarterly tiers every quarter, half-yearly ones every other quarter.
      if (row.startMrr <= 0 || (index * 3) % row.cadenceMonths !== 0) return [];
      const mid = addDays(start, rng.int(20, 70));
      const held = mid <= opts.asOf && mid <= end && rng.chance(0.85) ? mid : null;
      return [
        {
          accountId: row.accountId,
          quarter,
          targetMrr: Math.round(row.startMrr * (1 + rng.float(0.02, 0.1))),
          heldOn: held,
          note: null,
          updatedBy: row.owner,
        },
      ];
    });
    await storage.qbrs.upsertMany(ws, records);
    count += records.length;
  }
  return { qbrs: count };
}
