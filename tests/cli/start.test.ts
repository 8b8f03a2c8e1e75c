/**
 * `padoms start` over an index that exists: it re-reads the corpus the index was built from
 * (never ./corpus silently), and serves the index when it cannot re-ingest.
 */
import { cp, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestCorpus } from "../../src/ingest/ingest.js";
import { readManifest } from "../../src/store/manifest.js";
import { padomsInProcess } from "../helpers/cli.js";
import { fixtures, tempDir, testConfig } from "../helpers/corpus.js";

const cleanup: string[] = [];
afterAll(async () => {
  for (const d of cleanup) await rm(d, { recursive: true, force: true });
});

/**
 * `padoms start` in the repository (whose ./corpus is the sample), as the terminal chat: in this
 * process, as `padoms start ARGS` with `input` piped in.
 */
function start(args: string[], input: string) {
  return padomsInProcess(["start", ...args], {
    input,
    env: {
      LLM: "off",
      LOCAL_EMBEDDING_DIM: "256",
      PADOMS_CORPUS_DIR: undefined,
      TELEGRAM_BOT_TOKEN: undefined,
    },
  });
}

describe("padoms start over an existing index", () => {
  let corpus: string;
  let data: string;
  let built: Awaited<ReturnType<typeof readManifest>>;
  beforeAll(async () => {
    corpus = await tempDir("padoms-corpus-");
    data = await tempDir();
    cleanup.push(corpus, data);
    await cp(join(fixtures, "guide.md"), join(corpus, "guide.md"));
    await ingestCorpus({ config: testConfig(data, corpus) });
    built = await readManifest(data);
  });

  it("re-reads the corpus the index was built from, not ./corpus", async () => {
    const same = await start(["--data", data], "");
    expect(same.code).toBe(0);
    expect(same.stderr).not.toMatch(/Indexed|Kept/);
    expect(await readManifest(data)).toEqual(built);
  });

  it("keeps the live index when another folder is named, and says how to switch", async () => {
    const other = await tempDir("padoms-corpus-");
    cleanup.push(other);
    await cp(join(fixtures, "timestamped.txt"), join(other, "cits.txt"));
    const r = await start(["--data", data, "--corpus", other], "");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Kept the current index");
    expect(r.stderr).toContain(`padoms ingest --corpus ${other} --allow-shrink`);
    expect(await readManifest(data)).toEqual(built);
  });

  it("serves the index when its corpus folder is gone", async () => {
    await rm(corpus, { recursive: true });
    const gone = await start(["--data", data], "Kas ir mazkapitāla sabiedrība?\n");
    expect(gone.code).toBe(0);
    expect(gone.stderr).toContain(`Corpus folder ${corpus} does not exist`);
    expect(gone.stderr).toContain("Serving the existing index");
    expect(gone.stderr).not.toContain("unexpected error");
    expect(gone.stdout.trim()).not.toBe("");
    expect(await readManifest(data)).toEqual(built);
  });
});
