import type { DeliveryTemplateTable } from "../schema";
import { nowIso, type RepositoryContext } from "./repository-context";

/** An email template: Mustache subject and body (Markdown), one per workspace, name and locale. */
export interface DeliveryTemplate {
  id: string;
  name: string;
  locale: string;
  subject: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

/** What a caller saves; the id is the caller's (a new one on create, the existing one on update). */
export type DeliveryTemplateInput = Pick<DeliveryTemplate, "id" | "name" | "locale" | "subject" | "body">;

/** Email templates per workspace. Validation (syntax, variables) is the service's, before saving. */
export interface DeliveryTemplateRepository {
  /** Templates ordered by name, then locale. */
  list(workspaceId: string): Promise<DeliveryTemplate[]>;
  get(workspaceId: string, id: string): Promise<DeliveryTemplate | null>;
  /** The template of `name` in `locale`, or null. */
  findByName(workspaceId: string, name: string, locale: string): Promise<DeliveryTemplate | null>;
  /** Inserts the template, or replaces the one with the same id (keeping its creation time). */
  save(workspaceId: string, template: DeliveryTemplateInput): Promise<DeliveryTemplate>;
  /** Deletes a template; false when there was none. */
  delete(workspaceId: string, id: string): Promise<boolean>;
}

const fromRow = (r: DeliveryTemplateTable): DeliveryTemplate => ({
  id: r.id,
  name: r.name,
  locale: r.locale,
  subject: r.subject,
  body: r.body,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function createDeliveryTemplateRepository(ctx: RepositoryContext): DeliveryTemplateRepository {
  return {
    async list(workspaceId) {
      const rows = await ctx.db
        .selectFrom("delivery_templates")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("name")
        .orderBy("locale")
        .execute();
      return rows.map(fromRow);
    },

    async get(workspaceId, id) {
      const row = await ctx.db
        .selectFrom("delivery_templates")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row === undefined ? null : fromRow(row);
    },

    async findByName(workspaceId, name, locale) {
      const row = await ctx.db
        .selectFrom("delivery_templates")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("name", "=", name)
        .where("locale", "=", locale)
        .executeTakeFirst();
      return row === undefined ? null : fromRow(row);
    },

    async save(workspaceId, t) {
      const at = nowIso();
      const row: DeliveryTemplateTable = {
        workspace_id: workspaceId,
        id: t.id,
        name: t.name,
        locale: t.locale,
        subject: t.subject,
        body: t.body,
        created_at: at,
        updated_at: at,
      };
      const saved = await ctx.db
        .insertInto("delivery_templates")
        .values(row)
        .onConflict((oc) =>
          oc.columns(["workspace_id", "id"]).doUpdateSet({
            name: t.name,
            locale: t.locale,
            subject: t.subject,
            body: t.body,
            updated_at: at,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return fromRow(saved);
    },

    async delete(workspaceId, id) {
      const res = await ctx.db
        .deleteFrom("delivery_templates")
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
  };
}
