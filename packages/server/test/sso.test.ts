import { Writable } from "node:stream";
import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { ssoRedirectUri } from "../src/identity/sso-settings";
import { createLogger } from "../src/logger";
import { type IdpAccount, type LoopbackIdp, startLoopbackIdp } from "./support/oidc-provider";

/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider on 127.0.0.1): the whole
 * authorization-code flow, redirect by redirect, as a browser would follow it.
 */
const WS = "default";
const PUBLIC_URL = "http://tenure.test";
const ADMIN = { email: "admin@acme.test", name: "Ada", password: "admin password 1" };

/** The cookies one browser keeps for one site. */
class Jar {
  private readonly cookies = new Map<string, string>();
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  has(name: string): boolean {
    return [...this.cookies.keys()].some((k) => k.endsWith(name));
  }
}

describe.each(testDialects())("SSO by OpenID Connect on %s", (dialect) => {
  let t: TestStorage;
  let app: ReturnType<typeof createApp>;
  let idp: LoopbackIdp;
  let key: string;
  let ip = 0;
  // Every line the server logs during the file, at debug level.
  const log: string[] = [];

  const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${key}`,
        "x-forwarded-for": `10.1.0.${++ip}`,
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  /**
   * A browser signing in by SSO: the sign-in page's POST, then every redirect between Tenure and the
   * provider, until it lands on a page of Tenure. Returns where it landed, its Tenure cookies, and the
   * provider's return to Tenure (the callback URL) with the cookies it was sent with.
   */
  async function ssoSignIn(email: string, as: IdpAccount) {
    const jar = new Jar();
    const idpJar = new Jar();
    idp.signInAs(as);
    const start = await app.request("/api/auth/sign-in/sso", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: PUBLIC_URL,
        "x-forwarded-for": `10.2.0.${++ip}`,
      },
      body: JSON.stringify({ email, callbackURL: "/", errorCallbackURL: "/sign-in" }),
    });
    expect(start.status, await start.clone().text()).toBe(200);
    jar.store(start);
    let next = new URL(((await start.json()) as { url: string }).url);
    let callback: { url: string; cookie: string } | null = null;
    for (let hop = 0; hop < 12; hop++) {
      let res: Response;
      if (next.origin === PUBLIC_URL) {
        if (!next.pathname.startsWith("/api/")) return { landed: next, jar, callback };
        if (next.pathname.startsWith("/api/auth/sso/callback/"))
          callback = { url: next.pathname + next.search, cookie: jar.header() };
        res = await app.request(next.pathname + next.search, { headers: { cookie: jar.header() } });
        jar.store(res);
      } else {
        res = await fetch(next, { redirect: "manual", headers: { cookie: idpJar.header() } });
        idpJar.store(res);
      }
      const location = res.headers.get("location");
      if (location === null) throw new Error(`${next} answered ${res.status}: ${await res.text()}`);
      next = new URL(location, next.origin === PUBLIC_URL ? PUBLIC_URL : next);
    }
    throw new Error("too many redirects");
  }

  const meOf = async (jar: Jar) => {
    const res = await app.request("/api/me", { headers: { cookie: jar.header() } });
    return { status: res.status, body: (await res.json()) as { role?: string; user?: { email: string } } };
  };

  beforeAll(async () => {
    t = await openTestStorage(dialect);
    idp = await startLoopbackIdp([ssoRedirectUri(PUBLIC_URL, WS)]);
    app = createApp({
      storage: t.storage,
      config: { reportingCurrency: "USD", grossMargin: 1, publicUrl: PUBLIC_URL },
      logger: createLogger(
        { level: "debug" },
        new Writable({
          write(chunk, _enc, done) {
            log.push(String(chunk));
            done();
          },
        }),
      ),
    });
    const setup = await app.request("/api/setup", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(ADMIN),
    });
    expect(setup.status).toBe(201);
    key = (await t.storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  }, 60_000);

  afterAll(async () => {
    await idp.close();
    await t.cleanup();
  });

  it("should store the provider with its discovered endpoints and never show or log the client secret", async () => {
    const before = await api("GET", "/api/settings/sso");
    expect(await before.json()).toEqual({ provider: null, redirectUri: ssoRedirectUri(PUBLIC_URL, WS) });
    const noSecret = await api("PUT", "/api/settings/sso", {
      issuer: idp.issuer,
      clientId: idp.clientId,
      domains: ["acme.test"],
    });
    expect(noSecret.status).toBe(400);
    expect(((await noSecret.json()) as { error: { message: string } }).error.message).toMatch(
      /^clientSecret:/,
    );
    const wrongIssuer = await api("PUT", "/api/settings/sso", {
      issuer: `${idp.issuer}/nowhere`,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      domains: ["acme.test"],
    });
    expect(wrongIssuer.status).toBe(400);
    expect(((await wrongIssuer.json()) as { error: { message: string } }).error.message).toMatch(/^issuer:/);

    const saved = await api("PUT", "/api/settings/sso", {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      domains: ["ACME.test", "@acme.test"],
      defaultRole: null,
    });
    const savedText = await saved.text();
    expect(saved.status, savedText).toBe(200);
    expect(savedText).not.toContain(idp.clientSecret);
    expect(JSON.parse(savedText)).toMatchObject({
      provider: { issuer: idp.issuer, clientId: idp.clientId, clientSecretSet: true, domains: ["acme.test"] },
    });
    const read = await (await api("GET", "/api/settings/sso")).text();
    expect(read).not.toContain(idp.clientSecret);
    expect(JSON.parse(read)).toMatchObject({ provider: { clientSecretSet: true, defaultRole: null } });
    const audit = await (await api("GET", "/api/audit?action=setting.sso.update")).text();
    expect(audit).toContain("setting.sso.update");
    expect(audit).not.toContain(idp.clientSecret);
  });

  it("should sign an invited person in by SSO with the invitation's role, and spend the invitation", async () => {
    const invited = await api("POST", "/api/invitations", { email: "cy@acme.test", role: "csm" });
    expect(invited.status).toBe(201);
    const { landed, jar } = await ssoSignIn("cy@acme.test", {
      sub: "cy-1",
      email: "cy@acme.test",
      name: "Cy Sso",
    });
    expect(landed.pathname + landed.search).toBe("/");
    expect(await meOf(jar)).toMatchObject({
      status: 200,
      body: { role: "csm", user: { email: "cy@acme.test" } },
    });
    const users = (await (await api("GET", "/api/users")).json()) as {
      users: { email: string; role: string }[];
      invitations: unknown[];
    };
    expect(users.users).toContainEqual(expect.objectContaining({ email: "cy@acme.test", role: "csm" }));
    expect(users.invitations).toEqual([]);
  });

  it("should link a person an admin created with a password to that same user", async () => {
    const created = await api("POST", "/api/users", {
      email: "vi@acme.test",
      name: "Vi",
      role: "viewer",
      password: "vi password 12",
    });
    const userId = ((await created.json()) as { user: { id: string } }).user.id;
    const { landed, jar } = await ssoSignIn("vi@acme.test", {
      sub: "vi-1",
      email: "vi@acme.test",
      name: "Vi",
    });
    expect(landed.pathname).toBe("/");
    expect(await meOf(jar)).toMatchObject({ body: { role: "viewer", user: { email: "vi@acme.test" } } });
    expect((await t.storage.users.findByEmail("vi@acme.test"))?.id).toBe(userId);
    // The second time, through the account now linked.
    const again = await ssoSignIn("vi@acme.test", { sub: "vi-1", email: "vi@acme.test", name: "Vi" });
    expect(await meOf(again.jar)).toMatchObject({ body: { role: "viewer" } });
  });

  it("should refuse an unknown email with a clear message, then give the configured role once one is set", async () => {
    const refused = await ssoSignIn("newbie@acme.test", {
      sub: "nb-1",
      email: "newbie@acme.test",
      name: "Nb",
    });
    expect(refused.landed.pathname).toBe("/sign-in");
    expect(refused.landed.searchParams.get("error")).toBe("sso_not_invited");
    expect(refused.landed.searchParams.get("error_description")).toMatch(/ask an admin to invite you/);
    expect(refused.jar.has("session_token")).toBe(false);
    expect(await t.storage.users.findByEmail("newbie@acme.test")).toBeNull();

    // The secret is kept when left out.
    const withRole = await api("PUT", "/api/settings/sso", {
      issuer: idp.issuer,
      clientId: idp.clientId,
      domains: ["acme.test"],
      defaultRole: "viewer",
    });
    expect(withRole.status).toBe(200);
    const admitted = await ssoSignIn("newbie@acme.test", {
      sub: "nb-1",
      email: "newbie@acme.test",
      name: "Nb",
    });
    expect(admitted.landed.pathname).toBe("/");
    expect(await meOf(admitted.jar)).toMatchObject({
      body: { role: "viewer", user: { email: "newbie@acme.test" } },
    });
    const reset = await api("PUT", "/api/settings/sso", {
      issuer: idp.issuer,
      clientId: idp.clientId,
      domains: ["acme.test"],
      defaultRole: null,
    });
    expect(reset.status).toBe(200);
  });

  it("should refuse a domain the provider does not serve, typed or asserted by the provider", async () => {
    const typed = await app.request("/api/auth/sign-in/sso", {
      method: "POST",
      headers: { "content-type": "application/json", origin: PUBLIC_URL, "x-forwarded-for": "10.3.0.1" },
      body: JSON.stringify({ email: "someone@other.test", callbackURL: "/" }),
    });
    expect(typed.status).toBe(404);
    // The person typed an acme.test address, but the provider vouches for another domain.
    const asserted = await ssoSignIn("cy@acme.test", { sub: "eve-1", email: "eve@evil.test", name: "Eve" });
    expect(asserted.landed.searchParams.get("error")).toBe("sso_wrong_domain");
    expect(asserted.jar.has("session_token")).toBe(false);
    expect(await t.storage.users.findByEmail("eve@evil.test")).toBeNull();
  });

  it("should not sign in twice with one provider answer (state and code are single-use)", async () => {
    const first = await ssoSignIn("cy@acme.test", { sub: "cy-1", email: "cy@acme.test", name: "Cy" });
    expect(first.landed.pathname).toBe("/");
    const callback = first.callback;
    expect(callback).not.toBeNull();
    const replay = await app.request(callback?.url ?? "", { headers: { cookie: callback?.cookie ?? "" } });
    expect(replay.status).toBe(302);
    // better-auth spent the state when the first return used it.
    expect(replay.headers.get("location")).toMatch(/^\/sign-in\?error=state_/);
    expect(replay.headers.getSetCookie().some((c) => /session_token=[^;]/.test(c))).toBe(false);
  });

  it("should refuse a user who also belongs to another workspace (this provider cannot vouch for it)", async () => {
    await t.storage.workspaces.ensure("other", "Other");
    const vi = await t.storage.users.findByEmail("vi@acme.test");
    await t.storage.memberships.put("other", vi?.id ?? "", { role: "admin" });
    const refused = await ssoSignIn("vi@acme.test", { sub: "vi-1", email: "vi@acme.test", name: "Vi" });
    expect(refused.landed.searchParams.get("error")).toBe("sso_other_workspace");
    expect(refused.jar.has("session_token")).toBe(false);
    await t.storage.memberships.remove("other", vi?.id ?? "");
  });

  it("should serve only the sign-in and return paths of the SSO plugin, and land only on this server", async () => {
    const register = await app.request("/api/auth/sso/register", {
      method: "POST",
      headers: { "content-type": "application/json", origin: PUBLIC_URL },
      body: JSON.stringify({ providerId: "x", issuer: idp.issuer, domain: "acme.test" }),
    });
    expect(register.status).toBe(404);
    const offsite = await app.request("/api/auth/sign-in/sso", {
      method: "POST",
      headers: { "content-type": "application/json", origin: PUBLIC_URL, "x-forwarded-for": "10.3.0.2" },
      body: JSON.stringify({ email: "cy@acme.test", callbackURL: "//evil.test/" }),
    });
    expect(offsite.status).toBe(400);
    expect(((await offsite.json()) as { error: { message: string } }).error.message).toContain("callbackURL");
  });

  it("should never log the client secret, whatever the requests above did", () => {
    expect(log.length).toBeGreaterThan(20);
    expect(log.join("")).not.toContain(idp.clientSecret);
  });

  it("should turn SSO off for the workspace", async () => {
    expect((await api("DELETE", "/api/settings/sso")).status).toBe(200);
    expect(await (await api("GET", "/api/settings/sso")).json()).toMatchObject({ provider: null });
    expect((await api("DELETE", "/api/settings/sso")).status).toBe(404);
  });
});
