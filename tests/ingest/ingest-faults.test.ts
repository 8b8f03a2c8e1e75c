/**
 * Ingest under the faults of a real corpus folder: files that cannot be read (permission denied,
 * deleted between the walk and the read, a name that is not UTF-8), broken links, a typo in
 * lectures.json and deleted files on a re-ingest, and a stale lock. Permission denied and the
 * deletion are simulated (the tests also run as root).
 */
import { spawn } from "node:child_process";
import { cp, mkdir, readFile, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { formatIngestSummary } from "../../src/cli/ingest.js";
import { ingestCorpus } from "../../src/ingest/ingest.js";
import { processStart } from "../../src/store/ingest-lock.js";
import { readManifest } from "../../src/store/manifest.js";
import { fixtures, tempDir, testConfig } from "../helpers/corpus.js";

vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs")>();
  const fail = (path: unknown) => {
    const p = String(path);
    if (p.endsWith("locked.md"))
      return Object.assign(new Error(`EACCES: permission denied, open '${p}'`), {
        code: "EACCES",
      });
    if (p.endsWith("vanished.md"))
      return Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), {
        code: "ENOENT",
      });
    return undefined;
  };
  return {
    ...actual,
    createReadStream: ((path: Parameters<typeof actual.createReadStream>[0], ...rest: []) => {
      const error = fail(path);
      if (!error) return actual.createReadStream(path, ...rest);
      const stream = actual.createReadStream(__filename);
      stream.destroy(error);
      return stream;
    }) as typeof actual.createReadStream,
  };
});

const cleanup: string[] = [];
afterAll(async () => {
  for (const d of cleanup) await rm(d, { recursive: true, force: true });
});

async function folders() {
  const corpus = await tempDir("padoms-corpus-");
  const data = await tempDir();
  cleanup.push(corpus, data);
  return { corpus, data, config: testConfig(data, corpus) };
}

const lecturesJson = (title: string) =>
  JSON.stringify({
    lectures: [
      {
        id: "l1",
        file: "lekcija.srt",
        title,
        url: "https://www.youtube.com/watch?v=abcdefghijk",
        summary: "Par sociālo uzņēmumu.",
      },
    ],
  });

describe("ingest: one bad file never aborts the run", () => {
  it("reports a file that cannot be read, one deleted mid-run and one with a non-UTF-8 name, and indexes the rest", async () => {
    const { corpus, config } = await folders();
    await cp(join(fixtures, "guide.md"), join(corpus, "guide.md"));
    await writeFile(join(corpus, "locked.md"), "# Slēgts\n\nTeksts par grantiem.\n");
    await writeFile(join(corpus, "vanished.md"), "# Pazudis\n\nTeksts par grantiem.\n");
    await writeFile(
      Buffer.concat([Buffer.from(`${corpus}/`), Buffer.from([0x66, 0xe2, 0x2e, 0x6d, 0x64])]),
      "# Nosaukums\n\nTeksts.\n",
    );
    const summary = await ingestCorpus({ config });
    expect(summary.status).toBe("built");
    expect(summary.files).toMatchObject({ total: 4, failed: 3 });
    const byPath = Object.fromEntries(summary.failures.map((f) => [f.path, f.message]));
    expect(byPath["locked.md"]).toContain("permission denied");
    expect(byPath["vanished.md"]).toContain("moved or deleted");
    const badName = summary.failures.find((f) => f.path.startsWith("f"));
    expect(badName?.message).toContain("not valid UTF-8");
    expect(badName?.message).toContain("rename it");
    expect(formatIngestSummary(summary)).toMatch(/^Indexed 1 of 4 files/);
  });
});

