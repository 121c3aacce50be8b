import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatResponseError, dingtalkSign, feishuSign, sendChat } from "./chat";
import { type LoopbackReceiver, type ReceivedRequest, startLoopbackReceiver } from "./loopback-receiver";

const NOW = new Date("2026-12-08T02:00:00.000Z");
const msg = { title: "续约提醒", text: "**Acme** renews on 2027-01-31\nARR $120,000" };

const lastBody = (rx: LoopbackReceiver): { req: ReceivedRequest; body: Record<string, unknown> } => {
  const req = rx.received.at(-1);
  if (req === undefined) throw new Error("nothing received");
  return { req, body: JSON.parse(req.body) as Record<string, unknown> };
};

describe("team chat incoming webhooks against a loopback receiver", () => {
  let rx: LoopbackReceiver;
  beforeAll(async () => {
    rx = await startLoopbackReceiver();
  });
  afterAll(() => rx.close());

  it("should post WeCom's markdown body and accept errcode 0", async () => {
    rx.respond(() => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));
    const url = `${rx.url}/cgi-bin/webhook/send?key=abc`;
    expect(await sendChat({ kind: "wecom", url, secret: null }, msg, { now: NOW })).toEqual({
      ok: true,
      responseCode: 200,
    });
    const { req, body } = lastBody(rx);
    expect(req.url).toBe("/cgi-bin/webhook/send?key=abc");
    expect(req.headers["content-type"]).toMatch(/^application\/json/);
    expect(body).toEqual({ msgtype: "markdown", markdown: { content: `**续约提醒**\n${msg.text}` } });
  });

  it("should treat WeCom's HTTP 200 with errcode != 0 as a failure to retry", async () => {
    rx.respond(() => ({ status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' }));
    expect(await sendChat({ kind: "wecom", url: rx.url, secret: null }, msg)).toEqual({
      ok: false,
      responseCode: 200,
      error: "WeCom errcode 93000: invalid webhook url",
    });
  });

  it("should sign DingTalk requests with timestamp and sign query parameters the robot can check", async () => {
    const secret = "SEC000000000000000000000000000000000000000000000000000000000000";
    rx.respond((req) => {
      // What DingTalk does: recompute HMAC-SHA256("timestamp\nsecret") and compare.
      const q = new URL(req.url, "http://x").searchParams;
      const ts = q.get("timestamp") ?? "";
      const expected = createHmac("sha256", secret).update(`${ts}\n${secret}`).digest("base64");
      const ok = q.get("sign") === expected && Math.abs(Number(ts) - NOW.getTime()) < 3_600_000;
      return {
        status: 200,
        body: ok ? '{"errcode":0,"errmsg":"ok"}' : '{"errcode":310000,"errmsg":"sign not match"}',
      };
    });
    const url = `${rx.url}/robot/send?access_token=tok`;
    expect(await sendChat({ kind: "dingtalk", url, secret }, msg, { now: NOW })).toEqual({
      ok: true,
      responseCode: 200,
    });
    const { req, body } = lastBody(rx);
    const q = new URL(req.url, "http://x").searchParams;
    expect(q.get("access_token")).toBe("tok");
    expect(q.get("timestamp")).toBe(String(NOW.getTime()));
    // The raw query carries the base64 sign URL-encoded (+, / and = escaped).
    expect(req.url).toContain(`sign=${encodeURIComponent(dingtalkSign(NOW.getTime(), secret))}`);
    expect(body).toEqual({
      msgtype: "markdown",
      markdown: { title: "续约提醒", text: `### 续约提醒\n\n${msg.text}` },
    });
    // A wrong secret is DingTalk's errcode 310000 on HTTP 200: a failure.
    const wrong = await sendChat({ kind: "dingtalk", url, secret: "SECwrong" }, msg, { now: NOW });
    expect(wrong).toEqual({ ok: false, responseCode: 200, error: "DingTalk errcode 310000: sign not match" });
  });

  it("should post Feishu's post body with a timestamp and sign its bot verifies", async () => {
    const secret = "feishu-secret";
    rx.respond((req) => {
      const b = JSON.parse(req.body) as { timestamp: string; sign: string };
      // Feishu: HMAC-SHA256 keyed by "timestamp\nsecret" over an empty message, base64.
      const expected = createHmac("sha256", `${b.timestamp}\n${secret}`).update("").digest("base64");
      return b.sign === expected
        ? { status: 200, body: '{"code":0,"data":{},"msg":"success"}' }
        : {
            status: 200,
            body: '{"code":19021,"data":{},"msg":"sign match fail or timestamp is not within one hour from current time"}',
          };
    });
    expect(await sendChat({ kind: "feishu", url: rx.url, secret }, msg, { now: NOW })).toEqual({
      ok: true,
      responseCode: 200,
    });
    const { body } = lastBody(rx);
    expect(body).toEqual({
      msg_type: "post",
      content: {
        post: {
          zh_cn: {
            title: "续约提醒",
            content: [
              [{ tag: "text", text: "**Acme** renews on 2027-01-31" }],
              [{ tag: "text", text: "ARR $120,000" }],
            ],
          },
        },
      },
      timestamp: String(NOW.getTime() / 1000),
      sign: feishuSign(NOW.getTime() / 1000, secret),
    });
    const wrong = await sendChat({ kind: "feishu", url: rx.url, secret: "other" }, msg, { now: NOW });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error).toMatch(/^Feishu code 19021: sign match fail/);
  });

  it("should post Feishu without timestamp and sign when the bot has no secret", async () => {
    rx.respond(() => ({ status: 200, body: '{"StatusCode":0,"StatusMessage":"success"}' }));
    expect((await sendChat({ kind: "feishu", url: rx.url, secret: null }, msg)).ok).toBe(true);
    const { body } = lastBody(rx);
    expect(body).not.toHaveProperty("sign");
    expect(body).not.toHaveProperty("timestamp");
  });

  it("should post Slack's text and blocks and read its plain-text answers", async () => {
    rx.respond(() => ({ status: 200, body: "ok" }));
    expect(await sendChat({ kind: "slack", url: `${rx.url}/services/T/B/X`, secret: null }, msg)).toEqual({
      ok: true,
      responseCode: 200,
    });
    const { body } = lastBody(rx);
    expect(body).toEqual({
      text: `*续约提醒*\n${msg.text}`,
      blocks: [
        { type: "header", text: { type: "plain_text", text: "续约提醒" } },
        { type: "section", text: { type: "mrkdwn", text: msg.text } },
      ],
    });
    rx.respond(() => ({ status: 404, body: "no_service" }));
    expect(await sendChat({ kind: "slack", url: rx.url, secret: null }, msg)).toEqual({
      ok: false,
      responseCode: 404,
      error: "HTTP 404: no_service",
    });
  });

  it("should read each service's failure answers", () => {
    expect(chatResponseError("dingtalk", 200, '{"errcode":0,"errmsg":"ok"}')).toBeNull();
    expect(chatResponseError("dingtalk", 200, '{"errcode":130101,"errmsg":"send too fast"}')).toBe(
      "DingTalk errcode 130101: send too fast",
    );
    expect(chatResponseError("feishu", 200, "<html>")).toBe("unreadable answer: <html>");
    expect(chatResponseError("slack", 400, "invalid_payload")).toBe("HTTP 400: invalid_payload");
    expect(chatResponseError("wecom", 502, "")).toBe("HTTP 502");
  });
});
