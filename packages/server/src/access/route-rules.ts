import type { Permission } from "@tenure/core";

/**
 * How a route's account is found, so book scoping applies to it: a path parameter or a top-level body
 * field holding the account id, or a path parameter naming a record of the account (task, signal,
 * success plan, playbook run) whose account the service looks up itself. `checkedByService`: the
 * route's service checks the book itself (with the principal the route hands it), not the middleware.
 */
export type AccountRef =
  | { param: string; checkedByService?: true }
  | { body: string }
  | { record: "task" | "signal" | "successPlan" | "playbookRun"; param: string };

/**
 * One route's access rule. `public`: no credential (health, the OpenAPI document, sign-in);
 * `tracking`: /v1, which authenticates write keys itself; else the Permission a principal needs,
 * and for account-scoped routes where the account is.
 */
export type RouteRule = "public" | "tracking" | { permission: Permission; account?: AccountRef };

const read: RouteRule = { permission: "read" };
const readAccount: RouteRule = { permission: "read", account: { param: "id" } };
/**
 * The account page: its service checks the book on the account it reads anyway (the same check, no
 * read more on every page); the route × role walk holds it to the same answers.
 */
const readAccountPage: RouteRule = { permission: "read", account: { param: "id", checkedByService: true } };
const edit = (account: AccountRef): RouteRule => ({ permission: "book.edit", account });
const library: RouteRule = { permission: "library.manage" };
const team: RouteRule = { permission: "team.manage" };
const settings: RouteRule = { permission: "settings" };

/**
 * Every route of the server, as "METHOD /path" with OpenAPI-style `{param}`s, and its rule. The
 * access middleware answers 403 for a route missing here, and the route × role test fails.
 */
