import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { type Hook, OpenAPIHono } from "@hono/zod-openapi";
import { canUseThreads, MAX_BATCH_BYTES, RenewalBacktestRunner, RollupSources } from "@tenure/services";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { ContentfulStatusCode, StatusCode } from "hono/utils/http-status";
import { accessMiddleware } from "./access/index";
import { apiDocsRoutes } from "./api-docs/index";
import { auditMiddleware, RouteTable } from "./audit";
import { type AuthVariables, authMiddleware } from "./auth";
import { type AppDeps, WorkspaceServices } from "./context";
import { limitBodies, requireJsonBodies } from "./edge";
import { errorBody, respondWithError } from "./http-error";
import { authBodyGuard, csrfGuard, Identity, passwordResetThrottle, signInThrottle } from "./identity/index";
import { UserAdmin } from "./identity/user-admin";
import { fieldPath, findUnsafeValue } from "./input";
import { ipRateLimit, keyRateLimit } from "./rate-limit";
import { requestLog } from "./request-log";
import { accessSettingsRoutes } from "./routes/access-settings";
import { accountRoutes } from "./routes/accounts";
import { auditRoutes } from "./routes/audit";
import { automationRoutes } from "./routes/automations";
import { coverageRoutes } from "./routes/coverage";
import { dataRoutes } from "./routes/data";
import { deliveryRoutes } from "./routes/deliveries";
import { effectRoutes } from "./routes/effects";
import { exportRoutes } from "./routes/export";
import { healthRoutes } from "./routes/health";
import { identityRoutes } from "./routes/identity";
import { jobRoutes } from "./routes/jobs";
import { keyRoutes } from "./routes/keys";
import { playbookRoutes } from "./routes/playbooks";
import { portfolioRoutes } from "./routes/portfolio";
import { predictionRoutes } from "./routes/predictions";
import { renewalRoutes } from "./routes/renewals";
import { revenueRoutes } from "./routes/revenue";
import type { RouteDeps } from "./routes/route-kit";
import { savedViewRoutes } from "./routes/saved-views";
import { signalRoutes } from "./routes/signals";
import { ssoRoutes } from "./routes/sso";
import { successPlanRoutes } from "./routes/success-plans";
import { taskRoutes } from "./routes/tasks";
import { teamRoutes } from "./routes/team";
import { usageRoutes } from "./routes/usage";
import { InlineTrackingWriter, trackingRoutes } from "./tracking/index";

type Env = { Variables: AuthVariables };

/**
 * Turns zod validation failures into one 400 that names every bad field; then holds every route's
 * valid input to the rules no schema may forget (no NUL, finite numbers, bounded nesting), so a
 * z.unknown() subtree cannot carry them to the database either.
 */
const validationHook: Hook<unknown, Env, string, unknown> = (result, c) => {
  const invalid = (issues: { field: string; message: string }[]) => {
    const text = issues.map((i) => `${i.field}: ${i.message}`).join("; ");
    return c.json(errorBody("validation", `Invalid ${result.target}: ${text}`, issues), 400);
  };
  if (!result.success) {
    return invalid(
      result.error.issues.map((i) => ({ field: fieldPath(i.path) || result.target, message: i.message })),
    );
  }
  const bad = findUnsafeValue(result.data);
  if (bad !== null) return invalid([{ field: fieldPath(bad.path) || result.target, message: bad.message }]);
};

const isApiPath = (p: string) => p === "/api" || p.startsWith("/api/") || p === "/v1" || p.startsWith("/v1/");

