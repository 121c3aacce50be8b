import { monotonicId, nowIso, type RepositoryContext } from "./repository-context";

/** Who made a change, as the audit log records it (the same shape as core's access Actor). */
export interface AuditActor {
  type: "user" | "key" | "system";
  id: string;
  /** What a person reads: the user's email, the key's name, "cli". */
  label: string;
}

/** Where a change came from: the principal's workspace and actor, the caller's IP and request id. */
export interface AuditOrigin {
  workspaceId: string;
  actor: AuditActor;
  ip: string | null;
  requestId: string | null;
}

/** One change: what was done to which entity, and the entity before and after (secrets are redacted). */
export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditRecord {
  id: string;
  at: string;
  actor: AuditActor;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  requestId: string | null;
}

/** Filters of the audit list and export; all optional, combined with AND. */
export interface AuditQuery {
  /** Matches the actor's id or label exactly. */
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  /** Inclusive lower bound on `at` (ISO date or timestamp). */
  from?: string;
  /** Exclusive upper bound on `at`; a bare date YYYY-MM-DD includes that whole day. */
  to?: string;
  /** Newest first; rows older than this id (the previous page's `next`). */
  before?: string;
  limit?: number;
}

export interface AuditRepository {
  /** Writes one entry; call it in the transaction of the change (see `Storage.audited`). */
  record(origin: AuditOrigin, entry: AuditEntry): Promise<AuditRecord>;
  /** A page of entries, newest first; `next` is the cursor of the following page, or null. */
  list(workspaceId: string, query?: AuditQuery): Promise<{ entries: AuditRecord[]; next: string | null }>;
  /** Every matching entry, newest first, read in pages so a large export never sits in memory. */
  stream(workspaceId: string, query?: Omit<AuditQuery, "before" | "limit">): AsyncGenerator<AuditRecord>;
  /** Deletes entries older than `cutoff` (ISO timestamp) in every workspace; returns how many. */
  prune(cutoff: string): Promise<number>;
}

const REDACTED = "[redacted]";
/** Field names whose values are secrets wherever they appear in a before/after document. */
const SECRET_FIELD =
  /pass(word)?|secret|token|^key$|apikey|api_key|key_?hash|authorization|cookie|smtp_?url|signing/i;

/**
 * A copy of `value` with secrets replaced: fields named like secrets, API keys (`tk_...`), one-time
 * link tokens (`tl_...`) and the password of URLs (`smtp://user:pass@host`). Bounded depth: deeper content is dropped.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 20) return REDACTED;
  if (typeof value === "string") {
    if (/^tk_[A-Za-z0-9_-]{8,}$/.test(value)) return REDACTED;
    return (
      value
        .replace(/(\w+:\/\/[^:/@\s]*:)[^@\s]*@/g, `$1${REDACTED}@`)
        // A one-time link's token (an invitation or reset URL an admin was shown once).
        .replace(/tl_[A-Za-z0-9_-]{43}/g, REDACTED)
    );
  }
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_FIELD.test(k) && v !== null && v !== undefined ? REDACTED : redactSecrets(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** A bare date as `to` means "through that day". */
const upperBound = (to: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(to) ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString() : to;

const MAX_PAGE = 500;

export function createAuditRepository(ctx: RepositoryContext): AuditRepository {
  const { adapter } = ctx;
  const encode = (v: unknown) => (v === undefined ? null : adapter.encodeJson(redactSecrets(v)));
  const decode = (v: string | null) => (v === null ? null : adapter.decodeJson(v));

  const page = async (workspaceId: string, q: AuditQuery = {}) => {
    const limit = Math.min(Math.max(1, q.limit ?? 100), MAX_PAGE);
    let query = ctx.db.selectFrom("audit_log").selectAll().where("workspace_id", "=", workspaceId);
    if (q.actor !== undefined) {
      const actor = q.actor;
      query = query.where((eb) => eb.or([eb("actor_id", "=", actor), eb("actor_label", "=", actor)]));
    }
    if (q.action !== undefined) query = query.where("action", "=", q.action);
    if (q.entityType !== undefined) query = query.where("entity_type", "=", q.entityType);
    if (q.entityId !== undefined) query = query.where("entity_id", "=", q.entityId);
    if (q.from !== undefined) query = query.where("at", ">=", q.from);
    if (q.to !== undefined) query = query.where("at", "<", upperBound(q.to));
    if (q.before !== undefined) query = query.where("id", "<", q.before);
    const rows = await query
      .orderBy("id", "desc")
      .limit(limit + 1)
      .execute();
    const entries: AuditRecord[] = rows.slice(0, limit).map((r) => ({
      id: r.id,
      at: r.at,
      actor: { type: r.actor_type as AuditActor["type"], id: r.actor_id, label: r.actor_label },
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      before: decode(r.before_json),
      after: decode(r.after_json),
      ip: r.ip,
      requestId: r.request_id,
    }));
    return { entries, next: rows.length > limit ? (entries.at(-1)?.id ?? null) : null };
  };

  return {
    async record(origin, entry) {
      const row = {
        workspace_id: origin.workspaceId,
        id: monotonicId(),
        at: nowIso(),
        actor_type: origin.actor.type,
        actor_id: origin.actor.id,
        actor_label: origin.actor.label,
        action: entry.action,
        entity_type: entry.entityType,
        // An id is never a secret; a key passed as one by mistake is not stored.
        entity_id: entry.entityId === null ? null : (redactSecrets(entry.entityId) as string),
        before_json: encode(entry.before),
        after_json: encode(entry.after),
        ip: origin.ip,
        request_id: origin.requestId,
      };
      await ctx.db.insertInto("audit_log").values(row).execute();
      return {
        id: row.id,
        at: row.at,
        actor: origin.actor,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId,
        before: decode(row.before_json),
        after: decode(row.after_json),
        ip: origin.ip,
        requestId: origin.requestId,
      };
    },

    list: page,

    async *stream(workspaceId, query = {}) {
      let before: string | undefined;
      for (;;) {
        const { entries, next } = await page(workspaceId, { ...query, before, limit: MAX_PAGE });
        yield* entries;
        if (next === null) return;
        before = next;
      }
    },

    async prune(cutoff) {
      const res = await ctx.db.deleteFrom("audit_log").where("at", "<", cutoff).executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}
