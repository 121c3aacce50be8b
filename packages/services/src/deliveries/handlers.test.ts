import {
  minimalAccount,
  openTestStorage,
  type Storage,
  type TestStorage,
  testDialects,
} from "@tenure/storage";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDeliverySettings } from "./delivery-settings";
import { closeSmtpTransports } from "./email";
import {
  type DeliveryDeps,
  DeliveryFailedError,
  deliverChat,
  deliverEmail,
  deliverWebhook,
} from "./handlers";
import { type LoopbackReceiver, startLoopbackReceiver } from "./loopback-receiver";
import { type SmtpTestServer, startSmtpServer } from "./smtp-test-server";
import { newWebhookSecret } from "./webhook";

const WS = "ws-handlers";
// 10:00 in Shanghai: outside the 22:00-08:00 quiet hours; 23:30 is inside.
const DAY = new Date("2026-12-08T02:00:00.000Z");
const NIGHT = new Date("2026-12-08T15:30:00.000Z");

async function seed(storage: Storage): Promise<void> {
  await storage.workspaces.ensure(WS, "Handlers Inc");
  await storage.accounts.upsertMany(WS, [{ ...minimalAccount("acc-1"), name: "Acme", owner: "Mei Lin" }]);
  await storage.contacts.upsertMany(WS, [
    {
      id: "ct-1",
      accountId: "acc-1",
      name: "Ana",
      email: "ana@acme.example",
      role: null,
      title: "CTO",
      lastTouchAt: null,
      leftAt: null,
    },
  ]);
  await storage.subscriptions.upsertMany(WS, [
    {
      id: "sub-1",
      accountId: "acc-1",
      plan: "pro",
      startDate: "2026-01-31",
      endDate: null,
      amount: 12000,
      currency: "USD",
      interval: "year",
      quantity: 1,
      discountPct: 0,
      trial: false,
    },
  ]);
  await storage.team.upsertMembers(WS, [
    {
      id: "m-mei",
      name: "Mei Lin",
      email: "mei@tenure.example",
      teamId: null,
      role: "CSM",
      capacity: 50,
      active: true,
      deactivatedAt: null,
      successorId: null,
    },
  ]);
  await storage.team.assignAccounts(WS, ["acc-1"], { ownerId: "m-mei", ownerName: "Mei Lin", teamId: null });
  await storage.deliveryTemplates.save(WS, {
    id: "tpl-1",
    name: "renewal",
    locale: "en",
    subject: "{{account.name}} renews on {{account.renewalDate}}",
    body: "Hi {{contact.name}},\n\n**{{account.name}}** ({{account.arr}} ARR) - {{account.owner.name}}, {{account.owner.email}}",
  });
}

