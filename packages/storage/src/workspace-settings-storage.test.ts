import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStorage, type TestStorage, testDialects } from "./testing";

describe.each(testDialects())("workspace settings on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await t.storage.workspaces.ensure("a", "A");
    await t.storage.workspaces.ensure("b", "B");
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should read back what was set, replace it on a second set and keep workspaces apart", async () => {
    expect(await t.storage.workspaceSettings.get("a", "clv")).toBeNull();
    await t.storage.workspaceSettings.set("a", "clv", { grossMargin: 0.8, annualDiscountRate: 0.1 });
    await t.storage.workspaceSettings.set("a", "clv", { grossMargin: 0.7, annualDiscountRate: 0.12 });
    const got = await t.storage.workspaceSettings.get("a", "clv");
    expect(got?.value).toEqual({ grossMargin: 0.7, annualDiscountRate: 0.12 });
    expect(got?.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await t.storage.workspaceSettings.get("b", "clv")).toBeNull();
  });
});
