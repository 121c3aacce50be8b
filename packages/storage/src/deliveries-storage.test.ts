import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStorage, type TestStorage, testDialects } from "./testing";

const WS = "ws-deliveries";

describe.each(testDialects())("delivery storage on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should save, replace, find and delete a template by id and by name and locale", async () => {
    const first = await t.storage.deliveryTemplates.save(WS, {
      id: "tpl-1",
      name: "renewal-reminder",
      locale: "en",
      subject: "Renewal of {{account.name}}",
      body: "Hello {{contact.name}}",
    });
    expect(first.createdAt).toBe(first.updatedAt);
    await t.storage.deliveryTemplates.save(WS, {
      id: "tpl-2",
      name: "renewal-reminder",
      locale: "zh-CN",
      subject: "{{account.name}} 续约",
      body: "您好 {{contact.name}}",
    });
    const replaced = await t.storage.deliveryTemplates.save(WS, { ...first, subject: "Your renewal" });
    expect(replaced.subject).toBe("Your renewal");
    expect(replaced.createdAt).toBe(first.createdAt);
    expect((await t.storage.deliveryTemplates.list(WS)).map((x) => [x.id, x.locale])).toEqual([
      ["tpl-1", "en"],
      ["tpl-2", "zh-CN"],
    ]);
    expect((await t.storage.deliveryTemplates.findByName(WS, "renewal-reminder", "zh-CN"))?.id).toBe("tpl-2");
    expect(await t.storage.deliveryTemplates.findByName("other", "renewal-reminder", "en")).toBeNull();
    expect(await t.storage.deliveryTemplates.delete(WS, "tpl-2")).toBe(true);
    expect(await t.storage.deliveryTemplates.delete(WS, "tpl-2")).toBe(false);
  });

  it("should refuse a second template with the same name and locale under another id", async () => {
    await t.storage.deliveryTemplates.save(WS, {
      id: "a",
      name: "dup",
      locale: "en",
      subject: "s",
      body: "b",
    });
    await expect(
      t.storage.deliveryTemplates.save(WS, { id: "b", name: "dup", locale: "en", subject: "s", body: "b" }),
    ).rejects.toThrow();
  });

  it("should store endpoints and channels with their secrets and keep the first disabled time", async () => {
    const e = await t.storage.deliveryTargets.saveEndpoint(WS, {
      id: "ep-1",
      name: "CRM",
      url: "http://127.0.0.1:9/hook",
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      enabled: true,
    });
    expect(e.enabled).toBe(true);
    const off = await t.storage.deliveryTargets.saveEndpoint(WS, { ...e, enabled: false });
    expect(off.enabled).toBe(false);
    expect((await t.storage.deliveryTargets.getEndpoint(WS, "ep-1"))?.secret).toBe(e.secret);
    const ch = await t.storage.deliveryTargets.saveChannel(WS, {
      id: "ch-1",
      name: "CS 群",
      kind: "dingtalk",
      url: "http://127.0.0.1:9/robot/send?access_token=x",
      secret: "SEC123",
      enabled: true,
    });
    expect(await t.storage.deliveryTargets.listChannels(WS)).toEqual([ch]);
    expect(await t.storage.deliveryTargets.deleteChannel(WS, "ch-1")).toBe(true);
    expect(await t.storage.deliveryTargets.listChannels(WS)).toEqual([]);
  });

  it("should keep every attempt and show a delivery's latest state, counting tries but not deferrals", async () => {
    const base = { channel: "webhook", target: "ep-1", accountId: "acc-1", durationMs: 12 } as const;
    await t.storage.deliveryLog.recordAttempt(WS, {
      ...base,
      deliveryId: "d-1",
      attempt: 1,
      status: "failed",
      responseCode: 503,
      error: "HTTP 503",
      attemptedAt: "2026-12-08T10:00:00.000Z",
    });
    const deferred = await t.storage.deliveryLog.recordAttempt(WS, {
      ...base,
      deliveryId: "d-1",
      attempt: 2,
      status: "deferred",
      responseCode: null,
      error: null,
      attemptedAt: "2026-12-08T10:01:00.000Z",
    });
    expect(deferred).toMatchObject({ status: "deferred", attempts: 1, lastError: "HTTP 503" });
    const sent = await t.storage.deliveryLog.recordAttempt(WS, {
      ...base,
      deliveryId: "d-1",
      attempt: 3,
      status: "sent",
      responseCode: 200,
      error: null,
      attemptedAt: "2026-12-08T10:02:00.000Z",
    });
    expect(sent).toMatchObject({ status: "sent", attempts: 2, responseCode: 200, lastError: null });
    await t.storage.deliveryLog.recordAttempt(WS, {
      ...base,
      deliveryId: "d-2",
      attempt: 1,
      status: "failed",
      responseCode: null,
      error: "connect ECONNREFUSED",
      attemptedAt: "2026-12-08T10:03:00.000Z",
    });
    const attempts = await t.storage.deliveryLog.attempts(WS, "d-1");
    expect(attempts.map((a) => [a.attempt, a.status, a.responseCode])).toEqual([
      [1, "failed", 503],
      [2, "deferred", null],
      [3, "sent", 200],
    ]);
    expect((await t.storage.deliveryLog.list(WS, { status: "failed", limit: 10 })).map((d) => d.id)).toEqual([
      "d-2",
    ]);
    const all = await t.storage.deliveryLog.list(WS, { limit: 1 });
    expect(all.map((d) => d.id)).toEqual(["d-2"]);
    const [last] = all;
    if (last === undefined) throw new Error("no delivery");
    const next = await t.storage.deliveryLog.list(WS, {
      limit: 10,
      before: { updatedAt: last.updatedAt, id: last.id },
    });
    expect(next.map((d) => d.id)).toEqual(["d-1"]);
    expect(await t.storage.deliveryLog.countByStatus(WS)).toEqual({ sent: 1, failed: 1, deferred: 0 });
  });
});
