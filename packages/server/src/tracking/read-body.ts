import { gunzip } from "node:zlib";
import { TenureError } from "@tenure/core";
import { MAX_BATCH_BYTES } from "@tenure/services";
import { BodyTooLarge } from "../http-error";

const gunzipLimited = (data: Buffer) =>
  new Promise<Buffer>((resolve, reject) =>
    gunzip(data, { maxOutputLength: MAX_BATCH_BYTES + 1 }, (err, out) => (err ? reject(err) : resolve(out))),
  );

/**
 * Reads a tracking request body (gzip or identity): at most 500 KB decoded. The bytes on the wire
 * are capped while they stream by the app's body limit (limitBodies), this checks what they decode to. Its JSON is parsed by the
 * tracking writer (off this thread when it runs on its own).
 */
export async function readTrackingBody(request: Request): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BATCH_BYTES) throw new BodyTooLarge(MAX_BATCH_BYTES);
  let data: Buffer = Buffer.from(await request.arrayBuffer());
  if (data.length > MAX_BATCH_BYTES) throw new BodyTooLarge(MAX_BATCH_BYTES);
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding === "gzip") {
    try {
      data = await gunzipLimited(data);
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE")
        throw new BodyTooLarge(MAX_BATCH_BYTES);
      throw new TenureError("validation", "body: Content-Encoding is gzip but the body is not valid gzip");
    }
    if (data.length > MAX_BATCH_BYTES) throw new BodyTooLarge(MAX_BATCH_BYTES);
  } else if (encoding !== "identity" && encoding !== "") {
    throw new TenureError(
      "validation",
      `body: unsupported Content-Encoding "${encoding}" (use gzip or none)`,
    );
  }
  if (data.length === 0) throw new TenureError("validation", "body: the request body is empty");
  return data;
}
