import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeSmtpTransports, messageIdFor, sendEmail } from "./email";
import { startSmtpServer } from "./smtp-test-server";

describe("email over SMTP to an in-process server", () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    closeSmtpTransports();
    await smtp.close();
  });

  it("should send text and HTML with a Message-ID derived from the delivery id", async () => {
    const settings = { url: smtp.url, from: "Tenure CS <cs@tenure.example>" };
    const outcome = await sendEmail(settings, {
      deliveryId: "dlv-42",
      to: "ana@acme.example",
      subject: "Acme renews soon",
      text: "Hello Ana",
      html: "<p>Hello Ana</p>",
    });
    expect(outcome.ok).toBe(true);
    expect(outcome.responseCode).toBe(250);
    const mail = smtp.mails.at(-1);
    expect(mail?.messageId).toBe("<dlv-42@tenure.example>");
    expect(mail?.subject).toBe("Acme renews soon");
    expect(mail?.text?.trim()).toBe("Hello Ana");
    expect(mail?.html).toContain("<p>Hello Ana</p>");
    expect(mail?.headers.get("x-tenure-delivery-id")).toBe("dlv-42");
    expect(mail?.from?.text).toBe('"Tenure CS" <cs@tenure.example>');
  });

  it("should give a repeated delivery the same Message-ID, so the copy is recognisable", async () => {
    const settings = { url: smtp.url, from: "cs@tenure.example" };
    const email = { deliveryId: "dlv-7", to: "bo@acme.example", subject: "s", text: "t", html: "<p>t</p>" };
    await sendEmail(settings, email);
    await sendEmail(settings, email);
    const ids = smtp.mails
      .filter((m) => m.headers.get("x-tenure-delivery-id") === "dlv-7")
      .map((m) => m.messageId);
    expect(ids).toEqual(["<dlv-7@tenure.example>", "<dlv-7@tenure.example>"]);
    expect(messageIdFor("job:1/2", "x@y.example")).toBe("<job-1-2@y.example>");
  });

  it("should report the server's refusal with its SMTP code", async () => {
    const outcome = await sendEmail(
      { url: smtp.url, from: "cs@tenure.example" },
      { deliveryId: "dlv-9", to: "refuse@acme.example", subject: "s", text: "t", html: "t" },
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.responseCode).toBe(550);
    if (!outcome.ok) expect(outcome.error).toMatch(/Mailbox unavailable/);
  });

  it("should report a server that does not answer as a failure", async () => {
    const gone = await startSmtpServer();
    await gone.close();
    const outcome = await sendEmail(
      { url: gone.url, from: "cs@tenure.example" },
      { deliveryId: "dlv-10", to: "a@b.example", subject: "s", text: "t", html: "t" },
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toMatch(/ECONNREFUSED/);
  });
});
