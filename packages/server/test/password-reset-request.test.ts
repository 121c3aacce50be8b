import { closeSmtpTransports } from "@tenure/services";
import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type SmtpTestServer, startSmtpServer } from "../../services/src/deliveries/smtp-test-server";
import { createApp } from "../src/app";
import { RESET_EMAIL_PER_WINDOW, RESET_IP_PER_MINUTE } from "../src/identity/sign-in-throttle";

/** Forgot password on the sign-in page: a reset link by email, the same answer for every email. */
const ORIGIN = "https://tenure.acme.example";
const ADMIN = { email: "admin@acme.example", name: "Ada", password: "admin password 1" };
const CY = { email: "cy@acme.example", name: "Cy", role: "csm", password: "cy password 12" };

describe.each(testDialects())("forgot password on %s", (dialect) => {
  let t: TestStorage;
  let smtp: SmtpTestServer;
  let app: ReturnType<typeof createApp>;
  let noSmtp: ReturnType<typeof createApp>;
  let ip = 0;

  const post = (target: ReturnType<typeof createApp>, url: string, body: unknown, from = `10.9.0.${++ip}`) =>
    target.request(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": from },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    t = await openTestStorage(dialect);
    smtp = await startSmtpServer();
    const config = { reportingCurrency: "USD", grossMargin: 1, publicUrl: ORIGIN };
    app = createApp({
      storage: t.storage,
      config: { ...config, smtpUrl: smtp.url, smtpFrom: "Tenure <tenure@acme.example>" },
    });
    noSmtp = createApp({ storage: t.storage, config });
    expect((await post(app, "/api/setup", ADMIN)).status).toBe(201);
    const key = (await t.storage.apiKeys.create("default", { name: "admin", kind: "admin" })).key;
    const created = await app.request("/api/users", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify(CY),
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    closeSmtpTransports();
    await smtp.close();
    await t.cleanup();
  });

  it("should email a working reset link to a user, and answer an unknown email exactly the same", async () => {
    const unknown = await post(app, "/api/password-resets/request", { email: "nobody@acme.example" });
    const known = await post(app, "/api/password-resets/request", { email: "CY@acme.example" });
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    const body = await known.json();
    expect(body).toEqual({ ok: true, byEmail: true });
    expect(await unknown.json()).toEqual(body);

    await vi.waitFor(() => expect(smtp.mails).toHaveLength(1), { timeout: 10_000 });
    const mail = smtp.mails[0];
    expect(mail?.to).toMatchObject({ text: CY.email });
    const token = /https:\/\/tenure\.acme\.example\/reset-password\/(tl_[\w-]+)/.exec(mail?.text ?? "")?.[1];
    expect(token).toBeDefined();
    const links = await t.storage.kysely
      .selectFrom("auth_links")
      .select("email")
      .where("kind", "=", "reset")
      .execute();
    expect(links.map((l) => l.email)).toEqual([CY.email]);

    const accepted = await post(app, "/api/password-resets/accept", { token, password: "a new password 3" });
    expect(accepted.status).toBe(200);
    const signIn = await post(app, "/api/auth/sign-in/email", {
      email: CY.email,
      password: "a new password 3",
    });
    expect(signIn.status).toBe(200);
    const reused = await post(app, "/api/password-resets/accept", { token, password: "another one 44" });
    expect(reused.status).toBe(404);
  });

  it("should limit requests per email and per address with 429 and Retry-After, whoever the email is", async () => {
    for (let i = 0; i < RESET_EMAIL_PER_WINDOW; i++)
      expect((await post(app, "/api/password-resets/request", { email: "ghost@acme.example" })).status).toBe(
        200,
      );
    const limited = await post(app, "/api/password-resets/request", { email: "Ghost@acme.example" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);

    const from = "10.8.0.1";
    for (let i = 0; i < RESET_IP_PER_MINUTE; i++)
      expect(
        (await post(app, "/api/password-resets/request", { email: `p${i}@x.example` }, from)).status,
      ).toBe(200);
    const byIp = await post(app, "/api/password-resets/request", { email: "last@x.example" }, from);
    expect(byIp.status).toBe(429);
    expect(byIp.headers.get("retry-after")).not.toBeNull();
  });

  it("should name the field of a malformed email, and say when this server sends no email", async () => {
    const bad = await post(app, "/api/password-resets/request", { email: "not an email" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/email/);
    const nul = await post(app, "/api/password-resets/request", { email: "a\u0000@b.example" });
    expect(nul.status).toBe(400);

    expect(await (await app.request("/api/sign-in/options")).json()).toEqual({
      sso: false,
      passwordResetByEmail: true,
    });
    expect(await (await noSmtp.request("/api/sign-in/options")).json()).toEqual({
      sso: false,
      passwordResetByEmail: false,
    });
    const mailsBefore = smtp.mails.length;
    const answer = await post(noSmtp, "/api/password-resets/request", { email: CY.email });
    expect(await answer.json()).toEqual({ ok: true, byEmail: false });
    expect(smtp.mails).toHaveLength(mailsBefore);
  });
});
