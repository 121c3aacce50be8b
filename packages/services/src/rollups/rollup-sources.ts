/** Something in this process holding rollup counts in memory (an IngestQueue, a tracking thread). */
export interface RollupSource {
  /** Adds the counts it holds (and any other pending block) to the rollups; resolves once committed. */
  flushRollups(): Promise<void>;
}

/**
 * The rollup sources of one process and one database, which `catchUpRollups` flushes before an exact
 * read. Built once where storage and services are wired up (the server, a thread's entry) and handed
 * to the queues that register in it and to the readers that flush it; passing it explicitly keeps two
 * stores (tests, threads) from ever sharing or missing each other's counts.
 */
export class RollupSources {
  private readonly sources = new Set<RollupSource>();

  /** Registers a source whose counts must be flushed before an exact read. */
  add(source: RollupSource): void {
    this.sources.add(source);
  }

  /** Forgets a source (its queue closed). */
  delete(source: RollupSource): void {
    this.sources.delete(source);
  }

  /** Flushes every registered source, one after the other; resolves once all are committed. */
  async flushAll(): Promise<void> {
    for (const source of [...this.sources]) await source.flushRollups();
  }
}
