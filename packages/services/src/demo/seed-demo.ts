import type { Storage } from "@tenure/storage";
import { type DemoOptions, generateDemoCompany } from "./generate-demo-company";
import { seedDemoAcknowledgements } from "./seed-acknowledgements";
import { type SeedActivityResult, seedDemoActivity } from "./seed-activity";
import { type SeedAutomationsResult, seedDemoAutomations } from "./seed-automations";
import { type SeedPlaybooksResult, seedDemoPlaybooks } from "./seed-playbooks";
import { type SeedRenewalsResult, seedDemoRenewals } from "./seed-renewals";
import { type SeedSuccessPlansResult, seedDemoCoverage, seedDemoSuccessPlans } from "./seed-success-plans";
import { type SeedTeamResult, seedDemoTeam } from "./seed-team";
import { seedDemoUsers } from "./seed-users";

/** The demo generator's default end of history (generateDemoCompany's own default). */
const DEFAULT_DEMO_AS_OF = "2026-11-15";

export interface SeedDemoResult {
  company: string;
  accounts: number;
  contacts: number;
  subscriptions: number;
  entitlements: number;
  products: number;
  plans: number;
  exchangeRates: number;
  spend: number;
  /** Teams, members (account owners) and a few manual tasks. */
  team: SeedTeamResult;
  /** Usage, timeline and health history (absent when `activity` is false). */
  activity?: SeedActivityResult;
  /** Renewal outcomes, the save campaign, referrals and CSAT answers (absent when `activity` is false). */
  renewals?: SeedRenewalsResult;
  /** Onboarding checklists and GPCT success plans (absent when `activity` is false). */
  successPlans?: SeedSuccessPlansResult;
  /** QBRs of the high- and mid-touch accounts (absent when `activity` is false). */
  coverage?: { qbrs: number };
  /** The playbook library and its runs (absent when `activity` is false). */
  playbooks?: SeedPlaybooksResult;
  /** The automations and their run log over the same runs (absent when `activity` is false). */
  automations?: SeedAutomationsResult;
  /** Open signals acknowledged by their account's owner (absent when `activity` is false). */
  acknowledgedSignals?: number;
}

