import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findSecretsInRunLogs } from "./run-logs";

describe("the run's log search", () => {
  it("should find a key, a session cookie, a bearer token and a password in clear, and pass redacted ones", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tenure-runlog-test-"));
    try {
      const key = `tk_${"A".repeat(43)}`;
      writeFileSync(
        path.join(dir, "a.log"),
        [
          JSON.stringify({ msg: "request", path: "/api/accounts", status: 200 }),
          JSON.stringify({ msg: "ok", authorization: "[redacted]", body: { password: "[redacted]" } }),
          JSON.stringify({ err: { message: "checking tk_[redacted]" } }),
          JSON.stringify({ msg: `leaked ${key}` }),
          JSON.stringify({ headers: { cookie: "tenure_session=abcdefghijkl" } }),
          JSON.stringify({ h: "Bearer abcdefghijklmnopqrstu" }),
          JSON.stringify({ body: { password: "hunter2hunter2" } }),
        ].join("\n"),
      );
      const { files, found } = findSecretsInRunLogs(dir);
      expect(files).toBe(1);
      expect(found.map((f) => f.split(": ")[1])).toEqual([
        "API key",
        "session cookie",
        "bearer token",
        "password field",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
