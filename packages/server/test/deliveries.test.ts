import { closeSmtpTransports, type LoopbackReceiver, startLoopbackReceiver } from "@tenure/services";
import { minimalAccount, openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SmtpTestServer, startSmtpServer } from "../../services/src/deliveries/smtp-test-server";
import { createApp } from "../src/app";

const WS = "default";

describe.each(testDialects())("delivery routes on %s", (dialect) => {
  let t: TestStorage;
  let app: ReturnType<typeof createApp>;
  let key: string;
  let rx: LoopbackReceiver;
  let smtp: SmtpTestServer;

  beforeAll(async () => {
    t = await openTestStorage(dialect);
    rx = await startLoopbackReceiver();
    smtp = await startSmtpServer();
    key = (await t.storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
    await t.storage.accounts.upsertMany(WS, [{ ...minimalAccount("acc-1"), name: "Acme", owner: "Mei" }]);
    await t.storage.contacts.upsertMany(WS, [
      {
        id: "ct-1",
        accountId: "acc-1",
        name: "Ana",
        email: "ana@acme.example",
        role: null,
        title: null,
        lastTouchAt: null,
        leftAt: null,
      },
    ]);
    app = createApp({
      storage: t.storage,
      config: { reportingCurrency: "USD", grossMargin: 1, smtpUrl: smtp.url, smtpFrom: "cs@tenure.example" },
    });
  });
  afterAll(async () => {
    closeSmtpTransports();
    await smtp.close();
    await rx.close();
    await t.cleanup();
  });

  const call = async (method: string, url: string, body?: unknown) => {
    const res = await app.request(url, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text === "" ? null : JSON.parse(text)) as Record<string, unknown> };
  };

  it("should refuse a template with an unknown variable, naming it and its line, and save nothing", async () => {
    const bad = await call("POST", "/api/deliveries/templates", {
      name: "renewal",
      locale: "en",
      subject: "{{account.name}}",
      body: "Hi {{contact.name}}\n{{account.secretField}}",
    });
    expect(bad.status).toBe(400);
    expect((bad.body.error as { message: string }).message).toBe(
      'body: line 2: unknown variable "account.secretField" (see the documented variables)',
    );
    const syntax = await call("POST", "/api/deliveries/templates", {
      name: "x",
      locale: "en",
      subject: "s",
      body: "a\n{{#account.name}}",
    });
    expect(syntax.status).toBe(400);
    expect((syntax.body.error as { message: string }).message).toMatch(
      /^body: invalid template syntax on line 2/,
    );
    expect((await call("GET", "/api/deliveries/templates")).body).toEqual({ templates: [] });
  });

  it("should save, preview with a real account, refuse a duplicate name and delete a template", async () => {
    const created = await call("POST", "/api/deliveries/templates", {
      name: "renewal",
      locale: "en",
      subject: "{{account.name}} and you",
      body: "Hi **{{contact.name}}**, {{account.owner.name}} here.",
    });
    expect(created.status).toBe(201);
    const dup = await call("POST", "/api/deliveries/templates", {
      name: "renewal",
      locale: "en",
      subject: "s",
      body: "b",
    });
    expect(dup.status).toBe(409);
    const preview = await call("POST", "/api/deliveries/templates/preview", {
      locale: "en",
      subject: "{{account.name}} and you",
      body: "Hi **{{contact.name}}**, {{account.owner.name}} here.",
      accountId: "acc-1",
      contactId: "ct-1",
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      subject: "Acme and you",
      html: "<p>Hi <strong>Ana</strong>, Mei here.</p>\n",
      variables: ["account.name", "contact.name", "account.owner.name"],
    });
    const missing = await call("POST", "/api/deliveries/templates/preview", {
      locale: "en",
      subject: "s",
      body: "b",
      accountId: "nope",
    });
    expect(missing.status).toBe(404);
    const id = created.body.id as string;
    const sent = await call("POST", "/api/deliveries/test", {
      channel: "email",
      to: "qa@acme.example",
      templateId: id,
      accountId: "acc-1",
    });
    expect(sent.body).toMatchObject({
      channel: "email",
      status: "sent",
      target: "qa@acme.example",
      responseCode: 250,
    });
    expect(smtp.mails.at(-1)?.subject).toBe("Acme and you");
    expect((await call("DELETE", `/api/deliveries/templates/${id}`)).status).toBe(204);
    expect((await call("DELETE", `/api/deliveries/templates/${id}`)).status).toBe(404);
  });

  it("should add an endpoint with a new whsec_ secret and send it a signed test event", async () => {
    const ep = await call("POST", "/api/deliveries/endpoints", { name: "CRM", url: `${rx.url}/hook` });
    expect(ep.status).toBe(201);
    const secret = ep.body.secret as string;
    expect(secret).toMatch(/^whsec_/);
    const bad = await call("POST", "/api/deliveries/endpoints", {
      name: "CRM",
      url: rx.url,
      secret: "plain",
    });
    expect(bad.status).toBe(400);
    expect((bad.body.error as { message: string }).message).toMatch(/^secret: must be whsec_/);
    rx.respond(() => ({ status: 200, body: "{}" }));
    const sent = await call("POST", "/api/deliveries/test", { channel: "webhook", endpointId: ep.body.id });
    expect(sent.body).toMatchObject({ channel: "webhook", status: "sent", responseCode: 200 });
    const req = rx.received.at(-1);
    if (req === undefined) throw new Error("nothing received");
    expect(req.headers["webhook-id"]).toBe(sent.body.id);
    expect(new Webhook(secret).verify(req.body, req.headers as Record<string, string>)).toMatchObject({
      type: "tenure.test",
    });
  });

  it("should show a failed chat delivery in the log with its last error and every attempt", async () => {
    const noSecret = await call("POST", "/api/deliveries/channels", {
      name: "CS",
      kind: "wecom",
      url: rx.url,
      secret: "s",
    });
    expect(noSecret.status).toBe(400);
    expect((noSecret.body.error as { message: string }).message).toMatch(
      /^secret: wecom incoming webhooks are not signed/,
    );
    const ch = await call("POST", "/api/deliveries/channels", {
      name: "CS 群",
      kind: "dingtalk",
      url: `${rx.url}/robot/send?access_token=t`,
      secret: "SECabc",
    });
    expect(ch.status).toBe(201);
    rx.respond(() => ({ status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' }));
    const failed = await call("POST", "/api/deliveries/test", { channel: "chat", channelId: ch.body.id });
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({
      status: "failed",
      lastError: "DingTalk errcode 310000: sign not match",
    });
    const log = await call("GET", "/api/deliveries?status=failed");
    expect(log.body).toMatchObject({
      deliveries: [
        { id: failed.body.id, channel: "chat", lastError: "DingTalk errcode 310000: sign not match" },
      ],
      nextCursor: null,
    });
    expect((log.body.counts as { sent: number; failed: number }).failed).toBe(1);
    const one = await call("GET", `/api/deliveries/${failed.body.id as string}`);
    expect(one.body.attemptLog).toMatchObject([{ attempt: 1, status: "failed", responseCode: 200 }]);
    const page = await call("GET", "/api/deliveries?limit=1");
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const next = await call("GET", `/api/deliveries?limit=5&cursor=${page.body.nextCursor as string}`);
    expect((next.body.deliveries as unknown[]).length).toBe(2);
    expect((await call("GET", "/api/deliveries?status=lost")).status).toBe(400);
  });

  it("should set quiet hours and a workspace SMTP server, masking its password and keeping it when sent back masked", async () => {
    const bad = await call("PUT", "/api/deliveries/settings", {
      timeZone: "Mars/Base",
      quietHours: null,
      smtp: null,
    });
    expect(bad.status).toBe(400);
    expect((bad.body.error as { message: string }).message).toMatch(
      /timeZone: unknown time zone "Mars\/Base"/,
    );
    const set = await call("PUT", "/api/deliveries/settings", {
      timeZone: "Asia/Shanghai",
      quietHours: { start: "22:00", end: "08:00" },
      smtp: { url: "smtp://cs:hunter2@mail.example:587", from: "cs@acme.example" },
    });
    expect(set.body).toEqual({
      timeZone: "Asia/Shanghai",
      quietHours: { start: "22:00", end: "08:00" },
      smtp: { url: "smtp://cs:****@mail.example:587", from: "cs@acme.example" },
      smtpFromEnvironment: true,
    });
    await call("PUT", "/api/deliveries/settings", { ...set.body, smtpFromEnvironment: undefined });
    const stored = await t.storage.workspaceSettings.get(WS, "deliveries");
    expect(stored?.value).toMatchObject({ smtp: { url: "smtp://cs:hunter2@mail.example:587" } });
  });
});
