import {
  bareUsageUser,
  minimalAccount,
  type Storage,
  type StorageTransaction,
  type UsageEvent,
  type UsageUser,
} from "@tenure/storage";
import { countsAsUsage } from "../rollups/deferred-rollups";
import { RollupCounter } from "../rollups/rollup-counter";
import { type TrackingMessage, toUsageEvent } from "./tracking-message";

/** What one ingest wrote. */
export interface IngestResult {
  received: number;
  /** Calls whose messageId was new. */
  accepted: number;
  /** Calls skipped because their messageId was already stored (client retries). */
  duplicates: number;
  /** Accounts created because a group call named an unknown account. */
  createdAccounts: string[];
}

/** Ingests validated calls in one transaction: committed (durable) when the promise resolves. */
export function ingestBatch(
  storage: Storage,
  workspaceId: string,
  messages: readonly TrackingMessage[],
): Promise<IngestResult> {
  return storage.transaction((tx) => ingestInto(tx, workspaceId, messages));
}

/**
 * Ingests validated calls inside an open transaction: stores every new messageId, adds the new
 * usage calls to the per-user/day/event rollups, applies identify traits and group mappings.
 * Calls whose messageId is already stored change nothing, so retries are harmless. `knownUsers`
 * (user keys known to be stored) saves re-inserting them.
 */
export async function ingestInto(
  tx: StorageTransaction,
  workspaceId: string,
  messages: readonly TrackingMessage[],
  knownUsers?: ReadonlySet<string>,
): Promise<IngestResult> {
  const pending = new PendingUsage(knownUsers);
  const accepted = await insertFresh(tx, workspaceId, messages, new Date().toISOString(), pending);
  const createdAccounts = await pending.flush(tx, workspaceId);
  return {
    received: messages.length,
    accepted,
    duplicates: messages.length - accepted,
    createdAccounts,
  };
}

/**
 * Stores the calls whose messageId is new and hands them to `pending` (rollups, users, identity are
 * written later, by `pending.flush`). Returns how many were new.
 */
export async function insertFresh(
  tx: StorageTransaction,
  workspaceId: string,
  messages: readonly TrackingMessage[],
  receivedAt: string,
  pending: PendingUsage,
): Promise<number> {
  return (await insertFreshInto(tx, workspaceId, messages, receivedAt, pending, false)).fresh.length;
}

/**
 * `insertFresh` for a writer that adds rollup counts later (see deferred-rollups.ts): the block is
 * listed as pending and `pending` must not count rollups. Returns the new events and their block.
 */
export function insertFreshDeferred(
  tx: StorageTransaction,
  workspaceId: string,
  messages: readonly TrackingMessage[],
  receivedAt: string,
  pending: PendingUsage,
): Promise<{ fresh: UsageEvent[]; blockId: number | null }> {
  return insertFreshInto(tx, workspaceId, messages, receivedAt, pending, true);
}

async function insertFreshInto(
  tx: StorageTransaction,
  workspaceId: string,
  messages: readonly TrackingMessage[],
  receivedAt: string,
  pending: PendingUsage,
  deferred: boolean,
): Promise<{ fresh: UsageEvent[]; blockId: number | null }> {
  const events: UsageEvent[] = new Array(messages.length);
  // insertNew hands back the very objects it was given, so only identify/group calls need a way
  // back to their message (for traits and groupId).
  const describing = new Map<UsageEvent, TrackingMessage>();
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as TrackingMessage;
    const e = toUsageEvent(m, receivedAt);
    events[i] = e;
    if (m.type === "identify" || m.type === "group") describing.set(e, m);
  }
  const inserted = deferred
    ? await tx.usageEvents.insertNewDeferred(workspaceId, events)
    : { fresh: await tx.usageEvents.insertNew(workspaceId, events), blockId: null };
  for (const e of inserted.fresh) pending.add(e, describing.get(e));
  return inserted;
}

/**
 * What new calls add besides their own row: rollup counts, bare users, identify/group calls. Kept in
 * memory across many inserts (a whole import) and written once, so each rollup row is written once.
 */
export class PendingUsage {
  private rollups = new RollupCounter();
  private readonly users = new Map<string, UsageUser>();
  private readonly describing: TrackingMessage[] = [];

  /**
   * `knownUsers`: user keys already stored, which `flush` need not insert (the tracking API's cache).
   * `countRollups` false: the caller adds the rollup counts itself, later (deferred-rollups.ts).
   */
  constructor(
    private readonly knownUsers?: ReadonlySet<string>,
    private readonly countRollups = true,
  ) {}

