import { defineConfig } from "vite";

// No @vitejs/plugin-react: Vite's built-in Oxc transform compiles JSX with the automatic runtime.
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "react" } },
  server: {
    proxy: { "/api": { target: "http://localhost:3000" } },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // ECharts alone is ~600 kB even when imported modularly.
    chunkSizeWarningLimit: 1500,
    // React Router/Query ship "use client" directives, meaningless in a client-only bundle.
    rolldownOptions: { checks: { moduleLevelDirective: false } },
  },
});
