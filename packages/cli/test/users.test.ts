import { PassThrough, Readable } from "node:stream";
import { openStorage } from "@tenure/storage";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../src/main";
import { scratch } from "./helpers";

/** Runs `tenure ...args` in-process with `input` on stdin. */
async function tenureWithStdin(input: string, ...args: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = "";
  let stderr = "";
  out.on("data", (d) => {
    stdout += String(d);
  });
  err.on("data", (d) => {
    stderr += String(d);
  });
  const code = await runCli(
    ["node", "tenure", ...args],
    { out, err, interactive: false, in: Readable.from([input]) },
    {},
  );
  return { code, stdout, stderr };
}

describe("tenure users create", () => {
  let s: ReturnType<typeof scratch>;
  beforeEach(() => {
    s = scratch();
  });
  afterEach(() => s.cleanup());

  it("should create the first admin with the password read from stdin and print JSON", async () => {
    const r = await tenureWithStdin(
      "first admin pass\n",
      "--db",
      s.db,
      "users",
      "create",
      "--email",
      "Root@Example.com",
      "--role",
      "admin",
      "--password-stdin",
      "--name",
      "Root",
      "--json",
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      email: "root@example.com",
      name: "Root",
      role: "admin",
      workspaceId: "default",
    });
    const storage = await openStorage({ sqliteFile: s.db });
    try {
      const user = await storage.users.findByEmail("root@example.com");
      expect(user).not.toBeNull();
      expect(await storage.memberships.get("default", user?.id ?? "")).toMatchObject({ role: "admin" });
      // Only better-auth's hash is stored, never the password.
      const account = await storage.kysely
        .selectFrom("auth_accounts")
        .select("password")
        .executeTakeFirstOrThrow();
      expect(account.password).not.toContain("first admin pass");
      // The user and its audit row were written in one transaction.
      const { entries } = await storage.audit.list("default", { action: "user.create" });
      expect(entries).toMatchObject([{ actor: { type: "system", label: "cli" }, entityId: user?.id }]);
      expect(JSON.stringify(entries)).not.toContain("first admin pass");
    } finally {
      await storage.close();
    }
  });

  it("should refuse a short password and a missing --password-stdin, naming them", async () => {
    const short = await tenureWithStdin(
      "short\n",
      "--db",
      s.db,
      "users",
      "create",
      "--email",
      "a@example.com",
      "--role",
      "viewer",
      "--password-stdin",
    );
    expect(short.code).not.toBe(0);
    expect(short.stderr).toMatch(/password: between 8 and 128 characters/);
    const none = await tenureWithStdin(
      "whatever pass\n",
      "--db",
      s.db,
      "users",
      "create",
      "--email",
      "a@example.com",
      "--role",
      "viewer",
    );
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/--password-stdin is required/);
  });
});
