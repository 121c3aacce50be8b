import { gunzip } from "node:zlib";
import { TenureError } from "@tenure/core";
import { MAX_BATCH_BYTES } from "@tenure/services";

const gunzipLimited = (data: Buffer) =>
  new Promise<Buffer>((resolve, reject) =>
    gunzip(data, { maxOutputLength: MAX_BATCH_BYTES + 1 }, (err, out) => (err ? reject(err) : resolve(out))),
  );

/** Too large is 413; everything else about a body is a 400 validation error. */
export class BodyTooLarge extends Error {}

/** A parsed body and its text (each call's size and content hash come from the text). */
export interface TrackingBody {
  value: unknown;
  text: string;
}

/** Reads a tracking request body (gzip or identity) and parses its JSON; at most 500 KB decoded. */
export async function readTrackingBody(request: Request): Promise<TrackingBody> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BATCH_BYTES) throw new BodyTooLarge();
  let data: Buffer = Buffer.from(await request.arrayBuffer());
  if (data.length > MAX_BATCH_BYTES) throw new BodyTooLarge();
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding === "gzip") {
    try {
      data = await gunzipLimited(data);
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new BodyTooLarge();
      throw new TenureError("validation", "body: Content-Encoding is gzip but the body is not valid gzip");
    }
    if (data.length > MAX_BATCH_BYTES) throw new BodyTooLarge();
  } else if (encoding !== "identity" && encoding !== "") {
    throw new TenureError(
      "validation",
      `body: unsupported Content-Encoding "${encoding}" (use gzip or none)`,
    );
  }
  if (data.length === 0) throw new TenureError("validation", "body: the request body is empty");
  const text = data.toString("utf8");
  try {
    return { value: JSON.parse(text), text };
  } catch (error) {
    throw new TenureError("validation", `body: invalid JSON: ${(error as Error).message}`);
  }
}
