import { randomUUID } from "node:crypto";
import {
  type Principal,
  parseSignalRule,
  type SignalRule,
  type SignalStatus,
  type SignalText,
  type SignalType,
  signalText,
  TenureError,
  transitionSignal,
} from "@tenure/core";
import type { SignalRecord, Storage } from "@tenure/storage";
import { guardAccountEdit, readableBook } from "../access/book-scope";
import { refreshAccountRows } from "../accounts/account-list-store";
import { SIGNAL_RULE_METRICS } from "../health/recompute-health";

/** A signal as the API returns it. */
export interface SignalView {
  id: string;
  accountId: string;
  accountName: string;
  type: string;
  kind: "risk" | "opportunity";
  severity: "low" | "medium" | "high";
  status: SignalStatus;
  title: string;
  summary: string;
  /** Title and summary as keys and parameters, for readers in any language (title and summary are the English). */
  text: SignalText;
  evidence: Record<string, number | string | null>;
  openedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  /** The team member who made the last status change (acknowledged, resolved, reopened), when one did. */
  actor: { id: string; name: string } | null;
}

/** Names of the members who last changed these signals' status (one read per distinct member). */
export async function signalActorNames(
  storage: Pick<Storage, "team">,
  ws: string,
  signals: readonly SignalRecord[],
): Promise<Map<string, string>> {
  const ids = [...new Set(signals.map((s) => s.actorId).filter((id): id is string => id != null))];
  const members = await Promise.all(ids.map((id) => storage.team.getMember(ws, id)));
  const out = new Map<string, string>();
  for (const m of members) if (m !== null) out.set(m.id, m.name);
  return out;
}

/**
 * The API shape of a stored signal; `actors` names the members of signalActorNames (a member no
 * longer there is shown by id).
 */
export function signalView(
  s: SignalRecord,
  names: ReadonlyMap<string, string>,
  actors: ReadonlyMap<string, string> = new Map(),
): SignalView {
  return {
    id: s.id,
    accountId: s.accountId,
    accountName: names.get(s.accountId) ?? s.accountId,
    type: s.type,
    kind: s.kind as SignalView["kind"],
    severity: s.severity as SignalView["severity"],
    status: s.status as SignalStatus,
    title: s.title,
    summary: s.summary,
    text: signalText(s.type as SignalType, s.evidence, s.title),
    evidence: s.evidence,
    openedAt: s.openedAt,
    acknowledgedAt: s.acknowledgedAt,
    resolvedAt: s.resolvedAt,
    actor: s.actorId == null ? null : { id: s.actorId, name: actors.get(s.actorId) ?? s.actorId },
  };
}

/** Signals of a workspace, newest first, filtered by status, account and kind. */
export async function listSignals(
  storage: Storage,
  ws: string,
  q: { status?: SignalStatus; accountId?: string; kind?: "risk" | "opportunity" } = {},
  /** Who asks: a CSM limited to its book sees only its accounts' signals (see `readableBook`). */
  principal?: Principal,
): Promise<SignalView[]> {
  const book = await readableBook(storage, principal);
  const [rows, names] = await Promise.all([
    storage.signals.list(ws, {
      statuses: q.status ? [q.status] : undefined,
      accountId: q.accountId,
      kind: q.kind,
      ownerId: book?.ownerId,
    }),
    storage.accounts.names(ws),
  ]);
  const actors = await signalActorNames(storage, ws, rows);
  return rows.map((s) => signalView(s, names, actors));
}

/**
 * Moves a signal to `status` (validated by transitionSignal: 400 on a forbidden move) and records the
 * change on the account's timeline.
 */
export async function changeSignalStatus(
  storage: Storage,
  ws: string,
  input: {
    id: string;
    status: SignalStatus;
    by: string;
    at: string;
    actorId?: string | null;
    /** Who asks (book scoping); omitted = the operator's own process. */
    principal?: Principal;
  },
): Promise<SignalView> {
  const view = await storage.transaction(async (tx) => {
    const s = await tx.signals.get(ws, input.id);
    if (s === null) throw new TenureError("not_found", `No signal with id "${input.id}"`);
    await guardAccountEdit(tx, ws, input.principal, s.accountId);
    const next = transitionSignal(
      { ...s, status: s.status as SignalStatus, statusChangedBy: s.statusChangedBy },
      input.status,
      input.by,
      input.at,
    );
    const updated: SignalRecord = {
      ...s,
      status: next.status,
      acknowledgedAt: next.acknowledgedAt ?? null,
      resolvedAt: next.resolvedAt,
      statusChangedBy: input.by,
    };
    await tx.signals.updateStatuses(ws, [updated]);
    await tx.signals.setActor(ws, s.id, input.actorId ?? null);
    await tx.timeline.insertMany(ws, [
      {
        id: randomUUID(),
        accountId: s.accountId,
        type: "signal",
        occurredAt: input.at,
        author: input.by,
        actorId: input.actorId ?? null,
        title: `${s.title}: ${next.status}`,
        body: null,
        data: { signalId: s.id, type: s.type, kind: s.kind, severity: s.severity, status: next.status },
      },
    ]);
    const account = await tx.accounts.get(ws, s.accountId);
    const actorId = input.actorId ?? null;
    return signalView(
      { ...updated, actorId },
      new Map([[s.accountId, account?.name ?? s.accountId]]),
      await signalActorNames(tx, ws, [{ ...updated, actorId }]),
    );
  });
  // The accounts list counts the account's open signals.
  await refreshAccountRows(storage, ws, [view.accountId]);
  return view;
}

/** The workspace's user signal rules (invalid stored rules are skipped). */
export async function listSignalRules(storage: Storage, ws: string): Promise<SignalRule[]> {
  const out: SignalRule[] = [];
  for (const json of await storage.signalRules.list(ws)) {
    try {
      out.push(parseSignalRule(json, SIGNAL_RULE_METRICS));
    } catch {
      // skipped: see loadSignalRules
    }
  }
  return out;
}

/** Validates (400 naming the path) and stores a user rule; an existing id is replaced. */
export async function saveSignalRule(storage: Storage, ws: string, json: unknown): Promise<SignalRule> {
  const rule = parseSignalRule(json, SIGNAL_RULE_METRICS);
  await storage.signalRules.put(ws, rule.id, rule);
  return rule;
}

/** Deletes a user rule; 404 when there is none. */
export async function deleteSignalRule(storage: Storage, ws: string, id: string): Promise<void> {
  if (!(await storage.signalRules.delete(ws, id)))
    throw new TenureError("not_found", `No signal rule with id "${id}"`);
}
