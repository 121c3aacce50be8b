import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { catchUpRollups } from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, describe, expect, it } from "vitest";

/**
 * Issue 3, requirement 8: an acknowledged event is durable before the 200. A client sends 1,000,000
 * events to the real server; the server is killed with SIGKILL mid-load and restarted on the same
 * database; the client retries every batch without a 200 (and re-sends some acknowledged ones). Every
 * event must then be counted exactly once. Rollup counts are added after the 200 (in the background),
 * so right after the kill some acknowledged events are stored but not yet rolled up: the catch-up
 * every exact reader runs must then add each of them once, no more.
 */

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = path.join(root, "packages/cli/bin/tenure.js");
const dir = mkdtempSync(path.join(tmpdir(), "tenure-kill-"));
const db = path.join(dir, "t.db");
const EVENTS = Number(process.env.TENURE_KILL_TEST_EVENTS ?? 1_000_000);
const BATCH = 500;
const BATCHES = Math.ceil(EVENTS / BATCH);
const KILL_AFTER = Math.floor(BATCHES * 0.4);
const CONCURRENCY = 8;
const NAMES = 10;
const USERS = 1_000;

let server: ChildProcess | null = null;
afterAll(() => {
  server?.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

const cliEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, TENURE_LOG_LEVEL: "warn" };
  delete env.TENURE_DATABASE_URL;
  return env;
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function startServer(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "--db", db, "serve", "--port", String(port)], {
      cwd: root,
      env: cliEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes("running at")) resolve(child);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server exited (${code}) before listening: ${out}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });

/** Batch b as a /v1/batch body: events b*500 .. b*500+499, each with a unique messageId. */
function batchBody(b: number): string {
  const calls: string[] = [];
  for (let i = b * BATCH; i < Math.min((b + 1) * BATCH, EVENTS); i++) {
    const day = 10 + (i % 5);
    calls.push(
      `{"type":"track","messageId":"kill-${i}","userId":"u${i % USERS}","event":"e${i % NAMES}",` +
        `"timestamp":"2026-11-${day}T12:00:00.000Z","properties":{"i":${i}}}`,
    );
  }
  return `{"batch":[${calls.join(",")}]}`;
}

/** POSTs a body; resolves to the status, or 0 when the connection failed (server killed). */
function post(agent: http.Agent, port: number, auth: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent,
        host: "127.0.0.1",
        port,
        path: "/v1/batch",
        method: "POST",
        headers: {
          authorization: auth,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", () => resolve(0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

/**
 * Sends `batches` over keep-alive connections; records every 200 in `acked`. A worker stops at its
 * first connection failure (the server is gone). `onAck` runs after each acknowledgement.
 */
async function send(
  port: number,
  auth: string,
  batches: number[],
  acked: Set<number>,
  onAck: () => void,
): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  let down = false;
  const worker = async () => {
    while (!down && next < batches.length) {
      const b = batches[next++] as number;
      const status = await post(agent, port, auth, batchBody(b));
      if (status === 200) {
        acked.add(b);
        onAck();
      } else if (status === 0) down = true;
      else throw new Error(`batch ${b} answered ${status}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    agent.destroy();
  }
}

/** Rollup totals per event name, after the readers' catch-up, and the same totals recounted from the stored events. */
async function rollupsAndRecount(storage: Storage, ws: string) {
  await catchUpRollups(storage);
  const rolled = new Map<string, number>();
  for (const r of await storage.usageRollups.list(ws))
    rolled.set(r.event, (rolled.get(r.event) ?? 0) + r.count);
  const recount = new Map<string, number>();
  for (const e of await storage.usageEvents.list(ws))
    if (e.event !== null) recount.set(e.event, (recount.get(e.event) ?? 0) + 1);
  return { rolled, recount };
}

describe("tracking API durability", () => {
  it("should count every acknowledged event exactly once when the server is killed with SIGKILL mid-load", async () => {
    const { key } = JSON.parse(
      execFileSync(process.execPath, [bin, "--db", db, "keys", "create", "--kind", "write", "--json"], {
        cwd: root,
        env: cliEnv(),
        encoding: "utf8",
      }),
    ) as { key: string };
    const auth = `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
    const port = await freePort();
    const acked = new Set<number>();
    const all = Array.from({ length: BATCHES }, (_, b) => b);

    // 1. Load until 40 % of the batches are acknowledged, then kill -9 with requests in flight.
    const first = await startServer(port);
    server = first;
    let killed = false;
    await send(port, auth, all, acked, () => {
      if (!killed && acked.size >= KILL_AFTER) {
        killed = true;
        first.kill("SIGKILL");
      }
    });
    await exited(first);
    expect(killed).toBe(true);
    const ackedBeforeKill = acked.size;
    expect(ackedBeforeKill).toBeLessThan(BATCHES);

    // 1b. Every acknowledged event is stored; the rollups, caught up, equal a recount of the stored events.
    const afterKill = await openStorage({ sqliteFile: db });
    try {
      const ws = (await afterKill.workspaces.list())[0]?.id ?? "default";
      const ids = new Set((await afterKill.usageEvents.list(ws)).map((e) => e.messageId));
      for (const b of acked)
        for (let i = b * BATCH; i < Math.min((b + 1) * BATCH, EVENTS); i++)
          if (!ids.has(`kill-${i}`))
            throw new Error(`acknowledged event kill-${i} is missing after the kill`);
      const { rolled, recount } = await rollupsAndRecount(afterKill, ws);
      expect(rolled).toEqual(recount);
    } finally {
      await afterKill.close();
    }

    // 2. Restart on the same database; retry everything without a 200, plus acknowledged samples.
    server = await startServer(port);
    const resend = [...acked].filter((_, i) => i % 50 === 0);
    for (let round = 0; round < 5 && acked.size < BATCHES; round++) {
      const missing = all.filter((b) => !acked.has(b));
      await send(port, auth, round === 0 ? [...resend, ...missing] : missing, acked, () => {});
    }
    expect(acked.size).toBe(BATCHES);
    // SIGTERM is a graceful stop: requests finish, the writer thread and the database close, exit 0.
    const stopped = server;
    server.kill("SIGTERM");
    await exited(stopped);
    expect({ code: stopped.exitCode, signal: stopped.signalCode }).toEqual({ code: 0, signal: null });
    server = null;

    // 3. Exactly once: the stored events and the rollups hold every event one time.
    const storage = await openStorage({ sqliteFile: db });
    try {
      const ws = (await storage.workspaces.list())[0]?.id ?? "default";
      expect(await storage.usageEvents.count(ws)).toBe(EVENTS);
      const { rolled: byName, recount } = await rollupsAndRecount(storage, ws);
      expect(byName).toEqual(recount);
      const expected = new Map<string, number>();
      for (let i = 0; i < EVENTS; i++)
        expected.set(`e${i % NAMES}`, (expected.get(`e${i % NAMES}`) ?? 0) + 1);
      expect(byName).toEqual(expected);
    } finally {
      await storage.close();
    }
  }, 300_000);
});
