import { spawn } from "node:child_process";
import { readdir, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { padomsInProcess } from "../helpers/cli.js";
import { repoRoot, tempDir } from "../helpers/corpus.js";
import { sampleIndexCopy } from "../helpers/sample-index.js";

let data: string;
beforeAll(async () => {
  data = await sampleIndexCopy();
}, 120_000);
afterAll(async () => {
  await rm(data, { recursive: true, force: true });
});

/** Runs the CLI as a user would; returns exit code and output. */
function padoms(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(repoRoot, "src/cli/main.ts"), ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, PADOMS_ENV_FILE: "/nonexistent", LOG_LEVEL: "warn", ...options.env },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdin.end(options.input ?? "");
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("padoms CLI", () => {
  it("ask --json prints the documented shape with citations", async () => {
    const r = await padomsInProcess([
      "ask",
      "--data",
      data,
      "--json",
      "Kāds ir minimālais pamatkapitāls SIA?",
    ]);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(Object.keys(a)).toEqual(
      expect.arrayContaining(["question", "answered", "answer", "mode", "citations", "latencyMs"]),
    );
    expect(a.answered).toBe(true);
    expect(a.mode).toBe("extractive");
    expect(a.citations[0]).toMatchObject({
      n: 1,
      kind: expect.any(String),
      title: expect.any(String),
      path: expect.any(String),
      chunkId: expect.any(String),
    });
  });

  it("search --json returns handbook hits with pages and lecture hits with time ranges", async () => {
    const r = await padomsInProcess([
      "search",
      "--data",
      data,
      "--json",
      "--k",
      "8",
      "Kam var piešķirt sociālā uzņēmuma statusu?",
    ]);
    expect(r.code).toBe(0);
    const hits = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(hits.some((h) => h.kind === "handbook" && typeof h.page === "number")).toBe(true);
    expect(
      hits.some(
        (h) =>
          h.kind === "lecture" && typeof h.startSec === "number" && typeof h.endSec === "number",
      ),
    ).toBe(true);
  });

  it("chat answers one question per line when piped, and keeps the conversation", async () => {
    const r = await padomsInProcess(["chat", "--data", data, "--json"], {
      input:
        "Kādus grantus piešķir ALTUM sociālajiem uzņēmumiem?\nun cik tas ir?\n\n/new\nun cik tas ir?\n",
    });
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[1].answered).toBe(true);
    expect(lines[2].answered).toBe(false);
  });

  it("chat prints each answer after its question when piped as text", async () => {
    const r = await padomsInProcess(["chat", "--data", data], {
      input: "Kā audzēt gurķus uz palodzes?\nCik liels ir SIA minimālais pamatkapitāls?\n",
    });
    expect(r.code).toBe(0);
    const turns = r.stdout.split(/^> /m).filter((t) => t.trim());
    expect(turns).toHaveLength(2);
    expect(turns[0]).toMatch(/^Kā audzēt gurķus uz palodzes\?\n/);
    expect(turns[1]).toMatch(/^Cik liels ir SIA minimālais pamatkapitāls\?\n[\s\S]*2\s?800/);
  });

  it("chat lists the lectures on /lectures, as the bot does", async () => {
    const r = await padomsInProcess(["chat", "--data", data, "--json"], { input: "/lectures\n" });
    expect(r.code).toBe(0);
    const [answer] = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(answer.answered).toBe(true);
    expect(answer.answer).toMatch(/^Ir \d+ lekcijas, ieteicamajā secībā:\n1\. “/);
    expect(answer.citations.length).toBeGreaterThan(1);
    expect(answer.citations.every((c: { kind: string }) => c.kind === "lecture")).toBe(true);
  });

  it("writes the index and databases for its user only: folders 0700, files 0600", async () => {
    const corpus = await tempDir("padoms-perm-corpus-");
    const out = join(await tempDir("padoms-perm-"), "data");
    try {
      await writeFile(join(corpus, "doc.md"), "# Statuss\n\nStatusu piešķir ministrija.\n");
      const previous = process.umask(0o022);
      let r: Awaited<ReturnType<typeof padoms>>;
      try {
        r = await padoms(["ingest", "--corpus", corpus, "--data", out]);
      } finally {
        process.umask(previous);
      }
      expect(r.code, r.stderr).toBe(0);
      const loose: string[] = [];
      const walk = async (dir: string) => {
        if (((await stat(dir)).mode & 0o777) !== 0o700) loose.push(dir);
        for (const e of await readdir(dir, { withFileTypes: true })) {
          const p = join(dir, e.name);
          if (e.isDirectory()) await walk(p);
          else if (((await stat(p)).mode & 0o777) !== 0o600) loose.push(p);
        }
      };
      await walk(out);
      expect(loose).toEqual([]);
    } finally {
      await rm(corpus, { recursive: true, force: true });
      await rm(dirname(out), { recursive: true, force: true });
    }
  });

  it("says in one line what to do when there is no index", async () => {
    const empty = await tempDir();
    const r = await padomsInProcess(["ask", "--data", empty, "Kas ir SIA?"]);
    await rm(empty, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("npm run ingest");
  });

  it("stops on a bad setting, naming the variable", async () => {
    const r = await padomsInProcess(["ask", "--data", data, "x"], {
      env: { BOT_MODE: "carrier-pigeon" },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("BOT_MODE");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("has --help for every command, and refuses unknown options", async () => {
    for (const cmd of ["ingest", "search", "ask", "chat", "analyze", "start"]) {
      const r = await padomsInProcess([cmd, "--help"]);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout).toMatch(/Usage: padoms/);
    }
    const bad = await padomsInProcess(["search", "--colour", "x"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--colour");
  });

  it("analyze prints the tokens the index sees", async () => {
    const r = await padomsInProcess(["analyze", "--json", "Sociālajiem uzņēmumiem"]);
    expect(JSON.parse(r.stdout).tokens).toEqual(["social", "uznemum"]);
  });
});
