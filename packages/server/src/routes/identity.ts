import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ROLES, TenureError } from "@tenure/core";
import { accessSettingsOf } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import type { Context } from "hono";
import type { AuthVariables } from "../auth";
import type { Identity } from "../identity/index";
import type { UserAdmin } from "../identity/user-admin";
import { ErrorSchema, json } from "../schemas";
import { errors, idParam, notFound, sec } from "./route-kit";

type Ctx = Context<{ Variables: AuthVariables }>;

const RoleSchema = z.enum(ROLES as ["admin", "manager", "csm", "viewer"]).openapi({
  description: "admin (everything), manager (their team's books), csm (their own book), viewer (reads)",
});
const Ok = z.object({ ok: z.literal(true) });
const conflict = { 409: json(ErrorSchema, "Conflicts with the stored state") } as const;
const forbidden = { 403: json(ErrorSchema, "Not allowed for your role") } as const;
const email = z.string().min(3).max(254).openapi({ example: "ada@example.com" });
const password = z.string().min(8, "must be at least 8 characters").max(128);
const name = z.string().trim().min(1, "required").max(200);
const token = z.string().min(10).max(200);

export const WorkspaceUserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    memberId: z.string().nullable().openapi({ description: "The team member this user is (a CSM's book)" }),
    active: z.boolean(),
    lastSignInAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("WorkspaceUser");

const IssuedLinkSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    expiresAt: z.string(),
    emailed: z.boolean(),
    url: z.string().nullable().openapi({ description: "The link, shown once, when it was not emailed" }),
  })
  .openapi("IssuedLink");

const InvitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: RoleSchema,
    memberId: z.string().nullable(),
    createdAt: z.string(),
    expiresAt: z.string(),
  })
  .openapi("Invitation");

const MeSchema = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable().openapi({
      description: "The signed-in user; null for an API key",
    }),
    role: RoleSchema,
    memberId: z.string().nullable(),
    book: z
      .object({
        ownerName: z
          .string()
          .nullable()
          .openapi({ description: "The member's name (account lists filter owners by name)" }),
        teamIds: z
          .array(z.string())
          .nullable()
          .openapi({ description: "A manager's teams; null: the whole workspace" }),
        othersReadable: z.boolean().openapi({
          description:
            "Whether this user may read accounts outside their book (CSMs: the workspace's setting)",
        }),
      })
      .openapi({
        description: "Where the user's default views open: their own book (CSM) or their teams' (manager)",
      }),
    workspaces: z.array(z.object({ id: z.string(), name: z.string(), role: RoleSchema })),
    activeWorkspace: z.object({ id: z.string(), name: z.string() }),
    workspaceId: z.string(),
    workspaceName: z.string(),
    keyKind: z.string(),
    demo: z.boolean(),
    reportingCurrency: z.string().openapi({ description: "ISO 4217 code every amount is reported in" }),
  })
  .openapi("Me");

const toUser = (u: {
  id: string;
  email: string;
  name: string;
  role: "admin" | "manager" | "csm" | "viewer";
  memberId: string | null;
  banned: boolean;
  lastSignInAt: string | null;
  createdAt: string;
}) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  memberId: u.memberId,
  active: !u.banned,
  lastSignInAt: u.lastSignInAt,
  createdAt: u.createdAt,
});

/**
 * The one admin check of the user routes (the full route × role table lives in access/): managing
 * users is for admins.
 */
function requireAdmin(c: Ctx): void {
  if (c.get("principal").role !== "admin")
    throw new TenureError("forbidden", "Only an admin can manage users and invitations");
}

const actorId = (c: Ctx) => c.get("principal").actor.id;
const userIdOf = (c: Ctx) => c.get("session")?.userId ?? null;

export interface IdentityRouteDeps {
  storage: Storage;
  identity: Identity;
  users: UserAdmin;
  demo: boolean;
  reportingCurrency: string;
  /** Where a forgot-password email that failed is reported (it is sent after the answer). */
  onBackgroundError?: (err: unknown) => void;
}

