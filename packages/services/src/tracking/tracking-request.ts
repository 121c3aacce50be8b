import type { TrackingCallType } from "@tenure/storage";
import { batchItemTexts } from "./batch-items";
import { parseTrackingMessage, type TrackingIssue, type TrackingMessage } from "./tracking-message";

/** The endpoint a body was sent to: a single call type, or a batch (/v1/batch, /v1/b). */
export type TrackingEndpoint = TrackingCallType | "batch";

/** A parsed request: every call when `issues` is empty; a request with an issue writes nothing. */
export interface ParsedTrackingRequest {
  messages: TrackingMessage[];
  issues: TrackingIssue[];
  /** `writeKey` from the body, which Segment accepts instead of the Basic auth user. */
  writeKey: string | null;
}

const MAX_ISSUES = 20;

/**
 * Validates the JSON body of a tracking request as the Segment HTTP API defines it. `text` is the
 * body as sent, when the caller has it: each call's size and content hash are then taken from it.
 */
export function parseTrackingRequest(
  body: unknown,
  endpoint: TrackingEndpoint,
  receivedAt: string,
  text?: string,
): ParsedTrackingRequest {
  const out: ParsedTrackingRequest = { messages: [], issues: [], writeKey: null };
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    out.issues.push({ path: "", field: "body", message: "the body must be a JSON object" });
    return out;
  }
  const record = body as Record<string, unknown>;
  if (typeof record.writeKey === "string") out.writeKey = record.writeKey;
  if (endpoint !== "batch") {
    const r = parseTrackingMessage(record, "", { type: endpoint, receivedAt, serialized: text });
    if (r.ok) out.messages.push(r.message);
    else out.issues.push(r.issue);
    return out;
  }
  const batch = record.batch;
  if (!Array.isArray(batch)) {
    out.issues.push({ path: "", field: "batch", message: "batch must be an array of calls" });
    return out;
  }
  const found = text === undefined ? null : batchItemTexts(text);
  const texts = found !== null && found.length === batch.length ? found : null;
  for (let i = 0; i < batch.length && out.issues.length < MAX_ISSUES; i++) {
    const r = parseTrackingMessage(batch[i], `batch[${i}]`, { receivedAt, serialized: texts?.[i] });
    if (r.ok) out.messages.push(r.message);
    else out.issues.push(r.issue);
  }
  return out;
}