describe("ingest: a re-ingest that would lose sources keeps the live index", () => {
  it("keeps a broken link's previous version and says why", async () => {
    const { corpus, config } = await folders();
    const target = join(corpus, "..", `${corpus.split("/").pop()}-handbook.pdf`);
    cleanup.push(target);
    await cp(join(fixtures, "handbook.pdf"), target);
    await cp(join(fixtures, "guide.md"), join(corpus, "guide.md"));
    await symlink(target, join(corpus, "handbook.pdf"));
    const first = await ingestCorpus({ config });
    expect(first.failures).toEqual([]);
    await rm(target);
    const again = await ingestCorpus({ config });
    expect(again.chunks).toBe(first.chunks);
    expect(again.failures).toEqual([
      expect.objectContaining({ path: "handbook.pdf", keptPrevious: true }),
    ]);
    expect(again.failures[0]?.message).toContain(target);
    expect(again.failures[0]?.message).toContain("Restore the target, or remove the link");
  });

  it("keeps the live build when a file was deleted, unless --allow-shrink", async () => {
    const { corpus, data, config } = await folders();
    await cp(join(fixtures, "guide.md"), join(corpus, "guide.md"));
    await cp(join(fixtures, "timestamped.txt"), join(corpus, "lekcija.txt"));
    const first = await ingestCorpus({ config });
    const before = await readManifest(data);
    await rm(join(corpus, "lekcija.txt"));
    const kept = await ingestCorpus({ config });
    expect(kept.status).toBe("kept-previous");
    expect(kept.chunks).toBe(first.chunks);
    expect(kept.lost).toEqual([expect.objectContaining({ path: "lekcija.txt", code: "missing" })]);
    expect(await readManifest(data)).toEqual(before);
    const text = formatIngestSummary(kept);
    expect(text).toContain("Kept the current index");
    expect(text).toContain("lekcija.txt: no longer in");
    expect(text).toContain("--allow-shrink");

    const shrunk = await ingestCorpus({ config, allowShrink: true });
    expect(shrunk.status).toBe("built");
    expect(shrunk.chunks).toBeLessThan(first.chunks);
    expect(formatIngestSummary(shrunk)).toContain("lekcija.txt: dropped from the index");
  });

  it("keeps the live build when lectures.json no longer parses, and counts files right", async () => {
    const { corpus, data, config } = await folders();
    await cp(join(fixtures, "lecture-bom-crlf.srt"), join(corpus, "lekcija.srt"));
    await cp(join(fixtures, "guide.md"), join(corpus, "guide.md"));
    await writeFile(join(corpus, "lectures.json"), lecturesJson("Sociālā uzņēmuma pamati"));
    await ingestCorpus({ config });
    const before = await readManifest(data);
    await writeFile(join(corpus, "lectures.json"), lecturesJson("Pamati").replace('",', '"'));
    const kept = await ingestCorpus({ config });
    expect(kept.status).toBe("kept-previous");
    expect(kept.lost).toEqual([
      expect.objectContaining({
        path: "lectures.json",
        message: expect.stringContaining("not valid JSON"),
      }),
    ]);
    expect(await readManifest(data)).toEqual(before);

    // Without an index to keep, the transcripts are indexed and only the metadata is reported.
    const fresh = await ingestCorpus({ config, dataDir: await tempDir() });
    expect(fresh.status).toBe("built");
    expect(fresh.files).toMatchObject({ total: 2, failed: 0 });
    expect(fresh.failures.map((f) => f.path)).toEqual(["lectures.json"]);
    expect(formatIngestSummary(fresh)).toMatch(/^Indexed 2 of 2 files/);
    cleanup.push(fresh.dataDir);
  });

  it("says so when the corpus folder is another one than the index was built from", async () => {
    const { corpus, config } = await folders();
    await cp(join(fixtures, "guide.md"), join(corpus, "guide.md"));
    await ingestCorpus({ config });
    const other = await tempDir("padoms-corpus-");
    cleanup.push(other);
    await cp(join(fixtures, "timestamped.txt"), join(other, "cits.txt"));
    const kept = await ingestCorpus({ config, corpusDir: other });
    expect(kept.status).toBe("kept-previous");
    expect(kept.previousCorpusDir).toBe(corpus);
    expect(formatIngestSummary(kept)).toContain(`the index was built from ${corpus}`);
    const switched = await ingestCorpus({ config, corpusDir: other, allowShrink: true });
    expect(switched.status).toBe("built");
    expect(formatIngestSummary(switched)).toContain(`before, it held ${corpus}`);
  });

  it("stops between files on Ctrl-C and leaves the live index", async () => {
    const { corpus, data, config } = await folders();
    await cp(join(fixtures, "guide.md"), join(corpus, "guide.md"));
    await ingestCorpus({ config });
    const before = await readManifest(data);
    for (const name of ["a", "b", "c"])
      await cp(join(fixtures, "timestamped.txt"), join(corpus, `${name}.txt`));
    const controller = new AbortController();
    const run = ingestCorpus({
      config,
      signal: controller.signal,
      onProgress: (stage, done) => {
        if (stage === "load" && done === 1) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: "interrupted" });
    expect(await readManifest(data)).toEqual(before);
  });
});

describe("ingest.lock", () => {
  /** A live process that is not an ingest: the test runner's parent. */
  const foreign = process.ppid;

  it("is taken over when its process id now belongs to another live process", async () => {
    const { corpus, data, config } = await folders();
    await cp(join(fixtures, "guide.md"), join(corpus, "guide.md"));
    await mkdir(join(data, "builds"), { recursive: true });
    const lock = join(data, "ingest.lock");
    // A lock from an older Padoms: only the id, written an hour ago.
    await writeFile(lock, String(foreign));
    const hourAgo = new Date(Date.now() - 3600_000);
    await utimes(lock, hourAgo, hourAgo);
    expect((await ingestCorpus({ config })).status).toBe("built");
    // A lock whose id was reused: the process started at another time.
    await writeFile(
      lock,
      JSON.stringify({
        pid: foreign,
        host: (await import("node:os")).hostname(),
        start: "1",
        since: "x",
      }),
    );
    expect((await ingestCorpus({ config, force: true })).status).toBe("built");
    await expect(readFile(lock)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("still stops a second ingest while the holder runs", async () => {
    const { corpus, data, config } = await folders();
    await cp(join(fixtures, "guide.md"), join(corpus, "guide.md"));
    await mkdir(join(data, "builds"), { recursive: true });
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 20000)"]);
    try {
      const pid = holder.pid as number;
      await new Promise((r) => setTimeout(r, 50));
      await writeFile(
        join(data, "ingest.lock"),
        JSON.stringify({
          pid,
          host: (await import("node:os")).hostname(),
          start: processStart(pid),
          since: "2026-01-01T00:00:00Z",
        }),
      );
      await expect(ingestCorpus({ config })).rejects.toMatchObject({
        code: "busy",
        message: expect.stringContaining(`process ${pid}`),
      });
    } finally {
      holder.kill();
    }
  });
});
