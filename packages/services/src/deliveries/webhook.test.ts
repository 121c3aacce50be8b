import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoopbackReceiver, startLoopbackReceiver } from "./loopback-receiver";
import { isWebhookSecret, newWebhookSecret, sendWebhook, signWebhook } from "./webhook";

// Published Standard Webhooks test vector (ORACLES.md).
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

describe("Standard Webhooks signing", () => {
  it("should reproduce the published test vector", () => {
    const headers = signWebhook(VECTOR.secret, VECTOR.id, new Date(VECTOR.timestamp * 1000), VECTOR.body);
    expect(headers).toEqual({
      "webhook-id": VECTOR.id,
      "webhook-timestamp": "1614265330",
      "webhook-signature": VECTOR.signature,
    });
  });

  it("should make secrets the package accepts and refuse malformed ones", () => {
    const secret = newWebhookSecret();
    expect(isWebhookSecret(secret)).toBe(true);
    expect(() => new Webhook(secret)).not.toThrow();
    expect(isWebhookSecret("whsec_short")).toBe(false);
    expect(isWebhookSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).toBe(false);
  });
});

describe("webhook delivery to a loopback receiver", () => {
  let rx: LoopbackReceiver;
  const secret = newWebhookSecret();
  beforeAll(async () => {
    rx = await startLoopbackReceiver();
  });
  afterAll(() => rx.close());

  it("should deliver a body the receiver verifies with Webhook.verify, webhook-id being the delivery id", async () => {
    rx.respond(() => ({ status: 204, body: "" }));
    const outcome = await sendWebhook({ url: `${rx.url}/hooks`, secret }, "dlv_123", {
      type: "signal.raised",
      data: { accountId: "acc-1", signal: "usage_drop" },
    });
    expect(outcome).toEqual({ ok: true, responseCode: 204 });
    const req = rx.received.at(-1);
    if (req === undefined) throw new Error("nothing received");
    expect(req.headers["webhook-id"]).toBe("dlv_123");
    const verified = new Webhook(secret).verify(req.body, req.headers as Record<string, string>);
    expect(verified).toMatchObject({
      type: "signal.raised",
      data: { accountId: "acc-1", signal: "usage_drop" },
    });
    // A receiver with another secret refuses it.
    expect(() =>
      new Webhook(newWebhookSecret()).verify(req.body, req.headers as Record<string, string>),
    ).toThrow();
  });

  it("should sign with the attempt's own time so a retry passes the receiver's 5-minute window", async () => {
    rx.respond(() => ({ status: 200, body: "{}" }));
    const old = new Date(Date.now() - 10 * 60_000);
    await sendWebhook({ url: rx.url, secret }, "dlv_old", { type: "t", data: null }, { now: old });
    const stale = rx.received.at(-1);
    if (stale === undefined) throw new Error("nothing received");
    expect(() => new Webhook(secret).verify(stale.body, stale.headers as Record<string, string>)).toThrow(
      /timestamp/i,
    );
  });

  it("should report a non-2xx answer as a failure with its status and body", async () => {
    rx.respond(() => ({ status: 503, body: "busy" }));
    expect(await sendWebhook({ url: rx.url, secret }, "dlv_fail", { type: "t", data: 1 })).toEqual({
      ok: false,
      responseCode: 503,
      error: "HTTP 503: busy",
    });
  });

  it("should report a timeout as a failure without a response code", async () => {
    rx.respond(() => new Promise((resolve) => setTimeout(() => resolve({ status: 200, body: "late" }), 500)));
    const outcome = await sendWebhook(
      { url: rx.url, secret },
      "dlv_slow",
      { type: "t", data: 1 },
      { timeoutMs: 50 },
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.responseCode).toBeNull();
    if (!outcome.ok) expect(outcome.error).toMatch(/abort|timeout/i);
  });

  it("should report a refused connection as a failure", async () => {
    const closed = await startLoopbackReceiver();
    await closed.close();
    const outcome = await sendWebhook({ url: closed.url, secret }, "dlv_gone", { type: "t", data: 1 });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toMatch(/ECONNREFUSED|fetch failed/);
  });
});
