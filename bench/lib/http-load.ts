import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import { createSeededRng } from "@tenure/core";

/** Runs the real CLI to completion; resolves to its stdout. */
export function runCli(cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.TENURE_DATABASE_URL;
    const child = spawn(process.execPath, ["packages/cli/bin/tenure.js", ...args], { cwd, env });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`tenure ${args.join(" ")} exited ${code}: ${err}`)),
    );
  });
}

/** A `tenure serve` child process, resolved once it listens. */
export function startServer(cwd: string, db: string, port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, TENURE_LOG_LEVEL: "warn" };
    delete env.TENURE_DATABASE_URL;
    const child = spawn(
      process.execPath,
      ["packages/cli/bin/tenure.js", "--db", db, "serve", "--port", String(port)],
      { cwd, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes("running at")) {
        child.stdout?.off("data", onData);
        resolve(child);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`server exited ${code} before listening: ${out}`)));
  });
}

/** Stops a child process and waits for it to exit. */
export function stopServer(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

/** POSTs one JSON body over a keep-alive agent; resolves to the status code (0 on a network error). */
export function postJson(
  agent: http.Agent,
  port: number,
  path: string,
  auth: string,
  body: string,
): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent,
        host: "127.0.0.1",
        port,
        path,
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

/** Basic auth header of a write key (empty password), as Segment SDKs send it. */
export function basicAuth(key: string): string {
  return `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
}

/**
 * Posts /v1/batch (100 track events of random tracked users, on two keep-alive sockets) in a loop until
 * `stop()`, which returns the events the server accepted: the "while ingesting" load of the page benches.
 */
export function ingestLoop(opts: {
  port: number;
  writeKey: string;
  userKeys: readonly string[];
  events: readonly string[];
  /** The events' day (YYYY-MM-DD). */
  day: string;
  /** messageId prefix, unique per suite. */
  idPrefix: string;
}): { stop: () => Promise<number> } {
  const { port, userKeys, events } = opts;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const auth = basicAuth(opts.writeKey);
  const rnd = createSeededRng(13);
  let running = true;
  let sent = 0;
  let seq = 0;
  const worker = async () => {
    while (running) {
      const batch = Array.from({ length: 100 }, () => ({
        type: "track",
        messageId: `${opts.idPrefix}-${process.pid}-${++seq}`,
        userId: userKeys[Math.floor(rnd() * userKeys.length)],
        event: events[Math.floor(rnd() * events.length)],
        timestamp: `${opts.day}T12:00:00.000Z`,
      }));
      const status = await postJson(agent, port, "/v1/batch", auth, JSON.stringify({ batch }));
      if (status >= 200 && status < 300) sent += batch.length;
    }
  };
  const done = Promise.all([worker(), worker()]);
  return {
    async stop() {
      running = false;
      await done;
      agent.destroy();
      return sent;
    },
  };
}
