import type { components, paths } from "./generated/openapi";

/**
 * Names for the generated OpenAPI types (generated/openapi.ts, `npm run gen:web-types`), so that the
 * web app's API types follow the server's zod schemas instead of copies of them.
 */

/** A named schema of the OpenAPI document, e.g. `Schema<"AccountListRow">`. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];

type Method = "get" | "post" | "put" | "patch" | "delete";

/** The JSON body a route answers with `status` (200 by default), e.g. `ApiResponse<"/me", "get">`. */
export type ApiResponse<
  Path extends keyof paths,
  M extends Method,
  Status extends number = 200,
> = paths[Path][M] extends { responses: infer R }
  ? Status extends keyof R
    ? R[Status] extends { content: { "application/json": infer Body } }
      ? Body
      : never
    : never
  : never;

/** The JSON body a route takes, e.g. `ApiRequest<"/saved-views", "post">`. */
export type ApiRequest<Path extends keyof paths, M extends Method> = paths[Path][M] extends {
  requestBody?: { content: { "application/json": infer Body } };
}
  ? Body
  : never;
