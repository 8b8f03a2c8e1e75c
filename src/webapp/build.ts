/**
 * Builds the Mini App's page with Vite into static files (`dist/webapp` by default): one HTML
 * page, hashed scripts and styles, no inline script (the CSP forbids it), the charts in a chunk
 * of their own loaded only when the desk's report is opened.
 */
import { readdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../log.js";
import { DEFAULT_WEBAPP_DIST } from "./server.js";

/** Folder of the page's sources. */
export const WEBAPP_SOURCE = join(dirname(fileURLToPath(import.meta.url)), "client");

/** One built file and its size. */
export interface BuiltFile {
  name: string;
  bytes: number;
}

/** Builds the page into `outDir`; returns the files written. */
export async function buildWebApp(outDir = DEFAULT_WEBAPP_DIST): Promise<BuiltFile[]> {
  const { build } = await import("vite");
  const result = await build({
    root: WEBAPP_SOURCE,
    base: "./",
    configFile: false,
    logLevel: "warn",
    publicDir: false,
    build: {
      outDir,
      emptyOutDir: true,
      target: "es2020",
      modulePreload: { polyfill: false },
      reportCompressedSize: false,
      chunkSizeWarningLimit: 2000,
      assetsInlineLimit: 0,
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) =>
    "output" in r ? r.output : [],
  );
  return outputs.map((o) => ({
    name: o.fileName,
    bytes: Buffer.byteLength(o.type === "chunk" ? o.code : o.source),
  }));
}

/** Modules outside the client folder that the page's bundle includes. */
const SHARED_SOURCES = [
  "../api-types.ts",
  "../../report/report-types.ts",
  "../../report/per-day-chart.ts",
];

/** Newest modification time of the page's sources (the client folder and the shared modules). */
async function sourcesChangedAt(): Promise<number> {
  const files = (await readdir(WEBAPP_SOURCE)).map((f) => join(WEBAPP_SOURCE, f));
  files.push(...SHARED_SOURCES.map((f) => join(WEBAPP_SOURCE, f)));
  const times = await Promise.all(files.map((f) => stat(f).then((s) => s.mtimeMs)));
  return Math.max(...times);
}

/**
 * Builds the page when `outDir` has none yet (first start after an install) or its sources are
 * newer than the build (after an update).
 */
export async function ensureWebAppBuilt(
  logger: Logger,
  outDir = DEFAULT_WEBAPP_DIST,
): Promise<void> {
  const built = await stat(join(outDir, "index.html")).catch(() => undefined);
  if (built && built.mtimeMs >= (await sourcesChangedAt())) return;
  logger.info("building the Mini App page", { outDir });
  await buildWebApp(outDir);
}
