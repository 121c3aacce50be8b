import { STARTER_PLAYBOOKS } from "@tenure/core";
import { minimalAccount, openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRun } from "../playbooks/run-service";
import { listTasks } from "./task-list";
import { createTask } from "./task-service";

const WS = "ws";
const SYSTEM = { actorId: null, at: new Date("2026-06-01T09:00:00Z") };
const rescue = STARTER_PLAYBOOKS.find((p) => p.key === "low-adoption-rescue");
const stepTitles = rescue?.definition.steps.map((s) => s.title) ?? [];

describe.each(testDialects())("task titles in the reader's language on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await t.storage.workspaces.ensure(WS, "WS");
    await t.storage.accounts.upsertMany(WS, [minimalAccount("a1"), minimalAccount("a2")]);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const titles = async (accountId: string, locale?: "en" | "zh-CN") =>
    (await listTasks(t.storage, WS, { accountId, locale, limit: 100 }, "2026-06-10")).tasks
      .map((x) => x.title)
      .sort();

  it("should list a playbook step's task in the reader's language, from the version its run started with", async () => {
    expect(stepTitles.length).toBeGreaterThan(1);
    await startRun({ storage: t.storage, reportingCurrency: "USD" }, WS, {
      playbookKey: "low-adoption-rescue",
      accountId: "a1",
      day: "2026-06-01",
      at: "2026-06-01T09:00:00Z",
    });
    expect(await titles("a1", "zh-CN")).toEqual(stepTitles.map((s) => s["zh-CN"]).sort());
    expect(await titles("a1", "en")).toEqual(stepTitles.map((s) => s.en).sort());
    expect(await titles("a1")).toEqual(stepTitles.map((s) => s.en).sort());
  });

  it("should keep the team's own titles as written, even when they read like a starter step", async () => {
    const starterWords = stepTitles[0]?.en as string;
    await createTask(t.storage, WS, { accountId: "a2", title: starterWords }, SYSTEM);
    await createTask(t.storage, WS, { accountId: "a2", title: "Our own follow-up" }, SYSTEM);
    expect(await titles("a2", "zh-CN")).toEqual(["Our own follow-up", starterWords].sort());
  });
});
