import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { closeSmtpTransports } from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SmtpTestServer, startSmtpServer } from "../../services/src/deliveries/smtp-test-server";
import { createApp } from "../src/app";

const ADMIN = { email: "admin@example.com", name: "Ada", password: "admin password 1" };
const ORIGIN = "https://tenure.acme.example";
let dir: string;
let storage: Storage;
let smtp: SmtpTestServer;
let app: ReturnType<typeof createApp>;

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-identity-mail-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  smtp = await startSmtpServer();
  app = createApp({
    storage,
    config: {
      reportingCurrency: "USD",
      grossMargin: 1,
      smtpUrl: smtp.url,
      smtpFrom: "Tenure <tenure@acme.example>",
      publicUrl: ORIGIN,
    },
  });
});

afterAll(async () => {
  closeSmtpTransports();
  await smtp.close();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("invitations and resets by email (SMTP configured, behind HTTPS)", () => {
  it("should email the invitation link on the public URL and never return it, and set Secure cookies", async () => {
    expect((await post("/api/setup", ADMIN)).status).toBe(201);
    const signIn = await post("/api/auth/sign-in/email", { email: ADMIN.email, password: ADMIN.password });
    const setCookie = signIn.headers.get("set-cookie") ?? "";
    // TENURE_PUBLIC_URL is https: the cookie is Secure even though this request came in over http.
    expect(setCookie).toMatch(/^__Secure-tenure\.session_token=.*; Secure/i);
    const cookie = setCookie.split(";")[0] ?? "";

    const invited = await post(
      "/api/invitations",
      { email: "cy@example.com", role: "csm" },
      { cookie, origin: ORIGIN },
    );
    expect(invited.status).toBe(201);
    expect(await invited.json()).toMatchObject({ email: "cy@example.com", emailed: true, url: null });
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0];
    expect(mail?.to).toMatchObject({ text: "cy@example.com" });
    const link = /https:\/\/tenure\.acme\.example\/invite\/(tl_[\w-]+)/.exec(mail?.text ?? "");
    expect(link).not.toBeNull();
    const accepted = await post("/api/invitations/accept", {
      token: link?.[1],
      name: "Cy",
      password: "cy password 12",
    });
    expect(accepted.status).toBe(200);

    const cy = (await storage.users.findByEmail("cy@example.com"))?.id ?? "";
    const reset = await post(`/api/users/${cy}/password-reset`, {}, { cookie, origin: ORIGIN });
    expect(await reset.json()).toMatchObject({ link: { emailed: true, url: null } });
    expect(smtp.mails[1]?.text).toMatch(/https:\/\/tenure\.acme\.example\/reset-password\/tl_/);
  });
});