describe.each(testDialects())("delivery handlers on %s", (dialect) => {
  let t: TestStorage;
  let smtp: SmtpTestServer;
  let rx: LoopbackReceiver;
  let now = DAY;
  let deps: DeliveryDeps;
  let n = 0;
  const job = (payload: unknown, attempt = 1, deliveryId = `dlv-${dialect}-${++n}`) => ({
    workspaceId: WS,
    payload,
    attempt,
    deliveryId,
  });

  beforeAll(async () => {
    t = await openTestStorage(dialect);
    smtp = await startSmtpServer();
    rx = await startLoopbackReceiver();
    await seed(t.storage);
    deps = {
      storage: t.storage,
      reportingCurrency: "USD",
      today: () => "2026-12-08",
      smtpEnv: { smtpUrl: smtp.url, smtpFrom: "cs@tenure.example" },
      now: () => now,
      timeoutMs: 2_000,
    };
  });
  afterAll(async () => {
    closeSmtpTransports();
    await smtp.close();
    await rx.close();
    await t.cleanup();
  });

  it("should send a templated email with the account's real fields and log it as sent", async () => {
    now = DAY;
    const j = job({ templateName: "renewal", accountId: "acc-1", contactId: "ct-1" });
    expect(await deliverEmail(j, deps)).toBeUndefined();
    const mail = smtp.mails.at(-1);
    expect(mail?.subject).toBe("Acme renews on 2027-01-31");
    expect(mail?.to).toMatchObject({ text: "ana@acme.example" });
    expect(mail?.html).toContain("<strong>Acme</strong> ($12,000 ARR) - Mei Lin, ");
    // The owner is the team member the account belongs to: their name and email.
    expect(mail?.text).toContain("**Acme** ($12,000 ARR) - Mei Lin, mei@tenure.example");
    expect(mail?.messageId).toBe(`<${j.deliveryId}@tenure.example>`);
    expect(await t.storage.deliveryLog.get(WS, j.deliveryId)).toMatchObject({
      channel: "email",
      target: "ana@acme.example",
      status: "sent",
      attempts: 1,
      responseCode: 250,
    });
  });

  it("should hold an email in quiet hours until they end in the workspace's time zone", async () => {
    await setDeliverySettings(t.storage, WS, {
      timeZone: "Asia/Shanghai",
      quietHours: { start: "22:00", end: "08:00" },
    });
    now = NIGHT;
    const before = smtp.mails.length;
    const j = job({ templateId: "tpl-1", accountId: "acc-1", to: "ops@acme.example" });
    expect(await deliverEmail(j, deps)).toEqual({ rescheduleAt: new Date("2026-12-09T00:00:00.000Z") });
    expect(smtp.mails.length).toBe(before);
    expect(await t.storage.deliveryLog.get(WS, j.deliveryId)).toMatchObject({
      status: "deferred",
      attempts: 0,
    });
    // The same job after quiet hours goes out.
    now = DAY;
    expect(await deliverEmail({ ...j, attempt: 2 }, deps)).toBeUndefined();
    expect(smtp.mails.at(-1)?.to).toMatchObject({ text: "ops@acme.example" });
    expect(await t.storage.deliveryLog.get(WS, j.deliveryId)).toMatchObject({ status: "sent", attempts: 1 });
    await setDeliverySettings(t.storage, WS, { timeZone: "Asia/Shanghai", quietHours: null });
  });

  it("should record a missing template as a failed attempt naming it, and throw to be retried", async () => {
    const j = job({ templateName: "nope", accountId: "acc-1", contactId: "ct-1" });
    await expect(deliverEmail(j, deps)).rejects.toThrow(DeliveryFailedError);
    expect(await t.storage.deliveryLog.get(WS, j.deliveryId)).toMatchObject({
      status: "failed",
      lastError: 'No email template "nope (en)"',
    });
  });

  it("should record a bad payload as a failure naming the field", async () => {
    const j = job({ accountId: "acc-1", contactId: "ct-1" });
    await expect(deliverEmail(j, deps)).rejects.toThrow(/templateId: templateId or templateName is required/);
    expect((await t.storage.deliveryLog.get(WS, j.deliveryId))?.lastError).toMatch(
      /^invalid payload: templateId/,
    );
  });

  it("should retry a failing webhook and log every attempt until it is delivered, signed each time", async () => {
    const secret = newWebhookSecret();
    await t.storage.deliveryTargets.saveEndpoint(WS, {
      id: "ep-1",
      name: "CRM",
      url: `${rx.url}/in`,
      secret,
      enabled: true,
    });
    // Webhooks ignore quiet hours.
    await setDeliverySettings(t.storage, WS, {
      timeZone: "Asia/Shanghai",
      quietHours: { start: "00:00", end: "23:59" },
    });
    now = new Date();
    const payload = {
      endpointId: "ep-1",
      type: "signal.raised",
      data: { accountId: "acc-1" },
      accountId: "acc-1",
    };
    const deliveryId = `dlv-${dialect}-webhook`;
    rx.respond(() => ({ status: 500, body: "boom" }));
    await expect(deliverWebhook(job(payload, 1, deliveryId), deps)).rejects.toThrow("HTTP 500: boom");
    rx.respond(() => ({ status: 200, body: "{}" }));
    expect(await deliverWebhook(job(payload, 2, deliveryId), deps)).toBeUndefined();
    const attempts = await t.storage.deliveryLog.attempts(WS, deliveryId);
    expect(attempts.map((a) => [a.attempt, a.status, a.responseCode, a.error])).toEqual([
      [1, "failed", 500, "HTTP 500: boom"],
      [2, "sent", 200, null],
    ]);
    const received = rx.received.filter((r) => r.headers["webhook-id"] === deliveryId);
    expect(received).toHaveLength(2);
    for (const r of received)
      expect(new Webhook(secret).verify(r.body, r.headers as Record<string, string>)).toBeTruthy();
    await setDeliverySettings(t.storage, WS, { timeZone: "UTC", quietHours: null });
  });

  it("should post a chat message rendered with the account's fields, and fail on errcode", async () => {
    await t.storage.deliveryTargets.saveChannel(WS, {
      id: "ch-1",
      name: "CS",
      kind: "wecom",
      url: `${rx.url}/wecom`,
      secret: null,
      enabled: true,
    });
    now = DAY;
    rx.respond(() => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));
    const payload = {
      channelId: "ch-1",
      title: "{{account.name}} 续约",
      text: "ARR {{account.arr}}",
      accountId: "acc-1",
    };
    expect(await deliverChat(job(payload), deps)).toBeUndefined();
    expect(JSON.parse(rx.received.at(-1)?.body ?? "{}")).toEqual({
      msgtype: "markdown",
      markdown: { content: "**Acme 续约**\nARR $12,000" },
    });
    rx.respond(() => ({ status: 200, body: '{"errcode":45009,"errmsg":"api freq out of limit"}' }));
    const j = job(payload);
    await expect(deliverChat(j, deps)).rejects.toThrow("WeCom errcode 45009: api freq out of limit");
    expect(
      await t.storage.deliveryLog.list(WS, { status: "failed", channel: "chat", limit: 5 }),
    ).toMatchObject([
      { id: j.deliveryId, responseCode: 200, lastError: "WeCom errcode 45009: api freq out of limit" },
    ]);
  });
});
