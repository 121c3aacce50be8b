/**
 * Event-loop turns for long jobs that share a process with request handlers. SQLite queries run
 * synchronously and awaiting them only queues microtasks, so a chain of them never lets a waiting
 * request in; a setImmediate turn does.
 */

/** Resolves on the next event-loop turn (after pending I/O callbacks). */
export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Starts `task` after `n` event-loop turns. Tasks passed to one Promise.all with n = 0, 1, 2, ... run
 * one turn apart on a synchronous driver and still overlap on an asynchronous one (PostgreSQL).
 */
export async function afterTurns<T>(n: number, task: () => Promise<T>): Promise<T> {
  for (let i = 0; i < n; i++) await nextTurn();
  return task();
}
