import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  appNow,
  closeTask,
  createTask,
  getTask,
  listTasks,
  reassignTask,
  TASK_LIST_STATUSES,
  updateTask,
} from "@tenure/services";
import { TASK_PRIORITIES, TASK_STATUSES } from "@tenure/storage";
import type { AuthVariables } from "../auth";
import { ErrorSchema, json } from "../schemas";
import { calendarDate, errors, idParam, notFound, type RouteDeps, sec } from "./route-kit";
import { actorFrom } from "./team";

const conflict = { 409: json(ErrorSchema, "Conflicts with the task's state") } as const;

export const TaskSchema = z
  .object({
    id: z.string(),
    accountId: z.string(),
    title: z.string(),
    description: z.string().nullable().openapi({ description: "Markdown" }),
    status: z.enum(TASK_STATUSES),
    priority: z.enum(TASK_PRIORITIES),
    assigneeId: z
      .string()
      .nullable()
      .openapi({ description: "null: in the team's pool (teamId) or unassigned" }),
    teamId: z.string().nullable(),
    dueDate: z.string().openapi({ description: "YYYY-MM-DD" }),
    signalId: z.string().nullable(),
    automationId: z.string().nullable(),
    playbookRunId: z.string().nullable(),
    playbookStep: z.number().int().nullable(),
    outcome: z.string().nullable(),
    dedupeKey: z.string().nullable(),
    createdBy: z.string().nullable().openapi({ description: "The member who created it (null: the system)" }),
    closedBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .openapi("Task");

export const TaskViewSchema = TaskSchema.extend({
  accountName: z.string(),
  assigneeName: z.string().nullable(),
  teamName: z.string().nullable(),
  overdue: z.boolean(),
}).openapi("TaskView");

export const AssignmentSchema = z
  .discriminatedUnion("strategy", [
    z.object({ strategy: z.literal("owner") }),
    z.object({ strategy: z.literal("round_robin"), teamId: z.string().min(1) }),
    z.object({ strategy: z.literal("least_loaded"), teamId: z.string().min(1) }),
    z.object({ strategy: z.literal("member"), memberId: z.string().min(1) }),
    z.object({ strategy: z.literal("pool"), teamId: z.string().min(1) }),
  ])
  .openapi("TaskAssignment", {
    description:
      "The account's owner, the next team member in turn, the least loaded one, a named member, or a team's pool",
  });

const date = calendarDate;

const NewTaskSchema = z
  .object({
    accountId: z.string().min(1),
    title: z.string().min(1).max(500),
    description: z.string().max(20_000).nullable().optional(),
    priority: z.enum(TASK_PRIORITIES).optional(),
    dueDate: date.optional().openapi({ description: "Default: 3 days from today" }),
    assign: AssignmentSchema.optional().openapi({ description: "Default: the account's owner" }),
    signalId: z.string().min(1).nullable().optional(),
    automationId: z.string().min(1).nullable().optional(),
    playbookRunId: z.string().min(1).nullable().optional(),
    playbookStep: z.number().int().min(0).nullable().optional(),
    dedupeKey: z
      .string()
      .min(1)
      .max(500)
      .nullable()
      .optional()
      .openapi({ description: "Unique per workspace: the same key again updates the open task instead" }),
  })
  .openapi("NewTask");

const boolText = z
  .enum(["true", "false"])
  .transform((v) => v === "true")
  .optional();

const outcomeBody = {
  content: {
    "application/json": { schema: z.object({ outcome: z.string().max(20_000).nullable().optional() }) },
  },
  required: false,
};

/** Tasks: work lists (mine, team, pool, overdue, account), creation with assignment, edits and closing. */
export function taskRoutes(deps: Pick<RouteDeps, "storage" | "today">) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();
  const acting = async (c: Parameters<typeof actorFrom>[1]) => ({
    actorId: await actorFrom(storage, c),
    // The app's clock: a task closed on a demo or test day is dated on that day.
    at: appNow(deps.today),
    today: deps.today(),
    principal: c.get("principal"),
  });

  app.openapi(
    createRoute({
      method: "get",
      path: "/tasks",
      tags: ["tasks"],
      summary: "A page of tasks in due-date order (keyset paging: pass nextCursor back as cursor)",
      security: sec,
      request: {
        query: z.object({
          assignee: z.string().min(1).optional().openapi({ description: "A member's tasks ('my tasks')" }),
          team: z.string().min(1).optional(),
          pool: boolText.openapi({ description: "With team: only its pool (no assignee)" }),
          account: z.string().min(1).optional(),
          run: z.string().min(1).optional().openapi({ description: "A playbook run's tasks" }),
          status: z
            .enum(TASK_LIST_STATUSES)
            .optional()
            .openapi({ description: "Default open (open and in progress)" }),
          overdue: boolText.openapi({ description: "Only open tasks due before today" }),
          cursor: z.string().min(1).optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
          locale: z
            .enum(["en", "zh-CN"])
            .optional()
            .openapi({ description: "Reader's language: starter playbook step titles are given in it" }),
        }),
      },
      responses: {
        200: json(z.object({ tasks: z.array(TaskViewSchema), nextCursor: z.string().nullable() }), "Tasks"),
        ...errors,
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const page = await listTasks(
        storage,
        c.get("workspaceId"),
        {
          assigneeId: q.assignee,
          teamId: q.team,
          pool: q.pool,
          accountId: q.account,
          playbookRunId: q.run,
          status: q.status,
          overdue: q.overdue,
          cursor: q.cursor,
          limit: q.limit,
          locale: q.locale,
        },
        deps.today(),
        c.get("principal"),
      );
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/tasks",
      tags: ["tasks"],
      summary:
        "Create a task (on the account's timeline); a known dedupeKey returns that task instead (created false)",
      security: sec,
      request: { body: { content: { "application/json": { schema: NewTaskSchema } }, required: true } },
      responses: {
        200: json(z.object({ task: TaskSchema, created: z.literal(false) }), "The task the dedupe key named"),
        201: json(z.object({ task: TaskSchema, created: z.literal(true) }), "The new task"),
        ...errors,
      },
    }),
    async (c) => {
      const res = await createTask(storage, c.get("workspaceId"), c.req.valid("json"), await acting(c));
      return res.created
        ? c.json({ task: res.task, created: true as const }, 201)
        : c.json({ task: res.task, created: false as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/tasks/{id}",
      tags: ["tasks"],
      summary: "One task",
      security: sec,
      request: { params: idParam },
      responses: { 200: json(TaskSchema, "The task"), ...errors, ...notFound },
    }),
    async (c) => c.json(await getTask(storage, c.get("workspaceId"), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/tasks/{id}",
      tags: ["tasks"],
      summary: "Edit a task, start it (in_progress) or reopen a closed one (open)",
      security: sec,
      request: {
        params: idParam,
        body: {
          content: {
            "application/json": {
              schema: z.object({
                title: z.string().min(1).max(500).optional(),
                description: z.string().max(20_000).nullable().optional(),
                priority: z.enum(TASK_PRIORITIES).optional(),
                dueDate: date.optional(),
                status: z.enum(["open", "in_progress"]).optional(),
              }),
            },
          },
          required: true,
        },
      },
      responses: { 200: json(TaskSchema, "The task"), ...errors, ...notFound },
    }),
    async (c) =>
      c.json(
        await updateTask(
          storage,
          c.get("workspaceId"),
          c.req.valid("param").id,
          c.req.valid("json"),
          await acting(c),
        ),
        200,
      ),
  );

  for (const [verb, status] of [
    ["complete", "done"],
    ["skip", "skipped"],
  ] as const) {
    app.openapi(
      createRoute({
        method: "post",
        path: `/tasks/{id}/${verb}`,
        tags: ["tasks"],
        summary: `${verb === "complete" ? "Complete" : "Skip"} an open task with an optional outcome note (on the timeline)`,
        security: sec,
        request: { params: idParam, body: outcomeBody },
        responses: { 200: json(TaskSchema, "The task"), ...errors, ...notFound, ...conflict },
      }),
      async (c) => {
        const body = (c.req.header("content-type") ?? "").includes("json") ? c.req.valid("json") : {};
        return c.json(
          await closeTask(
            storage,
            c.get("workspaceId"),
            c.req.valid("param").id,
            { status, outcome: body.outcome ?? null },
            await acting(c),
          ),
          200,
        );
      },
    );
  }

  app.openapi(
    createRoute({
      method: "post",
      path: "/tasks/{id}/reassign",
      tags: ["tasks"],
      summary: "Give an open task to someone else (same strategies as creation)",
      security: sec,
      request: {
        params: idParam,
        body: {
          content: { "application/json": { schema: z.object({ assign: AssignmentSchema }) } },
          required: true,
        },
      },
      responses: { 200: json(TaskSchema, "The task"), ...errors, ...notFound, ...conflict },
    }),
    async (c) =>
      c.json(
        await reassignTask(
          storage,
          c.get("workspaceId"),
          c.req.valid("param").id,
          c.req.valid("json").assign,
          await acting(c),
        ),
        200,
      ),
  );

  return app;
}
