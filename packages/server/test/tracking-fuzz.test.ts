import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { hostileValue, jsonText } from "./support/openapi-arbitraries";

/**
 * The tracking API (/v1/*, which the OpenAPI document leaves out: it is Segment's) fuzzed with
 * Segment-shaped calls and hostile values: every answer is 200 or a 4xx naming the call and field.
 */
const WS = "default";
const RUNS = Number(process.env.TENURE_FUZZ_RUNS ?? 10) * 15;

const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 16 }) },
  { weight: 1, arbitrary: hostileValue },
);
const timestamp = fc.oneof(
  fc
    .date({ min: new Date("1960-01-01"), max: new Date("2150-01-01"), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    "2024-02-30T00:00:00Z",
    "9999-12-31T00:00:00Z",
    "+099999-01-01T00:00:00Z",
    "2024-01-01",
    "yesterday",
  ),
  hostileValue,
);
const free = fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), hostileValue, { maxKeys: 4 }), hostileValue);
const call = fc.record(
  {
    type: fc.constantFrom("track", "identify", "group", "page", "screen", "alias", "bogus"),
    userId: text,
    anonymousId: text,
    event: text,
    groupId: text,
    previousId: text,
    name: text,
    messageId: text,
    timestamp,
    properties: free,
    traits: free,
    context: free,
  },
  { requiredKeys: [] },
);
const request = fc.oneof(
  fc.tuple(
    fc.constantFrom("batch", "b"),
    fc.array(call, { minLength: 0, maxLength: 5 }).map((batch) => ({ batch })),
  ),
  fc.tuple(fc.constantFrom("track", "identify", "group", "page", "screen", "alias"), call),
  fc.tuple(fc.constantFrom("batch", "track"), hostileValue),
);

describe.each(testDialects())("tracking API fuzz on %s", (dialect) => {
  let db: TestStorage;
  let app: ReturnType<typeof createApp>;
  let auth: string;
  let cases = 0;

  beforeAll(async () => {
    db = await openTestStorage(dialect);
    await db.storage.workspaces.ensure(WS, "Fuzz");
    const key = (await db.storage.apiKeys.create(WS, { name: "w", kind: "write" })).key;
    auth = `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
    app = createApp({ storage: db.storage, config: { reportingCurrency: "USD", grossMargin: 1 } });
  });

  afterAll(async () => {
    console.log(`tracking API fuzz on ${dialect}: ${cases} cases`);
    await db.cleanup();
  });

  it("should answer every generated call with 200 or a 4xx naming the call and field, never 500", async () => {
    const arb = request.chain(([endpoint, body]) =>
      jsonText(fc.constant(body)).map((t) => [endpoint, t] as const),
    );
    await fc.assert(
      fc.asyncProperty(arb, async ([endpoint, body]) => {
        const res = await app.request(`/v1/${endpoint}`, {
          method: "POST",
          headers: { authorization: auth, "content-type": "application/json" },
          body,
        });
        const answer = await res.text();
        cases++;
        const show = `POST /v1/${endpoint} ${body.slice(0, 300)}\n→ ${res.status} ${answer.slice(0, 300)}`;
        expect([200, 400], show).toContain(res.status);
        if (res.status === 400) {
          const message = (JSON.parse(answer) as { error: { message: string } }).error.message;
          // The call and field first: `batch[2].timestamp: ...`, `traits.plan: ...`, `body: ...` (a key
          // with odd characters is not quoted there: `traits.:: ...`).
          expect(message, show).toMatch(/^(batch\[\d+\]\.?)?[A-Za-z]\w*[\s\S]*?: \S/);
        }
      }),
      { numRuns: RUNS },
    );
  }, 300_000);
});
