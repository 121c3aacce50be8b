/**
 * `npm run bench -- auth [--dialect sqlite|postgres|both] [--accounts N] [--samples N] [--sign-ins N] [--seconds S] [--runs R]`:
 * sign-in and authorisation (issue 16, section 9), against a `tenure serve` child on the demo company
 * (2,400 accounts, its ~45 team members) with 50 users of every role, in a workspace where CSMs read
 * only their own book (the costliest check: the account's book is read on every account page).
 * 1. The authorisation check's added time on the account page (`GET /api/accounts/{id}/overview`):
 *    a CSM's session (session, membership, book check) against the same page by an admin API key
 *    (no session, no book check), requests alternated on one keep-alive connection. Target: ≤ 1 ms p99.
 * 2. Sign-in (`POST /api/auth/sign-in/email`, password hashing included) p99, one at a time and 4 at
 *    once, against better-auth's password check alone in this process. Target: ≤ 300 ms p99.
 * 3. 200 req/s of mixed reads by the 50 signed-in users (account page 100 req/s, other reads of the
 *    app 100 req/s: /me, the accounts list, timeline, usage, tasks), against the same load by one admin
 *    key; open loop, requests evenly spaced, latency from each one's due time (bench/lib/paced-load.ts).
 *    Target: account page p99 ≤ 50 ms.
 * Each measurement is repeated R times (default 3) and the median of its p50s and p99s printed, with
 * the machine's load average. PostgreSQL: the database `tenure_bench_auth` (dropped and re-created).
 */
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createSeededRng } from "@tenure/core";
import { createApp, createUserAdmin } from "@tenure/server";
import { ACCESS_SETTINGS_KEY, seedDemo } from "@tenure/services";
import { type MembershipRole, openStorage, type StorageConfig } from "@tenure/storage";
import { hashPassword, verifyPassword } from "better-auth/crypto";
import { assertKnownFlags, intFlag } from "./lib/args";
import { type BenchDialect, dialectsFlag, freshStore, startServeChild } from "./lib/bench-store";
import { stopServer } from "./lib/http-load";
import { formatMs, latency, loadNote } from "./lib/latency";
import { pacedLoad } from "./lib/paced-load";
import type { BenchSuite } from "./lib/suite";
import { renderTable } from "./lib/table";
import { median } from "./lib/timing";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const DB_FILE = path.join(REPO_ROOT, "bench/.data/auth.db");
const PG_DATABASE = "tenure_bench_auth";
const WORKSPACE = "default";
const AS_OF = new Date().toISOString().slice(0, 10);
const PORT = 39_561;
const USERS = 50;
const CHECK_TARGET_MS = 1;
const SIGN_IN_TARGET_MS = 300;
const PAGE_TARGET_MS = 50;
const RATE = 200;

interface BenchUser {
  email: string;
  password: string;
  role: MembershipRole;
  cookie: string;
  /** Accounts of the user's first list page: in their book for a CSM. */
  accounts: string[];
}

/** The demo company (no activity history), CSMs limited to their book, 50 users with passwords. */
async function build(config: StorageConfig, accounts: number): Promise<BenchUser[]> {
  const storage = await openStorage(config);
  try {
    await seedDemo(storage, { workspaceId: WORKSPACE, accounts, seed: 42, asOf: AS_OF, activity: false });
    await storage.workspaceSettings.set(WORKSPACE, ACCESS_SETTINGS_KEY, { csmReadsAllAccounts: false });
    const admin = createUserAdmin(storage);
    const members = (await storage.team.listMembers(WORKSPACE))
      .filter((m) => m.active && m.teamId !== null)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const firstOfTeam = new Set<string>();
    const users: BenchUser[] = [];
    for (let i = 0; i < USERS; i++) {
      const member = members[i];
      // A team's first member manages it, the others are CSMs; the rest of the 50 are viewers.
      let role: MembershipRole = "viewer";
      if (member?.teamId != null) {
        role = firstOfTeam.has(member.teamId) ? "csm" : "manager";
        firstOfTeam.add(member.teamId);
      }
      const email = `bench-user-${i}@example.com`;
      const password = `bench password ${i}`;
      await admin.create(WORKSPACE, {
        email,
        name: `Bench ${i}`,
        role,
        memberId: member?.id ?? null,
        password,
      });
      users.push({ email, password, role, cookie: "", accounts: [] });
    }
    return users;
  } finally {
    await storage.close();
  }
}

let agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** One request on a keep-alive connection: status, milliseconds and the Set-Cookie header. */
function timed(
  method: string,
  urlPath: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; ms: number; setCookie: string; text: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = http.request(
      { agent, host: "127.0.0.1", port: PORT, path: urlPath, method, headers },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => {
          text += d.toString();
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - start,
            setCookie: String(res.headers["set-cookie"]?.[0] ?? ""),
            text,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

let ipCounter = 0;
/** Signs in from an address of its own (the server trusts X-Forwarded-For from loopback, as behind a proxy). */
async function signIn(user: BenchUser) {
  ipCounter++;
  const body = JSON.stringify({ email: user.email, password: user.password });
  const r = await timed(
    "POST",
    "/api/auth/sign-in/email",
    {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      "x-forwarded-for": `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`,
    },
    body,
  );
  if (r.status !== 200) throw new Error(`sign-in of ${user.email}: ${r.status} ${r.text}`);
  return { ms: r.ms, cookie: r.setCookie.split(";")[0] ?? "" };
}

const overview = (id: string) => `/api/accounts/${encodeURIComponent(id)}/overview`;

interface Figure {
  p50: number;
  p99: number;
}
const medianOf = (runs: Figure[]): Figure => ({
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
});

/** Part 1: the account page by a CSM's session and by an admin key, alternated. */
async function checkCost(users: BenchUser[], key: string, samples: number) {
  const csms = users.filter((u) => u.role === "csm" && u.accounts.length > 0);
  const rnd = createSeededRng(7);
  const withKey: number[] = [];
  const withSession: number[] = [];
  for (let i = 0; i < samples; i++) {
    const user = csms[i % csms.length] as BenchUser;
    const id = user.accounts[Math.floor(rnd() * user.accounts.length)] as string;
    const a = await timed("GET", overview(id), { authorization: `Bearer ${key}` });
    const b = await timed("GET", overview(id), { cookie: user.cookie });
    if (a.status !== 200 || b.status !== 200) throw new Error(`account page: ${a.status} / ${b.status}`);
    withKey.push(a.ms);
    withSession.push(b.ms);
  }
  return { key: latency(withKey), session: latency(withSession) };
}

/** Part 2: `count` sign-ins, `parallel` at a time. */
async function signIns(users: BenchUser[], count: number, parallel: number): Promise<Figure> {
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const user = users[next++ % users.length] as BenchUser;
      times.push((await signIn(user)).ms);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return latency(times);
}

/** better-auth's password check alone, in this process: what every sign-in pays at least. */
async function hashOnly(count: number): Promise<Figure> {
  const hash = await hashPassword("bench password 0");
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    if (!(await verifyPassword({ hash, password: "bench password 0" }))) throw new Error("verify failed");
    times.push(performance.now() - start);
  }
  return latency(times);
}

/**
 * Part 3: the account page and other reads, 100 req/s each, by the users (or one key) at once: one
 * open-loop schedule of 200 req/s, alternately a page and another read (bench/lib/paced-load.ts).
 */
async function mixed(users: BenchUser[], key: string | null, seconds: number) {
  const rnd = createSeededRng(19);
  const readers = users.filter((u) => u.accounts.length > 0);
  const pick = () => readers[Math.floor(rnd() * readers.length)] as BenchUser;
  const auth = (u: BenchUser): Record<string, string> =>
    key === null ? { cookie: u.cookie } : { authorization: `Bearer ${key}` };
  const account = (u: BenchUser) => u.accounts[Math.floor(rnd() * u.accounts.length)] as string;
  const others = [
    () => "/api/me",
    () => "/api/accounts?limit=25",
    (u: BenchUser) => `/api/accounts/${encodeURIComponent(account(u))}/timeline`,
    (u: BenchUser) => `/api/accounts/${encodeURIComponent(account(u))}/usage/summary`,
    () => "/api/tasks",
  ];
  let i = 0;
  const r = await pacedLoad({
    port: PORT,
    rate: RATE,
    seconds,
    connections: USERS,
    next: () => {
      const u = pick();
      if (i++ % 2 === 0) return { path: overview(account(u)), headers: auth(u), kind: "page" };
      const p = others[Math.floor(rnd() * others.length)] as (u: BenchUser) => string;
      return { path: p(u), headers: auth(u), kind: "other" };
    },
  });
  const of = (kind: string) => r.byKind[kind] ?? { p50: Number.NaN, p99: Number.NaN };
  return {
    page: { p50: of("page").p50, p99: of("page").p99 },
    other: { p50: of("other").p50, p99: of("other").p99 },
    requests: r.requests,
    errors: r.errors,
    /** What the errors were: timeouts, 4xx and 5xx answers. */
    detail: {
      timeouts: r.statuses.timeout ?? 0,
      c4xx: Object.entries(r.statuses).reduce((n, [s, c]) => n + (s.startsWith("4") ? c : 0), 0),
      c5xx: Object.entries(r.statuses).reduce((n, [s, c]) => n + (s.startsWith("5") ? c : 0), 0),
    },
  };
}

/**
 * Part 1 again in this process, on the same database and sessions (the app without its socket): the
 * CPU time (user + system, this process) each request takes, which a busy shared machine disturbs far
 * less than wall time. PostgreSQL's own work is in its server process, so not counted there.
 */
async function checkCpu(config: StorageConfig, users: BenchUser[], key: string, samples: number) {
  const storage = await openStorage(config, { migrate: false });
  try {
    const app = createApp({ storage, config: { reportingCurrency: "USD", grossMargin: 1 } });
    const csms = users.filter((u) => u.role === "csm" && u.accounts.length > 0);
    const rnd = createSeededRng(23);
    const cpu = { key: [] as number[], session: [] as number[] };
    const one = async (path: string, headers: Record<string, string>) => {
      const before = process.cpuUsage();
      const res = await app.request(path, { headers });
      await res.arrayBuffer();
      const used = process.cpuUsage(before);
      if (res.status !== 200) throw new Error(`in process: ${path} → ${res.status}`);
      return (used.user + used.system) / 1000;
    };
    for (let i = 0; i < samples + 200; i++) {
      const user = csms[i % csms.length] as BenchUser;
      const id = user.accounts[Math.floor(rnd() * user.accounts.length)] as string;
      const a = await one(overview(id), { authorization: `Bearer ${key}` });
      const b = await one(overview(id), { cookie: user.cookie });
      // The first 200 of each warm the code paths up.
      if (i < 200) continue;
      cpu.key.push(a);
      cpu.session.push(b);
    }
    return { key: latency(cpu.key), session: latency(cpu.session) };
  } finally {
    await storage.close();
  }
}

async function runDialect(
  dialect: BenchDialect,
  opts: { accounts: number; samples: number; signIns: number; seconds: number; runs: number },
) {
  console.log(`\n[${dialect}] building ${opts.accounts} demo accounts and ${USERS} users...`);
  const config = await freshStore(dialect, DB_FILE, PG_DATABASE);
  const users = await build(config, opts.accounts);
  const storage = await openStorage(config, { migrate: false });
  let key: string;
  try {
    key = (await storage.apiKeys.create(WORKSPACE, { name: "bench", scope: "admin" })).key;
  } finally {
    await storage.close();
  }
  // The rate limits stay in the path, raised: the bench is one machine playing 50 users behind a proxy.
  const server = await startServeChild(REPO_ROOT, config, PORT, {
    TENURE_HEALTH_INTERVAL_MINUTES: "0",
    TENURE_TRUST_PROXY: "on",
    TENURE_RATE_LIMIT_KEY_PER_MINUTE: "1000000",
    TENURE_RATE_LIMIT_KEY_BURST: "1000000",
    TENURE_RATE_LIMIT_IP_PER_MINUTE: "1000000",
    TENURE_RATE_LIMIT_IP_BURST: "1000000",
  });
  agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const rows: string[][] = [];
  let ok = true;
  const verdict = (pass: boolean, target: string) => {
    ok &&= pass;
    return `${pass ? "PASS" : "FAIL"} (${target})`;
  };
  try {
    for (const u of users) {
      u.cookie = (await signIn(u)).cookie;
      const list = await timed("GET", "/api/accounts?limit=25", { cookie: u.cookie });
      if (list.status !== 200)
        throw new Error(`accounts list of ${u.email} (${u.role}): ${list.status} ${list.text}`);
      u.accounts = (JSON.parse(list.text) as { accounts: { id: string }[] }).accounts.map((r) => r.id);
    }
    // Warm-up: the server's first requests compile its code paths.
    await checkCost(users, key, 200);
    const check: { key: Figure; session: Figure }[] = [];
    const cpuCheck: { key: Figure; session: Figure }[] = [];
    const sequential: Figure[] = [];
    const parallel: Figure[] = [];
    const hash: Figure[] = [];
    const loadSessions: Awaited<ReturnType<typeof mixed>>[] = [];
    const loadKey: Awaited<ReturnType<typeof mixed>>[] = [];
    for (let r = 1; r <= opts.runs; r++) {
      console.log(`  run ${r}/${opts.runs}: ${loadNote()}`);
      check.push(await checkCost(users, key, opts.samples));
      cpuCheck.push(await checkCpu(config, users, key, opts.samples));
      hash.push(await hashOnly(100));
      sequential.push(await signIns(users, opts.signIns, 1));
      parallel.push(await signIns(users, opts.signIns, 4));
      loadKey.push(await mixed(users, key, opts.seconds));
      loadSessions.push(await mixed(users, null, opts.seconds));
      const [lk, ls] = [loadKey.at(-1), loadSessions.at(-1)];
      console.log(
        `    mixed reads, account page p50/p99: admin key ${lk?.page.p50}/${lk?.page.p99} ms, sessions ${ls?.page.p50}/${ls?.page.p99} ms`,
      );
    }
    console.log(`  after the runs: ${loadNote()}`);
    const k = medianOf(check.map((c) => c.key));
    const s = medianOf(check.map((c) => c.session));
    const added = s.p99 - k.p99;
    rows.push(
      ["account page, admin API key (baseline)", formatMs(k.p50), formatMs(k.p99), "", ""],
      [
        "account page, CSM session (book check)",
        formatMs(s.p50),
        formatMs(s.p99),
        `${(s.p99 / k.p99).toFixed(2)}× baseline`,
        "",
      ],
      [
        "  added by session + authorisation",
        formatMs(s.p50 - k.p50),
        formatMs(added),
        "",
        verdict(added <= CHECK_TARGET_MS, `≤ ${CHECK_TARGET_MS} ms p99`),
      ],
    );
    const ck = medianOf(cpuCheck.map((c) => c.key));
    const cs = medianOf(cpuCheck.map((c) => c.session));
    const cpuAdded = cs.p99 - ck.p99;
    rows.push(
      ["in process, CPU: admin API key (baseline)", formatMs(ck.p50), formatMs(ck.p99), "", ""],
      [
        "in process, CPU: CSM session (book check)",
        formatMs(cs.p50),
        formatMs(cs.p99),
        `${(cs.p99 / ck.p99).toFixed(2)}× baseline`,
        "",
      ],
      [
        "  added by session + authorisation (CPU)",
        formatMs(cs.p50 - ck.p50),
        formatMs(cpuAdded),
        "",
        verdict(cpuAdded <= CHECK_TARGET_MS, `≤ ${CHECK_TARGET_MS} ms p99`),
      ],
    );
    const h = medianOf(hash);
    rows.push(["password check alone (baseline)", formatMs(h.p50), formatMs(h.p99), "", ""]);
    for (const [what, f] of [
      ["sign-in, one at a time", medianOf(sequential)],
      ["sign-in, 4 at once", medianOf(parallel)],
    ] as const)
      rows.push([
        what,
        formatMs(f.p50),
        formatMs(f.p99),
        `${(f.p99 / h.p99).toFixed(2)}× baseline`,
        verdict(f.p99 <= SIGN_IN_TARGET_MS, `≤ ${SIGN_IN_TARGET_MS} ms p99`),
      ]);
    const all = [...loadKey, ...loadSessions];
    const errors = all.reduce((sum, l) => sum + l.errors, 0);
    const detail = `${all.reduce((x, l) => x + l.detail.timeouts, 0)} timeouts, ${all.reduce((x, l) => x + l.detail.c4xx, 0)} 4xx, ${all.reduce((x, l) => x + l.detail.c5xx, 0)} 5xx`;
    const kp = medianOf(loadKey.map((l) => l.page));
    const sp = medianOf(loadSessions.map((l) => l.page));
    const so = medianOf(loadSessions.map((l) => l.other));
    const requests = median(loadSessions.map((l) => l.requests));
    rows.push(
      [`${RATE} req/s mixed, one admin key: account page (baseline)`, `${kp.p50} ms`, `${kp.p99} ms`, "", ""],
      [
        `${RATE} req/s mixed, ${USERS} users: account page`,
        `${sp.p50} ms`,
        `${sp.p99} ms`,
        `${(sp.p99 / Math.max(kp.p99, 1)).toFixed(2)}× baseline`,
        verdict(sp.p99 <= PAGE_TARGET_MS && errors === 0, `≤ ${PAGE_TARGET_MS} ms p99; errors: ${detail}`),
      ],
      [
        `${RATE} req/s mixed, ${USERS} users: other reads`,
        `${so.p50} ms`,
        `${so.p99} ms`,
        `${requests} requests per run`,
        "",
      ],
    );
  } finally {
    await stopServer(server);
    agent.destroy();
  }
  console.log(
    renderTable([`${dialect}: sign-in and authorisation`, "p50", "p99", "vs baseline", "verdict"], rows),
  );
  return ok;
}

async function run(args: readonly string[]): Promise<number> {
  assertKnownFlags(args, ["dialect", "accounts", "samples", "sign-ins", "seconds", "runs"]);
  const opts = {
    accounts: intFlag(args, "accounts", 2_400),
    samples: intFlag(args, "samples", 2_000),
    signIns: intFlag(args, "sign-ins", 100),
    seconds: intFlag(args, "seconds", 10),
    runs: intFlag(args, "runs", 3),
  };
  let ok = true;
  for (const d of dialectsFlag(args)) ok = (await runDialect(d, opts)) && ok;
  console.log(
    `medians of ${opts.runs} runs; check: ${opts.samples} requests each way, alternated on one keep-alive connection; sign-in: ${opts.signIns} per figure, each from its own address; mixed reads: open loop at ${RATE} req/s (latency from each request's due time), ${opts.seconds} s, ${USERS} connections`,
  );
  return ok ? 0 : 1;
}

export const authSuite: BenchSuite = {
  name: "auth",
  description:
    "sign-in and authorisation: check cost on the account page, sign-in p99, 50 users at 200 req/s",
  run,
};