  /** User keys this batch ensures exist (stored once `flush`'s transaction commits). */
  userKeys(): string[] {
    return [...this.users.keys()];
  }

  /** Counts one new call; `describing` is the call's message when it is an identify or group call. */
  add(e: UsageEvent, describing?: TrackingMessage): void {
    if (this.countRollups && countsAsUsage(e)) this.rollups.add(e.userKey, e.day, e.event as string);
    this.addUser(e.userKey, e.userId, e.anonymousId);
    if (describing !== undefined) this.describing.push(describing);
  }

  /** A user a new call names (`add` does this for each call it counts). */
  addUser(userKey: string, userId: string | null, anonymousId: string | null): void {
    if (!this.users.has(userKey) && this.knownUsers?.has(userKey) !== true)
      this.users.set(userKey, bareUsageUser(userKey, userId, anonymousId));
  }

  /** A new identify or group call, applied by `flush` in the order given. */
  addMessage(describing: TrackingMessage): void {
    this.describing.push(describing);
  }

  /**
   * Writes the rollups, users and identity changes gathered so far; returns the accounts it created.
   * `createdBefore`: accounts an earlier flush of the same transaction created, which a group call's
   * name still names (as if both flushes were one).
   */
  async flush(
    tx: StorageTransaction,
    workspaceId: string,
    createdBefore?: ReadonlySet<string>,
  ): Promise<string[]> {
    await tx.usageRollups.addCells(workspaceId, this.rollups.cells());
    // Users an identify or group call changes are written once, by applyIdentity, from these records.
    const described = new Set(this.describing.map((m) => m.userKey));
    await tx.usageUsers.ensureMany(
      workspaceId,
      [...this.users.values()].filter((u) => !described.has(u.userKey)),
    );
    const created = await applyIdentity(tx, workspaceId, this.describing, createdBefore, this.users);
    this.rollups = new RollupCounter();
    this.describing.length = 0;
    return created;
  }
}

const text = (v: unknown): string | null =>
  typeof v === "string" && v.trim() !== "" ? v.trim() : typeof v === "number" ? String(v) : null;

/**
 * Applies identify traits and group mappings in arrival order; returns the accounts it created.
 * `unstored`: bare records of users not written yet (a user not stored starts from its own).
 */
async function applyIdentity(
  tx: StorageTransaction,
  workspaceId: string,
  messages: readonly TrackingMessage[],
  createdBefore?: ReadonlySet<string>,
  unstored?: ReadonlyMap<string, UsageUser>,
): Promise<string[]> {
  if (messages.length === 0) return [];
  const users = await tx.usageUsers.getMany(
    workspaceId,
    messages.map((m) => m.userKey),
  );
  const accountNames = new Map<string, string | null>();
  for (const m of messages) {
    const user =
      users.get(m.userKey) ?? unstored?.get(m.userKey) ?? bareUsageUser(m.userKey, m.userId, m.anonymousId);
    const next: UsageUser = {
      ...user,
      userId: user.userId ?? m.userId,
      anonymousId: user.anonymousId ?? m.anonymousId,
    };
    if (m.type === "group" && m.groupId !== null) {
      next.accountId = m.groupId;
      const name = text(m.traits.name);
      if (name !== null || !accountNames.has(m.groupId)) accountNames.set(m.groupId, name);
    } else if (m.type === "identify") {
      const t = m.traits;
      const fullName = [text(t.firstName), text(t.lastName)].filter((x) => x !== null).join(" ");
      next.traits = { ...user.traits, ...t };
      next.name = text(t.name) ?? (fullName !== "" ? fullName : user.name);
      next.email = text(t.email) ?? user.email;
      next.role = text(t.role) ?? text(t.title) ?? user.role;
      next.department = text(t.department) ?? text(t.team) ?? user.department;
    }
    users.set(m.userKey, next);
  }
  await tx.usageUsers.upsertMany(workspaceId, [...users.values()]);

  // Unknown accounts become minimal accounts; a group call's traits.name names a new account.
  const created = await tx.accounts.ensureMinimal(workspaceId, [...accountNames.keys()]);
  const named = created.filter((id) => accountNames.get(id));
  if (createdBefore !== undefined)
    for (const [id, name] of accountNames) if (name && createdBefore.has(id)) named.push(id);
  if (named.length > 0) {
    await tx.accounts.upsertMany(
      workspaceId,
      named.map((id) => ({ ...minimalAccount(id), name: accountNames.get(id) as string })),
    );
  }
  return created;
}