/** Largest file `POST /api/import/{kind}` takes. */
export const IMPORT_BODY_LIMIT = 256 * 1024 * 1024;
/** Largest body of every other /api route (JSON: scorecards, rules, notes). */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** The body limit of a path: tracking 500 KB (Segment's), file import 256 MB, JSON routes 1 MB. */
function bodyLimitFor(p: string): number {
  if (p.startsWith("/v1/")) return MAX_BATCH_BYTES;
  return p.startsWith("/api/import/") ? IMPORT_BODY_LIMIT : JSON_BODY_LIMIT;
}

/**
 * Security headers of every response. The web app is built with no inline script; ECharts writes
 * style attributes (tooltips), hence style-src 'unsafe-inline'. No HSTS: the server may run on
 * plain HTTP on a laptop; the TLS-terminating proxy sets it.
 */
export const SECURITY_HEADERS: Parameters<typeof secureHeaders>[0] = {
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", "data:", "blob:"],
    fontSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: "DENY",
  strictTransportSecurity: false,
};

/** Builds the Hono app: one auth middleware, the API under /api, the web app everywhere else. */
export function createApp(appDeps: AppDeps) {
  // One registry of this process's in-memory rollup counts, shared by the tracking writer and the readers.
  const deps: AppDeps = { ...appDeps, rollupSources: appDeps.rollupSources ?? new RollupSources() };
  const services = new WorkspaceServices(deps);
  const app = new OpenAPIHono<Env>({ defaultHook: validationHook });
  const api = new OpenAPIHono<Env>({ defaultHook: validationHook });

  app.onError((err, c) =>
    respondWithError(c, err, (e) =>
      deps.logger?.error({ err: e, reqId: c.get("requestId") }, "request failed"),
    ),
  );
  // First, so that every answer (413s and 404s too) has an id, a log line and the security headers.
  app.use("*", requestId());
  app.use("*", requestLog(deps.logger));
  app.use("*", secureHeaders(SECURITY_HEADERS));
  app.use("*", limitBodies(bodyLimitFor));
  // Before auth: the docs page and its files are public, like /api/openapi.json.
  app.route("/", apiDocsRoutes());
  const identity = new Identity({
    storage: deps.storage,
    secret: deps.config.authSecret,
    publicUrl: deps.config.publicUrl,
    demo: deps.demo === true,
    smtp:
      deps.config.smtpUrl !== undefined && deps.config.smtpFrom !== undefined
        ? { url: deps.config.smtpUrl, from: deps.config.smtpFrom }
        : null,
  });
  app.use("*", csrfGuard(deps.config.publicUrl));
  app.use("/api/auth/*", authBodyGuard());
  app.use("/api/auth/*", signInThrottle(deps.storage));
  app.use("/api/password-resets/request", passwordResetThrottle(deps.storage));
  if (deps.rateLimits !== undefined) app.use("*", ipRateLimit(deps.storage, deps.rateLimits));
  app.use("*", authMiddleware(deps.storage, identity, deps.resolvePrincipal));
  // Right after auth: every route's rule (access/route-rules.ts), fail closed.
  app.use(
    "*",
    accessMiddleware(deps.storage, () => app.routes),
  );
  if (deps.rateLimits !== undefined) app.use("*", keyRateLimit(deps.rateLimits));
  // After auth, so the audit row knows who; the route table is read once the API is built.
  let routeTable: RouteTable | undefined;
  app.use(
    "/api/*",
    auditMiddleware(
      deps.storage,
      () => {
        routeTable ??= new RouteTable(
          api.openAPIRegistry.definitions.flatMap((d) =>
            d.type === "route" ? [{ method: d.route.method, path: d.route.path }] : [],
          ),
        );
        return routeTable;
      },
      { trustProxy: deps.rateLimits?.trustProxy ?? false },
    ),
  );
  // The file import takes CSV and NDJSON too; every other /api body is JSON.
  app.use(
    "/api/*",
    requireJsonBodies((p) => p.startsWith("/api/import/")),
  );
  app.notFound((c) => c.json(errorBody("not_found", `No route ${c.req.method} ${c.req.path}`), 404));
  // Tracking data marks the accounts it changed for a health recompute (debounced by the scheduler),
  // once durable: the users a rollup flush counted, and those a group or identify call changed.
  const tracking = deps.trackingWriter ?? new InlineTrackingWriter(deps.storage, deps.rollupSources);
  tracking.listen((ws, accountIds) => services.dataChanged(ws, accountIds));
  app.route("/v1", trackingRoutes(deps.storage, tracking));
  // better-auth's own routes: sign-in/email, sign-out, revoke-sessions, get-session (and demo in demo mode).
  app.on(["GET", "POST"], "/api/auth/*", async (c) => {
    const res = await identity.handler(c.req.raw);
    // Through c.body, so that the headers set before (request id) reach this response too.
    const headers: Record<string, string | string[]> = {};
    res.headers.forEach((value, name) => {
      if (name !== "set-cookie") headers[name] = value;
    });
    const cookies = res.headers.getSetCookie();
    if (cookies.length > 0) headers["set-cookie"] = cookies;
    if (res.body === null) return c.body(null, res.status as StatusCode, headers);
    return c.body(
      res.body as ReadableStream<Uint8Array<ArrayBuffer>>,
      res.status as ContentfulStatusCode,
      headers,
    );
  });

  api.get("/health", (c) => c.json({ status: "ok" }));
  api.route(
    "/",
    identityRoutes({
      storage: deps.storage,
      identity,
      users: new UserAdmin(deps.storage, identity),
      demo: deps.demo === true,
      reportingCurrency: deps.config.reportingCurrency,
      onBackgroundError: (err) => deps.logger?.error({ err }, "password reset email failed"),
    }),
  );
  api.route("/", ssoRoutes({ storage: deps.storage, identity }));
  api.route("/", revenueRoutes(services));
  api.route("/", dataRoutes(deps.storage, services));
  const domain: RouteDeps = {
    storage: deps.storage,
    reportingCurrency: deps.config.reportingCurrency,
    today: services.today,
    // After the change's audited transaction has committed: a recompute is derived work, not part of it.
    healthChanged: (ws) => deps.storage.afterCommit(() => services.healthChanged(ws)),
    rollupSources: deps.rollupSources,
  };
  api.route("/", accountRoutes(domain));
  api.route("/", usageRoutes(domain));
  api.route("/", signalRoutes(domain));
  api.route("/", healthRoutes(domain));
  api.route("/", savedViewRoutes(domain));
  api.route("/", accessSettingsRoutes(domain));
  api.route(
    "/",
    deliveryRoutes({ ...domain, smtpEnv: { smtpUrl: deps.config.smtpUrl, smtpFrom: deps.config.smtpFrom } }),
  );
  api.route("/", jobRoutes(domain));
  api.route("/", effectRoutes(domain));
  api.route("/", renewalRoutes(domain));
  api.route("/", successPlanRoutes(domain));
  api.route("/", coverageRoutes(domain));
  api.route("/", teamRoutes(domain));
  api.route("/", taskRoutes(domain));
  api.route("/", playbookRoutes(domain));
  api.route("/", automationRoutes(domain));
  api.route("/", keyRoutes(domain));
  api.route("/", auditRoutes(domain));
  api.route(
    "/",
    predictionRoutes({
      storage: deps.storage,
      reportingCurrency: deps.config.reportingCurrency,
      grossMargin: deps.config.grossMargin,
      today: services.today,
      renewalBacktests:
        deps.renewalBacktests ??
        new RenewalBacktestRunner({
          storage: deps.storage,
          reportingCurrency: deps.config.reportingCurrency,
          threads: canUseThreads(deps.storage.config),
          onError: (err, ws) => deps.logger?.error({ err, workspace: ws }, "renewal backtest failed"),
          onSkipped: (reason, ws) => deps.logger?.warn({ workspace: ws, reason }, "renewal backtest skipped"),
        }),
    }),
  );
  api.route(
    "/",
    portfolioRoutes({
      storage: deps.storage,
      reportingCurrency: deps.config.reportingCurrency,
      grossMargin: deps.config.grossMargin,
      today: services.today,
    }),
  );
  // Each table's export reads that table's own route as the caller, in-process (no port).
  api.route(
    "/",
    exportRoutes({
      fetchApi: async (p, headers) => app.request(`/api${p}`, { headers }),
      reportingCurrency: deps.config.reportingCurrency,
      today: services.today,
    }),
  );
  api.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description:
      "An API key from `tenure keys create`. The web app signs in with POST /api/auth/sign-in/email and sends the tenure.session_token cookie instead",
  });
  api.doc("/openapi.json", {
    openapi: "3.0.3",
    info: {
      title: "Tenure API",
      version: "0.1.0",
      description: "Customer-success and revenue analytics. Amounts are in the reporting currency.",
    },
    servers: [{ url: "/api" }],
  });
  app.route("/api", api);

  if (deps.webRoot && existsSync(path.join(deps.webRoot, "index.html"))) {
    const root = path.relative(process.cwd(), deps.webRoot) || ".";
    const indexHtml = readFileSync(path.join(deps.webRoot, "index.html"), "utf8");
    app.use("/assets/*", serveStatic({ root }));
    app.use("*", serveStatic({ root }));
    // Client-side routes (/revenue, /accounts/..) all get the single-page app.
    // API and tracking paths never get it: their unknown routes are JSON 404s.
    app.get("*", (c) => (isApiPath(c.req.path) ? c.notFound() : c.html(indexHtml)));
  } else {
    app.get("/", (c) =>
      c.text(
        "Tenure API is running. The web app is not built: run `npm run build:web`. API: /api/openapi.json",
      ),
    );
  }
  return app;
}
