import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const workerEntry = fileURLToPath(new URL("src/compute-worker.ts", import.meta.url));
const workerUrlModule = fileURLToPath(new URL("src/worker-url.ts", import.meta.url));

/**
 * Builds the compute worker as a second entry of the page's own build instead of vite's separate worker bundle
 * (`new Worker(new URL(…))`), so the two share chunks: the worker no longer carries its own copy of the catalog,
 * zod, the contract and the estimators (≈ 150 kB gzipped; browser.test.ts "bundle size"). A module worker imports
 * the shared chunks like the page does. src/worker-url.ts becomes the emitted chunk's URL.
 */
function sharedChunkWorker(): Plugin {
  let ref = "";
  return {
    name: "flopcast:shared-chunk-worker",
    apply: "build",
    buildStart() {
      ref = this.emitFile({ type: "chunk", id: workerEntry, name: "compute-worker" });
    },
    load(id) {
      if (id !== workerUrlModule) return null;
      return `export const computeWorkerUrl = new URL(import.meta.ROLLUP_FILE_URL_${ref});\n`;
    },
  };
}

export default defineConfig({
  base: "./",
  plugins: [sharedChunkWorker()],
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 2000 },
});
