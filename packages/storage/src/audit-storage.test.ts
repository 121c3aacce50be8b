import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditOrigin } from "./repositories/audit-repository";
import { openTestStorage, type TestStorage, testDialects } from "./testing";

const origin = (workspaceId: string, label = "ann@example.com"): AuditOrigin => ({
  workspaceId,
  actor: { type: "user", id: "u1", label },
  ip: "10.0.0.1",
  requestId: "req-1",
});

describe.each(testDialects())("audit log on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await t.storage.workspaces.ensure("a", "A");
    await t.storage.workspaces.ensure("b", "B");
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should write the change and its audit row together when the change succeeds", async () => {
    await t.storage.audited(origin("a"), async (_tx, record) => {
      // The storage itself (not only `tx`) joins the audited transaction.
      await t.storage.workspaceSettings.set("a", "clv", { grossMargin: 0.7 });
      await record({
        action: "settings.update",
        entityType: "setting",
        entityId: "clv",
        before: null,
        after: { grossMargin: 0.7, smtpPassword: "hunter2", key: "tk_abcdefghijklmnop" },
      });
    });
    const { entries } = await t.storage.audit.list("a", { entityType: "setting" });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: { type: "user", id: "u1", label: "ann@example.com" },
      action: "settings.update",
      entityId: "clv",
      ip: "10.0.0.1",
      requestId: "req-1",
      after: { grossMargin: 0.7, smtpPassword: "[redacted]", key: "[redacted]" },
    });
    expect((await t.storage.workspaceSettings.get("a", "clv"))?.value).toEqual({ grossMargin: 0.7 });
  });

  it("should write neither the change nor its audit row when the change fails", async () => {
    await expect(
      t.storage.audited(origin("a"), async (_tx, record) => {
        await t.storage.workspaceSettings.set("a", "rollback", { x: 1 });
        // A nested transaction joins the audited one instead of committing on its own.
        await t.storage.transaction((tx) => tx.workspaceSettings.set("a", "nested", { y: 2 }));
        await record({ action: "settings.update", entityType: "setting", entityId: "rollback" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await t.storage.workspaceSettings.get("a", "rollback")).toBeNull();
    expect(await t.storage.workspaceSettings.get("a", "nested")).toBeNull();
    expect((await t.storage.audit.list("a", { entityId: "rollback" })).entries).toEqual([]);
  });

  it("should run after-commit work once the change is committed and never when it fails", async () => {
    const seen: unknown[] = [];
    await t.storage.audited(origin("a"), async () => {
      await t.storage.workspaceSettings.set("a", "after", { v: 1 });
      await t.storage.afterCommit(async () => {
        // On the pool, outside the finished transaction: it sees the committed change.
        seen.push((await t.storage.workspaceSettings.get("a", "after"))?.value);
      });
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual([{ v: 1 }]);
    await expect(
      t.storage.audited(origin("a"), async () => {
        await t.storage.afterCommit(async () => {
          seen.push("never");
        });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(seen).toEqual([{ v: 1 }]);
  });

  it("should filter by actor, action, entity and dates and page newest first when asked", async () => {
    for (let i = 0; i < 5; i++) {
      await t.storage.audited(
        origin("b", i % 2 === 0 ? "even@example.com" : "odd@example.com"),
        (_tx, record) =>
          record({ action: i < 3 ? "task.create" : "task.update", entityType: "task", entityId: `t${i}` }),
      );
    }
    const first = await t.storage.audit.list("b", { limit: 2 });
    expect(first.entries.map((e) => e.entityId)).toEqual(["t4", "t3"]);
    const second = await t.storage.audit.list("b", { limit: 2, before: first.next ?? "" });
    expect(second.entries.map((e) => e.entityId)).toEqual(["t2", "t1"]);
    const last = await t.storage.audit.list("b", { limit: 2, before: second.next ?? "" });
    expect(last).toEqual({ entries: [expect.objectContaining({ entityId: "t0" })], next: null });
    expect((await t.storage.audit.list("b", { actor: "odd@example.com" })).entries).toHaveLength(2);
    expect((await t.storage.audit.list("b", { action: "task.update" })).entries).toHaveLength(2);
    expect((await t.storage.audit.list("b", { entityId: "t2" })).entries).toHaveLength(1);
    const today = new Date().toISOString().slice(0, 10);
    expect((await t.storage.audit.list("b", { from: today, to: today })).entries).toHaveLength(5);
    expect((await t.storage.audit.list("b", { to: "2000-01-01" })).entries).toHaveLength(0);
    // Workspaces never see each other's log.
    expect((await t.storage.audit.list("a", { entityType: "task" })).entries).toHaveLength(0);
    const streamed: string[] = [];
    for await (const e of t.storage.audit.stream("b", { entityType: "task" }))
      streamed.push(e.entityId ?? "");
    expect(streamed).toEqual(["t4", "t3", "t2", "t1", "t0"]);
  });

  it("should delete only entries older than the cutoff when pruned", async () => {
    const before = (await t.storage.audit.list("b")).entries.length;
    expect(await t.storage.audit.prune("2000-01-01T00:00:00.000Z")).toBe(0);
    expect(await t.storage.audit.prune(new Date(Date.now() + 60_000).toISOString())).toBeGreaterThanOrEqual(
      before,
    );
    expect((await t.storage.audit.list("b")).entries).toEqual([]);
  });
});

describe.each(testDialects())("API key scopes and rotation on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await t.storage.workspaces.ensure("a", "A");
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should store the scope and team and accept the legacy kind names when created", async () => {
    const tracking = await t.storage.apiKeys.create("a", { name: "site", kind: "write" });
    const team = await t.storage.apiKeys.create("a", { name: "emea", scope: "read", teamId: "emea" });
    expect(await t.storage.apiKeys.verify(tracking.key)).toMatchObject({ scope: "tracking", kind: "write" });
    expect(await t.storage.apiKeys.verify(team.key)).toMatchObject({
      workspaceId: "a",
      name: "emea",
      scope: "read",
      teamId: "emea",
    });
    const listed = await t.storage.apiKeys.list("a");
    expect(listed.find((k) => k.id === team.id)).toMatchObject({ scope: "read", teamId: "emea" });
    expect(JSON.stringify(listed)).not.toContain(team.key);
  });

  it("should keep the old key working until the overlap ends when rotated", async () => {
    const { id, key } = await t.storage.apiKeys.create("a", { name: "ci", scope: "admin" });
    const now = new Date();
    const rotated = await t.storage.apiKeys.rotate("a", id, 3_600_000, now);
    expect(rotated).not.toBeNull();
    expect(rotated?.info).toMatchObject({ name: "ci", scope: "admin" });
    expect(rotated?.previous.replacedBy).toBe(rotated?.id);
    expect(await t.storage.apiKeys.verify(key, new Date(now.getTime() + 1_000))).not.toBeNull();
    expect(await t.storage.apiKeys.verify(key, new Date(now.getTime() + 3_600_001))).toBeNull();
    expect(
      await t.storage.apiKeys.verify(rotated?.key ?? "", new Date(now.getTime() + 3_600_001)),
    ).not.toBeNull();
    // The expired old key cannot be rotated again.
    expect(await t.storage.apiKeys.rotate("a", id, 0, new Date(now.getTime() + 3_600_001))).toBeNull();
    expect(await t.storage.apiKeys.rotate("a", "no-such-key", 0)).toBeNull();
  });

  it("should refuse a revoked key and report an unknown one when revoked", async () => {
    const { id, key } = await t.storage.apiKeys.create("a", { name: "old", scope: "read" });
    expect(await t.storage.apiKeys.revoke("a", id)).toBe(true);
    expect(await t.storage.apiKeys.verify(key)).toBeNull();
    expect(await t.storage.apiKeys.revoke("a", id)).toBe(false);
    expect(await t.storage.apiKeys.revoke("a", "nope")).toBe(false);
  });
});

describe.each(testDialects())("shared rate-limit buckets on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should refuse once the bucket is empty and refill at the rule's rate when time passes", async () => {
    const rule = { capacity: 3, perMinute: 60 };
    const now = 1_800_000_000_000;
    const takes = [];
    for (let i = 0; i < 4; i++) takes.push(await t.storage.rateLimits.take("ip:1.2.3.4", rule, now));
    expect(takes.map((x) => x.allowed)).toEqual([true, true, true, false]);
    expect(takes[3]).toMatchObject({ remaining: 0, retryAfterMs: 1_000 });
    expect((await t.storage.rateLimits.peek("ip:1.2.3.4", rule, now)).allowed).toBe(false);
    // One token a second: after 1.5 s one is back.
    expect((await t.storage.rateLimits.take("ip:1.2.3.4", rule, now + 1_500)).allowed).toBe(true);
    // Another bucket is untouched.
    expect((await t.storage.rateLimits.take("ip:5.6.7.8", rule, now)).remaining).toBe(2);
    expect(await t.storage.rateLimits.prune(now + 1)).toBe(1);
  });
});
