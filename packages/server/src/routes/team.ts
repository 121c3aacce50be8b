import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  deactivateMember,
  deleteTeam,
  getMember,
  listMembers,
  listTeams,
  reactivateMember,
  reassignBook,
  resolveActor,
  saveMember,
  saveTeam,
  setAccountOwners,
  workload,
} from "@tenure/services";
import type { Storage } from "@tenure/storage";
import type { Context } from "hono";
import type { AuthVariables } from "../auth";
import { ErrorSchema, json } from "../schemas";
import { errors, idParam, notFound, type RouteDeps, sec } from "./route-kit";

const conflict = { 409: json(ErrorSchema, "Conflicts with the stored state") } as const;

/** The header that names the member acting (until sign-in exists): a member id or email. */
export const MEMBER_HEADER = "X-Tenure-Member";

/**
 * The acting member's id from `X-Tenure-Member` (null when the header is absent); an unknown or
 * inactive member is a 400 naming it, so nothing is recorded under a wrong name.
 */
export async function actorFrom(
  storage: Storage,
  c: Context<{ Variables: AuthVariables }>,
): Promise<string | null> {
  // A signed-in member acts as themselves: only the operator's admin keys name a member by header.
  const own = c.get("principal")?.memberId ?? null;
  if (own !== null) return own;
  const ref = c.req.header(MEMBER_HEADER);
  // A signed-in user linked to a team member acts as that member.
  if (ref === undefined || ref.trim() === "") return c.get("principal")?.memberId ?? null;
  return (await resolveActor(storage, c.get("workspaceId"), ref)).id;
}

export const TeamSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.string().openapi({ description: "high_touch, mid_market, tech_touch or the team's own label" }),
    roundRobinMemberId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Team");

export const MemberSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    teamId: z.string().nullable(),
    teamName: z.string().nullable(),
    role: z.string().nullable(),
    capacity: z.number().int().nullable().openapi({ description: "How many accounts the member can own" }),
    active: z.boolean(),
    deactivatedAt: z.string().nullable(),
    successorId: z.string().nullable(),
    accounts: z.number().int().openapi({ description: "Accounts the member owns" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Member");

const TeamInputSchema = z
  .object({
    id: z.string().min(1).max(100).optional(),
    name: z.string().min(1).max(200),
    kind: z.string().min(1).max(50),
  })
  .openapi("TeamInput");

const MemberInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    email: z.string().min(1).max(320),
    teamId: z.string().min(1).nullable().optional(),
    role: z.string().max(100).nullable().optional(),
    capacity: z.number().int().min(0).nullable().optional(),
  })
  .openapi("MemberInput");

const OwnerTargetSchema = z
  .object({
    ownerId: z
      .string()
      .min(1)
      .nullable()
      .optional()
      .openapi({ description: "The member who takes the accounts" }),
    teamId: z
      .string()
      .min(1)
      .nullable()
      .optional()
      .openapi({ description: "Without ownerId: the team whose pool takes them (null: no team)" }),
  })
  .refine((b) => b.ownerId != null || b.teamId !== undefined, {
    message: "name ownerId, or teamId for a team's pool",
    path: ["ownerId"],
  });

const WorkloadSchema = z
  .object({
    asOf: z.string(),
    reportingCurrency: z.string(),
    members: z.array(
      z.object({
        memberId: z.string(),
        name: z.string(),
        teamId: z.string().nullable(),
        teamName: z.string().nullable(),
        accounts: z.number().int(),
        arr: z.number(),
        openTasks: z.number().int(),
        overdueTasks: z.number().int(),
        capacity: z.number().int().nullable(),
        utilization: z.number().nullable().openapi({ description: "accounts / capacity (1 = full)" }),
      }),
    ),
    pools: z.array(
      z.object({
        teamId: z.string(),
        teamName: z.string(),
        accounts: z.number().int(),
        arr: z.number(),
        openTasks: z.number().int(),
      }),
    ),
  })
  .openapi("Workload");

const target = (b: { ownerId?: string | null; teamId?: string | null }) =>
  b.ownerId != null ? { memberId: b.ownerId } : { poolTeamId: b.teamId ?? null };

/**
 * Teams, members (create, edit, deactivate with a successor or back to the pool), account owners
 * (one account, a selection, or a member's whole book) and the workload per CSM.
 */
