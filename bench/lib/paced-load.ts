/**
 * An open-loop load at a steady rate: request i is due at start + i / rate, sent then whether or not
 * earlier ones have answered, and its latency counts from when it was due (so a server that falls
 * behind is charged for the wait: no coordinated omission, as wrk2 measures).
 *
 * Why not autocannon's `overallRate`: it gives each connection its share per second and lets it send
 * that share back to back when the second starts (httpClient.js `reqsMadeThisSecond`), so "200 req/s
 * over 10 connections" is 10 bursts of 20 at the top of every second, and the p99 measured is the
 * queue of each burst rather than the latency at that rate.
 */
import http from "node:http";
import { latency } from "./latency";

export interface PacedRequest {
  path: string;
  headers?: Record<string, string>;
  /** Which figure the request counts in (`byKind`); default "all". */
  kind?: string;
}

export interface PacedResult {
  p50: number;
  p99: number;
  requests: number;
  /** Failed connections, timeouts and answers other than 2xx. */
  errors: number;
  /** How the errors were: status code (or "error") → count. */
  statuses: Record<string, number>;
  /** p50 and p99 of each kind of request. */
  byKind: Record<string, { p50: number; p99: number; n: number }>;
}

/**
 * `rate` requests a second for `seconds` to 127.0.0.1:`port`, over at most `connections` keep-alive
 * sockets (a request waits for a free one, and that wait is part of its latency).
 */
export async function pacedLoad(opts: {
  port: number;
  rate: number;
  seconds: number;
  connections: number;
  next: () => PacedRequest;
  /** Milliseconds before a request counts as an error (default 30 s). */
  timeoutMs?: number;
}): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const total = Math.round(opts.rate * opts.seconds);
  const interval = 1000 / opts.rate;
  const samples: number[] = [];
  const kinds = new Map<string, number[]>();
  const statuses: Record<string, number> = {};
  let errors = 0;
  const fail = (why: string) => {
    errors++;
    statuses[why] = (statuses[why] ?? 0) + 1;
  };
  const send = (r: PacedRequest, due: number) =>
    new Promise<void>((resolve) => {
      const req = http.get(
        { host: "127.0.0.1", port: opts.port, path: r.path, headers: r.headers, agent },
        (res) => {
          res.resume();
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              const ms = performance.now() - due;
              samples.push(ms);
              const kind = r.kind ?? "all";
              const list = kinds.get(kind) ?? [];
              list.push(ms);
              kinds.set(kind, list);
            } else fail(String(status));
            resolve();
          });
        },
      );
      req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error("timeout")));
      req.on("error", (e) => {
        fail(e.message === "timeout" ? "timeout" : "error");
        resolve();
      });
    });
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(opts.next(), due));
  }
  await Promise.all(inFlight);
  agent.destroy();
  const byKind: PacedResult["byKind"] = {};
  for (const [kind, list] of kinds) {
    const k = latency(list);
    byKind[kind] = { p50: round1(k.p50), p99: round1(k.p99), n: k.n };
  }
  if (samples.length === 0)
    return { p50: Number.NaN, p99: Number.NaN, requests: total, errors, statuses, byKind };
  const l = latency(samples);
  return { p50: round1(l.p50), p99: round1(l.p99), requests: total, errors, statuses, byKind };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** `pacedLoad` of GET requests with one API key over 50 connections: p50, p99, requests, errors. */
export async function pacedKeyLoad(opts: {
  port: number;
  rate: number;
  seconds: number;
  key: string;
  path: () => string;
}): Promise<{ p50: number; p99: number; requests: number; errors: number }> {
  const r = await pacedLoad({
    port: opts.port,
    rate: opts.rate,
    seconds: opts.seconds,
    connections: 50,
    next: () => ({ path: opts.path(), headers: { authorization: `Bearer ${opts.key}` } }),
  });
  return { p50: r.p50, p99: r.p99, requests: r.requests, errors: r.errors };
}
