import pino, { type DestinationStream, type Logger } from "pino";

/**
 * Fields no log line may hold in clear, wherever a caller puts them: headers that carry keys and
 * sessions, and body fields that carry secrets. A line that logs one shows `[redacted]`.
 */
const SECRET_FIELDS = [
  "authorization",
  "cookie",
  '"set-cookie"',
  "password",
  "newPassword",
  "currentPassword",
  "key",
  "apiKey",
  "writeKey",
  "token",
  "accessToken",
  "refreshToken",
  "idToken",
  "secret",
  "clientSecret",
  "sessionToken",
];

/** pino `redact` paths: each secret field at the top level and up to three objects deep. */
export const LOG_REDACT_PATHS: string[] = SECRET_FIELDS.flatMap((f) => {
  const at = f.startsWith('"') ? `[${f}]` : `.${f}`;
  return [f.startsWith('"') ? `[${f}]` : f, `*${at}`, `*.*${at}`, `*.*.*${at}`];
});

/**
 * Secrets inside free text (an error's message or stack, e.g. a driver quoting a connection URL):
 * API keys (`tk_…`), bearer and basic credentials, and the password of a URL.
 */
const SECRET_TEXT: [RegExp, string][] = [
  [/\btk_[A-Za-z0-9_-]{8,}/g, "tk_[redacted]"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 [redacted]"],
  [/(\w+:\/\/[^:/\s@]+:)[^@\s/]+@/g, "$1[redacted]@"],
];

/** `text` with the secrets it quotes replaced. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_TEXT) out = out.replace(pattern, replacement);
  return out;
}

/** pino's error serializer, with secrets scrubbed from the message and stack. */
function scrubbedError(err: unknown) {
  const serialized = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  for (const field of ["message", "stack"]) {
    const v = serialized[field];
    if (typeof v === "string") serialized[field] = scrubSecrets(v);
  }
  return serialized;
}

/**
 * The server's and worker's logger: JSON lines with keys, passwords, cookies and tokens redacted by
 * field name (LOG_REDACT_PATHS) and scrubbed from error text (scrubSecrets).
 * @example createLogger({ level: "info" }, pino.destination("/var/log/tenure.log"))
 */
export function createLogger(opts: { level: string }, destination?: DestinationStream): Logger {
  const options = {
    level: opts.level,
    redact: { paths: LOG_REDACT_PATHS, censor: "[redacted]" },
    serializers: { err: scrubbedError, error: scrubbedError },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
