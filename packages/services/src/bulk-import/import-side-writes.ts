import type { StorageTransaction } from "@tenure/storage";
import { PendingUsage } from "../tracking/ingest";
import type { TrackingMessage } from "../tracking/tracking-message";
import type { ImportCounter } from "./import-parser";

/**
 * New users plus identify/group calls gathered before a step writes them while the writer waits for
 * the parser (fewer are left for the end: one flush of a few thousand costs a few tens of ms).
 */
const USERS_PER_STEP = 2_000;

/**
 * What a bulk import's stored calls add besides their blocks: rollup counts, new users and identity
 * changes, all inside its transaction. Users and identify/group calls are written in file order (the
 * first stored call of a user decides its bare record), in steps while the writer would otherwise wait
 * for the parser, and the rest at the end. Rollup counts are written at the end (or when the import's
 * memory bound says so): rows written twice would each cost a read and a merge.
 */
export class SideWrites {
  private messages: TrackingMessage[] = [];
  /** Accounts this import created, in creation order. */
  readonly createdAccounts: string[] = [];
  private readonly created = new Set<string>();

  constructor(
    private readonly tx: StorageTransaction,
    private readonly workspaceId: string,
    private readonly counters: readonly ImportCounter[],
  ) {}

  /** An identify or group call that was stored, in file order. */
  addMessage(message: TrackingMessage): void {
    this.messages.push(message);
  }

  /** Writes the users and identity changes gathered so far if there are enough; false when not. */
  async step(): Promise<boolean> {
    const pending = this.messages.length + this.counters.reduce((n, c) => n + c.pendingUsers(), 0);
    if (pending < USERS_PER_STEP) return false;
    await this.writeUsers();
    return true;
  }

  /** Writes the rollup counts gathered so far (each counter's, sorted). */
  async writeCounts(): Promise<void> {
    for (const c of this.counters) await this.tx.usageRollups.addCells(this.workspaceId, c.takeCounts());
  }

  /** Everything left, at the end of the import. */
  async finish(): Promise<void> {
    await this.writeCounts();
    await this.writeUsers();
  }

  /**
   * The new users the counters found, in file order (by the order number of the block that first
   * named each, stable within a counter), then the identify/group calls.
   */
  private async writeUsers(): Promise<void> {
    const found: Array<{
      order: number;
      userKey: string;
      userId: string | null;
      anonymousId: string | null;
    }> = [];
    for (const c of this.counters) {
      const { names, users } = c.takeUsers();
      const str = (i: number) => (i === -1 ? null : (names[i] as string));
      for (let k = 0; k < users.length; k += 4)
        found.push({
          userKey: names[users[k] as number] as string,
          userId: str(users[k + 1] as number),
          anonymousId: str(users[k + 2] as number),
          order: users[k + 3] as number,
        });
    }
    if (found.length === 0 && this.messages.length === 0) return;
    if (this.counters.length > 1) found.sort((a, b) => a.order - b.order);
    const pending = new PendingUsage(undefined, false);
    for (const u of found) pending.addUser(u.userKey, u.userId, u.anonymousId);
    for (const m of this.messages) pending.addMessage(m);
    this.messages = [];
    for (const id of await pending.flush(this.tx, this.workspaceId, this.created)) {
      this.created.add(id);
      this.createdAccounts.push(id);
    }
  }
}