/** Who am I, workspaces, users and invitations, first-run set-up and the links people open. */
export function identityRoutes(d: IdentityRouteDeps) {
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();

  app.openapi(
    createRoute({
      method: "get",
      path: "/me",
      tags: ["auth"],
      summary: "The signed-in user (or key), their role and workspaces, and the active workspace",
      security: sec,
      responses: { 200: json(MeSchema, "Who you are"), 401: json(ErrorSchema, "Not signed in") },
    }),
    async (c) => {
      const principal = c.get("principal");
      const workspaceId = c.get("workspaceId");
      const ws = await d.storage.workspaces.get(workspaceId);
      const session = c.get("session");
      const workspaces =
        session === undefined
          ? [{ id: workspaceId, name: ws?.name ?? workspaceId, role: principal.role }]
          : (await d.storage.memberships.listForUser(session.userId)).map((m) => ({
              id: m.workspaceId,
              name: m.workspaceName,
              role: m.role,
            }));
      return c.json(
        {
          user:
            session === undefined ? null : { id: session.userId, email: session.email, name: session.name },
          role: principal.role,
          memberId: principal.memberId,
          book: {
            ownerName:
              principal.memberId === null
                ? null
                : ((await d.storage.team.getMember(workspaceId, principal.memberId))?.name ?? null),
            // Only teams of this workspace: a principal's ids are never echoed unchecked.
            teamIds:
              principal.teamIds === null
                ? null
                : (await d.storage.team.listTeams(workspaceId))
                    .map((x) => x.id)
                    .filter((id) => principal.teamIds?.includes(id)),
            othersReadable:
              principal.role !== "csm" ||
              (await accessSettingsOf(d.storage, workspaceId)).csmReadsAllAccounts,
          },
          workspaces,
          activeWorkspace: { id: workspaceId, name: ws?.name ?? workspaceId },
          workspaceId,
          workspaceName: ws?.name ?? workspaceId,
          keyKind: c.get("keyKind"),
          demo: d.demo,
          reportingCurrency: d.reportingCurrency,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/workspaces/{id}/switch",
      tags: ["auth"],
      summary: "Work in another of your workspaces (remembered on this session)",
      security: sec,
      request: { params: idParam },
      responses: { 200: json(Ok, "Switched"), ...errors, ...forbidden },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const session = c.get("session");
      // Not a permission question (every role may switch): a key has no session to switch.
      if (session === undefined)
        throw new TenureError(
          "validation",
          "id: switching workspace is for signed-in users; an API key belongs to one workspace",
        );
      const membership = await d.storage.memberships.get(id, session.userId);
      if (membership === null)
        throw new TenureError("forbidden", `id: you are not a member of workspace ${id}`);
      await d.identity.setActiveWorkspace(session.token, id);
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/users",
      tags: ["users"],
      summary: "The workspace's users and pending invitations (admin)",
      security: sec,
      responses: {
        200: json(
          z.object({ users: z.array(WorkspaceUserSchema), invitations: z.array(InvitationSchema) }),
          "Users",
        ),
        ...errors,
        ...forbidden,
      },
    }),
    async (c) => {
      requireAdmin(c);
      const ws = c.get("workspaceId");
      const [users, invitations] = await Promise.all([d.users.list(ws), d.users.pendingInvites(ws)]);
      return c.json({ users: users.map(toUser), invitations }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/users",
      tags: ["users"],
      summary: "Create a user with a password, or invite them by email when no password is given (admin)",
      security: sec,
      request: {
        body: {
          content: {
            "application/json": {
              schema: z.object({
                email,
                name,
                role: RoleSchema,
                memberId: z.string().min(1).nullable().optional(),
                password: password.optional(),
              }),
            },
          },
        },
      },
      responses: {
        201: json(
          z.object({ user: WorkspaceUserSchema.nullable(), invitation: IssuedLinkSchema.nullable() }),
          "Created or invited",
        ),
        ...errors,
        ...forbidden,
        ...conflict,
      },
    }),
    async (c) => {
      requireAdmin(c);
      const body = c.req.valid("json");
      const ws = c.get("workspaceId");
      if (body.password === undefined) {
        const invitation = await d.users.invite(c.req.raw, ws, body, actorId(c));
        return c.json({ user: null, invitation }, 201);
      }
      const user = await d.users.create(ws, { ...body, password: body.password });
      return c.json({ user: toUser(user), invitation: null }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/users/{id}",
      tags: ["users"],
      summary: "Change a user's role or team-member link (admin)",
      security: sec,
      request: {
        params: idParam,
        body: {
          content: {
            "application/json": {
              schema: z.object({
                role: RoleSchema.optional(),
                memberId: z.string().min(1).nullable().optional(),
              }),
            },
          },
        },
      },
      responses: { 200: json(WorkspaceUserSchema, "Updated"), ...errors, ...forbidden, ...notFound },
    }),
    async (c) => {
      requireAdmin(c);
      const user = await d.users.update(
        c.get("workspaceId"),
        c.req.valid("param").id,
        c.req.valid("json"),
        userIdOf(c),
      );
      return c.json(toUser(user), 200);
    },
  );

  for (const [action, active] of [
    ["deactivate", false],
    ["activate", true],
  ] as const) {
    app.openapi(
      createRoute({
        method: "post",
        path: `/users/{id}/${action}`,
        tags: ["users"],
        summary: active
          ? "Let a deactivated user sign in again (admin)"
          : "Deactivate a user: no more sign-in, every session ended (admin)",
        security: sec,
        request: { params: idParam },
        responses: { 200: json(WorkspaceUserSchema, "Done"), ...errors, ...forbidden, ...notFound },
      }),
      async (c) => {
        requireAdmin(c);
        const user = await d.users.setActive(
          c.get("workspaceId"),
          c.req.valid("param").id,
          active,
          userIdOf(c),
        );
        return c.json(toUser(user), 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: "post",
      path: "/users/{id}/password-reset",
      tags: ["users"],
      summary:
        "Reset a user's password: to the one given (signs them out everywhere), or by a one-time link (admin)",
      security: sec,
      request: {
        params: idParam,
        body: {
          content: { "application/json": { schema: z.object({ password: password.optional() }) } },
          required: false,
        },
      },
      responses: {
        200: json(z.object({ link: IssuedLinkSchema.nullable() }), "Reset"),
        ...errors,
        ...forbidden,
        ...notFound,
      },
    }),
    async (c) => {
      requireAdmin(c);
      const body = c.req.valid("json") ?? {};
      const link = await d.users.resetPassword(
        c.req.raw,
        c.get("workspaceId"),
        c.req.valid("param").id,
        body.password,
        actorId(c),
      );
      return c.json({ link }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/invitations",
      tags: ["users"],
      summary: "Invite someone by email with a role: a one-time link valid 7 days (admin)",
      security: sec,
      request: {
        body: {
          content: {
            "application/json": {
              schema: z.object({
                email,
                role: RoleSchema,
                memberId: z.string().min(1).nullable().optional(),
              }),
            },
          },
        },
      },
      responses: { 201: json(IssuedLinkSchema, "Invited"), ...errors, ...forbidden, ...conflict },
    }),
    async (c) => {
      requireAdmin(c);
      const link = await d.users.invite(c.req.raw, c.get("workspaceId"), c.req.valid("json"), actorId(c));
      return c.json(link, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/invitations/{id}",
      tags: ["users"],
      summary: "Revoke a pending invitation (admin)",
      security: sec,
      request: { params: idParam },
      responses: { 200: json(Ok, "Revoked"), ...errors, ...forbidden, ...notFound },
    }),
    async (c) => {
      requireAdmin(c);
      await d.users.revokeInvite(c.get("workspaceId"), c.req.valid("param").id);
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/invitations/lookup",
      tags: ["auth"],
      summary: "What an invitation link is for (no sign-in; the token in the body, never in a URL we log)",
      request: { body: { content: { "application/json": { schema: z.object({ token }) } } } },
      responses: {
        200: json(
          z.object({
            email: z.string(),
            role: RoleSchema,
            workspaceId: z.string(),
            workspaceName: z.string(),
          }),
          "The invitation",
        ),
        400: json(ErrorSchema, "Invalid request"),
        ...notFound,
      },
    }),
    async (c) => c.json(await d.users.lookupInvite(c.req.valid("json").token), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/invitations/accept",
      tags: ["auth"],
      summary: "Accept an invitation: set your name and password (then sign in)",
      request: { body: { content: { "application/json": { schema: z.object({ token, name, password }) } } } },
      responses: {
        200: json(z.object({ email: z.string() }), "Accepted"),
        400: json(ErrorSchema, "Invalid request"),
        ...notFound,
        ...conflict,
      },
    }),
    async (c) => {
      const accepted = await d.users.acceptInvite(c.req.valid("json"));
      c.set("auditAs", {
        workspaceId: accepted.workspaceId,
        actor: { type: "user", id: accepted.userId, label: accepted.email },
        entityId: accepted.linkId,
      });
      return c.json({ email: accepted.email }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/password-resets/accept",
      tags: ["auth"],
      summary: "Choose a new password through a reset link (signs you out everywhere)",
      request: { body: { content: { "application/json": { schema: z.object({ token, password }) } } } },
      responses: {
        200: json(z.object({ email: z.string() }), "Password set"),
        400: json(ErrorSchema, "Invalid request"),
        ...notFound,
      },
    }),
    async (c) => {
      const reset = await d.users.acceptReset(c.req.valid("json"));
      c.set("auditAs", {
        workspaceId: reset.workspaceId,
        actor: { type: "user", id: reset.userId, label: reset.email },
        entityId: reset.userId,
      });
      return c.json({ email: reset.email }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/password-resets/request",
      tags: ["auth"],
      summary:
        "Forgot password: emails a reset link when SMTP is configured; the same answer whether or not the email is a user's",
      request: { body: { content: { "application/json": { schema: z.object({ email }) } } } },
      responses: {
        200: json(
          z.object({
            ok: z.literal(true),
            byEmail: z.boolean().openapi({
              description: "false: this server sends no email (SMTP not configured): ask an admin",
            }),
          }),
          "Requested",
        ),
        400: json(ErrorSchema, "Invalid request"),
        429: json(ErrorSchema, "Too many requests from this address or for this email (Retry-After)"),
      },
    }),
    async (c) => {
      const { byEmail, done } = d.users.requestReset(c.req.raw, c.req.valid("json").email);
      done.catch((err: unknown) => d.onBackgroundError?.(err));
      return c.json({ ok: true as const, byEmail }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/setup",
      tags: ["auth"],
      summary: "Whether Tenure still needs its first admin (no user exists)",
      responses: { 200: json(z.object({ needed: z.boolean(), demo: z.boolean() }), "Set-up state") },
    }),
    async (c) => c.json({ needed: await d.users.setupNeeded(), demo: d.demo }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/setup",
      tags: ["auth"],
      summary: "Create the first admin (only while no user exists), then sign in",
      request: {
        body: {
          content: {
            "application/json": {
              schema: z.object({
                email,
                name,
                password,
                workspaceName: z.string().trim().min(1).max(200).optional(),
              }),
            },
          },
        },
      },
      responses: {
        201: json(z.object({ email: z.string(), workspaceId: z.string() }), "Set up"),
        400: json(ErrorSchema, "Invalid request"),
        ...conflict,
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const user = await d.users.setup(body);
      const [first] = await d.storage.memberships.listForUser(user.id);
      const workspaceId = first?.workspaceId ?? "";
      c.set("auditAs", {
        workspaceId,
        actor: { type: "user", id: user.id, label: user.email },
        entityId: user.id,
      });
      return c.json({ email: user.email, workspaceId }, 201);
    },
  );

  documentAuthRoutes(app);
  return app;
}

/**
 * better-auth's routes that the web app and scripts use, in the OpenAPI document too (better-auth
 * answers them, so they are documented here rather than registered as handlers).
 */
function documentAuthRoutes(app: OpenAPIHono<{ Variables: AuthVariables }>): void {
  const AuthError = ErrorSchema;
  const limited = {
    429: json(ErrorSchema, "Locked after failed sign-ins, or too many attempts (Retry-After)"),
  };
  const paths: {
    path: string;
    summary: string;
    body: z.ZodType | null;
    ok: z.ZodType;
    extra: Record<number, ReturnType<typeof json<z.ZodType>>>;
  }[] = [
    {
      path: "/auth/sign-in/email",
      summary: "Sign in with email and password (sets the HttpOnly session cookie)",
      body: z.object({ email, password: z.string().min(1) }),
      ok: z.object({
        redirect: z.boolean(),
        token: z.string(),
        user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
      }),
      extra: {
        401: json(AuthError, "Wrong email or password"),
        403: json(AuthError, "Deactivated"),
        ...limited,
      },
    },
    {
      path: "/auth/sign-out",
      summary: "Sign out: this session ends",
      body: null,
      ok: z.object({ success: z.boolean() }),
      extra: {},
    },
    {
      path: "/auth/revoke-sessions",
      summary: "Sign out everywhere: every session of the user ends",
      body: null,
      ok: z.object({ status: z.boolean() }),
      extra: { 401: json(AuthError, "Not signed in") },
    },
    {
      path: "/auth/sign-in/sso",
      summary:
        "Start a single sign-on: the provider of the email's domain; answers the URL to send the browser to",
      body: z.object({
        email,
        callbackURL: z.string().max(2048).openapi({ description: "A path of this server, e.g. /" }),
        errorCallbackURL: z.string().max(2048).optional().openapi({
          description:
            "A path of this server; a refused sign-in lands there with ?error=<code>&error_description=",
        }),
      }),
      ok: z.object({ url: z.string(), redirect: z.boolean() }),
      extra: { 404: json(AuthError, "No single sign-on serves this email's domain"), ...limited },
    },
    {
      path: "/auth/demo",
      summary: "Demo mode only: sign in as the demo admin (404 elsewhere)",
      body: null,
      ok: Ok,
      extra: { 404: json(AuthError, "Not in demo mode") },
    },
  ];
  for (const p of paths) {
    app.openAPIRegistry.registerPath({
      method: "post",
      path: p.path,
      tags: ["auth"],
      summary: p.summary,
      ...(p.body === null
        ? {}
        : { request: { body: { content: { "application/json": { schema: p.body } } } } }),
      responses: { 200: json(p.ok, "Done"), ...p.extra },
    });
  }
}
