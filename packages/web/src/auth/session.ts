import { ApiError, apiFetch, isApiStatus } from "../api/client";
import type { Me } from "../api/types";

export const ME_QUERY_KEY = ["me"] as const;

/** What the app shows: the signed-in app, the sign-in page (with the demo button in demo mode), or first-run set-up. */
export type SessionState =
  | { kind: "signed-in"; me: Me }
  | { kind: "sign-in"; demo: boolean }
  | { kind: "setup" };

// After an explicit sign-out the demo session must not silently come back in this tab.
let demoAllowed = true;

/** Loads the session; in demo mode signs in as the demo admin once on 401 (until the user signs out). */
export async function loadSession(): Promise<SessionState> {
  try {
    return { kind: "signed-in", me: await apiFetch<Me>("/api/me") };
  } catch (error) {
    if (!isApiStatus(error, 401) && !isApiStatus(error, 403)) throw error;
  }
  const setup = await apiFetch<{ needed: boolean; demo: boolean }>("/api/setup");
  if (setup.needed) return { kind: "setup" };
  if (!setup.demo || !demoAllowed) return { kind: "sign-in", demo: setup.demo };
  try {
    await signInDemo();
    return { kind: "signed-in", me: await apiFetch<Me>("/api/me") };
  } catch (error) {
    if (error instanceof ApiError && error.status >= 400 && error.status < 500)
      return { kind: "sign-in", demo: true };
    throw error;
  }
}

/** Signs in with email and password (better-auth's route; the session cookie is HttpOnly). */
export async function signIn(email: string, password: string): Promise<void> {
  await apiFetch<unknown>("/api/auth/sign-in/email", { method: "POST", body: { email, password } });
  demoAllowed = true;
}

/** Demo mode only: one click signs in as the demo admin. */
export async function signInDemo(): Promise<void> {
  await apiFetch<unknown>("/api/auth/demo", { method: "POST", body: {} });
  demoAllowed = true;
}

/** Ends this session; the demo session is not re-opened automatically afterwards. */
export async function signOut(): Promise<void> {
  demoAllowed = false;
  try {
    await apiFetch<unknown>("/api/auth/sign-out", { method: "POST", body: {} });
  } catch {
    // The session may already be gone; signing out locally is what matters.
  }
}

/** Ends every session of this user, on every device. */
export async function signOutEverywhere(): Promise<void> {
  demoAllowed = false;
  await apiFetch<unknown>("/api/auth/revoke-sessions", { method: "POST", body: {} });
}

/** Works in another of the user's workspaces (remembered on the session). */
export async function switchWorkspace(id: string): Promise<void> {
  await apiFetch<unknown>(`/api/workspaces/${encodeURIComponent(id)}/switch`, { method: "POST", body: {} });
}