export const ROUTE_RULES: Record<string, RouteRule> = {
  "POST /v1/{endpoint}": "tracking",
  "GET /api/health": "public",
  "GET /api/openapi.json": "public",
  // Interactive API docs (Swagger UI and its files).
  "GET /api/docs": "public",
  "GET /api/docs/": "public",
  "GET /api/docs/init.js": "public",
  "GET /api/docs/docs.css": "public",
  "GET /api/docs/{file}": "public",
  // better-auth's own routes (sign-in, sign-out, sessions, demo) authenticate themselves.
  "GET /api/auth/*": "public",
  "POST /api/auth/*": "public",
  // First run and one-time links: no user or session yet.
  "GET /api/setup": "public",
  "POST /api/setup": "public",
  "POST /api/invitations/lookup": "public",
  "POST /api/invitations/accept": "public",
  "POST /api/password-resets/accept": "public",
  // Forgot password (throttled per IP and per email) and what the sign-in page offers.
  "POST /api/password-resets/request": "public",
  "GET /api/sign-in/options": "public",
  "GET /api/me": read,
  // Any member may move to another workspace they belong to (the route checks the membership).
  "POST /api/workspaces/{id}/switch": read,
  "GET /api/users": { permission: "users.manage" },
  "POST /api/users": { permission: "users.manage" },
  "PATCH /api/users/{id}": { permission: "users.manage" },
  "POST /api/users/{id}/deactivate": { permission: "users.manage" },
  "POST /api/users/{id}/activate": { permission: "users.manage" },
  "POST /api/users/{id}/password-reset": { permission: "users.manage" },
  "POST /api/invitations": { permission: "users.manage" },
  "DELETE /api/invitations/{id}": { permission: "users.manage" },
  "GET /api/keys": { permission: "keys.manage" },
  "POST /api/keys": { permission: "keys.manage" },
  "POST /api/keys/{id}/rotate": { permission: "keys.manage" },
  "DELETE /api/keys/{id}": { permission: "keys.manage" },
  "GET /api/audit": { permission: "audit.read" },
  "GET /api/audit/export": { permission: "audit.read" },

  "GET /api/revenue/mrr": read,
  "GET /api/revenue/metrics": read,
  "GET /api/revenue/kpis": read,
  "GET /api/revenue/movements": read,
  "GET /api/revenue/cohorts": read,
  "GET /api/revenue/unit-economics": read,
  "GET /api/revenue/bundles": read,
  "GET /api/revenue/whatif": read,
  "GET /api/segments": read,
  "POST /api/import/{kind}": { permission: "data.import" },
  "GET /api/export/{table}": read,

  "GET /api/accounts": read,
  "GET /api/worklist": read,
  "GET /api/accounts/{id}": readAccount,
  "GET /api/accounts/{id}/overview": readAccountPage,
  "GET /api/accounts/{id}/timeline": readAccount,
  "POST /api/accounts/{id}/timeline": edit({ param: "id" }),
  "PUT /api/accounts/{id}/stage": edit({ param: "id" }),
  "PUT /api/accounts/{id}/contacts/{contactId}/left": edit({ param: "id" }),
  "GET /api/accounts/{id}/usage/summary": readAccount,
  "GET /api/accounts/{id}/usage": readAccount,
  "GET /api/accounts/{id}/predictions": readAccount,
  "GET /api/accounts/{id}/success-plans": readAccount,
  "POST /api/accounts/{id}/success-plans": edit({ param: "id" }),
  "GET /api/accounts/{id}/playbook-runs": readAccount,
  "PUT /api/accounts/{id}/qbrs/{quarter}": edit({ param: "id" }),

  "GET /api/signals": read,
  "POST /api/signals/{id}/status": edit({ record: "signal", param: "id" }),
  "GET /api/signal-rules": read,
  "POST /api/signal-rules": library,
  "DELETE /api/signal-rules/{id}": library,
  "GET /api/scorecard": read,
  "PUT /api/scorecard": library,
  "POST /api/scorecard/preview": library,
  "GET /api/scores/compare": read,

  // Saved views are shared list filters: anyone who works accounts may keep them.
  "GET /api/views": read,
  "POST /api/views": { permission: "book.edit" },
  "DELETE /api/views/{id}": { permission: "book.edit" },

  "GET /api/deliveries/variables": read,
  "GET /api/deliveries/templates": read,
  "POST /api/deliveries/templates": library,
  "PUT /api/deliveries/templates/{id}": library,
  "DELETE /api/deliveries/templates/{id}": library,
  "POST /api/deliveries/templates/preview": library,
  // Endpoints, channels and the SMTP settings hold webhook URLs and secrets: admins only, reads too.
  "GET /api/deliveries/endpoints": settings,
  "POST /api/deliveries/endpoints": settings,
  "PUT /api/deliveries/endpoints/{id}": settings,
  "DELETE /api/deliveries/endpoints/{id}": settings,
  "GET /api/deliveries/channels": settings,
  "POST /api/deliveries/channels": settings,
  "PUT /api/deliveries/channels/{id}": settings,
  "DELETE /api/deliveries/channels/{id}": settings,
  "GET /api/deliveries/settings": settings,
  "PUT /api/deliveries/settings": settings,
  "POST /api/deliveries/test": settings,
  "GET /api/deliveries": read,
  "GET /api/deliveries/{id}": read,

  "GET /api/jobs": read,
  "GET /api/jobs/{id}": read,
  "POST /api/jobs/{id}/retry": settings,
  "GET /api/effects/report": read,
  "GET /api/effects/roi": read,

  "GET /api/renewals/calendar": read,
  "GET /api/renewals/outcomes": read,
  "POST /api/renewals/outcomes": edit({ body: "accountId" }),
  "GET /api/renewals/reasons": read,
  "PUT /api/renewals/reasons": library,
  "GET /api/renewals/churn-reasons": read,
  "GET /api/renewals/campaigns": read,
  "POST /api/renewals/campaigns": library,
  "PATCH /api/renewals/campaigns/{id}": library,
  "GET /api/surveys": read,
  "POST /api/surveys/responses": edit({ body: "accountId" }),
  "GET /api/referrals": read,
  "POST /api/referrals": edit({ body: "advocateAccountId" }),

  "GET /api/success-plans/templates": read,
  "PATCH /api/success-plans/{id}": edit({ record: "successPlan", param: "id" }),
  "DELETE /api/success-plans/{id}": edit({ record: "successPlan", param: "id" }),
  "PATCH /api/success-plans/{id}/goals/{goalId}": edit({ record: "successPlan", param: "id" }),
  "PUT /api/success-plans/{id}/milestones/{milestoneId}": edit({ record: "successPlan", param: "id" }),
  "GET /api/onboarding/progress": read,
  "GET /api/onboarding/time-to-first-value": read,
  "GET /api/coverage": read,
  "PUT /api/coverage": settings,
  "GET /api/qbrs": read,

  "GET /api/team": read,
  "POST /api/team/teams": team,
  "DELETE /api/team/teams/{id}": team,
  "POST /api/team/members": team,
  "PUT /api/team/members/{id}": team,
  "POST /api/team/members/{id}/deactivate": team,
  "POST /api/team/members/{id}/reactivate": team,
  "POST /api/team/owners": team,
  "POST /api/team/members/{id}/book": team,
  "GET /api/team/workload": read,

  "GET /api/tasks": read,
  "POST /api/tasks": edit({ body: "accountId" }),
  "GET /api/tasks/{id}": { permission: "read", account: { record: "task", param: "id" } },
  "PATCH /api/tasks/{id}": edit({ record: "task", param: "id" }),
  "POST /api/tasks/{id}/complete": edit({ record: "task", param: "id" }),
  "POST /api/tasks/{id}/skip": edit({ record: "task", param: "id" }),
  "POST /api/tasks/{id}/reassign": edit({ record: "task", param: "id" }),

  "GET /api/playbooks": read,
  "GET /api/playbooks/{key}": read,
  "POST /api/playbooks": library,
  "PUT /api/playbooks/{key}": library,
  "POST /api/playbooks/{key}/archive": library,
  "GET /api/playbooks/{key}/runs": read,
  "POST /api/playbooks/{key}/runs": edit({ body: "accountId" }),
  "POST /api/playbook-runs/{id}/reschedule": edit({ record: "playbookRun", param: "id" }),
  "POST /api/playbook-runs/{id}/snooze": edit({ record: "playbookRun", param: "id" }),

  "GET /api/automations": read,
  "GET /api/automations/{id}": read,
  "POST /api/automations": library,
  "PUT /api/automations/{id}": library,
  "POST /api/automations/{id}/enabled": library,
  "POST /api/automations/dry-run": library,
  "GET /api/automations/{id}/log": read,
  "POST /api/automations/{id}/snooze": edit({ body: "accountId" }),

  "GET /api/predictions/backtest": read,
  "POST /api/predictions/train": settings,
  "GET /api/predictions": read,
  "GET /api/predictions/portfolio": read,
  "GET /api/predictions/renewals": read,
  "GET /api/predictions/renewals/backtest": read,
  "GET /api/settings/clv": read,
  "PUT /api/settings/clv": settings,
  "GET /api/settings/access": read,
  "PUT /api/settings/access": settings,
  // Single sign-on: how people sign in is for admins only (the provider's settings, not its secret).
  "GET /api/settings/sso": settings,
  "PUT /api/settings/sso": settings,
  "DELETE /api/settings/sso": settings,
};