export function teamRoutes(deps: Pick<RouteDeps, "storage" | "reportingCurrency" | "today">) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();
  const memberView = async (ws: string, id: string) => {
    const view = (await listMembers(storage, ws)).find((m) => m.id === id);
    if (view === undefined) throw new Error(`member ${id} vanished`);
    return view;
  };

  app.openapi(
    createRoute({
      method: "get",
      path: "/team",
      tags: ["team"],
      summary: "Teams and members (inactive members too)",
      security: sec,
      responses: {
        200: json(z.object({ teams: z.array(TeamSchema), members: z.array(MemberSchema) }), "The team"),
        ...errors,
      },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const [teams, members] = await Promise.all([listTeams(storage, ws), listMembers(storage, ws)]);
      return c.json({ teams, members }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/team/teams",
      tags: ["team"],
      summary: "Create a team, or rename one (by id)",
      security: sec,
      request: { body: { content: { "application/json": { schema: TeamInputSchema } }, required: true } },
      responses: { 200: json(TeamSchema, "The team"), ...errors },
    }),
    async (c) => c.json(await saveTeam(storage, c.get("workspaceId"), c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/team/teams/{id}",
      tags: ["team"],
      summary: "Delete a team no member belongs to (409 otherwise)",
      security: sec,
      request: { params: idParam },
      responses: { 204: { description: "Deleted" }, ...errors, ...notFound, ...conflict },
    }),
    async (c) => {
      await deleteTeam(storage, c.get("workspaceId"), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/team/members",
      tags: ["team"],
      summary: "Add a member (id from the email; the email is unique in the workspace, any case)",
      security: sec,
      request: {
        body: {
          content: {
            "application/json": {
              schema: MemberInputSchema.extend({ id: z.string().min(1).max(200).optional() }),
            },
          },
          required: true,
        },
      },
      responses: { 201: json(MemberSchema, "The member"), ...errors, ...conflict },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const body = c.req.valid("json");
      const saved = await saveMember(storage, ws, body, { create: true });
      return c.json(await memberView(ws, saved.id), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/team/members/{id}",
      tags: ["team"],
      summary: "Edit a member (a new name or team shows on their accounts at once)",
      security: sec,
      request: {
        params: idParam,
        body: { content: { "application/json": { schema: MemberInputSchema } }, required: true },
      },
      responses: { 200: json(MemberSchema, "The member"), ...errors, ...notFound },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const { id } = c.req.valid("param");
      await getMember(storage, ws, id);
      await saveMember(storage, ws, { ...c.req.valid("json"), id });
      return c.json(await memberView(ws, id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/team/members/{id}/deactivate",
      tags: ["team"],
      summary:
        "Deactivate a member: open tasks and accounts go to the successor, or to the team's pool (null)",
      security: sec,
      request: {
        params: idParam,
        body: {
          content: {
            "application/json": { schema: z.object({ successorId: z.string().min(1).nullable() }) },
          },
          required: true,
        },
      },
      responses: {
        200: json(
          z.object({
            member: MemberSchema,
            successorId: z.string().nullable(),
            tasksMoved: z.number().int(),
            accountsMoved: z.array(z.string()),
          }),
          "What moved",
        ),
        ...errors,
        ...notFound,
      },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const { id } = c.req.valid("param");
      const res = await deactivateMember(storage, ws, {
        id,
        successorId: c.req.valid("json").successorId,
        at: new Date(),
      });
      return c.json({ ...res, member: await memberView(ws, id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/team/members/{id}/reactivate",
      tags: ["team"],
      summary: "Make an inactive member active again (their former work stays where it went)",
      security: sec,
      request: { params: idParam },
      responses: { 200: json(MemberSchema, "The member"), ...errors, ...notFound },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const { id } = c.req.valid("param");
      await reactivateMember(storage, ws, id);
      return c.json(await memberView(ws, id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/team/owners",
      tags: ["team"],
      summary: "Set the owner of accounts (one, or a selection from the list) to a member or a team's pool",
      security: sec,
      request: {
        body: {
          content: {
            "application/json": {
              schema: z
                .object({ accountIds: z.array(z.string().min(1)).min(1).max(10_000) })
                .and(OwnerTargetSchema),
            },
          },
          required: true,
        },
      },
      responses: {
        200: json(z.object({ changed: z.number().int() }), "How many accounts changed"),
        ...errors,
      },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const body = c.req.valid("json");
      const changed = await setAccountOwners(storage, ws, body.accountIds, target(body));
      return c.json({ changed }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/team/members/{id}/book",
      tags: ["team"],
      summary: "Reassign a member's whole book of accounts to another member or a team's pool",
      security: sec,
      request: {
        params: idParam,
        body: { content: { "application/json": { schema: OwnerTargetSchema } }, required: true },
      },
      responses: {
        200: json(z.object({ accountIds: z.array(z.string()) }), "The accounts moved"),
        ...errors,
      },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const accountIds = await reassignBook(
        storage,
        ws,
        c.req.valid("param").id,
        target(c.req.valid("json")),
      );
      return c.json({ accountIds }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/team/workload",
      tags: ["team"],
      summary:
        "Workload per active CSM (accounts, ARR, open and overdue tasks, against capacity) and per team pool",
      security: sec,
      responses: { 200: json(WorkloadSchema, "Workload"), ...errors },
    }),
    async (c) =>
      c.json(
        await workload(storage, c.get("workspaceId"), {
          asOf: deps.today(),
          reportingCurrency: deps.reportingCurrency,
        }),
        200,
      ),
  );

  return app;
}
