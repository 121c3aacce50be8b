import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A request a loopback receiver got. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers a request: status and body text. */
export type Responder = (
  req: ReceivedRequest,
) => { status: number; body: string } | Promise<{ status: number; body: string }>;

/** An HTTP server on 127.0.0.1 that records every request and answers as told (tests and demos). */
export interface LoopbackReceiver {
  url: string;
  received: ReceivedRequest[];
  /** Changes how later requests are answered. */
  respond(fn: Responder): void;
  close(): Promise<void>;
}

/** Starts a loopback receiver on a free port; it answers 200 "ok" until told otherwise. */
export async function startLoopbackReceiver(): Promise<LoopbackReceiver> {
  const received: ReceivedRequest[] = [];
  let responder: Responder = () => ({ status: 200, body: "ok" });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: ReceivedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(r);
      Promise.resolve(responder(r)).then(
        (answer) => {
          res.writeHead(answer.status, { "content-type": "application/json; charset=utf-8" });
          res.end(answer.body);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    respond(fn) {
      responder = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
