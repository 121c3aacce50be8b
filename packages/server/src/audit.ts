import type { AuditEntry, AuditOrigin, Storage, StorageTransaction } from "@tenure/storage";
import { createMiddleware } from "hono/factory";
import type { AuthVariables } from "./auth";
import { clientIp } from "./client-ip";

/**
 * Mutating routes that change nothing stored, so they have no audit row. Keep each one commented:
 * the audit coverage test fails on a mutating route that is neither recorded nor listed here.
 */
export const AUDIT_EXEMPT: ReadonlySet<string> = new Set([
  // Previews and dry runs compute an answer from the body and store nothing.
  "POST /automations/dry-run",
  "POST /deliveries/templates/preview",
  "POST /scorecard/preview",
  // Sends one test message to a destination; the delivery log of real sends is not touched.
  "POST /deliveries/test",
  // better-auth's session routes: signing in and out changes sessions, not workspace data.
  "POST /auth/sign-in/email",
  "POST /auth/sign-out",
  "POST /auth/revoke-sessions",
  "POST /auth/demo",
  "POST /auth/sign-in/sso",
  // Forgot password is public and answers before its email is sent, the same for every email: the
  // reset link it may make is not a workspace change (an admin-made reset is recorded).
  "POST /password-resets/request",
  // Choosing the active workspace of one's own session changes no workspace data.
  "POST /workspaces/{id}/switch",
]);

/**
 * Routes whose work is derived data computed for minutes (model training: models and scores, from the
 * stored data): holding one transaction open that long would block every other writer (the tracking
 * ingest). They run outside one, and their audit row is written once they have succeeded. (User
 * administration is no longer here: better-auth writes through `storage.kysely`, which joins the
 * audited transaction.)
 */
export const AUDIT_AFTER: ReadonlySet<string> = new Set([
  "POST /predictions/train",
  // Saving reads the provider's discovery document (up to 5 s): not while holding a transaction
  // (SQLite has one connection). Recorded once saved, without the client secret.
  "PUT /settings/sso",
]);

/**
 * Changing routes open to people who are not signed in (yet): first-run set-up and the links an
 * invitee or a user with a reset link opens. They are audited in their transaction too; the route
 * names who acted and in which workspace (`auditAs`), which only it learns.
 */
export const AUDIT_PUBLIC: ReadonlySet<string> = new Set([
  "POST /setup",
  "POST /invitations/accept",
  "POST /password-resets/accept",
]);

/** A route of the API: method and path template (`/tasks/{id}`), matched against request paths. */
interface RouteShape {
  method: string;
  template: string;
  pattern: RegExp;
  params: string[];
}

/** What an audit row says about a route: the entity type and the action. */
export interface RouteAudit {
  entityType: string;
  action: string;
  /** The path parameter naming the entity, if any. */
  idParam: string | null;
}

/** Names that read better than the generic derivation; keyed by "METHOD /template". */
const NAMES: Record<string, [entityType: string, action: string, idParam?: string]> = {
  "POST /accounts/{id}/timeline": ["account", "account.note.create"],
  "PUT /accounts/{id}/stage": ["account", "account.stage.set"],
  "PUT /accounts/{id}/contacts/{contactId}/left": ["contact", "contact.left", "contactId"],
  "PUT /accounts/{id}/qbrs/{quarter}": ["account", "account.qbr.set"],
  "POST /accounts/{id}/success-plans": ["success_plan", "success_plan.create", ""],
  "PATCH /success-plans/{id}/goals/{goalId}": ["success_plan", "success_plan.goal.update"],
  "PUT /success-plans/{id}/milestones/{milestoneId}": ["success_plan", "success_plan.milestone.set"],
  "POST /signals/{id}/status": ["signal", "signal.status.set"],
  "POST /import/{kind}": ["import", "import.run", "kind"],
  "PUT /scorecard": ["scorecard", "scorecard.update"],
  "PUT /settings/clv": ["setting", "setting.clv.update"],
  "PUT /settings/sso": ["setting", "setting.sso.update"],
  "DELETE /settings/sso": ["setting", "setting.sso.delete"],
  "PUT /coverage": ["setting", "setting.coverage.update"],
  "PUT /deliveries/settings": ["setting", "setting.deliveries.update"],
  "PUT /renewals/reasons": ["setting", "setting.renewal_reasons.update"],
  "POST /team/owners": ["account", "account.owner.set", ""],
  "POST /team/members/{id}/book": ["member", "member.book.reassign"],
  "POST /playbooks/{key}/runs": ["playbook_run", "playbook_run.start", ""],
  "POST /predictions/train": ["model", "model.train", ""],
  "POST /keys/{id}/rotate": ["api_key", "api_key.rotate"],
  "DELETE /keys/{id}": ["api_key", "api_key.revoke"],
  "POST /setup": ["user", "user.setup", ""],
  "POST /invitations/accept": ["invitation", "invitation.accept", ""],
  "POST /password-resets/accept": ["user", "user.password_reset.accept", ""],
};

