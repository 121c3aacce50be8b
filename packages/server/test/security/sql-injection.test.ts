import { seedDemo } from "@tenure/services";
import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import type { OpenApiDocument } from "../support/openapi-arbitraries";
import { listLengths, operationsOf, SQL_PAYLOADS, tableRowCounts } from "./support";

/**
 * SQL injection (issue 16 §7): every payload in every query parameter of every GET route of the
 * OpenAPI document (and every path parameter), on both dialects. Each answer is compared with the
 * answer to a harmless literal that matches nothing: a payload may be refused (4xx) but never answer
 * 500, and never list more or fewer rows than that literal; every table keeps its row count.
 */
const WS = "default";
const TODAY = "2026-11-15";
/** Matches nothing anywhere, like the payloads should. */
const LITERAL = "zz-no-such-value";

describe.each(testDialects())("SQL injection on %s", (dialect) => {
  let db: TestStorage;
  let app: ReturnType<typeof createApp>;
  let auth: { headers: { authorization: string } };
  let doc: OpenApiDocument;
  let accountId: string;
  let before: Record<string, number>;
  let tried = 0;

  beforeAll(async () => {
    db = await openTestStorage(dialect);
    await seedDemo(db.storage, { workspaceId: WS, accounts: 20, seed: 11, asOf: TODAY });
    const key = (await db.storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
    auth = { headers: { authorization: `Bearer ${key}` } };
    app = createApp({
      storage: db.storage,
      config: { reportingCurrency: "USD", grossMargin: 1 },
      today: () => TODAY,
    });
    doc = (await (await app.request("/api/openapi.json")).json()) as OpenApiDocument;
    accountId = (await db.storage.accounts.list(WS))[0]?.id ?? "";
    // Reads fill derived tables (the accounts list's rows) on first use: read every route once first.
    for (const { path } of gets()) await ask(filled(path));
    tried = 0;
    before = await tableRowCounts(db.config);
  }, 240_000);

  afterAll(async () => {
    console.log(`SQL injection on ${dialect}: ${tried} requests (${SQL_PAYLOADS.length} payloads)`);
    await db.cleanup();
  });

  const ask = async (url: string) => {
    const res = await app.request(url, auth);
    const text = await res.text();
    tried++;
    let json: unknown = null;
    if ((res.headers.get("content-type") ?? "").includes("json")) json = JSON.parse(text);
    return { status: res.status, json, text };
  };

  /** A GET route's URL with its path parameters filled (an account's id where it takes one). */
  const filled = (p: string, values: Record<string, string> = {}) =>
    `/api${p.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? (p.startsWith("/accounts/") && name === "id" ? accountId : name === "table" ? "accounts" : LITERAL)))}`;

  const gets = () => operationsOf(doc).filter((o) => o.method === "get");

  it("should never answer 500 nor change a result when any query parameter holds an injection string", async () => {
    const withQuery = gets().filter((o) => (o.op.parameters ?? []).some((p) => p.in === "query"));
    // Enumerated from the document: every filter, sort, search and segment parameter is among them.
    const names = new Set(withQuery.flatMap((o) => (o.op.parameters ?? []).map((p) => p.name)));
    for (const n of ["search", "sort", "segment", "owner", "from", "to", "status"])
      expect(names).toContain(n);
    let params = 0;
    for (const { path, op } of withQuery) {
      for (const param of (op.parameters ?? []).filter((p) => p.in === "query")) {
        params++;
        const url = (v: string) => `${filled(path)}?${new URLSearchParams({ [param.name]: v })}`;
        // The literal that matches nothing, in the parameter's syntax where it has one (segment: attr=value).
        let base = await ask(url(LITERAL));
        if (base.status >= 400) base = await ask(url(`zz=${LITERAL}`));
        expect(base.status, `${url(LITERAL)} → ${base.text.slice(0, 300)}`).toBeLessThan(500);
        for (const payload of SQL_PAYLOADS) {
          const got = await ask(url(payload));
          const where = `GET ${url(payload)} → ${got.status} ${got.text.slice(0, 300)}`;
          expect(got.status, where).toBeLessThan(500);
          if (got.status < 300) {
            // Accepted only where the literal is, and then with the same rows (none matched).
            expect(base.status, where).toBeLessThan(300);
            if (got.json !== null) expect(listLengths(got.json), where).toEqual(listLengths(base.json));
          }
          if (param.schema.enum !== undefined) {
            // A bad sort, order or other choice is a 400 naming the field.
            expect(got.status, where).toBe(400);
            expect(got.text, where).toContain(param.name);
          }
        }
      }
    }
    console.log(`SQL injection on ${dialect}: ${withQuery.length} GET routes, ${params} query parameters`);
    expect(await tableRowCounts(db.config)).toEqual(before);
  }, 600_000);

  it("should find nothing when the accounts search holds an injection string, and the literal text when it is there", async () => {
    // An account whose name holds one payload literally: found by exactly that text, and only it.
    const planted = "O'Brien \"; DROP TABLE accounts; -- 100% _co_";
    const csv = `id,name\nacc_planted,"${planted.replace(/"/g, '""')}"\n`;
    const imported = await app.request("/api/import/accounts", {
      method: "POST",
      headers: { ...auth.headers, "content-type": "text/csv" },
      body: csv,
    });
    expect(imported.status, await imported.text()).toBe(200);
    before = await tableRowCounts(db.config);
    const search = async (q: string) =>
      (
        (await ask(`/api/accounts?${new URLSearchParams({ search: q })}`)).json as {
          accounts: { id: string; name: string }[];
        }
      ).accounts;
    // Found only where the text is, as written: in the name or the id (ids hold "_").
    const holds = (a: { id: string; name: string }, q: string) =>
      `${a.name}\n${a.id}`.toLowerCase().includes(q.trim().toLowerCase());
    for (const payload of [...SQL_PAYLOADS, "_", "__"]) {
      const found = await search(payload);
      expect(
        found.filter((a) => !holds(a, payload)).map((a) => a.name),
        payload,
      ).toEqual([]);
    }
    for (const part of ["O'Brien", '"; DROP TABLE', "100%", "% _co_", " _co_"]) {
      expect(
        (await search(part)).map((a) => a.id),
        part,
      ).toEqual(["acc_planted"]);
    }
    expect((await search("%")).map((a) => a.id)).toEqual(["acc_planted"]);
  });

  it("should answer 400 naming the field when the sort is not a sortable field", async () => {
    for (const sort of ["name; DROP TABLE accounts", "arr desc", "(select 1)", "1"]) {
      const got = await ask(`/api/accounts?${new URLSearchParams({ sort })}`);
      expect(got.status, sort).toBe(400);
      expect(got.text, sort).toMatch(/sort: /);
    }
  });

  it("should answer as for an unknown id, never 500, when any path parameter of a GET route holds an injection string", async () => {
    for (const { path, op } of gets()) {
      for (const param of (op.parameters ?? []).filter((p) => p.in === "path")) {
        const base = await ask(filled(path, { [param.name]: LITERAL }));
        for (const payload of SQL_PAYLOADS) {
          const url = filled(path, { [param.name]: payload });
          const got = await ask(url);
          const where = `GET ${url} → ${got.status} ${got.text.slice(0, 300)}`;
          expect(got.status, where).toBeLessThan(500);
          expect(Math.floor(got.status / 100), where).toBe(Math.floor(base.status / 100));
          if (got.status < 300 && got.json !== null)
            expect(listLengths(got.json), where).toEqual(listLengths(base.json));
        }
      }
    }
    expect(await tableRowCounts(db.config)).toEqual(before);
  }, 300_000);
});
