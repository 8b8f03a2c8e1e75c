import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { ingestCorpus } from "../../src/ingest/ingest.js";
import { sampleCorpus, tempDir, testConfig } from "./corpus.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Folder of the sample corpus ingested once with 768-dimension local embeddings. */
    sampleIndex768: string;
  }
}

/**
 * Ingests the sample corpus once for the whole run. Test files never open this folder
 * directly: `sampleIndexCopy()` gives each file its own copy, so a file that writes
 * (app database, re-ingest, hot reload) cannot disturb another.
 */
export default async function setup(project: TestProject) {
  const root = await tempDir("padoms-shared-index-");
  const dir768 = join(root, "sample-768");
  await mkdir(dir768);
  const summary = await ingestCorpus({
    config: testConfig(dir768, sampleCorpus, { LOCAL_EMBEDDING_DIM: "768" }),
  });
  if (summary.status !== "built" || summary.failures.length > 0) {
    throw new Error(`Shared sample index did not build cleanly: ${JSON.stringify(summary)}`);
  }
  project.provide("sampleIndex768", dir768);
  return async () => {
    await rm(root, { recursive: true, force: true });
  };
}
