import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Hono } from "hono";

/** Where the interactive API docs live; their assets are under it. */
export const API_DOCS_PATH = "/api/docs";

const require = createRequire(import.meta.url);

/** The swagger-ui-dist folder in node_modules: served as is, never from a CDN. */
function swaggerUiDir(): string {
  return path.dirname(require.resolve("swagger-ui-dist/package.json"));
}

/**
 * The page: no inline script or style (the CSP allows neither for scripts); the initialiser is its
 * own file. Try-it-out calls go to /api with the key given under "Authorize" (bearer).
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tenure API</title>
<link rel="stylesheet" href="${API_DOCS_PATH}/swagger-ui.css">
<link rel="stylesheet" href="${API_DOCS_PATH}/docs.css">
<link rel="icon" type="image/png" href="${API_DOCS_PATH}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${API_DOCS_PATH}/swagger-ui-bundle.js"></script>
<script src="${API_DOCS_PATH}/init.js"></script>
</body>
</html>
`;

/**
 * Starts Swagger UI on the OpenAPI document. The key stays in the page's memory (no
 * persistAuthorization: it would keep the key in localStorage).
 */
const INIT = `"use strict";
window.addEventListener("DOMContentLoaded", function () {
  window.ui = window.SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
  });
});
`;

const CSS = "body { margin: 0; background: #fafafa; }\n";

/** Files taken from swagger-ui-dist: a fixed list, so no request names a file of its own choosing. */
const VENDOR: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

/**
 * GET /api/docs: interactive API docs (Swagger UI, self-hosted from the swagger-ui-dist package) over
 * /api/openapi.json. Public like the document itself; calls made from it need a key.
 */
export function apiDocsRoutes(): Hono {
  const app = new Hono();
  const dir = swaggerUiDir();
  // Read once: a few MB, served to every visitor of the docs.
  const vendor = new Map(
    Object.entries(VENDOR).map(([name, type]) => [name, { type, body: readFileSync(path.join(dir, name)) }]),
  );
  const cache = { "cache-control": "public, max-age=3600" };
  app.get(API_DOCS_PATH, (c) => c.html(PAGE));
  app.get(`${API_DOCS_PATH}/`, (c) => c.redirect(API_DOCS_PATH, 301));
  app.get(`${API_DOCS_PATH}/init.js`, (c) =>
    c.body(INIT, 200, { "content-type": "text/javascript; charset=utf-8", ...cache }),
  );
  app.get(`${API_DOCS_PATH}/docs.css`, (c) =>
    c.body(CSS, 200, { "content-type": "text/css; charset=utf-8", ...cache }),
  );
  app.get(`${API_DOCS_PATH}/:file`, (c) => {
    const file = vendor.get(c.req.param("file"));
    if (file === undefined) return c.notFound();
    return c.body(new Uint8Array(file.body), 200, { "content-type": file.type, ...cache });
  });
  return app;
}
