import { fileURLToPath } from "node:url";

/** Where `npm run build:web` writes the web app. */
export function webDistDir(): string {
  return fileURLToPath(new URL("../../web/dist", import.meta.url));
}
