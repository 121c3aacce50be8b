import {
  bareUsageUser,
  minimalAccount,
  type Storage,
  type StorageTransaction,
  type UsageEvent,
  type UsageRollup,
  type UsageUser,
} from "@tenure/storage";
import { type TrackingMessage, USAGE_CALL_TYPES } from "./tracking-message";

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
 * Calls whose messageId is already stored change nothing, so retries are harmless.
 */
export async function ingestInto(
  tx: StorageTransaction,
  workspaceId: string,
  messages: readonly TrackingMessage[],
): Promise<IngestResult> {
  const receivedAt = new Date().toISOString();
  const byId = new Map<string, TrackingMessage>();
  for (const m of messages) if (!byId.has(m.messageId)) byId.set(m.messageId, m);
  const fresh = await tx.usageEvents.insertNew(
    workspaceId,
    [...byId.values()].map((m) => toEvent(m, receivedAt)),
  );
  const freshMessages = fresh.map((e) => byId.get(e.messageId) as TrackingMessage);

  const rollups: UsageRollup[] = [];
  const seen = new Map<string, UsageUser>();
  for (const m of freshMessages) {
    if (m.event !== null && USAGE_CALL_TYPES.has(m.type))
      rollups.push({ userKey: m.userKey, day: m.day, event: m.event, count: 1 });
    if (!seen.has(m.userKey)) seen.set(m.userKey, bareUsageUser(m.userKey, m.userId, m.anonymousId));
  }
  await tx.usageRollups.addCounts(workspaceId, rollups);
  await tx.usageUsers.ensureMany(workspaceId, [...seen.values()]);

  const describing = freshMessages.filter((m) => m.type === "identify" || m.type === "group");
  const createdAccounts = await applyIdentity(tx, workspaceId, describing);
  return {
    received: messages.length,
    accepted: fresh.length,
    duplicates: messages.length - fresh.length,
    createdAccounts,
  };
}

function toEvent(m: TrackingMessage, receivedAt: string): UsageEvent {
  return {
    messageId: m.messageId,
    type: m.type,
    event: m.event,
    userKey: m.userKey,
    userId: m.userId,
    anonymousId: m.anonymousId,
    timestamp: m.timestamp,
    day: m.day,
    properties: m.type === "identify" || m.type === "group" ? m.traits : m.properties,
    receivedAt,
  };
}

const text = (v: unknown): string | null =>
  typeof v === "string" && v.trim() !== "" ? v.trim() : typeof v === "number" ? String(v) : null;

/** Applies identify traits and group mappings in arrival order; returns the accounts it created. */
async function applyIdentity(
  tx: StorageTransaction,
  workspaceId: string,
  messages: readonly TrackingMessage[],
): Promise<string[]> {
  if (messages.length === 0) return [];
  const users = await tx.usageUsers.getMany(
    workspaceId,
    messages.map((m) => m.userKey),
  );
  const accountNames = new Map<string, string | null>();
  for (const m of messages) {
    const user = users.get(m.userKey) ?? bareUsageUser(m.userKey, m.userId, m.anonymousId);
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
  if (named.length > 0) {
    await tx.accounts.upsertMany(
      workspaceId,
      named.map((id) => ({ ...minimalAccount(id), name: accountNames.get(id) as string })),
    );
  }
  return created;
}
