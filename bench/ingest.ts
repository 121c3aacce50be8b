/**
 * `npm run bench -- ingest [--events N] [--runs R] [--http-runs H] [--connections C]`: usage ingestion at the issue's
 * scale (5,000,000 events): through /v1/batch over real HTTP (keep-alive, 500 per batch, rollups
 * maintained, every 200 committed), and as a bulk JSON-lines import; against PostgreSQL COPY of the
 * same events plus the SQL rollup, measured in the same run. `--http-runs 0` measures only the bulk import.
 */
import { spawn } from "node:child_process";
import {
  closeSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
} from "node:fs";
import http from "node:http";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { catchUpRollups, importEventsFile } from "@tenure/services";
import { openStorage } from "@tenure/storage";
import pg from "pg";
import { assertKnownFlags, intFlag } from "./lib/args";
import { benchEvent, type EventShape, eventLine, eventShape, expectedCounts } from "./lib/events";
import { basicAuth, postJson, runCli, startServer, stopServer } from "./lib/http-load";
import { baselineDatabaseUrl } from "./lib/postgres-mrr";
import { removeSqliteFile } from "./lib/sqlite-store";
import type { BenchSuite } from "./lib/suite";
import { renderTable } from "./lib/table";
import { formatRatio, formatSeconds, median, timeOnce } from "./lib/timing";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA_DIR = path.join(REPO_ROOT, "bench/.data");
const WORKSPACE = "default";
const DEFAULT_EVENTS = 5_000_000;
const BATCH = 500;
const PORT = 39_517;
const HTTP_TARGET = 100_000;
const BULK_TARGET = 1_000_000;
const MIN_BASELINE_RATIO = 3;
const SCHEMA = "tenure_bench_ingest";

const n = (x: number) => Math.round(x).toLocaleString("en-US");

/** Writes the JSON-lines file and the baseline's TSV of the same events (skipped when present). */
async function writeFiles(shape: EventShape): Promise<{ jsonl: string; tsv: string }> {
  mkdirSync(DATA_DIR, { recursive: true });
  const jsonl = path.join(DATA_DIR, `events-${shape.events}.jsonl`);
  const tsv = path.join(DATA_DIR, `events-${shape.events}.tsv`);
  if (existsSync(jsonl) && existsSync(tsv)) return { jsonl, tsv };
  const a = createWriteStream(jsonl);
  const b = createWriteStream(tsv);
  const write = (s: NodeJS.WritableStream, text: string) =>
    new Promise<void>((resolve) => (s.write(text) ? resolve() : s.once("drain", () => resolve())));
  for (let i = 0; i < shape.events; i += 10_000) {
    const lines: string[] = [];
    const rows: string[] = [];
    for (let j = i; j < Math.min(i + 10_000, shape.events); j++) {
      lines.push(eventLine(shape, j));
      const e = benchEvent(shape, j);
      rows.push(
        [e.messageId, e.type, e.event ?? "\\N", e.userId, e.accountId, e.timestamp, e.day, e.properties].join(
          "\t",
        ),
      );
    }
    await write(a, `${lines.join("\n")}\n`);
    await write(b, `${rows.join("\n")}\n`);
  }
  await Promise.all([a, b].map((s) => new Promise((resolve) => s.end(resolve))));
  return { jsonl, tsv };
}

/**
 * Events and rollup totals stored in a SQLite file, checked against the generator, after the readers'
 * rollup catch-up (the tracking API adds rollup counts in the background; a stopped server leaves its
 * last second of counts to replay). Also returns how long that catch-up took.
 */
async function verifyStore(
  file: string,
  shape: EventShape,
  expected: Map<string, number>,
): Promise<{ check: string; catchUp: number }> {
  const storage = await openStorage({ sqliteFile: file });
  try {
    const catchUp = (await timeOnce(() => catchUpRollups(storage))).seconds;
    const stored = await storage.usageEvents.count(WORKSPACE);
    const byEvent = new Map<string, number>();
    for (const r of await storage.usageRollups.list(WORKSPACE))
      byEvent.set(r.event, (byEvent.get(r.event) ?? 0) + r.count);
    const problems: string[] = [];
    if (stored !== shape.events) problems.push(`${n(stored)} events stored, expected ${n(shape.events)}`);
    for (const [event, count] of expected)
      if (byEvent.get(event) !== count) problems.push(`${event}: ${byEvent.get(event) ?? 0} != ${count}`);
    return { check: problems.length === 0 ? "ok" : problems.slice(0, 5).join("; "), catchUp };
  } finally {
    await storage.close();
  }
}

/**
 * Reads a file through once (discarding it), so the timed run that follows finds it in the page cache:
 * each side's input is warmed the same way, and no run measures this machine's disk reading it cold
 * (a first run read from disk took 37-52 s against 10-12 s for the next ones, both sides alike).
 */
