import type { Storage } from "@tenure/storage";
import { storedRenewalBacktest } from "./renewal-forecast-service";

/** The lease that marks a workspace's renewal backtest as being computed (one at a time, every process). */
export const renewalBacktestLease = (ws: string): string => `renewal-backtest:${ws}`;

/**
 * How long a computing process holds the lease between renewals. Its holder renews it every minute
 * from an event loop the computation does not block (the server thread, while a worker computes), so
 * a process that dies mid-way leaves "pending" for at most this long.
 */
export const RENEWAL_BACKTEST_LEASE_MS = 3 * 60_000;

/** The command that computes the renewal backtest outside the server. */
export const RENEWAL_BACKTEST_COMMAND = "tenure predict train --target churn";

type Stored = NonNullable<Awaited<ReturnType<typeof storedRenewalBacktest>>>;

/** The renewal backtest's state: being computed, never computed, or the stored result. */
export type RenewalBacktestStatus =
  | { status: "pending"; command: string }
  | { status: "none"; command: string }
  | ({ status: "ready" } & Stored);

/**
 * Where a workspace's renewal backtest stands: `pending` while a process holds its lease (a training
 * started from the web app computes it in the background), else `ready` with the stored result, else
 * `none` with the command that computes it.
 */
export async function renewalBacktestStatus(
  storage: Storage,
  ws: string,
  now: Date = new Date(),
): Promise<RenewalBacktestStatus> {
  const lease = await storage.leases.current(renewalBacktestLease(ws), now);
  if (lease !== null) return { status: "pending", command: RENEWAL_BACKTEST_COMMAND };
  const stored = await storedRenewalBacktest(storage, ws);
  if (stored === null) return { status: "none", command: RENEWAL_BACKTEST_COMMAND };
  return { status: "ready", ...stored };
}