const SINGULAR: Record<string, string> = {
  accounts: "account",
  automations: "automation",
  views: "saved_view",
  "signal-rules": "signal_rule",
  "success-plans": "success_plan",
  tasks: "task",
  teams: "team",
  members: "member",
  playbooks: "playbook",
  "playbook-runs": "playbook_run",
  templates: "delivery_template",
  endpoints: "webhook_endpoint",
  channels: "chat_channel",
  campaigns: "renewal_campaign",
  outcomes: "renewal_outcome",
  responses: "survey_response",
  referrals: "referral",
  jobs: "job",
  keys: "api_key",
};

/**
 * The entity and action of a route, derived from its template (`POST /tasks` → task.create,
 * `PATCH /tasks/{id}` → task.update, `POST /tasks/{id}/done` → task.done), or from NAMES.
 */
export function describeRoute(method: string, template: string): RouteAudit {
  const named = NAMES[`${method} ${template}`];
  const parts = template.split("/").filter((p) => p !== "");
  const isParam = (p: string | undefined) => p?.startsWith("{") === true;
  const firstParam = parts.find(isParam)?.slice(1, -1) ?? null;
  if (named !== undefined) {
    const [entityType, action, idParam] = named;
    return { entityType, action, idParam: idParam === undefined ? firstParam : idParam || null };
  }
  const last = parts.at(-1) ?? "";
  const entityOf = (p: string) => SINGULAR[p] ?? p.replace(/-/g, "_").replace(/s$/, "");
  if (isParam(last)) {
    const entityType = entityOf(parts.at(-2) ?? "");
    const verb = method === "DELETE" ? "delete" : "update";
    return { entityType, action: `${entityType}.${verb}`, idParam: last.slice(1, -1) };
  }
  const prev = parts.at(-2);
  if (isParam(prev)) {
    const entityType = entityOf(parts.at(-3) ?? "");
    return {
      entityType,
      action: `${entityType}.${last.replace(/-/g, "_")}`,
      idParam: prev?.slice(1, -1) ?? null,
    };
  }
  const entityType = entityOf(last);
  return { entityType, action: `${entityType}.create`, idParam: null };
}

type Loader = (tx: StorageTransaction, ws: string, id: string) => Promise<unknown>;

/** How to read an entity as stored, for the before and after of its audit row. */
const LOADERS: Record<string, Loader> = {
  task: (tx, ws, id) => tx.tasks.get(ws, id),
  team: (tx, ws, id) => tx.team.getTeam(ws, id),
  member: (tx, ws, id) => tx.team.getMember(ws, id),
  playbook: (tx, ws, id) => tx.playbooks.get(ws, id),
  playbook_run: (tx, ws, id) => tx.playbooks.getRun(ws, id),
  automation: (tx, ws, id) => tx.automations.get(ws, id),
  success_plan: (tx, ws, id) => tx.successPlans.get(ws, id),
  signal: (tx, ws, id) => tx.signals.get(ws, id),
  delivery_template: (tx, ws, id) => tx.deliveryTemplates.get(ws, id),
  webhook_endpoint: (tx, ws, id) => tx.deliveryTargets.getEndpoint(ws, id),
  chat_channel: (tx, ws, id) => tx.deliveryTargets.getChannel(ws, id),
  account: (tx, ws, id) => tx.accounts.get(ws, id),
  api_key: (tx, ws, id) => tx.apiKeys.get(ws, id),
  scorecard: (tx, ws) => tx.scorecards.get(ws),
  // A user as their workspace sees them (role, member link, active); never a credential.
  user: async (tx, ws, id) => {
    const membership = await tx.memberships.get(ws, id);
    const user = membership === null ? null : await tx.users.get(id);
    return user === null || membership === null
      ? null
      : { ...user, role: membership.role, memberId: membership.memberId };
  },
  // A pending invitation, without its link (the link holds the token).
  invitation: async (tx, ws, id) => {
    const link = (await tx.authLinks.listPendingInvites(ws)).find((l) => l.id === id);
    return link === undefined
      ? null
      : {
          id: link.id,
          email: link.email,
          role: link.role,
          memberId: link.memberId,
          expiresAt: link.expiresAt,
        };
  },
};

/** Matches request paths (under /api) to the API's route templates; literal routes win. */
export class RouteTable {
  private readonly routes: RouteShape[];

  constructor(routes: Array<{ method: string; path: string }>) {
    this.routes = routes
      .map((r) => {
        const params: string[] = [];
        const source = r.path
          .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
          .replace(/\\?\{([^}]+)\\?\}/g, (_m, name) => {
            params.push(name);
            return "([^/]+)";
          });
        return {
          method: r.method.toUpperCase(),
          template: r.path,
          pattern: new RegExp(`^${source}$`),
          params,
        };
      })
      .sort((a, b) => a.params.length - b.params.length);
  }

  match(method: string, path: string): { template: string; params: Record<string, string> } | null {
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (m === null) continue;
      const params: Record<string, string> = {};
      r.params.forEach((name, i) => {
        const raw = m[i + 1] ?? "";
        try {
          params[name] = decodeURIComponent(raw);
        } catch {
          // Malformed escapes: the route's own validation answers them; the id is kept as sent.
          params[name] = raw;
        }
      });
      return { template: r.template, params };
    }
    return null;
  }
}

