/** One part of the `actions` bench suite (the job queue, tasks, automations, effects). */
export interface ActionsBenchPart {
  /** Selects the part on the command line: `npm run bench -- actions <name> ...`. */
  name: string;
  description: string;
  /** Flags this part reads (checked before any part runs, so a typo never runs a full-size bench). */
  flags: readonly string[];
  /** Runs the part with the suite's flags; resolves to true when every target it checks holds. */
  run(args: readonly string[]): Promise<boolean>;
}
