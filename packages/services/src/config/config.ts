import { TenureError } from "@tenure/core";
import { z } from "zod";

/** Environment configuration, validated once at start-up. Each field documents the variable it reads. */
export const configSchema = z.object({
  /** TENURE_DATABASE_URL: PostgreSQL connection string; empty = embedded SQLite. */
  databaseUrl: z.string().url().optional(),
  /** TENURE_DATA_DIR: folder of the embedded SQLite database (default ./tenure-data). */
  dataDir: z.string().min(1).default("./tenure-data"),
  /** TENURE_PORT: HTTP port of the server and web app (default 3000). */
  port: z.coerce.number().int().min(1).max(65535).default(3000),
  /** TENURE_HOST: interface to listen on (default 127.0.0.1; 0.0.0.0 to expose). */
  host: z.string().min(1).default("127.0.0.1"),
  /** TENURE_REPORTING_CURRENCY: ISO 4217 code every amount is reported in (default USD). */
  reportingCurrency: z
    .string()
    .regex(/^[A-Z]{3}$/, "must be a 3-letter ISO 4217 code such as USD")
    .default("USD"),
  /** TENURE_GROSS_MARGIN: gross margin used by LTV (0-1, default 1 = revenue LTV as ChartMogul reports it). */
  grossMargin: z.coerce.number().gt(0).max(1).default(1),
  /** TENURE_LOG_LEVEL: pino log level (default info). */
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** TENURE_WORKER: run a job worker inside `tenure serve` (on, default), or not (off: run `tenure worker`). */
  worker: z.enum(["on", "off"]).default("on"),
  /** TENURE_WORKER_CONCURRENCY: jobs a worker runs at once (1-256, default 4). */
  workerConcurrency: z.coerce.number().int().min(1).max(256).default(4),
  /** TENURE_JOB_RETENTION_DAYS: days done jobs stay in the job log before the nightly prune deletes them (1-3650, default 14). */
  jobRetentionDays: z.coerce.number().int().min(1).max(3650).default(14),
  /** TENURE_AUDIT_RETENTION_DAYS: days audit log entries are kept before the nightly prune deletes them (1-36500, default 365). */
  auditRetentionDays: z.coerce.number().int().min(1).max(36500).default(365),
  /** TENURE_RATE_LIMIT_KEY_PER_MINUTE: /api requests one API key (or signed-in user) may make per minute, per server process (0 = no limit, default 600). */
  rateLimitKeyPerMinute: z.coerce.number().int().min(0).max(1_000_000).default(600),
  /** TENURE_RATE_LIMIT_KEY_BURST: requests a key may make at once above its per-minute rate (default 120). */
  rateLimitKeyBurst: z.coerce.number().int().min(1).max(1_000_000).default(120),
  /** TENURE_RATE_LIMIT_IP_PER_MINUTE: unauthenticated /api requests (sign-in, wrong keys) one IP may make per minute, shared by every process through the database (0 = no limit, default 30). */
  rateLimitIpPerMinute: z.coerce.number().int().min(0).max(1_000_000).default(30),
  /** TENURE_RATE_LIMIT_IP_BURST: unauthenticated requests one IP may make at once (default 10). */
  rateLimitIpBurst: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /** TENURE_TRUST_PROXY: "on" when a reverse proxy sets X-Forwarded-For (the client IP of rate limits and the audit log); default off. */
  trustProxy: z.enum(["on", "off"]).default("off"),
  /** TENURE_SMTP_URL: SMTP server of emails (smtp://user:pass@host:587; smtps:// for TLS); a workspace may set its own. */
  smtpUrl: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, "must be an smtp:// or smtps:// URL")
    .optional(),
  /** TENURE_SMTP_FROM: sender of emails, e.g. "Acme CS <cs@acme.example>". */
  smtpFrom: z.string().min(3).optional(),
  /** TENURE_PUBLIC_URL: the address people open (https://tenure.acme.example); https makes session cookies Secure, and it is the origin sign-in and CSRF checks trust and links in emails use. */
  publicUrl: z
    .string()
    .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, "must be an http:// or https:// URL")
    .optional(),
  /** TENURE_AUTH_SECRET: signs session cookies (32+ characters); absent = one generated once and kept in the database. */
  authSecret: z.string().min(32, "must be at least 32 characters").optional(),
});

export type TenureConfig = z.infer<typeof configSchema>;

/** Reads and validates TENURE_* variables; throws a TenureError naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): TenureConfig {
  const raw = {
    databaseUrl: env.TENURE_DATABASE_URL || undefined,
    dataDir: env.TENURE_DATA_DIR || undefined,
    port: env.TENURE_PORT || undefined,
    host: env.TENURE_HOST || undefined,
    reportingCurrency: env.TENURE_REPORTING_CURRENCY || undefined,
    grossMargin: env.TENURE_GROSS_MARGIN || undefined,
    logLevel: env.TENURE_LOG_LEVEL || undefined,
    worker: env.TENURE_WORKER || undefined,
    workerConcurrency: env.TENURE_WORKER_CONCURRENCY || undefined,
    jobRetentionDays: env.TENURE_JOB_RETENTION_DAYS || undefined,
    auditRetentionDays: env.TENURE_AUDIT_RETENTION_DAYS || undefined,
    rateLimitKeyPerMinute: env.TENURE_RATE_LIMIT_KEY_PER_MINUTE || undefined,
    rateLimitKeyBurst: env.TENURE_RATE_LIMIT_KEY_BURST || undefined,
    rateLimitIpPerMinute: env.TENURE_RATE_LIMIT_IP_PER_MINUTE || undefined,
    rateLimitIpBurst: env.TENURE_RATE_LIMIT_IP_BURST || undefined,
    trustProxy: env.TENURE_TRUST_PROXY || undefined,
    smtpUrl: env.TENURE_SMTP_URL || undefined,
    smtpFrom: env.TENURE_SMTP_FROM || undefined,
    publicUrl: env.TENURE_PUBLIC_URL || undefined,
    authSecret: env.TENURE_AUTH_SECRET || undefined,
  };
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const names: Record<string, string> = {
      databaseUrl: "TENURE_DATABASE_URL",
      dataDir: "TENURE_DATA_DIR",
      port: "TENURE_PORT",
      host: "TENURE_HOST",
      reportingCurrency: "TENURE_REPORTING_CURRENCY",
      grossMargin: "TENURE_GROSS_MARGIN",
      logLevel: "TENURE_LOG_LEVEL",
      worker: "TENURE_WORKER",
      workerConcurrency: "TENURE_WORKER_CONCURRENCY",
      jobRetentionDays: "TENURE_JOB_RETENTION_DAYS",
      auditRetentionDays: "TENURE_AUDIT_RETENTION_DAYS",
      rateLimitKeyPerMinute: "TENURE_RATE_LIMIT_KEY_PER_MINUTE",
      rateLimitKeyBurst: "TENURE_RATE_LIMIT_KEY_BURST",
      rateLimitIpPerMinute: "TENURE_RATE_LIMIT_IP_PER_MINUTE",
      rateLimitIpBurst: "TENURE_RATE_LIMIT_IP_BURST",
      trustProxy: "TENURE_TRUST_PROXY",
      smtpUrl: "TENURE_SMTP_URL",
      smtpFrom: "TENURE_SMTP_FROM",
      publicUrl: "TENURE_PUBLIC_URL",
      authSecret: "TENURE_AUTH_SECRET",
    };
    const issues = parsed.error.issues.map(
      (i) => `${names[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`,
    );
    throw new TenureError("validation", `Invalid configuration. ${issues.join("; ")}`);
  }
  return parsed.data;
}
