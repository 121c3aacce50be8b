import { minimalAccount, openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTasks } from "./task-list";
import { createTask } from "./task-service";

const WS = "ws";
const SYSTEM = { actorId: null, at: new Date("2026-06-01T09:00:00Z") };

describe.each(testDialects())("task titles in the reader's language on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await t.storage.workspaces.ensure(WS, "WS");
    await t.storage.accounts.upsertMany(WS, [minimalAccount("a1")]);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("should list a starter playbook step's task in the reader's language and the team's own titles as written", async () => {
    await createTask(t.storage, WS, { accountId: "a1", title: "Send the welcome email" }, SYSTEM);
    await createTask(t.storage, WS, { accountId: "a1", title: "Our own follow-up" }, SYSTEM);
    const titles = async (locale?: "en" | "zh-CN") =>
      (await listTasks(t.storage, WS, { accountId: "a1", locale }, "2026-06-10")).tasks
        .map((x) => x.title)
        .sort();
    expect(await titles("zh-CN")).toEqual(["Our own follow-up", "发送欢迎邮件"]);
    expect(await titles("en")).toEqual(["Our own follow-up", "Send the welcome email"]);
    expect(await titles()).toEqual(["Our own follow-up", "Send the welcome email"]);
  });
});
