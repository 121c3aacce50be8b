import { ApiError, apiFetch, isApiStatus } from "../api/client";
import type { Me } from "../api/types";

export const ME_QUERY_KEY = ["me"] as const;

// After an explicit sign-out the demo session must not silently come back in this tab.
let demoAllowed = true;

/** Loads the signed-in workspace; tries the demo session once on 401. Null means "show sign-in". */
export async function loadSession(): Promise<Me | null> {
  try {
    return await apiFetch<Me>("/api/me");
  } catch (error) {
    if (!isApiStatus(error, 401)) throw error;
  }
  if (!demoAllowed) return null;
  try {
    await apiFetch<unknown>("/api/auth/demo", { method: "POST" });
  } catch (error) {
    // 404 means the server is not in demo mode; any other 4xx is treated the same way.
    if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
      return null;
    }
    throw error;
  }
  try {
    return await apiFetch<Me>("/api/me");
  } catch (error) {
    if (isApiStatus(error, 401)) return null;
    throw error;
  }
}

/** Exchanges an API key for a session cookie. */
export async function signIn(key: string): Promise<void> {
  await apiFetch<unknown>("/api/auth/login", { method: "POST", body: { key } });
  demoAllowed = true;
}

/** Ends the session; the demo session is not re-opened automatically afterwards. */
export async function signOut(): Promise<void> {
  demoAllowed = false;
  try {
    await apiFetch<unknown>("/api/auth/logout", { method: "POST" });
  } catch {
    // The cookie may already be gone; signing out locally is what matters.
  }
}