function warm(file: string): void {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.allocUnsafe(8 << 20);
    while (readSync(fd, buf, 0, buf.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

/** One bulk import into a fresh database; wall and CPU seconds of the import call. */
async function bulkImportOnce(file: string, jsonl: string): Promise<{ seconds: number; cpu: number }> {
  removeSqliteFile(file);
  const storage = await openStorage({ sqliteFile: file });
  try {
    await storage.workspaces.ensure(WORKSPACE, "Bench");
    const t = await timeOnce(() => importEventsFile(storage, { workspaceId: WORKSPACE, path: jsonl }));
    if (t.result.errors.length > 0) throw new Error(`import failed: ${t.result.errors[0]?.reason}`);
    return { seconds: t.seconds, cpu: t.cpu };
  } finally {
    await storage.close();
  }
}

/**
 * Batch bodies cut from the JSON-lines file (the same events, in order): the client only slices and
 * joins bytes, so on two cores it leaves the CPU to the server instead of generating every event.
 */
function batchBodies(jsonl: string, events: number): (b: number) => string {
  const data = readFileSync(jsonl);
  const starts: number[] = [0];
  for (let i = 0, at = 0; i < events; i++) {
    at = data.indexOf(10, at) + 1;
    if ((i + 1) % BATCH === 0 || i + 1 === events) starts.push(at);
  }
  return (b) =>
    `{"batch":[${data.toString("utf8", starts[b] as number, (starts[b + 1] as number) - 1).replaceAll("\n", ",")}]}`;
}

/** User + system CPU seconds a child process has used so far (Linux /proc; NaN elsewhere). */
function processCpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * One HTTP load into a fresh database served by a `tenure serve` child: seconds of the load and the
 * server's CPU seconds during it (the machine is shared, so CPU time is the steadier figure).
 */
async function httpLoadOnce(
  file: string,
  jsonl: string,
  shape: EventShape,
  connections: number,
): Promise<{ seconds: number; serverCpu: number }> {
  removeSqliteFile(file);
  const key = (
    JSON.parse(await runCli(REPO_ROOT, ["--db", file, "keys", "create", "--kind", "write", "--json"])) as {
      key: string;
    }
  ).key;
  const body = batchBodies(jsonl, shape.events);
  const server = await startServer(REPO_ROOT, file, PORT);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const auth = basicAuth(key);
  try {
    const batches = Math.ceil(shape.events / BATCH);
    let next = 0;
    const worker = async () => {
      while (next < batches) {
        const b = next++;
        const text = body(b);
        for (;;) {
          const status = await postJson(agent, PORT, "/v1/batch", auth, text);
          if (status === 200) break;
          if (status !== 0 && status < 500) throw new Error(`batch ${b} rejected with ${status}`);
        }
      }
    };
    const cpuBefore = processCpuSeconds(server.pid);
    const t = await timeOnce(() => Promise.all(Array.from({ length: connections }, worker)));
    return { seconds: t.seconds, serverCpu: processCpuSeconds(server.pid) - cpuBefore };
  } finally {
    agent.destroy();
    await stopServer(server);
  }
}

/** psql child process, so COPY streams the file the way `\copy` does (no extra npm dependency). */
function psql(url: string, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("psql", [url, "-v", "ON_ERROR_STOP=1", "-q", "-c", command], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`psql: ${err.trim()}`))));
  });
}

const ROLLUP_SQL = `CREATE TABLE ${SCHEMA}.rollup AS
  SELECT account_id, day, event, count(*) AS events, count(DISTINCT user_key) AS users
  FROM ${SCHEMA}.events WHERE event IS NOT NULL GROUP BY account_id, day, event`;

/** One baseline run: fresh table, COPY of the TSV, then the rollup; seconds of COPY + rollup. */
async function baselineOnce(
  client: pg.Client,
  url: string,
  tsv: string,
): Promise<{ seconds: number; copy: number; rollup: number; rows: number }> {
  await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await client.query(`CREATE SCHEMA ${SCHEMA}`);
  await client.query(`CREATE TABLE ${SCHEMA}.events (
    message_id text NOT NULL, type text NOT NULL, event text, user_key text NOT NULL,
    account_id text NOT NULL, "timestamp" timestamptz NOT NULL, day date NOT NULL, properties jsonb NOT NULL)`);
  await client.query("CHECKPOINT");
  const copy = await timeOnce(() => psql(url, `\\copy ${SCHEMA}.events FROM '${tsv}'`));
  const rollup = await timeOnce(() => client.query(ROLLUP_SQL));
  const rows = Number((await client.query(`SELECT count(*) AS n FROM ${SCHEMA}.events`)).rows[0].n);
  return { seconds: copy.seconds + rollup.seconds, copy: copy.seconds, rollup: rollup.seconds, rows };
}

const pass = (ok: boolean) => (ok ? "PASS" : "FAIL");

