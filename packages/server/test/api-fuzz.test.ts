import { seedDemo } from "@tenure/services";
import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import {
  jsonText,
  mutated,
  type OpenApiDocument,
  type Operation,
  paramText,
  type SchemaObject,
} from "./support/openapi-arbitraries";

/**
 * Every route of the OpenAPI document, fuzzed from its own schemas (issue 14 §7): every answer is
 * 2xx or 4xx, a 400 names the field, and a refused write leaves the data as it was.
 */
const WS = "default";
const TODAY = "2026-11-15";
const RUNS = Number(process.env.TENURE_FUZZ_RUNS ?? 10);
/** Routes whose valid calls are slow (model training): fewer runs. */
const SLOW = new Set(["post /predictions/train"]);

/**
 * Whether a 400 names the bad field: `field: reason` first (after `Invalid json: ` or `Invalid signal rule: `), or one
 * of the request's field names as a word (`leftAt must be ...`, `Unknown segment attribute ...`).
 */
const namesField = (message: string, fields: Set<string>) => {
  // "Invalid json: ", "Invalid signal rule: ", "Invalid scorecard (2 problem(s)):\n- "
  const m = message.replace(/^Invalid [^:]*:\s*(- )?/, "");
  // Quoted keys (`filters[" "]`) may hold anything.
  if (/^[^\s:]{1,200}: \S/.test(m.replace(/\["(?:[^"\\]|\\.)*"\]/g, "[k]"))) return true;
  const words = new Set(m.split(/[^\w.]+/).flatMap((w) => [w, w.split(".")[0]]));
  return [...fields].some((f) => f.length > 1 && words.has(f));
};

interface Case {
  url: string;
  /** Names a 400 may start with: the parameters and the body's top-level keys. */
  fields: Set<string>;
  init: RequestInit & { headers: Record<string, string> };
  show: string;
}

describe.each(testDialects())("API fuzz on %s", (dialect) => {
  let db: TestStorage;
  let app: ReturnType<typeof createApp>;
  let key: string;
  let doc: OpenApiDocument;
  const pools: Record<string, string[]> = {};
  let cases = 0;

  beforeAll(async () => {
    db = await openTestStorage(dialect);
    await seedDemo(db.storage, { workspaceId: WS, accounts: 20, seed: 11, asOf: TODAY });
    key = (await db.storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
    app = createApp({
      storage: db.storage,
      config: { reportingCurrency: "USD", grossMargin: 1 },
      today: () => TODAY,
    });
    doc = (await (await app.request("/api/openapi.json")).json()) as OpenApiDocument;
    const get = async (url: string) =>
      (await (await app.request(url, { headers: { authorization: `Bearer ${key}` } })).json()) as Record<
        string,
        unknown
      >;
    const accounts = ((await get("/api/accounts?limit=5000")).accounts as { id: string }[]).map((a) => a.id);
    pools.account = accounts.slice(0, 2);
    const overview = await get(`/api/accounts/${pools.account[0]}/overview`);
    pools.contact = ((overview.contacts as { id: string }[] | undefined) ?? []).map((c) => c.id).slice(0, 3);
    pools.signal = ((await get("/api/signals")).signals as { id: string }[]).map((s) => s.id).slice(0, 3);
  }, 240_000);

  /** Cases per operation: every operation of the document must have had its share. */
  const perOperation = new Map<string, number>();

  afterAll(async () => {
    console.log(`API fuzz on ${dialect}: ${cases} cases over ${perOperation.size} operations`);
    await db.cleanup();
  });

  const read = async (url: string) => {
    const res = await app.request(url, { headers: { authorization: `Bearer ${key}` } });
    return [url, res.status, await res.json()];
  };

  /**
   * What a refused write must leave as it was: the data the route writes, read back through the
   * API (the account's timeline and page for account routes, the list for list routes).
   */
  const touched = (path: string, url: string): string[] => {
    const account = /^\/api\/accounts\/([^/?]+)\//.exec(url)?.[1];
    if (account !== undefined) {
      return [`/api/accounts/${account}/timeline?limit=1000`, `/api/accounts/${account}/overview`];
    }
    if (path.startsWith("/signals/")) return ["/api/signals"];
    if (path.startsWith("/signal-rules")) return ["/api/signal-rules"];
    if (path.startsWith("/views")) return ["/api/views"];
    if (path.startsWith("/scorecard")) return ["/api/scorecard"];
    if (path.startsWith("/import/")) return ["/api/accounts?limit=5000"];
    if (path.startsWith("/predictions/"))
      return ["/api/predictions/backtest?target=churn", "/api/predictions/backtest?target=expansion"];
    if (path.startsWith("/settings/")) return [`/api${path}`];
    return [];
  };
  /** Everything an import may write, read from storage (revenue routes would answer from a cache). */
  const imported = async () => {
    const s = db.storage;
    return Promise.all([
      s.accounts.list(WS),
      s.contacts.list(WS),
      s.products.list(WS),
      s.plans.list(WS),
      s.subscriptions.list(WS),
      s.spend.list(WS),
      s.exchangeRates.list(WS),
      s.entitlements.list(WS),
    ]);
  };
  const fingerprint = async (urls: string[], path: string) => [
    await Promise.all(urls.map(read)),
    path.startsWith("/import/") ? await imported() : null,
  ];

  const poolFor = (path: string, param: string): string[] => {
    if (param === "contactId") return pools.contact ?? [];
    if (path.startsWith("/signals/")) return pools.signal ?? [];
    if (path.startsWith("/accounts/")) return pools.account ?? [];
    return [];
  };

  const caseOf = (path: string, method: string, op: Operation): fc.Arbitrary<Case> => {
    const params = op.parameters ?? [];
    const pathParams = params.filter((p) => p.in === "path");
    const queryParams = params.filter((p) => p.in === "query");
    const pathArb = fc.tuple(
      ...pathParams.map((p) => {
        const pool = poolFor(path, p.name);
        const text = paramText(p.schema, doc).filter((s) => s !== "");
        return pool.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, text) : text;
      }),
    );
    const queryArb = fc.tuple(
      ...queryParams.map((p) => fc.option(paramText(p.schema, doc), { nil: undefined, freq: 2 })),
    );
    const content = op.requestBody?.content ?? {};
    const jsonSchema: SchemaObject | undefined = content["application/json"]?.schema;
    const bodyArb: fc.Arbitrary<{ type?: string; text?: string }> =
      jsonSchema === undefined
        ? fc.constant({})
        : fc.oneof(
            {
              weight: 9,
              arbitrary: jsonText(mutated(jsonSchema, doc)).map((text) => ({
                type: "application/json",
                text,
              })),
            },
            {
              weight: 1,
              arbitrary: fc
                .tuple(fc.constantFrom("text/plain", "text/csv", "application/xml"), fc.string())
                .map(([type, text]) => ({ type, text })),
            },
          );
    return fc.tuple(pathArb, queryArb, bodyArb).map(([pathValues, queryValues, body]) => {
      let url = `/api${path}`;
      pathParams.forEach((p, i) => {
        url = url.replace(`{${p.name}}`, encodeURIComponent(pathValues[i] as string));
      });
      const query = new URLSearchParams();
      queryParams.forEach((p, i) => {
        const v = queryValues[i];
        if (v !== undefined) query.set(p.name, v);
      });
      if ([...query].length > 0) url += `?${query}`;
      const headers: Record<string, string> = { authorization: `Bearer ${key}` };
      if (body.type !== undefined) headers["content-type"] = body.type;
      const fields = new Set(["body", ...params.map((p) => p.name)]);
      try {
        const parsed = body.text === undefined ? undefined : (JSON.parse(body.text) as unknown);
        if (typeof parsed === "object" && parsed !== null) for (const k of Object.keys(parsed)) fields.add(k);
      } catch {
        // not JSON: only "body" and the parameters
      }
      return {
        url,
        fields,
        init: { method: method.toUpperCase(), headers, body: body.text },
        show: `${method.toUpperCase()} ${url} ${body.type ?? ""} ${(body.text ?? "").slice(0, 300)}`,
      };
    });
  };

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, op })),
    );

  it("should value the portfolio at the smallest discount rate when asked (fuzz found a 500 at 0.0001)", async () => {
    const auth = { headers: { authorization: `Bearer ${key}` } };
    const smallest = await app.request("/api/predictions/portfolio?discountRate=0.01", auth);
    expect(smallest.status).toBe(200);
    const tiny = await app.request("/api/predictions/portfolio?discountRate=0.0001", auth);
    expect(tiny.status).toBe(400);
    expect(((await tiny.json()) as { error: { message: string } }).error.message).toMatch(
      /^Invalid query: discountRate: /,
    );
  });

  it("should answer every generated request of every route with 2xx or 4xx, name the field and write nothing when refusing", async () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(35);
    for (const { path, method, op } of ops) {
      // Sign-in routes set a cookie and write nothing.
      const writes = method !== "get" && !path.startsWith("/auth/");
      await fc.assert(
        fc.asyncProperty(caseOf(path, method, op), async (c) => {
          const urls = writes ? touched(path, c.url) : [];
          const before = await fingerprint(urls, path);
          const res = await app.request(c.url, c.init);
          const text = await res.text();
          cases++;
          perOperation.set(`${method} ${path}`, (perOperation.get(`${method} ${path}`) ?? 0) + 1);
          expect(res.status, `${c.show}\n→ ${text.slice(0, 500)}`).toBeLessThan(500);
          if (res.status === 400) {
            const message = (JSON.parse(text) as { error: { message: string } }).error.message;
            expect(namesField(message, c.fields), `${c.show}\n→ ${message}`).toBe(true);
          }
          if (res.status >= 400) expect(await fingerprint(urls, path), c.show).toEqual(before);
        }),
        { numRuns: SLOW.has(`${method} ${path}`) ? 3 : RUNS },
      );
    }
    // The list is the document's: a new route is fuzzed without being named here.
    for (const { path, method } of ops) {
      const runs = SLOW.has(`${method} ${path}`) ? 3 : RUNS;
      expect(perOperation.get(`${method} ${path}`) ?? 0, `${method} ${path}`).toBe(runs);
    }
  }, 600_000);
});
