import type { Storage } from "@tenure/storage";
import { insertFresh, PendingUsage } from "./ingest";
import type { TrackingMessage } from "./tracking-message";

/** Bound on the remembered user keys of one workspace (the set starts over past it). */
const MAX_KNOWN_USERS = 1_000_000;

interface Job {
  workspaceId: string;
  messages: readonly TrackingMessage[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface IngestQueueOptions {
  /** Most calls written in one commit (default 20,000). */
  maxMessagesPerCommit?: number;
}

/**
 * Group commit for the tracking API: requests that arrive while a commit is running are written
 * together in the next transaction, so many small requests cost one commit instead of one each.
 * `submit` resolves only after the transaction holding the calls has committed.
 */
export class IngestQueue {
  private pending: Job[] = [];
  private running = false;
  private scheduled = false;
  private readonly maxMessages: number;
  /** User keys committed per workspace, so steady traffic does not re-insert the same users. */
  private readonly knownUsers = new Map<string, Set<string>>();

  constructor(
    private readonly storage: Storage,
    options: IngestQueueOptions = {},
  ) {
    this.maxMessages = options.maxMessagesPerCommit ?? 20_000;
  }

  /** Queues validated calls; resolves once they are committed. */
  submit(workspaceId: string, messages: readonly TrackingMessage[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ workspaceId, messages, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    // One macrotask of delay lets requests parsed in the same tick share the commit.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.length > 0) {
        const group = this.take();
        try {
          await this.commit(group);
          for (const job of group) job.resolve();
        } catch {
          // One bad request must not fail its neighbours: retry each on its own.
          for (const job of group) {
            try {
              await this.commit([job]);
              job.resolve();
            } catch (error) {
              job.reject(error);
            }
          }
        }
      }
    } finally {
      this.running = false;
    }
  }

  private take(): Job[] {
    const group: Job[] = [];
    let size = 0;
    while (this.pending.length > 0 && (group.length === 0 || size < this.maxMessages)) {
      const job = this.pending.shift() as Job;
      group.push(job);
      size += job.messages.length;
    }
    return group;
  }

  private async commit(group: readonly Job[]): Promise<void> {
    // Concatenating a workspace's calls keeps their order, so "first messageId wins" still holds.
    const byWorkspace = new Map<string, TrackingMessage[]>();
    for (const job of group) {
      const list = byWorkspace.get(job.workspaceId) ?? [];
      for (const m of job.messages) list.push(m);
      byWorkspace.set(job.workspaceId, list);
    }
    const ensured: Array<[string, string[]]> = [];
    await this.storage.transaction(async (tx) => {
      for (const [workspaceId, messages] of byWorkspace) {
        const pending = new PendingUsage(this.knownUsers.get(workspaceId));
        await insertFresh(tx, workspaceId, messages, new Date().toISOString(), pending);
        ensured.push([workspaceId, pending.userKeys()]);
        await pending.flush(tx, workspaceId);
      }
    });
    // Only after the commit: a rolled-back insert must not be remembered as stored.
    for (const [workspaceId, keys] of ensured) {
      let known = this.knownUsers.get(workspaceId);
      if (known === undefined || known.size > MAX_KNOWN_USERS) {
        known = new Set();
        this.knownUsers.set(workspaceId, known);
      }
      for (const k of keys) known.add(k);
    }
  }
}