async function run(args: readonly string[]): Promise<number> {
  assertKnownFlags(args, ["events", "runs", "http-runs", "connections"]);
  const events = intFlag(args, "events", DEFAULT_EVENTS);
  const runs = intFlag(args, "runs", 3);
  const httpRuns = intFlag(args, "http-runs", 1, 0);
  // Many SDK clients post at once; each connection waits for its 200 before the next batch.
  const connections = intFlag(args, "connections", 32);
  const shape = eventShape(events);
  console.log(
    `Ingest bench: ${n(events)} events, ${n(shape.users)} users, ${n(shape.accounts)} accounts ` +
      `(node ${process.version}, ${cpus().length} cores, load ${loadavg()
        .map((x) => x.toFixed(2))
        .join(" / ")})\n`,
  );
  const gen = await timeOnce(() => writeFiles(shape));
  const { jsonl, tsv } = gen.result;
  console.log(
    `Data: ${jsonl} (${n(statSync(jsonl).size / 1e6)} MB), ${path.basename(tsv)}; ${formatSeconds(gen.seconds)}`,
  );
  const expected = expectedCounts(shape);
  const db = path.join(DATA_DIR, "ingest.db");

  console.log(`\nTenure bulk import (importEventsFile, rollups included, fresh SQLite file; ${runs} runs)`);
  const bulk: number[] = [];
  const bulkCpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    warm(jsonl);
    const { seconds: s, cpu } = await bulkImportOnce(db, jsonl);
    bulk.push(s);
    bulkCpu.push(cpu);
    // CPU seconds stay meaningful when other processes compete for the two cores.
    console.log(
      `  run ${r + 1}/${runs}: ${formatSeconds(s)} = ${n(events / s)} events/s (cpu ${formatSeconds(cpu)} = ${n(events / cpu)} events/cpu-s)`,
    );
  }
  const bulkCheck = (await verifyStore(db, shape, expected)).check;
  console.log(`  stored events and rollups vs generator: ${bulkCheck}`);

  const httpTimes: number[] = [];
  let httpCheck = "skipped (--http-runs 0)";
  if (httpRuns > 0) {
    console.log(
      `\nTenure HTTP: POST /v1/batch, ${BATCH} per batch, ${connections} keep-alive connections (${httpRuns} runs)`,
    );
    for (let r = 0; r < httpRuns; r++) {
      const { seconds: s, serverCpu } = await httpLoadOnce(db, jsonl, shape, connections);
      httpTimes.push(s);
      console.log(
        `  run ${r + 1}/${httpRuns}: ${formatSeconds(s)} = ${n(events / s)} events/s (server cpu ${formatSeconds(serverCpu)} = ${n(events / serverCpu)} events/cpu-s)`,
      );
    }
    const verified = await verifyStore(db, shape, expected);
    httpCheck = verified.check;
    console.log(
      `  rollup catch-up after the server stopped (counts it still held): ${formatSeconds(verified.catchUp)}`,
    );
    console.log(`  stored events and rollups vs generator: ${httpCheck}`);
  }

  const url = baselineDatabaseUrl();
  console.log(`\nBaseline: PostgreSQL \\copy of the same events + SQL rollup (${runs} runs) at ${url}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const base: number[] = [];
  try {
    await client.query("SET work_mem = '256MB'");
    await client.query("SET jit = off");
    for (let r = 0; r < runs; r++) {
      warm(tsv);
      const b = await baselineOnce(client, url, tsv);
      base.push(b.seconds);
      console.log(
        `  run ${r + 1}/${runs}: ${formatSeconds(b.seconds)} (COPY ${formatSeconds(b.copy)}, rollup ${formatSeconds(b.rollup)}; ${n(b.rows)} rows)`,
      );
    }
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  } finally {
    await client.end();
  }

  const bulkS = median(bulk);
  console.log(
    `\nBulk import CPU median: ${formatSeconds(median(bulkCpu))} = ${n(events / median(bulkCpu))} events/cpu-s`,
  );
  const httpS = median(httpTimes);
  const baseS = median(base);
  const rows = [
    ...(httpRuns === 0
      ? []
      : [
          [
            "HTTP /v1/batch, events/s",
            n(events / httpS),
            "-",
            "-",
            `>= ${n(HTTP_TARGET)}`,
            pass(events / httpS >= HTTP_TARGET && httpCheck === "ok"),
          ],
        ]),
    [
      "bulk import, events/s",
      n(events / bulkS),
      n(events / baseS),
      formatRatio(baseS / bulkS),
      `>= ${n(BULK_TARGET)}`,
      pass(events / bulkS >= BULK_TARGET && bulkCheck === "ok"),
    ],
    [
      "bulk import vs COPY + rollup, s",
      formatSeconds(bulkS),
      formatSeconds(baseS),
      formatRatio(baseS / bulkS),
      `>= ${MIN_BASELINE_RATIO}× faster`,
      pass(baseS / bulkS >= MIN_BASELINE_RATIO),
    ],
  ];
  console.log(
    `\n${renderTable(["figure (medians)", "Tenure", "baseline", "ratio", "target", "result"], rows)}`,
  );
  return rows.every((r) => r[5] === "PASS") ? 0 : 1;
}

export const ingestSuite: BenchSuite = {
  name: "ingest",
  description: "usage ingestion: /v1/batch over HTTP and bulk JSON-lines import vs PostgreSQL COPY + rollup",
  run,
};
