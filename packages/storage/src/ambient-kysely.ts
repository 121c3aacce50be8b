import type { CompiledQuery, DatabaseConnection, Dialect, Driver, Kysely, QueryCompiler } from "kysely";

/**
 * A Kysely dialect whose every query runs on `target()`: the open transaction of the current async
 * context when there is one, else the pool. A library that speaks Kysely (better-auth) then writes in
 * the transaction of the change it is part of, so that change and its audit row commit together, and
 * on SQLite (one connection) it no longer waits for the very transaction it belongs to. Transactions
 * of its own are refused: each query may go to a different connection, so a BEGIN here would be a lie
 * (use `Storage.transaction`, which joins the open one).
 */
export function ambientDialect<DB>(base: Dialect, target: () => Kysely<DB>): Dialect {
  const connection: DatabaseConnection = {
    executeQuery: <R>(query: CompiledQuery) => target().executeQuery<R>(query as CompiledQuery<R>),
    streamQuery: <R>(query: CompiledQuery, chunkSize?: number) =>
      target()
        .getExecutor()
        .stream<R>(query as CompiledQuery<R>, chunkSize ?? 100),
  };
  const refuse = async (): Promise<never> => {
    throw new Error("transactions on the ambient Kysely are not supported: use Storage.transaction");
  };
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: refuse,
    commitTransaction: refuse,
    rollbackTransaction: refuse,
    releaseConnection: async () => {},
    // The storage owns (and closes) the real connections.
    destroy: async () => {},
  };
  return {
    createDriver: () => driver,
    createQueryCompiler: (): QueryCompiler => base.createQueryCompiler(),
    createAdapter: () => base.createAdapter(),
    createIntrospector: (db) => base.createIntrospector(db),
  };
}
