import { spawn } from "node:child_process";
import { appendFile, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createApp, openSearch } from "../../src/app.js";
import { ingestCorpus } from "../../src/ingest/ingest.js";
import { StoreError } from "../../src/store/errors.js";
import { readManifest, writeManifest } from "../../src/store/manifest.js";
import {
  fixtureCorpus,
  repoRoot,
  tempDir,
  testConfig,
  writeMarkdownCorpus,
} from "../helpers/corpus.js";

const cleanup: string[] = [];
afterAll(async () => {
  for (const d of cleanup) await rm(d, { recursive: true, force: true });
});

async function built(files = ["handbook.pdf", "youtube.vtt", "lecture-bom-crlf.srt", "guide.md"]) {
  const corpus = await fixtureCorpus(files);
  const data = await tempDir();
  cleanup.push(corpus, data);
  const config = testConfig(data, corpus);
  const summary = await ingestCorpus({ config });
  return { corpus, data, config, summary };
}

describe("ingest and the local index", () => {
  it("indexes handbook pages and lecture time ranges, and searches them", async () => {
    const { config, summary } = await built();
    expect(summary.status).toBe("built");
    expect(summary.failures).toEqual([]);
    // Stage times are reported and add up to no more than the whole run.
    const t = summary.timings;
    expect(t).toBeDefined();
    const stages = t ? [t.loadMs, t.fitMs, t.embedMs, t.indexMs, t.writeMs] : [];
    for (const ms of stages) expect(ms).toBeGreaterThanOrEqual(0);
    expect(stages.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(summary.durationMs + 5);
    const stack = await openSearch({ config });
    try {
      const hits = await stack.retriever.search("uzņēmuma statuss", { k: 10 });
      expect(hits.length).toBeGreaterThan(0);
      const handbook = hits.find((h) => h.chunk.kind === "handbook");
      expect(handbook?.chunk.page).toBeGreaterThan(0);
      const all = stack.index.db.getChunks(stack.index.db.allLabels());
      const lecture = [...all.values()].find((c) => c.kind === "lecture");
      expect(lecture?.startSec).toBeTypeOf("number");
      expect(lecture?.endSec).toBeGreaterThan(lecture?.startSec ?? 0);
    } finally {
      stack.close();
    }
  });

  it("skips unchanged files and re-processes only what changed", async () => {
    const { corpus, config } = await built();
    const again = await ingestCorpus({ config });
    expect(again.status).toBe("up-to-date");
    await appendFile(
      join(corpus, "guide.md"),
      "\n\n## Jauna sadaļa\n\nMazkapitāla sabiedrība ar ierobežotu atbildību ir iespēja sākt ar mazu kapitālu.\n",
    );
    const changed = await ingestCorpus({ config });
    expect(changed.status).toBe("built");
    expect(changed.files.processed).toBe(1);
    expect(changed.files.reused).toBe(3);
  });

  it("reports every bad file by path with its reason and indexes the rest", async () => {
    const { summary } = await built([
      "handbook.pdf",
      "corrupt.pdf",
      "encrypted.pdf",
      "empty.pdf",
      "no-text.pdf",
      "broken-timings.srt",
      "binary.txt",
    ]);
    expect(summary.status).toBe("built");
    const byPath = Object.fromEntries(summary.failures.map((f) => [f.path, f]));
    expect(Object.keys(byPath).sort()).toEqual([
      "binary.txt",
      "broken-timings.srt",
      "corrupt.pdf",
      "empty.pdf",
      "encrypted.pdf",
      "no-text.pdf",
    ]);
    expect(byPath["encrypted.pdf"]?.code).toBe("encrypted");
    expect(byPath["broken-timings.srt"]?.code).toBe("bad-timing");
    for (const f of summary.failures) expect(f.message).toContain(f.path);
  });

  it("fails clearly when there is no index, or it was built with another embedder", async () => {
    const empty = await tempDir();
    cleanup.push(empty);
    await expect(openSearch({ config: testConfig(empty, empty) })).rejects.toMatchObject({
      code: "no-index",
      message: expect.stringContaining("npm run ingest"),
    });
    const { data, corpus } = await built(["guide.md"]);
    const other = testConfig(data, corpus, { LOCAL_EMBEDDING_DIM: "512" });
    await expect(openSearch({ config: other })).rejects.toMatchObject({
      code: "embedder-mismatch",
      message: expect.stringContaining("npm run ingest"),
    });
  });

  it("refuses a truncated or damaged index file, naming it and the fix", async () => {
    const { data, config } = await built(["guide.md"]);
    const m = await readManifest(data);
    const vectors = join(data, "builds", m?.build ?? "", m?.vectors.file ?? "");
    await truncate(vectors, 100);
    const error = await openSearch({ config }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toContain(vectors);
    expect((error as StoreError).message).toContain("npm run ingest");
    // Re-ingesting repairs it.
    expect((await ingestCorpus({ config, force: true })).status).toBe("built");
    (await openSearch({ config })).close();
  });

  it("refuses a database or manifest from an older version", async () => {
    const { data, config } = await built(["guide.md"]);
    const m = await readManifest(data);
    if (!m) throw new Error("no manifest");
    const dbPath = join(data, "builds", m.build, m.db.file);
    const db = new Database(dbPath);
    db.pragma("user_version = 1");
    db.close();
    const { checkFile } = await import("../../src/store/manifest.js");
    await writeManifest(data, {
      ...m,
      db: await checkFile(join(data, "builds", m.build), m.db.file),
    });
    await expect(openSearch({ config })).rejects.toMatchObject({
      code: "old-version",
      path: dbPath,
    });
    await writeFile(join(data, "manifest.json"), JSON.stringify({ ...m, formatVersion: 0 }));
    await expect(openSearch({ config })).rejects.toMatchObject({ code: "old-version" });
  });

  it("keeps the previous index when ingest is killed mid-way", async () => {
    const DOCS = 150;
    const { data, corpus, config } = await built(["guide.md"]);
    const before = await readManifest(data);
    // Enough documents that the kill (at the first progress line) lands well before the end.
    await writeMarkdownCorpus(corpus, DOCS);
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        join(repoRoot, "src/cli/main.ts"),
        "ingest",
        "--data",
        data,
        "--corpus",
        corpus,
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, PROGRESS: "true", LOCAL_EMBEDDING_DIM: "256", LOG_LEVEL: "error" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    await new Promise<void>((resolve) => {
      child.stderr.on("data", (d: Buffer) => {
        if (/load|embed|index/.test(d.toString())) child.kill("SIGKILL");
      });
      child.on("exit", () => resolve());
    });
    expect(child.signalCode).toBe("SIGKILL");
    expect(await readManifest(data)).toEqual(before);
    const app = await createApp({ config });
    try {
      // The app serves the previous build: only guide.md, none of the half-ingested files.
      expect(app.live.current().index.manifest.chunkCount).toBe(before?.chunkCount);
      const answer = await app.engine.ask("Kas ir mazkapitāla sabiedrība?");
      expect(answer.citations.map((c) => c.path)).toEqual(answer.citations.map(() => "guide.md"));
    } finally {
      app.close();
    }
    // The next run cleans up and builds.
    const next = await ingestCorpus({ config });
    expect(next.status).toBe("built");
    expect((await readdir(join(data, "builds"))).filter((d) => d.endsWith(".tmp"))).toEqual([]);
    expect(
      JSON.parse(await readFile(join(data, "manifest.json"), "utf8")).chunkCount,
    ).toBeGreaterThan(DOCS);
  });
});
