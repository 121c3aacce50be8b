import { seedDemo } from "@tenure/services";
import { openTestStorage, type TestStorage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import type { OpenApiDocument, SchemaObject } from "./support/openapi-arbitraries";
import { departures } from "./support/openapi-conformance";

/**
 * The web app's API types are generated from the OpenAPI document (npm run gen:web-types), so the
 * document must say what the server answers: every JSON GET route's 200 answer on a demo workspace
 * conforms to its documented schema, with no field the schema leaves out.
 */
const WS = "default";
const TODAY = "2026-11-15";
/** Query parameters a route needs to answer 200. */
const QUERY: Record<string, string> = { "/scores/compare": "?attribute=tier" };
/** Routes the web app reads: each must answer 200 here, so that its schema is checked. */
const WEB_READS = [
  "/me",
  "/revenue/kpis",
  "/revenue/metrics",
  "/revenue/movements",
  "/revenue/cohorts",
  "/revenue/unit-economics",
  "/revenue/bundles",
  "/revenue/whatif",
  "/segments",
  "/accounts",
  "/worklist",
  "/accounts/{id}/overview",
  "/accounts/{id}/timeline",
  "/accounts/{id}/usage/summary",
  "/accounts/{id}/predictions",
  "/signals",
  "/scores/compare",
  "/views",
  "/predictions/backtest",
  "/predictions/portfolio",
  "/predictions/renewals",
  "/settings/clv",
];

interface Get200 {
  responses?: Record<string, { content?: Record<string, { schema: SchemaObject }> }>;
}

describe("API answers conform to the OpenAPI document (the source of the web app's types)", () => {
  let db: TestStorage;
  let doc: OpenApiDocument;
  const answers = new Map<string, { status: number; body: unknown }>();

  beforeAll(async () => {
    db = await openTestStorage("sqlite");
    // Enough accounts to train both models, so that predictions and their reasons are answered too.
    await seedDemo(db.storage, { workspaceId: WS, accounts: 150, seed: 11, asOf: TODAY });
    const key = (await db.storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
    const app = createApp({
      storage: db.storage,
      config: { reportingCurrency: "USD", grossMargin: 1 },
      today: () => TODAY,
    });
    doc = (await (await app.request("/api/openapi.json")).json()) as OpenApiDocument;
    const headers = { authorization: `Bearer ${key}` };
    for (const target of ["churn", "expansion"]) {
      const res = await app.request("/api/predictions/train", {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ target }),
      });
      expect(res.status).toBe(200);
    }
    // The account with the largest ARR at risk: scored, with reasons, CLV and usage.
    const portfolio = (await (await app.request("/api/predictions/portfolio", { headers })).json()) as {
      arrAtRisk: { largest: { accountId: string }[] };
    };
    const id = portfolio.arrAtRisk.largest[0]?.accountId ?? "";
    expect(id).not.toBe("");
    for (const [path, ops] of Object.entries(doc.paths)) {
      const get = (ops as Record<string, Get200>).get;
      if (!get?.responses?.["200"]?.content?.["application/json"] || path.includes("{table}")) continue;
      const url = `/api${path.replace("{id}", encodeURIComponent(id))}${QUERY[path] ?? ""}`;
      const res = await app.request(url, { headers });
      answers.set(path, { status: res.status, body: res.status === 200 ? await res.json() : null });
    }
  });

  afterAll(async () => {
    await db?.cleanup();
  });

  it("should answer the scored account's churn prediction with its reasons", () => {
    const body = answers.get("/accounts/{id}/predictions")?.body as { churn: { reasons: unknown[] } | null };
    expect(body.churn?.reasons.length).toBeGreaterThan(0);
  });

  it("should answer 200 on every route the web app reads", () => {
    const missing = WEB_READS.filter((p) => answers.get(p)?.status !== 200).map(
      (p) => `${p}: ${answers.get(p)?.status ?? "not in the document"}`,
    );
    expect(missing).toEqual([]);
  });

  it("should answer each JSON GET route as its schema says, without undocumented fields", () => {
    const problems: string[] = [];
    for (const [path, { status, body }] of answers) {
      if (status !== 200) continue;
      const op = (doc.paths[path] as Record<string, Get200>).get;
      const schema = op?.responses?.["200"]?.content?.["application/json"]?.schema as SchemaObject;
      problems.push(...departures(body, schema, doc, path).slice(0, 5));
    }
    expect(problems).toEqual([]);
  });
});

describe("departures (the conformance check itself)", () => {
  const doc: OpenApiDocument = {
    paths: {},
    components: {
      schemas: {
        Fit: { type: "object", properties: { gamma: { type: "number" } }, required: ["gamma"] },
      },
    },
  };
  const forecast: SchemaObject = {
    type: "object",
    properties: {
      fit: { $ref: "#/components/schemas/Fit" },
      quota: {
        allOf: [{ $ref: "#/components/schemas/Fit" }, { type: "object", nullable: true, properties: {} }],
      },
      evidence: { type: "object", additionalProperties: { anyOf: [{ type: "number" }, { nullable: true }] } },
    },
    required: ["fit"],
  };

  it("should report a field the schema leaves out, at its path", () => {
    expect(departures({ fit: { gamma: 1, renewals: 3 } }, forecast, doc)).toEqual([
      "$.fit.renewals: not in the schema",
    ]);
  });

  it("should report a missing required field and a wrong type", () => {
    expect(departures({ evidence: { a: "x" } }, forecast, doc)).toEqual([
      "$.fit: missing",
      '$.evidence.a: "x" matches no option',
    ]);
  });

  it("should accept null where zod-openapi writes it as nullable extension or a bare nullable option", () => {
    expect(
      departures({ fit: { gamma: 1 }, quota: null, evidence: { a: null, b: 2 } }, forecast, doc),
    ).toEqual([]);
  });
});
