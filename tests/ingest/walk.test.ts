import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findLecturesJson, listCorpusFiles } from "../../src/ingest/walk.js";

let root: string;
const files = [
  "handbook/rokasgramata.pdf",
  "handbook/README.md",
  "lekcijas/lectures.json",
  "lekcijas/01-ievads.vtt",
  "lekcijas/02-finanses.srt",
  "lekcijas/03.txt",
  "lekcijas/topics.tsv",
  "lekcijas/vecais/lectures.json",
  "lekcijas/vecais/a.vtt",
  "docs/ceļvedis.md",
  "docs/piezīmes.markdown",
  "docs/LICENSE.txt",
  "docs/bilde.png",
  "docs/tabula.docx",
  ".git/config.md",
  ".hidden.md",
  "node_modules/x/readme.md",
  "node_modules/x/a.md",
  "Zeta.md",
  "alfa.md",
];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "padoms-walk-"));
  for (const f of files) {
    await mkdir(join(root, f, ".."), { recursive: true });
    await writeFile(join(root, f), "x");
  }
  await symlink(join(root, "alfa.md"), join(root, "docs", "saite.md"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("listCorpusFiles", () => {
  it("lists supported files recursively, sorted, skipping hidden, metadata, README and LICENSE", async () => {
    const listed = await listCorpusFiles(root);
    expect(listed.map((f) => f.relPath)).toEqual([
      "Zeta.md",
      "alfa.md",
      "docs/ceļvedis.md",
      "docs/piezīmes.markdown",
      "docs/saite.md",
      "handbook/rokasgramata.pdf",
      "lekcijas/01-ievads.vtt",
      "lekcijas/02-finanses.srt",
      "lekcijas/03.txt",
      "lekcijas/vecais/a.vtt",
    ]);
    for (const f of listed) expect(f.absPath).toBe(join(root, ...f.relPath.split("/")));
  });

  it("fails when the corpus folder does not exist", async () => {
    await expect(listCorpusFiles(join(root, "nav"))).rejects.toThrow();
  });
});

describe("findLecturesJson", () => {
  it("finds every lectures.json", async () => {
    const found = await findLecturesJson(root);
    expect(found.map((f) => f.relPath)).toEqual([
      "lekcijas/lectures.json",
      "lekcijas/vecais/lectures.json",
    ]);
  });
});
