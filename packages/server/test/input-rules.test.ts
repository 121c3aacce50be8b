import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

const WS = "default";
const ACCOUNT = "acc_rules_1";

describe.each(testDialects())("input rules on %s (issue 14 §7)", (dialect) => {
  let db: TestStorage;
  let app: ReturnType<typeof createApp>;
  let key: string;
  let writeKey: string;

  beforeAll(async () => {
    db = await openTestStorage(dialect);
    key = (await db.storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
    writeKey = (await db.storage.apiKeys.create(WS, { name: "w", kind: "write" })).key;
    app = createApp({
      storage: db.storage,
      config: { reportingCurrency: "USD", grossMargin: 1 },
      today: () => "2026-11-15",
    });
    const imported = await app.request("/api/import/accounts", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "text/csv" },
      body: `id,name\n${ACCOUNT},Rules Test\n`,
    });
    expect(imported.status).toBe(200);
  });

  afterAll(async () => {
    await db.cleanup();
  });

  /** Sends raw JSON text: `\u0000` escapes and `1e309` reach the server exactly as a client wrote them. */
  const call = async (method: string, url: string, json?: string) => {
    const res = await app.request(url, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(json === undefined ? {} : { "content-type": "application/json" }),
      },
      body: json,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const message = (r: { body: Record<string, unknown> }) =>
    (r.body.error as { message: string } | undefined)?.message;
  const NUL = "must not contain a NUL character (\\u0000)";

  it("should answer 400 naming the field when a NUL is in a JSON body, and write nothing (was 500 on PostgreSQL)", async () => {
    const cases: [string, string, string, string][] = [
      ["POST", "/api/views", '{"name":"a\\u0000b","filters":{}}', `Invalid json: name: ${NUL}`],
      [
        "POST",
        "/api/views",
        '{"name":"v","filters":{"tier":"x\\u0000"}}',
        `Invalid json: filters.tier: ${NUL}`,
      ],
      [
        "POST",
        `/api/accounts/${ACCOUNT}/timeline`,
        '{"type":"note","title":"t\\u0000"}',
        `Invalid json: title: ${NUL}`,
      ],
      [
        "POST",
        `/api/accounts/${ACCOUNT}/timeline`,
        '{"type":"note","title":"t","data":{"k\\u0000":1}}',
        `Invalid json: data["k\\u0000"]: key ${NUL}`,
      ],
      [
        "POST",
        `/api/accounts/${ACCOUNT}/timeline`,
        '{"type":"note","title":"t","data":{"list":["ok","b\\u0000"]}}',
        `Invalid json: data.list[1]: ${NUL}`,
      ],
      [
        "PUT",
        `/api/accounts/${ACCOUNT}/stage`,
        '{"stage":"adoption","note":"\\u0000"}',
        `Invalid json: note: ${NUL}`,
      ],
      ["POST", "/api/signal-rules", '{"id":"r\\u0000","when":[]}', `Invalid json: id: ${NUL}`],
      ["PUT", "/api/scorecard", '{"id":"s","name":"\\u0000"}', `Invalid json: name: ${NUL}`],
      ["POST", "/api/invitations/lookup", '{"token":"tl_\\u0000-unknown"}', `Invalid json: token: ${NUL}`],
    ];
    for (const [method, url, json, expected] of cases) {
      const r = await call(method, url, json);
      expect({ url, json, status: r.status, message: message(r) }).toEqual({
        url,
        json,
        status: 400,
        message: expected,
      });
    }
    expect(((await call("GET", "/api/views")).body.views as unknown[]).length).toBe(0);
    const timeline = await call("GET", `/api/accounts/${ACCOUNT}/timeline`);
    expect(timeline.body.entries).toEqual([]);
  });

  it("should answer 400 naming the parameter when a NUL is in a query or path parameter", async () => {
    const query = await call("GET", "/api/signals?accountId=a%00b");
    expect(query.status).toBe(400);
    expect(message(query)).toBe(`Invalid query: accountId: ${NUL}`);
    const param = await call("GET", "/api/accounts/acc%00x/overview");
    expect(param.status).toBe(400);
    expect(message(param)).toBe(`Invalid param: id: ${NUL}`);
    const search = await call("GET", "/api/accounts?search=%00");
    expect(search.status).toBe(400);
    expect(message(search)).toBe(`Invalid query: search: ${NUL}`);
  });

  it("should answer 400 naming the field when a number is 1e309 (was stored as Infinity)", async () => {
    const stage = await call(
      "POST",
      `/api/accounts/${ACCOUNT}/timeline`,
      '{"type":"note","title":"t","data":{"arr":1e309}}',
    );
    expect(stage.status).toBe(400);
    expect(message(stage)).toBe("Invalid json: data.arr: must be a finite number");
    const rule = await call("POST", "/api/signal-rules", '{"id":"r1","threshold":-1e309}');
    expect(rule.status).toBe(400);
    expect(message(rule)).toBe("Invalid json: threshold: must be a finite number");
    const train = await call("POST", "/api/predictions/train", '{"horizonDays":1e309}');
    expect(train.status).toBe(400);
    expect(message(train)).toContain("horizonDays");
    const limit = await call("GET", "/api/accounts?limit=1e309");
    expect(limit.status).toBe(400);
    expect(message(limit)).toContain("limit");
    // 400 digits parse as Infinity; a growth rate must be a monthly fraction.
    const rates = await call("GET", `/api/revenue/whatif?rates=0,${"9".repeat(400)}`);
    expect(rates.status).toBe(400);
    expect(message(rates)).toBe(
      "Invalid query: rates: each rate must be a monthly fraction between -1 and 1",
    );
    const offset = await call("GET", "/api/accounts?offset=1e20");
    expect(offset.status).toBe(400);
    expect(message(offset)).toContain("offset");
    expect((await call("GET", "/api/signal-rules")).body.rules).toEqual([]);
  });

  it("should answer 400 naming the call and field when a tracking call holds a NUL", async () => {
    const res = await app.request("/v1/batch", {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: '{"batch":[{"type":"track","userId":"u1","event":"E"},{"type":"track","userId":"u\\u0000","event":"E"}]}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      `batch[1].userId: userId ${NUL}`,
    );
    // A backslash followed by "u0000" is not a NUL: accepted.
    const literal = await app.request("/v1/track", {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: '{"userId":"u2","event":"E","properties":{"path":"C:\\\\u0000"}}',
    });
    expect(literal.status).toBe(200);
  });
});
