import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStorage, type TestStorage, testDialects } from "../testing";

const CONFIG = { clientId: "client-1", clientSecret: "s3cret-value", issuer: "https://idp.example" };

describe.each(testDialects())("SSO provider repository on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should store one provider per workspace, show whether a secret is set but never the secret, and replace it", async () => {
    expect(await t.storage.ssoProviders.get("ws-a")).toBeNull();
    const stored = await t.storage.ssoProviders.put("ws-a", {
      providerId: "sso_a",
      issuer: CONFIG.issuer,
      oidcConfig: CONFIG,
      domains: ["a.example", "a2.example"],
      defaultRole: null,
      userId: null,
    });
    expect(stored).toMatchObject({
      workspaceId: "ws-a",
      providerId: "sso_a",
      clientId: "client-1",
      clientSecretSet: true,
      domains: ["a.example", "a2.example"],
      defaultRole: null,
    });
    expect(JSON.stringify(stored)).not.toContain(CONFIG.clientSecret);
    expect(await t.storage.ssoProviders.clientSecret("ws-a")).toBe(CONFIG.clientSecret);
    expect(await t.storage.ssoProviders.byProviderId("sso_a")).toEqual(stored);

    const replaced = await t.storage.ssoProviders.put("ws-a", {
      providerId: "sso_a",
      issuer: CONFIG.issuer,
      oidcConfig: { ...CONFIG, clientId: "client-2" },
      domains: ["a.example"],
      defaultRole: "csm",
      userId: "u-1",
    });
    expect(replaced).toMatchObject({ clientId: "client-2", defaultRole: "csm", domains: ["a.example"] });
    expect(replaced.createdAt).toBe(stored.createdAt);
    expect(await t.storage.ssoProviders.list()).toHaveLength(1);
    expect(await t.storage.ssoProviders.remove("ws-a")).toBe(true);
    expect(await t.storage.ssoProviders.remove("ws-a")).toBe(false);
    expect(await t.storage.ssoProviders.list()).toEqual([]);
  });

  it("should find the newest pending invitation of an email to a workspace, and no spent or other one", async () => {
    const first = await t.storage.authLinks.create(
      { kind: "invite", workspaceId: "ws-a", email: "Cy@A.example", role: "viewer", ttlMs: 3_600_000 },
      new Date(Date.now() - 60_000),
    );
    const second = await t.storage.authLinks.create({
      kind: "invite",
      workspaceId: "ws-a",
      email: "cy@a.example",
      role: "csm",
      ttlMs: 3_600_000,
    });
    expect((await t.storage.authLinks.findPendingInvite("ws-a", "CY@a.example"))?.id).toBe(second.link.id);
    expect(await t.storage.authLinks.findPendingInvite("ws-b", "cy@a.example")).toBeNull();
    expect(await t.storage.authLinks.consume(second.link.id)).toBe(true);
    expect((await t.storage.authLinks.findPendingInvite("ws-a", "cy@a.example"))?.id).toBe(first.link.id);
  });
});
