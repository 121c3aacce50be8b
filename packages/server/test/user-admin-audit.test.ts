import {
  openTestStorage,
  refuseAuditWrites,
  type Storage,
  type TestStorage,
  testDialects,
} from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

/**
 * Issue 16 §5: user administration goes through better-auth, which writes through storage.kysely; that
 * joins the request's audited transaction, so each change and its audit row commit together, and a
 * failure of the audit write (the database refusing it, by a trigger) leaves neither.
 */
const WS = "default";
const ORIGIN = "http://localhost";
const ADMIN = { email: "root@example.com", name: "Root", password: "root password 1" };
const CSM = { email: "cat@example.com", name: "Cat", password: "cat password 1" };

describe.each(testDialects())("user administration audited in its transaction on %s", (dialect) => {
  let t: TestStorage;
  let storage: Storage;
  let app: ReturnType<typeof createApp>;
  let ip = 0;
  let admin = "";

  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": `10.1.0.${++ip}`, ...headers },
      body: JSON.stringify(body),
    });
  const asAdmin = (method: string, url: string, body?: unknown) =>
    app.request(url, {
      method,
      headers: { cookie: admin, origin: ORIGIN, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const signIn = async (email: string, password: string) => {
    const res = await post("/api/auth/sign-in/email", { email, password });
    return { status: res.status, cookie: (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "" };
  };
  const audit = async (action: string) => (await storage.audit.list(WS, { action })).entries;
  const userOf = async (email: string) => {
    const user = await storage.users.findByEmail(email);
    return user === null ? null : { ...user, membership: await storage.memberships.get(WS, user.id) };
  };

  beforeAll(async () => {
    t = await openTestStorage(dialect);
    storage = t.storage;
    app = createApp({ storage, config: { reportingCurrency: "USD", grossMargin: 1 } });
  });

  afterAll(async () => {
    await t.cleanup();
  });

  it("should write the first admin and the set-up's audit row together", async () => {
    const refused = await refuseAuditWrites(storage);
    try {
      expect((await post("/api/setup", ADMIN)).status).toBe(500);
    } finally {
      await refused();
    }
    // The user better-auth created and the membership are gone with the refused audit row.
    expect(await storage.users.count()).toBe(0);
    // The cookie-signing secret made on first use is not: it was stored outside that transaction.
    expect(await storage.instanceSettings.ensure("auth_secret", "probe")).not.toBe("probe");
    const res = await post("/api/setup", ADMIN);
    expect(res.status).toBe(201);
    const user = await userOf(ADMIN.email);
    expect(await audit("user.setup")).toMatchObject([
      {
        actor: { type: "user", id: user?.id, label: ADMIN.email },
        entityId: user?.id,
        after: { email: ADMIN.email, role: "admin" },
        requestId: res.headers.get("x-request-id"),
      },
    ]);
    const signedIn = await signIn(ADMIN.email, ADMIN.password);
    expect(signedIn.status).toBe(200);
    admin = signedIn.cookie;
  });

  it("should commit a user's creation and role change with their audit rows, before and after", async () => {
    const made = await asAdmin("POST", "/api/users", { ...CSM, role: "csm" });
    expect(made.status).toBe(201);
    const id = ((await made.json()) as { user: { id: string } }).user.id;
    expect(await audit("user.create")).toMatchObject([
      { entityId: id, actor: { label: ADMIN.email }, after: { email: CSM.email, role: "csm" } },
    ]);
    const changed = await asAdmin("PATCH", `/api/users/${id}`, { role: "manager" });
    expect(changed.status).toBe(200);
    expect(await audit("user.update")).toMatchObject([
      {
        entityId: id,
        before: { role: "csm" },
        after: { role: "manager" },
        requestId: changed.headers.get("x-request-id"),
      },
    ]);
    // Secrets never reach the audit log.
    expect(JSON.stringify(await storage.audit.list(WS))).not.toContain(CSM.password);
  });

  it("should leave no change and no audit row when the audit write fails after the change", async () => {
    const csmSession = await signIn(CSM.email, CSM.password);
    expect(csmSession.status).toBe(200);
    const before = await userOf(CSM.email);
    const rows = (await storage.audit.list(WS)).entries.length;
    const refused = await refuseAuditWrites(storage);
    try {
      expect((await asAdmin("PATCH", `/api/users/${before?.id}`, { role: "viewer" })).status).toBe(500);
      // Deactivation bans the user and deletes their sessions through better-auth: both rolled back.
      expect((await asAdmin("POST", `/api/users/${before?.id}/deactivate`)).status).toBe(500);
      expect(
        (await asAdmin("POST", `/api/users/${before?.id}/password-reset`, { password: "new password 1" }))
          .status,
      ).toBe(500);
      expect(
        (
          await asAdmin("POST", "/api/users", {
            email: "dan@example.com",
            name: "Dan",
            role: "viewer",
            password: "dan password 1",
          })
        ).status,
      ).toBe(500);
      expect(
        (await asAdmin("POST", "/api/invitations", { email: "eve@example.com", role: "csm" })).status,
      ).toBe(500);
    } finally {
      await refused();
    }
    expect(await userOf(CSM.email)).toEqual(before);
    expect(before?.banned).toBe(false);
    expect(before?.membership?.role).toBe("manager");
    // The session survived the rolled-back deactivation and password reset; the old password works.
    expect((await app.request("/api/me", { headers: { cookie: csmSession.cookie } })).status).toBe(200);
    expect(await storage.users.findByEmail("dan@example.com")).toBeNull();
    expect(await storage.authLinks.listPendingInvites(WS)).toEqual([]);
    expect((await storage.audit.list(WS)).entries).toHaveLength(rows);
    expect((await signIn(CSM.email, CSM.password)).status).toBe(200);
  });

  it("should commit a deactivation, a password reset and an accepted invitation with their audit rows", async () => {
    const csm = await userOf(CSM.email);
    const session = await signIn(CSM.email, CSM.password);
    expect((await asAdmin("POST", `/api/users/${csm?.id}/deactivate`)).status).toBe(200);
    expect((await app.request("/api/me", { headers: { cookie: session.cookie } })).status).toBe(401);
    expect(await audit("user.deactivate")).toMatchObject([
      { entityId: csm?.id, before: { banned: false }, after: { banned: true } },
    ]);
    expect((await asAdmin("POST", `/api/users/${csm?.id}/activate`)).status).toBe(200);
    const reset = await asAdmin("POST", `/api/users/${csm?.id}/password-reset`, {
      password: "new password 1",
    });
    expect(reset.status).toBe(200);
    expect(await audit("user.password_reset")).toMatchObject([{ entityId: csm?.id }]);
    expect((await signIn(CSM.email, "new password 1")).status).toBe(200);

    const invited = await asAdmin("POST", "/api/invitations", { email: "fay@example.com", role: "viewer" });
    expect(invited.status).toBe(201);
    const link = (await invited.json()) as { id: string; url: string };
    const token = link.url.split("/").at(-1) ?? "";
    // The invitation's audit row holds no link (the token would open it).
    expect(await audit("invitation.create")).toMatchObject([
      { entityId: link.id, after: { email: "fay@example.com", role: "viewer" } },
    ]);
    expect(JSON.stringify(await storage.audit.list(WS))).not.toContain(token);
    const accept = { token, name: "Fay", password: "fay password 1" };
    const refused = await refuseAuditWrites(storage);
    try {
      expect((await post("/api/invitations/accept", accept)).status).toBe(500);
    } finally {
      await refused();
    }
    // Nothing of the refused acceptance stays: no user, and the link still works once.
    expect(await storage.users.findByEmail("fay@example.com")).toBeNull();
    expect((await post("/api/invitations/accept", accept)).status).toBe(200);
    const fay = await storage.users.findByEmail("fay@example.com");
    expect(await audit("invitation.accept")).toMatchObject([
      { entityId: link.id, actor: { type: "user", id: fay?.id, label: "fay@example.com" } },
    ]);
    expect((await post("/api/invitations/accept", accept)).status).toBe(404);
  });
});
