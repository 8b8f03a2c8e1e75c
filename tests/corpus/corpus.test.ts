import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { PDFParse } from "pdf-parse";
import { beforeAll, describe, expect, it } from "vitest";
import { parseLecturesJson } from "../../src/ingest/lectures-meta.js";
import { loadSourceFile } from "../../src/ingest/load-file.js";
import type { Cue, SourceDocument } from "../../src/types.js";
import { sampleCorpus } from "../helpers/corpus.js";

const handbook = join(sampleCorpus, "handbook/rokasgramata.pdf");
const lecturesDir = join(sampleCorpus, "lectures");

/** Lower-cased text with whitespace collapsed and words split at line ends re-joined. */
function normalise(text: string): string {
  return text
    .replace(/(\p{L})-\n(\p{L})/gu, "$1$2")
    .replace(/\s+/g, " ")
    .toLowerCase();
}

let pdfPages: { num: number; text: string }[] = [];
beforeAll(async () => {
  const parser = new PDFParse({ data: new Uint8Array(await readFile(handbook)) });
  try {
    pdfPages = (await parser.getText()).pages;
  } finally {
    await parser.destroy();
  }
});

describe("the sample handbook", () => {
  it("opens with pdf-parse, has the expected pages and intact Latvian letters", () => {
    expect(pdfPages).toHaveLength(34);
    const all = pdfPages.map((p) => p.text).join("\n");
    for (const letter of "āčēģīķļņšūž") expect(all).toContain(letter);
    expect(all).not.toContain("\uFFFD");
    expect(pdfPages[0]?.text).toMatch(/paraugs/i);
    expect(pdfPages[1]?.text).toMatch(/Saturs/);
    expect(pdfPages[32]?.text).toMatch(/12\. Avoti/);
  });

  it("prints the page number in the footer of every page after the title page", () => {
    for (const p of pdfPages.slice(1)) expect(p.text).toMatch(new RegExp(`—\\s*${p.num}\\s*—`));
  });
});

describe("the sample lectures", () => {
  it("lectures.json matches the files in the folder", async () => {
    const meta = parseLecturesJson(
      await readFile(join(lecturesDir, "lectures.json"), "utf8"),
      "lectures/lectures.json",
    );
    const files = (await readdir(lecturesDir)).filter((f) => f !== "lectures.json").sort();
    expect(meta.map((m) => m.file).sort()).toEqual(files);
    expect(meta).toHaveLength(6);
    for (const m of meta) {
      expect(m.title).toBeTruthy();
      expect(m.url ?? "").toBe("");
      expect(m.moments?.length).toBeGreaterThan(2);
    }
  });

  it("every transcript parses, with cues in time order, and matches its metadata", async () => {
    const meta = parseLecturesJson(
      await readFile(join(lecturesDir, "lectures.json"), "utf8"),
      "lectures/lectures.json",
    );
    const formats = new Set<string>();
    for (const m of meta) {
      const doc = await loadSourceFile(join(lecturesDir, m.file), `lectures/${m.file}`, {
        lectures: new Map([[`lectures/${m.file}`, m]]),
      });
      expect(doc.type).toBe("transcript");
      const cues = (doc as Extract<SourceDocument, { type: "transcript" }>).cues;
      expect(cues.length).toBeGreaterThan(15);
      let previous: Cue | undefined;
      for (const c of cues) {
        expect(c.end).toBeGreaterThan(c.start);
        if (previous) expect(c.start).toBeGreaterThanOrEqual(previous.start);
        previous = c;
      }
      const last = cues[cues.length - 1] as Cue;
      expect(Math.abs((m.durationSec ?? 0) - last.end)).toBeLessThan(2);
      const words = cues
        .map((c) => c.text)
        .join(" ")
        .split(/\s+/).length;
      expect(words).toBeGreaterThan(1100);
      formats.add(m.file.slice(m.file.lastIndexOf(".")));
    }
    expect([...formats].sort()).toEqual([".srt", ".txt", ".vtt"]);
  });
});

describe("facts.tsv", () => {
  it("maps every fact of corpus-facts.md to key terms that really appear in the named files", async () => {
    const rows = (await readFile(join(sampleCorpus, "facts.tsv"), "utf8"))
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split("\t"));
    const facts = new Set(rows.map((r) => Number(r[0])));
    for (let i = 1; i <= 54; i++) expect(facts.has(i), `fact ${i} is covered`).toBe(true);

    const texts = new Map<string, string>();
    texts.set("handbook/rokasgramata.pdf", normalise(pdfPages.map((p) => p.text).join("\n")));
    const textOf = async (file: string) => {
      const cached = texts.get(file);
      if (cached) return cached;
      const doc = await loadSourceFile(join(sampleCorpus, file), file);
      const raw =
        doc.type === "transcript"
          ? doc.cues.map((c) => c.text).join(" ")
          : doc.blocks.map((b) => b.text).join("\n");
      texts.set(file, normalise(raw));
      return texts.get(file) as string;
    };
    for (const [fact, key, files] of rows) {
      for (const file of (files ?? "").split(";")) {
        expect(await textOf(file.trim()), `fact ${fact}: "${key}" in ${file}`).toContain(
          normalise(key ?? ""),
        );
      }
    }
  });
});
