/** A benchmark suite selected by name on the `npm run bench` command line. */
export interface BenchSuite {
  name: string;
  description: string;
  /** Runs the suite with its own arguments; resolves to the process exit code. */
  run(args: readonly string[]): Promise<number>;
}