class RolledBack extends Error {}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The response's JSON (a copy), or null when it has none. */
async function responseJson(res: Response): Promise<unknown> {
  if (!(res.headers.get("content-type") ?? "").includes("json")) return null;
  try {
    return await res.clone().json();
  } catch {
    return null;
  }
}

const idFromBody = (body: unknown): string | null => {
  if (body === null || typeof body !== "object") return null;
  const b = body as Record<string, unknown>;
  if (typeof b.id === "string") return b.id;
  for (const v of Object.values(b)) {
    if (v !== null && typeof v === "object" && typeof (v as Record<string, unknown>).id === "string")
      return (v as Record<string, unknown>).id as string;
  }
  // Playbooks are named by key; an API key (tk_...) in an answer is a secret, never an id.
  return typeof b.key === "string" && !b.key.startsWith("tk_") ? b.key : null;
};

/**
 * Records every change made through the API (issue 16): each authenticated non-GET /api request
 * runs in `storage.audited`, so everything the route writes and its audit row (who, what, before
 * and after, IP, request id) commit together; a refused or failed request (4xx/5xx) writes neither.
 */
export function auditMiddleware(storage: Storage, table: () => RouteTable, opts: { trustProxy: boolean }) {
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    const method = c.req.method;
    const principal = c.get("principal");
    if (SAFE_METHODS.has(method) || !c.req.path.startsWith("/api/")) return next();
    const match = table().match(method, c.req.path.slice("/api".length));
    if (match === null) return next();
    const routeKey = `${method} ${match.template}`;
    if (AUDIT_EXEMPT.has(routeKey)) return next();
    if (principal === undefined && !AUDIT_PUBLIC.has(routeKey)) return next();
    const route = describeRoute(method, match.template);
    const load = LOADERS[route.entityType];
    const paramId = route.idParam === null ? null : (match.params[route.idParam] ?? null);
    // The before-read runs ahead of the route's validation: an id no database could store (NUL, a
    // lone surrogate) is not looked up (PostgreSQL would fail the statement, and the transaction).
    const loadable = (id: string | null): id is string =>
      id !== null &&
      id.length <= 1000 &&
      !id.includes("\u0000") &&
      !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(id);
    const at = { ip: clientIp(c, opts.trustProxy), requestId: c.get("requestId") ?? null };
    // A public route learns who acted only as it runs (the user it creates, the link's owner).
    const originOf = (): AuditOrigin => {
      if (principal !== undefined)
        return { workspaceId: principal.workspaceId, actor: principal.actor, ...at };
      const as = c.get("auditAs");
      if (as === undefined) throw new Error(`${routeKey} succeeded without naming who acted (auditAs)`);
      return { workspaceId: as.workspaceId, actor: as.actor, ...at };
    };
    if (principal !== undefined && AUDIT_AFTER.has(routeKey)) {
      await next();
      if (c.res.status >= 400) return;
      const after = await responseJson(c.res);
      await storage.audited(originOf(), (_tx, record) =>
        record({
          action: route.action,
          entityType: route.entityType,
          entityId: paramId,
          before: null,
          after,
        }),
      );
      return;
    }
    // Until a public route names its workspace, the transaction's origin is a placeholder never written.
    const provisional: AuditOrigin =
      principal === undefined
        ? { workspaceId: "", actor: { type: "system", id: "anonymous", label: "anonymous" }, ...at }
        : originOf();
    try {
      await storage.audited(
        provisional,
        async (tx) => {
          const before =
            load !== undefined && loadable(paramId) && principal !== undefined
              ? await load(tx, provisional.workspaceId, paramId)
              : null;
          await next();
          if (c.res.status >= 400) throw new RolledBack();
          const origin = originOf();
          const body = await responseJson(c.res);
          const entityId = paramId ?? c.get("auditAs")?.entityId ?? idFromBody(body);
          // Read back as stored; an entity that is gone after a non-DELETE (an invitation answered
          // by POST /users) is recorded as the route answered.
          const after =
            load !== undefined && loadable(entityId)
              ? ((await load(tx, origin.workspaceId, entityId)) ?? (method === "DELETE" ? null : body))
              : body;
          const entry: AuditEntry = {
            action: route.action,
            entityType: route.entityType,
            entityId,
            before,
            after,
          };
          await tx.audit.record(origin, entry);
        },
        // An import is one large write: the same journal as the import's own transaction.
        { bulk: match.template === "/import/{kind}" },
      );
    } catch (err) {
      if (!(err instanceof RolledBack)) throw err;
    }
  });
}
