import { ACCESS_SETTINGS_KEY, setAccessSettings } from "@tenure/services";
import {
  minimalAccount,
  openTestStorage,
  type Storage,
  type TestStorage,
  testDialects,
} from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app";

const WS = "default";
const ORIGIN = "http://localhost";
const ADMIN = { email: "admin@example.com", name: "Ada Admin", password: "correct horse 1" };
let t: TestStorage;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let ipCounter = 0;

/** Each test signs in from its own address, so the per-IP limit of one test never trips another. */
const freshIp = () => `10.0.0.${++ipCounter}`;

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

/** Signs in and returns the session cookie (`name=value`) and the whole Set-Cookie header. */
async function signIn(email: string, password: string, headers: Record<string, string> = {}) {
  const res = await post(
    "/api/auth/sign-in/email",
    { email, password },
    { "x-forwarded-for": freshIp(), ...headers },
  );
  const setCookie = res.headers.get("set-cookie") ?? "";
  return { res, setCookie, cookie: setCookie.split(";")[0] ?? "" };
}

const me = (cookie: string, headers: Record<string, string> = {}) =>
  app.request("/api/me", { headers: { cookie, ...headers } });

describe.each(testDialects())("sign-in, users and invitations on %s", (dialect) => {
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    storage = t.storage;
    app = createApp({ storage, config: { reportingCurrency: "USD", grossMargin: 1 } });
  });

  afterAll(async () => {
    await t.cleanup();
  });

  describe("first run", () => {
    it("should create the first admin through the set-up page only while no user exists", async () => {
      expect(await (await app.request("/api/setup")).json()).toEqual({ needed: true, demo: false });
      const short = await post("/api/setup", { ...ADMIN, password: "short" });
      expect(short.status).toBe(400);
      expect(JSON.stringify(await short.json())).toContain("password");
      const created = await post("/api/setup", { ...ADMIN, workspaceName: "Acme" });
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual({ email: ADMIN.email, workspaceId: WS });
      expect(await (await app.request("/api/setup")).json()).toEqual({ needed: false, demo: false });
      const again = await post("/api/setup", {
        email: "mallory@example.com",
        name: "M",
        password: "another pass 1",
      });
      expect(again.status).toBe(409);
      expect(await storage.users.count()).toBe(1);
    });
  });

  describe("sign-in and sessions", () => {
    it("should set an HttpOnly SameSite cookie that is no API key and works until sign-out", async () => {
      const { res, setCookie, cookie } = await signIn(ADMIN.email, ADMIN.password);
      expect(res.status).toBe(200);
      expect(setCookie).toMatch(/^tenure\.session_token=/);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
      expect(setCookie).not.toMatch(/Secure/i);
      const value = decodeURIComponent(cookie.split("=")[1] ?? "");
      expect(value).not.toMatch(/^tk_/);
      expect(await storage.apiKeys.verify(value)).toBeNull();
      const mine = await me(cookie);
      expect(mine.status).toBe(200);
      expect(await mine.json()).toMatchObject({
        user: { email: ADMIN.email, name: ADMIN.name },
        role: "admin",
        workspaces: [{ id: WS, name: "Acme", role: "admin" }],
        activeWorkspace: { id: WS, name: "Acme" },
      });
      // The cookie is no key: as a bearer token it opens nothing.
      const asKey = await app.request("/api/me", { headers: { authorization: `Bearer ${value}` } });
      expect(asKey.status).toBe(401);
      const out = await app.request("/api/auth/sign-out", {
        method: "POST",
        headers: { cookie, origin: ORIGIN },
      });
      expect(out.status).toBe(200);
      expect((await me(cookie)).status).toBe(401);
    });

    it("should mark the cookie Secure when the request came over HTTPS", async () => {
      const { res, setCookie } = await signIn(ADMIN.email, ADMIN.password, { "x-forwarded-proto": "https" });
      expect(res.status).toBe(200);
      expect(setCookie).toMatch(/^__Secure-tenure\.session_token=/);
      expect(setCookie).toMatch(/; Secure/i);
      expect(setCookie).toMatch(/HttpOnly/i);
    });

    it("should end every other session when signing out everywhere", async () => {
      const a = await signIn(ADMIN.email, ADMIN.password);
      const b = await signIn(ADMIN.email, ADMIN.password);
      expect((await me(b.cookie)).status).toBe(200);
      const all = await app.request("/api/auth/revoke-sessions", {
        method: "POST",
        headers: { cookie: a.cookie, origin: ORIGIN, "content-type": "application/json" },
        body: "{}",
      });
      expect(all.status).toBe(200);
      expect((await me(b.cookie)).status).toBe(401);
      expect((await me(a.cookie)).status).toBe(401);
    });

    it("should read a session in one query of its own, and leave expiry and the sliding refresh to better-auth", async () => {
      const { cookie } = await signIn(ADMIN.email, ADMIN.password);
      const token = decodeURIComponent(cookie.slice(cookie.indexOf("=") + 1)).split(".")[0] ?? "";
      const expiry = async () => {
        const row = await storage.kysely
          .selectFrom("auth_sessions")
          .select("expires_at")
          .where("token", "=", token)
          .executeTakeFirst();
        return row === undefined ? null : new Date(row.expires_at as string | Date).getTime();
      };
      const setExpiry = (ms: number) =>
        storage.kysely
          .updateTable("auth_sessions")
          .set({ expires_at: new Date(ms).toISOString() })
          .where("token", "=", token)
          .execute();
      const reads = vi.spyOn(storage.users, "sessionByToken");
      const memberships = vi.spyOn(storage.memberships, "listForUser");
      try {
        // A fresh session: one read, the memberships with it (/api/me would list them itself).
        const page = (c: string) => app.request("/api/accounts?limit=1", { headers: { cookie: c } });
        expect((await page(cookie)).status).toBe(200);
        expect(reads).toHaveBeenCalledTimes(1);
        expect(memberships).not.toHaveBeenCalled();
        // A cookie whose signature is wrong is no session (nothing read).
        // (The signature's first character: its last one before the padding carries bits a decoder drops.)
        const [name = "", value = ""] = [
          cookie.slice(0, cookie.indexOf("=")),
          cookie.slice(cookie.indexOf("=") + 1),
        ];
        const signed = decodeURIComponent(value);
        const dot = signed.lastIndexOf(".");
        const flipped = signed[dot + 1] === "A" ? "B" : "A";
        const forged = `${name}=${encodeURIComponent(`${signed.slice(0, dot + 1)}${flipped}${signed.slice(dot + 2)}`)}`;
        expect(forged).not.toBe(cookie);
        expect((await page(forged)).status).toBe(401);
        expect(reads).toHaveBeenCalledTimes(1);
        // Not yet due for refresh (a day of its seven used): the expiry stays as it is.
        const day = 86_400_000;
        await setExpiry(Date.now() + 6 * day - 60_000 + 2 * 60_000);
        const before = await expiry();
        expect((await me(cookie)).status).toBe(200);
        expect(await expiry()).toBe(before);
        // Due (more than a day used): better-auth pushes the expiry back to seven days from now.
        await setExpiry(Date.now() + 5 * day);
        expect((await me(cookie)).status).toBe(200);
        expect((await expiry()) ?? 0).toBeGreaterThan(Date.now() + 7 * day - 60_000);
        // Expired: refused, and better-auth deletes the session.
        await setExpiry(Date.now() - 60_000);
        expect((await me(cookie)).status).toBe(401);
        expect(await expiry()).toBeNull();
      } finally {
        reads.mockRestore();
        memberships.mockRestore();
      }
    });

    it("should lock an email after 5 failed sign-ins and answer 429 with Retry-After, even to the right password", async () => {
      const user = { email: "locky@example.com", name: "Locky", password: "the right one 1" };
      const admin = await signIn(ADMIN.email, ADMIN.password);
      const made = await post(
        "/api/users",
        { ...user, role: "viewer" },
        { cookie: admin.cookie, origin: ORIGIN },
      );
      expect(made.status).toBe(201);
      for (let i = 0; i < 5; i++)
        expect((await signIn(user.email, `wrong password ${i}`)).res.status).toBe(401);
      const locked = await signIn(user.email, user.password);
      expect(locked.res.status).toBe(429);
      const retryAfter = Number(locked.res.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(14 * 60);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(((await locked.res.json()) as { error: { message: string } }).error.message).toMatch(/locked/);
      // Another account is not affected.
      expect((await signIn(ADMIN.email, ADMIN.password)).res.status).toBe(200);
    });

    it("should answer a sign-in body no database could store with a 400 naming the field, recording nothing (fuzz found a 500 for a NUL email on PostgreSQL)", async () => {
      const attempts = async () =>
        (
          await storage.kysely
            .selectFrom("sign_in_attempts")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n;
      const before = Number(await attempts());
      const nul = await signIn("\u0000", " ");
      expect(nul.res.status).toBe(400);
      expect(((await nul.res.json()) as { error: { message: string } }).error.message).toMatch(/email/);
      const shape = await post(
        "/api/auth/sign-in/email",
        { email: 5, password: "x" },
        { "x-forwarded-for": freshIp() },
      );
      expect(shape.status).toBe(400);
      expect(((await shape.json()) as { error: { message: string } }).error.message).toMatch(
        /^Invalid json: email: /,
      );
      const broken = await app.request("/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": freshIp() },
        body: "{",
      });
      expect(broken.status).toBe(400);
      expect(Number(await attempts())).toBe(before);
    });

    it("should limit sign-in attempts per IP address to 20 a minute", async () => {
      const ip = freshIp();
      for (let i = 0; i < 20; i++) {
        const r = await signIn(`nobody${i}@example.com`, "whatever pass", { "x-forwarded-for": ip });
        expect(r.res.status).toBe(401);
      }
      const limited = await signIn(ADMIN.email, ADMIN.password, { "x-forwarded-for": ip });
      expect(limited.res.status).toBe(429);
      expect(Number(limited.res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await signIn(ADMIN.email, ADMIN.password)).res.status).toBe(200);
    });
  });

  describe("CSRF", () => {
    it("should refuse a cookie-authenticated change from another origin or with no origin, and allow our own", async () => {
      const { cookie } = await signIn(ADMIN.email, ADMIN.password);
      const body = { email: "csrf@example.com", role: "viewer" };
      const evil = await post("/api/invitations", body, { cookie, origin: "https://evil.example" });
      expect(evil.status).toBe(403);
      expect(((await evil.json()) as { error: { message: string } }).error.message).toMatch(/Cross-site/);
      expect(
        (await post("/api/invitations", body, { cookie, referer: "https://evil.example/page" })).status,
      ).toBe(403);
      expect((await post("/api/invitations", body, { cookie })).status).toBe(403);
      expect(
        (await post("/api/invitations", body, { cookie, referer: `${ORIGIN}/settings/users` })).status,
      ).toBe(201);
    });
  });

  describe("CSRF on better-auth's routes", () => {
    it("should refuse a cross-origin sign-out with the cookie and keep the session", async () => {
      const { cookie } = await signIn(ADMIN.email, ADMIN.password);
      const evil = await app.request("/api/auth/sign-out", {
        method: "POST",
        headers: { cookie, origin: "https://evil.example", "content-type": "application/json" },
        body: "{}",
      });
      expect(evil.status).toBe(403);
      expect((await me(cookie)).status).toBe(200);
    });
  });

  describe("users and invitations", () => {
    it("should invite a CSM who accepts once, signs in and works as a CSM of their team member's book", async () => {
      await storage.team.upsertMembers(WS, [
        {
          id: "csm-cy",
          name: "Cy",
          email: "cy@example.com",
          teamId: null,
          role: "CSM",
          capacity: null,
          active: true,
          deactivatedAt: null,
          successorId: null,
        },
      ]);
      const admin = await signIn(ADMIN.email, ADMIN.password);
      const invited = await post(
        "/api/invitations",
        { email: "Cy@Example.com", role: "csm", memberId: "csm-cy" },
        { cookie: admin.cookie, origin: ORIGIN },
      );
      expect(invited.status).toBe(201);
      const link = (await invited.json()) as { url: string; emailed: boolean; email: string };
      expect(link).toMatchObject({ emailed: false, email: "cy@example.com" });
      const token = link.url.split("/invite/")[1] ?? "";
      expect(token).toMatch(/^tl_/);
      const listed = await app.request("/api/users", { headers: { cookie: admin.cookie } });
      expect(
        ((await listed.json()) as { invitations: { email: string }[] }).invitations.map((i) => i.email),
      ).toContain("cy@example.com");

      expect(await (await post("/api/invitations/lookup", { token })).json()).toMatchObject({
        email: "cy@example.com",
        role: "csm",
        workspaceName: "Acme",
      });
      const weak = await post("/api/invitations/accept", { token, name: "Cy", password: "short" });
      expect(weak.status).toBe(400);
      const accepted = await post("/api/invitations/accept", {
        token,
        name: "Cy",
        password: "cy's password 1",
      });
      expect(accepted.status).toBe(200);
      expect(
        (await post("/api/invitations/accept", { token, name: "Cy", password: "cy's password 1" })).status,
      ).toBe(404);

      const cy = await signIn("cy@example.com", "cy's password 1");
      expect(cy.res.status).toBe(200);
      expect(await (await me(cy.cookie)).json()).toMatchObject({ role: "csm", memberId: "csm-cy" });
      expect((await app.request("/api/users", { headers: { cookie: cy.cookie } })).status).toBe(403);
    });

    it("should apply the access setting read with a CSM's session: others' account pages refused while off, without reading the setting again", async () => {
      await storage.accounts.upsertMany(WS, [
        { ...minimalAccount("cy-own"), name: "Cy's Own Co" },
        { ...minimalAccount("not-cy"), name: "Somebody Else's Co" },
      ]);
      await storage.team.assignAccounts(WS, ["cy-own"], { ownerId: "csm-cy", ownerName: "Cy", teamId: null });
      const cy = await signIn("cy@example.com", "cy's password 1");
      const page = (id: string) =>
        app.request(`/api/accounts/${id}/overview`, { headers: { cookie: cy.cookie } });
      expect((await page("not-cy")).status).toBe(200);
      const reads = vi.spyOn(storage.workspaceSettings, "get");
      try {
        await setAccessSettings(storage, WS, { csmReadsAllAccounts: false });
        const theirs = await page("not-cy");
        expect(theirs.status).toBe(403);
        expect(await theirs.text()).not.toContain("Somebody Else");
        expect((await page("cy-own")).status).toBe(200);
        expect(reads.mock.calls.filter((c) => c[1] === ACCESS_SETTINGS_KEY)).toEqual([]);
      } finally {
        reads.mockRestore();
        await setAccessSettings(storage, WS, { csmReadsAllAccounts: true });
      }
      expect((await page("not-cy")).status).toBe(200);
    });

    it("should change a role, reset a password by link and deactivate a user (sessions end, sign-in refused)", async () => {
      const admin = await signIn(ADMIN.email, ADMIN.password);
      const h = { cookie: admin.cookie, origin: ORIGIN };
      const made = await post(
        "/api/users",
        { email: "dee@example.com", name: "Dee", role: "viewer", password: "dee password 1" },
        h,
      );
      const dee = ((await made.json()) as { user: { id: string } }).user;
      const patched = await app.request(`/api/users/${dee.id}`, {
        method: "PATCH",
        headers: { ...h, "content-type": "application/json" },
        body: JSON.stringify({ role: "manager" }),
      });
      expect(await patched.json()).toMatchObject({ role: "manager", active: true });

      const reset = await post(`/api/users/${dee.id}/password-reset`, {}, h);
      const { link } = (await reset.json()) as { link: { url: string } };
      const token = link.url.split("/reset-password/")[1] ?? "";
      expect((await post("/api/password-resets/accept", { token, password: "dee's new one 1" })).status).toBe(
        200,
      );
      expect((await signIn("dee@example.com", "dee password 1")).res.status).toBe(401);
      const session = await signIn("dee@example.com", "dee's new one 1");
      expect(session.res.status).toBe(200);

      const off = await post(`/api/users/${dee.id}/deactivate`, {}, h);
      expect(await off.json()).toMatchObject({ active: false });
      expect((await me(session.cookie)).status).toBe(401);
      expect((await signIn("dee@example.com", "dee's new one 1")).res.status).not.toBe(200);
      expect(
        (await post(`/api/users/${(await storage.users.findByEmail(ADMIN.email))?.id}/deactivate`, {}, h))
          .status,
      ).toBe(400);
    });

    it("should switch workspace only to one the user belongs to", async () => {
      await storage.workspaces.ensure("ws-two", "Second");
      await storage.workspaces.ensure("ws-other", "Other");
      const admin = await storage.users.findByEmail(ADMIN.email);
      await storage.memberships.put("ws-two", admin?.id ?? "", { role: "viewer" });
      const { cookie } = await signIn(ADMIN.email, ADMIN.password);
      expect(await (await me(cookie, { "x-tenure-workspace": "ws-two" })).json()).toMatchObject({
        role: "viewer",
        workspaceId: "ws-two",
      });
      expect((await me(cookie, { "x-tenure-workspace": "ws-other" })).status).toBe(403);
      expect((await post("/api/workspaces/ws-other/switch", {}, { cookie, origin: ORIGIN })).status).toBe(
        403,
      );
      expect((await post("/api/workspaces/ws-two/switch", {}, { cookie, origin: ORIGIN })).status).toBe(200);
      const now = (await (await me(cookie)).json()) as {
        activeWorkspace: { id: string };
        workspaces: unknown[];
      };
      expect(now.activeWorkspace.id).toBe("ws-two");
      expect(now.workspaces).toHaveLength(2);
    });
  });

  describe("demo sign-in", () => {
    it("should be a 404 outside demo mode", async () => {
      const res = await app.request("/api/auth/demo", { method: "POST", headers: { origin: ORIGIN } });
      expect(res.status).toBe(404);
      expect(res.headers.get("set-cookie")).toBeNull();
    });
  });
});
