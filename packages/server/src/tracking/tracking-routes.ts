import { TenureError } from "@tenure/core";
import type { TrackingEndpoint } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import { Hono } from "hono";
import { errorBody } from "../http-error";
import { readTrackingBody } from "./read-body";
import type { TrackingWriter } from "./tracking-writer";
import { WriteKeys, writeKeyFromHeader } from "./write-key";

const ENDPOINTS: Record<string, TrackingEndpoint> = {
  track: "track",
  identify: "identify",
  group: "group",
  page: "page",
  screen: "screen",
  alias: "alias",
  batch: "batch",
  // analytics.js and some SDKs post batches to /v1/b.
  b: "batch",
};

/**
 * The Segment-compatible tracking API, mounted at /v1: write-key auth, 500 KB per request, 32 KB
 * per call, a request accepted or rejected whole, `{"success": true}` once the calls are committed.
 * The route checks the header key and the body size; `writer` parses, validates and commits.
 */
export function trackingRoutes(storage: Storage, writer: TrackingWriter) {
  const app = new Hono();
  const keys = new WriteKeys(storage);

  app.post("/:endpoint", async (c) => {
    const endpoint = ENDPOINTS[c.req.param("endpoint")];
    if (endpoint === undefined)
      throw new TenureError("not_found", `No tracking endpoint /v1/${c.req.param("endpoint")}`);
    const headerKey = writeKeyFromHeader(c.req.header("authorization"));
    // Check a header key before reading the body, so unknown keys cost no parsing.
    const workspaceId = headerKey === null ? null : await keys.workspaceOf(headerKey);
    // Too large (on the wire or decoded) is a BodyTooLarge: 413 from the error handler.
    const body = await readTrackingBody(c.req.raw);
    await writer.submit({ endpoint, body, workspaceId, receivedAt: new Date().toISOString() });
    return c.json({ success: true }, 200);
  });

  // Segment SDKs only POST; any other method on a tracking path is a JSON 405 (never the web app).
  app.all("/:endpoint", (c) => {
    const name = c.req.param("endpoint");
    if (ENDPOINTS[name] === undefined) throw new TenureError("not_found", `No tracking endpoint /v1/${name}`);
    c.header("Allow", "POST");
    return c.json(
      errorBody("validation", `${c.req.method} /v1/${name}: tracking calls are sent with POST`),
      405,
    );
  });
  app.all("*", (c) => c.json(errorBody("not_found", `No tracking endpoint ${c.req.path}`), 404));

  return app;
}