/** Generates the deterministic demo company and writes it into one workspace in a single transaction. */
export async function seedDemo(
  storage: Storage,
  opts: DemoOptions & {
    workspaceId: string;
    onProgress?: (step: string, done: number, total: number) => void;
    /** Also seed usage, timeline entries and health history (default true). */
    activity?: boolean;
    /** The currency renewal outcomes' ARR is recorded in (default the demo's, USD). */
    reportingCurrency?: string;
  },
): Promise<SeedDemoResult> {
  const { workspaceId: ws, onProgress, activity = true, reportingCurrency, ...demoOptions } = opts;
  const demo = generateDemoCompany(demoOptions);
  const steps = 8;
  await storage.workspaces.ensure(ws, demo.name);
  await storage.transaction(async (tx) => {
    onProgress?.("products", 0, steps);
    await tx.products.upsertMany(ws, demo.products);
    onProgress?.("plans", 1, steps);
    await tx.plans.upsertMany(ws, demo.plans);
    onProgress?.("accounts", 2, steps);
    await tx.accounts.upsertMany(ws, demo.accounts);
    onProgress?.("contacts", 3, steps);
    await tx.contacts.upsertMany(ws, demo.contacts);
    onProgress?.("subscriptions", 4, steps);
    await tx.subscriptions.upsertMany(ws, demo.subscriptions);
    onProgress?.("entitlements", 5, steps);
    await tx.entitlements.upsertMany(ws, demo.entitlements);
    onProgress?.("exchange rates", 6, steps);
    await tx.exchangeRates.upsertMany(ws, demo.exchangeRates);
    onProgress?.("acquisition spend", 7, steps);
    await tx.spend.upsertMany(ws, demo.spend);
    onProgress?.("done", 8, steps);
  });
  // Members own the accounts before any playbook run assigns a task to an owner.
  const teamResult = await seedDemoTeam(storage, ws, demo.accounts, {
    seed: demoOptions.seed ?? 42,
    asOf: demoOptions.asOf ?? DEFAULT_DEMO_AS_OF,
  });
  // Sign-in: the demo admin and a manager and a CSM per team, linked to their team members.
  await seedDemoUsers(storage, ws);
  const activityResult = activity
    ? await seedDemoActivity(storage, ws, demo, {
        asOf: demoOptions.asOf ?? DEFAULT_DEMO_AS_OF,
        seed: demoOptions.seed ?? 42,
        onProgress: (step) => onProgress?.(step, steps, steps),
      })
    : undefined;
  const renewalsResult = activity
    ? await seedDemoRenewals(storage, ws, demo, {
        asOf: demoOptions.asOf ?? DEFAULT_DEMO_AS_OF,
        seed: demoOptions.seed ?? 42,
        reportingCurrency: reportingCurrency ?? demo.reportingCurrency,
      })
    : undefined;
  const playbooksResult = activity
    ? await seedDemoPlaybooks(storage, ws, {
        asOf: demoOptions.asOf ?? DEFAULT_DEMO_AS_OF,
        seed: demoOptions.seed ?? 42,
        reportingCurrency: reportingCurrency ?? demo.reportingCurrency,
      })
    : undefined;
  // After the playbook runs: the two hold-out automations' log is those runs.
  const automationsResult = activity
    ? await seedDemoAutomations(storage, ws, {
        asOf: demoOptions.asOf ?? DEFAULT_DEMO_AS_OF,
        seed: demoOptions.seed ?? 42,
        reportingCurrency: reportingCurrency ?? demo.reportingCurrency,
      })
    : undefined;
  const successPlansResult = activity
    ? await seedDemoSuccessPlans(storage, ws, demo, {
        asOf: demoOptions.asOf ?? DEFAULT_DEMO_AS_OF,
        seed: demoOptions.seed ?? 42,
        reportingCurrency: reportingCurrency ?? demo.reportingCurrency,
      })
    : undefined;
  const coverageResult = activity
    ? await seedDemoCoverage(storage, ws, {
        asOf: demoOptions.asOf ?? DEFAULT_DEMO_AS_OF,
        seed: demoOptions.seed ?? 42,
        reportingCurrency: reportingCurrency ?? demo.reportingCurrency,
      })
    : undefined;
  const acknowledged = activity
    ? await seedDemoAcknowledgements(storage, ws, {
        asOf: demoOptions.asOf ?? DEFAULT_DEMO_AS_OF,
        seed: demoOptions.seed ?? 42,
      })
    : undefined;
  return {
    company: demo.name,
    accounts: demo.accounts.length,
    contacts: demo.contacts.length,
    subscriptions: demo.subscriptions.length,
    entitlements: demo.entitlements.length,
    products: demo.products.length,
    plans: demo.plans.length,
    exchangeRates: demo.exchangeRates.length,
    spend: demo.spend.length,
    team: teamResult,
    ...(activityResult ? { activity: activityResult } : {}),
    ...(renewalsResult ? { renewals: renewalsResult } : {}),
    ...(playbooksResult ? { playbooks: playbooksResult } : {}),
    ...(automationsResult ? { automations: automationsResult } : {}),
    ...(successPlansResult ? { successPlans: successPlansResult } : {}),
    ...(coverageResult ? { coverage: coverageResult } : {}),
    ...(acknowledged !== undefined ? { acknowledgedSignals: acknowledged } : {}),
  };
}

/** True when the workspace has no accounts yet (the demo seeds only then). */
export async function isWorkspaceEmpty(storage: Storage, workspaceId: string): Promise<boolean> {
  return (await storage.accounts.count(workspaceId)) === 0;
}
