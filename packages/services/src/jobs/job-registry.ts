import { TenureError } from "@tenure/core";
import type { z } from "zod";
import type { JobHandler } from "./job-types";

interface Registration {
  handler: JobHandler;
  payload?: z.ZodType;
}

/** Job kinds: letters, digits and . _ : - (e.g. "delivery.email"), at most 100 characters. */
export const JOB_KIND = /^[a-z][a-z0-9._:-]{0,99}$/i;

/** The handlers a worker runs, one per job kind; a worker claims only the kinds it has. */
export class JobRegistry {
  private readonly handlers = new Map<string, Registration>();

  /**
   * Registers `handler` for `kind`; with a zod `payload` schema, a job whose payload does not parse
   * fails at once (no retries) with the schema's message.
   * @example registry.register("demo.note", async (job, ctx) => { await ctx.transaction(...) })
   */
  register<P>(kind: string, handler: JobHandler<P>, options: { payload?: z.ZodType<P> } = {}): this {
    if (!JOB_KIND.test(kind)) {
      throw new TenureError("validation", `job kind "${kind}" must be letters, digits and . _ : - (≤ 100)`);
    }
    if (this.handlers.has(kind))
      throw new TenureError("conflict", `job kind "${kind}" is already registered`);
    this.handlers.set(kind, { handler: handler as JobHandler, payload: options.payload });
    return this;
  }

  /** The registration of `kind`, if any. */
  get(kind: string): Registration | undefined {
    return this.handlers.get(kind);
  }

  /** Every registered kind. */
  kinds(): string[] {
    return [...this.handlers.keys()];
  }
}
