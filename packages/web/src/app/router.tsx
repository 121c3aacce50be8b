import { createRootRoute, createRoute, createRouter, redirect } from "@tanstack/react-router";
import { parseBookSearch } from "../auth/book-chips";
import { AccountPage } from "../features/account/account-page";
import { AccountsPage } from "../features/accounts/accounts-page";
import { parseAccountsSearch } from "../features/accounts/search";
import { WorklistPage } from "../features/accounts/worklist-page";
import { AuditPage } from "../features/audit/audit-page";
import { AutomationsPage } from "../features/automations/automations-page";
import { CoveragePage } from "../features/coverage-model/coverage-page";
import { EffectsPage } from "../features/effects/effects-page";
import { ComparePage, parseCompareSearch } from "../features/health/compare-page";
import { ScorecardPage } from "../features/health/scorecard-page";
import { IntegrationsPage } from "../features/integrations/integrations-page";
import { JobsPage } from "../features/jobs/jobs-page";
import { KeysPage } from "../features/keys/keys-page";
import { PlaybooksPage } from "../features/playbooks/playbooks-page";
import { BacktestPage } from "../features/predictions/backtest-page";
import { PortfolioPage } from "../features/predictions/portfolio-page";
import { RenewalsPage } from "../features/renewals/renewals-page";
import { RevenueRoute } from "../features/revenue/revenue-route";
import { parseRevenueSearch } from "../features/revenue/search";
import { SsoPage } from "../features/sso/sso-page";
import { OnboardingPage } from "../features/success-plans/onboarding-page";
import { parseTasksSearch, TasksPage } from "../features/tasks/tasks-page";
import { TeamPage } from "../features/team/team-page";
import { UsersPage } from "../features/users/users-page";
import { AppShell, NotFound } from "./app-shell";

const rootRoute = createRootRoute({ component: AppShell, notFoundComponent: NotFound });

// "/" is the revenue dashboard; redirecting keeps one canonical, shareable URL.
const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/",
  validateSearch: parseRevenueSearch,
  beforeLoad: ({ search }) => {
    throw redirect({ to: "/revenue", search, replace: true });
  },
});

/** The revenue dashboard; `from`, `to` and `segment` live in the search params. */
export const revenueRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/revenue",
  validateSearch: parseRevenueSearch,
  component: RevenueRoute,
});

/** The accounts list; filters, sort and the saved view live in the search params. */
const accountsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/accounts",
  validateSearch: parseAccountsSearch,
  component: AccountsPage,
});

/** One account's page. */
const accountRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/accounts/$accountId",
  component: AccountPage,
});

/** High-touch / tech-touch coverage per tier and the quarter's QBRs against revenue targets. */
const coverageRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/coverage",
  component: CoveragePage,
});

/** Onboarding checklists' progress and time to first value by segment. */
const onboardingRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/onboarding",
  component: OnboardingPage,
});

/** Accounts that need attention, by churn risk × ARR. */
const worklistRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/worklist",
  validateSearch: parseBookSearch,
  component: WorklistPage,
});

/** Health compared across segments of one attribute. */
const compareRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/health/compare",
  validateSearch: parseCompareSearch,
  component: ComparePage,
});

/** Settings → Health scorecard. */
const scorecardRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/settings/scorecard",
  component: ScorecardPage,
});

/** Settings → Integrations: email templates, webhooks, team chats, quiet hours, the delivery log. */
const integrationsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/settings/integrations",
  component: IntegrationsPage,
});

/** Settings → Jobs: the job queue's counts and log, failed jobs with their last error and a retry. */
const jobsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/settings/jobs",
  component: JobsPage,
});

/** Settings → Users: who signs in, with which role; invitations, deactivation, password resets (admins). */
const usersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/settings/users",
  component: UsersPage,
});

/** Settings → Sign-in (SSO) (admin): the workspace's OpenID Connect provider. */
const ssoRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/settings/sso",
  component: SsoPage,
});

/** Settings → API keys (admin): create (shown once), rotate with an overlap, revoke. */
const keysRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/settings/keys",
  component: KeysPage,
});

/** Settings → Audit log (admin): every change, filtered, with before and after; CSV and JSON lines exports. */
const auditRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/settings/audit",
  component: AuditPage,
});

/** Settings → Team: teams, members, deactivation with a successor, books and load against capacity. */
const teamRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/settings/team",
  component: TeamPage,
});

/** Portfolio predictions: ARR at risk, CLV, LTV/CAC, high-potential accounts, renewal forecast. */
const predictionsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/predictions",
  component: PortfolioPage,
});

/** The playbook (SOP) library: list, editor with steps and versions. */
const playbooksRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/playbooks",
  component: PlaybooksPage,
});

/** Automations: list with on/off switches, builder, dry runs and run logs. */
const automationsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/automations",
  component: AutomationsPage,
});

/** Did it work? Playbook effects against hold-out or matched controls, and success rates. */
const effectsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/effects",
  component: EffectsPage,
});

/** Renewals: calendar by month and owner, outcomes, churn reasons, save campaigns, advocacy. */
const renewalsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/renewals",
  validateSearch: parseBookSearch,
  component: RenewalsPage,
});

/** The churn and expansion models' backtests. */
const backtestRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/predictions/backtest",
  component: BacktestPage,
});

/** Tasks: my tasks, a team's, overdue ones, and the workload per CSM. */
const tasksRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/tasks",
  validateSearch: parseTasksSearch,
  component: TasksPage,
});

const routeTree = rootRoute.addChildren([
  indexRoute,
  ssoRoute,
  revenueRoute,
  accountsRoute,
  accountRoute,
  worklistRoute,
  onboardingRoute,
  coverageRoute,
  compareRoute,
  scorecardRoute,
  integrationsRoute,
  jobsRoute,
  keysRoute,
  auditRoute,
  teamRoute,
  usersRoute,
  predictionsRoute,
  backtestRoute,
  renewalsRoute,
  automationsRoute,
  effectsRoute,
  playbooksRoute,
  tasksRoute,
]);

/** The app router (code-based routes). */
export const router = createRouter({ routeTree, defaultPreload: false, scrollRestoration: true });

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
