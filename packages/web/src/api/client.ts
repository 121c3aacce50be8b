import { actingMemberHeader } from "../features/team/acting-member";

/** Error returned by the Tenure API (`{ error: { code, message } }`), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error's `details` (e.g. validation issues with their paths), when the server sent any. */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** True when `error` is an ApiError with the given HTTP status. */
export function isApiStatus(error: unknown, status: number): boolean {
  return error instanceof ApiError && error.status === status;
}

type QueryValue = string | number | undefined | null;

/** Appends the defined params to `path` as a query string. */
export function withQuery(path: string, params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown; issues?: unknown };
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toApiError(status: number, body: unknown): ApiError {
  const error = typeof body === "object" && body !== null ? (body as ErrorBody).error : undefined;
  const code = typeof error?.code === "string" ? error.code : `http_${status}`;
  const message = typeof error?.message === "string" ? error.message : `HTTP ${status}`;
  return new ApiError(status, code, message, error?.details ?? error?.issues);
}

/** Same-origin JSON request with the session cookie; throws ApiError on 4xx/5xx. */
export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? "GET",
      credentials: "same-origin",
      // The acting member (until sign-in exists) is recorded on notes, tasks and signal changes.
      headers:
        init.body === undefined
          ? { Accept: "application/json", ...actingMemberHeader() }
          : { Accept: "application/json", "Content-Type": "application/json", ...actingMemberHeader() },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch (cause) {
    throw new ApiError(0, "network", cause instanceof Error ? cause.message : String(cause));
  }
  const body = await readBody(response);
  if (!response.ok) throw toApiError(response.status, body);
  return body as T;
}
