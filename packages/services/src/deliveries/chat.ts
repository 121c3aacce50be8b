import { createHmac } from "node:crypto";
import type { ChatKind } from "@tenure/storage";
import { type AttemptOutcome, DEFAULT_TIMEOUT_MS, errorText, shortError } from "./outcome";

/** The chat services Tenure posts to, by their incoming-webhook formats. */
export const CHAT_KINDS = ["wecom", "dingtalk", "feishu", "slack"] as const satisfies readonly ChatKind[];

/** A chat notification: a title and a Markdown-ish text (each service renders its own subset). */
export interface ChatMessage {
  title: string;
  text: string;
}

/** Where to post: the channel's webhook URL and, for DingTalk and Feishu, an optional signing secret. */
export interface ChatTarget {
  kind: ChatKind;
  url: string;
  secret: string | null;
}

/** DingTalk's sign: base64 HMAC-SHA256 of "timestamp\nsecret" keyed by the secret (timestamp in ms). */
export function dingtalkSign(timestampMs: number, secret: string): string {
  return createHmac("sha256", secret).update(`${timestampMs}\n${secret}`).digest("base64");
}

/** Feishu's sign: base64 HMAC-SHA256 of an empty message keyed by "timestamp\nsecret" (seconds). */
export function feishuSign(timestampSeconds: number, secret: string): string {
  return createHmac("sha256", `${timestampSeconds}\n${secret}`).update("").digest("base64");
}

/** The URL and JSON body each service documents for a message (signed where a secret is set). */
export function chatRequest(target: ChatTarget, msg: ChatMessage, now: Date): { url: string; body: unknown } {
  switch (target.kind) {
    case "wecom":
      // 企业微信群机器人: markdown content up to 4096 bytes.
      return {
        url: target.url,
        body: { msgtype: "markdown", markdown: { content: `**${msg.title}**\n${msg.text}` } },
      };
    case "dingtalk": {
      let url = target.url;
      if (target.secret !== null) {
        const ts = now.getTime();
        const sign = encodeURIComponent(dingtalkSign(ts, target.secret));
        url += `${url.includes("?") ? "&" : "?"}timestamp=${ts}&sign=${sign}`;
      }
      return {
        url,
        body: {
          msgtype: "markdown",
          markdown: { title: msg.title, text: `### ${msg.title}\n\n${msg.text}` },
        },
      };
    }
    case "feishu": {
      const lines = msg.text.split("\n").map((line) => [{ tag: "text", text: line }]);
      const body: Record<string, unknown> = {
        msg_type: "post",
        content: { post: { zh_cn: { title: msg.title, content: lines } } },
      };
      if (target.secret !== null) {
        const ts = Math.floor(now.getTime() / 1000);
        body.timestamp = String(ts);
        body.sign = feishuSign(ts, target.secret);
      }
      return { url: target.url, body };
    }
    case "slack":
      return {
        url: target.url,
        body: {
          text: `*${msg.title}*\n${msg.text}`,
          blocks: [
            { type: "header", text: { type: "plain_text", text: msg.title } },
            { type: "section", text: { type: "mrkdwn", text: msg.text } },
          ],
        },
      };
  }
}

/**
 * The failure in a service's answer, or null when it accepted the message. WeCom and DingTalk answer
 * HTTP 200 with `errcode` != 0 on failure, Feishu with `code` (older bots: `StatusCode`) != 0; Slack
 * answers 200 "ok" and a 4xx with a reason otherwise.
 */
export function chatResponseError(kind: ChatKind, status: number, text: string): string | null {
  if (status < 200 || status >= 300) return shortError(`HTTP ${status}${text === "" ? "" : `: ${text}`}`);
  if (kind === "slack") return text.trim() === "ok" ? null : shortError(`Slack answered: ${text}`);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return shortError(`unreadable answer: ${text}`);
  }
  if (kind === "feishu") {
    const code = body.code ?? body.StatusCode;
    if (code === 0) return null;
    return shortError(`Feishu code ${String(code)}: ${String(body.msg ?? body.StatusMessage ?? "")}`);
  }
  if (body.errcode === 0) return null;
  const name = kind === "wecom" ? "WeCom" : "DingTalk";
  return shortError(`${name} errcode ${String(body.errcode)}: ${String(body.errmsg ?? "")}`);
}

/** Posts a message to a chat channel; a refusal (see chatResponseError) is a failed outcome to retry. */
export async function sendChat(
  target: ChatTarget,
  msg: ChatMessage,
  opts: { now?: Date; timeoutMs?: number } = {},
): Promise<AttemptOutcome> {
  const { url, body } = chatRequest(target, msg, opts.now ?? new Date());
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      redirect: "manual",
    });
    const text = await res.text().catch(() => "");
    const error = chatResponseError(target.kind, res.status, text);
    return error === null
      ? { ok: true, responseCode: res.status }
      : { ok: false, responseCode: res.status, error };
  } catch (err) {
    return { ok: false, responseCode: null, error: errorText(err) };
  }
}
