import type { ChatChannelTable, WebhookEndpointTable } from "../schema";
import { nowIso, type RepositoryContext } from "./repository-context";

/** A Standard Webhooks receiver and its signing secret (`whsec_` + base64). */
export interface WebhookEndpoint {
  id: string;
  name: string;
  url: string;
  secret: string;
  enabled: boolean;
  createdAt: string;
}

/** The team chat services Tenure posts to through their incoming webhooks. */
export type ChatKind = "wecom" | "dingtalk" | "feishu" | "slack";

/** A team chat incoming webhook; `secret` signs requests where the service supports it. */
export interface ChatChannel {
  id: string;
  name: string;
  kind: ChatKind;
  url: string;
  secret: string | null;
  enabled: boolean;
  createdAt: string;
}

/** Where deliveries go: webhook endpoints and chat channels of a workspace. */
export interface DeliveryTargetRepository {
  /** Endpoints ordered by name. */
  listEndpoints(workspaceId: string): Promise<WebhookEndpoint[]>;
  getEndpoint(workspaceId: string, id: string): Promise<WebhookEndpoint | null>;
  /** Inserts or replaces (same id) an endpoint. */
  saveEndpoint(workspaceId: string, e: Omit<WebhookEndpoint, "createdAt">): Promise<WebhookEndpoint>;
  /** Deletes an endpoint; false when there was none. */
  deleteEndpoint(workspaceId: string, id: string): Promise<boolean>;
  /** Channels ordered by name. */
  listChannels(workspaceId: string): Promise<ChatChannel[]>;
  getChannel(workspaceId: string, id: string): Promise<ChatChannel | null>;
  /** Inserts or replaces (same id) a channel. */
  saveChannel(workspaceId: string, c: Omit<ChatChannel, "createdAt">): Promise<ChatChannel>;
  /** Deletes a channel; false when there was none. */
  deleteChannel(workspaceId: string, id: string): Promise<boolean>;
}

const endpointFromRow = (r: WebhookEndpointTable): WebhookEndpoint => ({
  id: r.id,
  name: r.name,
  url: r.url,
  secret: r.secret,
  enabled: r.disabled_at === null,
  createdAt: r.created_at,
});

const channelFromRow = (r: ChatChannelTable): ChatChannel => ({
  id: r.id,
  name: r.name,
  kind: r.kind as ChatKind,
  url: r.url,
  secret: r.secret,
  enabled: r.disabled_at === null,
  createdAt: r.created_at,
});

export function createDeliveryTargetRepository(ctx: RepositoryContext): DeliveryTargetRepository {
  return {
    async listEndpoints(workspaceId) {
      const rows = await ctx.db
        .selectFrom("webhook_endpoints")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("name")
        .orderBy("id")
        .execute();
      return rows.map(endpointFromRow);
    },

    async getEndpoint(workspaceId, id) {
      const row = await ctx.db
        .selectFrom("webhook_endpoints")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row === undefined ? null : endpointFromRow(row);
    },

    async saveEndpoint(workspaceId, e) {
      const at = nowIso();
      // A disabled endpoint keeps the time it was first disabled.
      const disabledAt = e.enabled ? null : at;
      const row = await ctx.db
        .insertInto("webhook_endpoints")
        .values({
          workspace_id: workspaceId,
          id: e.id,
          name: e.name,
          url: e.url,
          secret: e.secret,
          disabled_at: disabledAt,
          created_at: at,
        })
        .onConflict((oc) =>
          oc.columns(["workspace_id", "id"]).doUpdateSet((eb) => ({
            name: e.name,
            url: e.url,
            secret: e.secret,
            disabled_at: e.enabled ? null : eb.fn.coalesce("webhook_endpoints.disabled_at", eb.val(at)),
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return endpointFromRow(row);
    },

    async deleteEndpoint(workspaceId, id) {
      const res = await ctx.db
        .deleteFrom("webhook_endpoints")
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },

    async listChannels(workspaceId) {
      const rows = await ctx.db
        .selectFrom("chat_channels")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("name")
        .orderBy("id")
        .execute();
      return rows.map(channelFromRow);
    },

    async getChannel(workspaceId, id) {
      const row = await ctx.db
        .selectFrom("chat_channels")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row === undefined ? null : channelFromRow(row);
    },

    async saveChannel(workspaceId, c) {
      const at = nowIso();
      const row = await ctx.db
        .insertInto("chat_channels")
        .values({
          workspace_id: workspaceId,
          id: c.id,
          name: c.name,
          kind: c.kind,
          url: c.url,
          secret: c.secret,
          disabled_at: c.enabled ? null : at,
          created_at: at,
        })
        .onConflict((oc) =>
          oc.columns(["workspace_id", "id"]).doUpdateSet((eb) => ({
            name: c.name,
            kind: c.kind,
            url: c.url,
            secret: c.secret,
            disabled_at: c.enabled ? null : eb.fn.coalesce("chat_channels.disabled_at", eb.val(at)),
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return channelFromRow(row);
    },

    async deleteChannel(workspaceId, id) {
      const res = await ctx.db
        .deleteFrom("chat_channels")
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
  };
}
