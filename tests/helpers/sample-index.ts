import { cp, rm } from "node:fs/promises";
import { inject } from "vitest";
import { openIndex } from "../../src/store/open-index.js";
import { tempDir } from "./corpus.js";

/**
 * A fresh data folder holding the sample corpus already ingested with 768-dimension local
 * embeddings (built once per run by `tests/helpers/global-setup.ts`): the same files as
 * `ingestCorpus({ config: testConfig(dir, sampleCorpus, { LOCAL_EMBEDDING_DIM: "768" }) })`,
 * without paying for that ingest in every test file. The caller removes the folder.
 */
export async function sampleIndexCopy(): Promise<string> {
  const dir = await tempDir();
  await cp(inject("sampleIndex768"), dir, { recursive: true });
  return dir;
}

/** The sample corpus' keyword vocabulary (analysed token → passages), read from a copy of its index. */
export async function sampleVocabulary(): Promise<Map<string, number>> {
  const dir = await sampleIndexCopy();
  try {
    const index = await openIndex(dir);
    try {
      return index.db.vocabulary();
    } finally {
      index.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
