import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

// Test-only (smtp-server and mailparser are dev dependencies): never exported from the package index.

/** An in-process SMTP server on 127.0.0.1 that parses what it receives. */
export interface SmtpTestServer {
  url: string;
  mails: ParsedMail[];
  close(): Promise<void>;
}

/** An in-process SMTP server that parses what it receives; mail to refuse@ is refused with 550. */
export async function startSmtpServer(): Promise<{
  url: string;
  mails: ParsedMail[];
  close(): Promise<void>;
}> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith("refuse@")) {
        const err = Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 });
        cb(err);
        return;
      }
      cb();
    },
    onData(stream, _session, cb) {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          cb();
        },
        (err: Error) => cb(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
