import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { citationOf, placeOf } from "../../src/answer/citations.js";
import { chunkDocument } from "../../src/ingest/chunk.js";
import type { TextDocument } from "../../src/ingest/document-types.js";
import { parsePdf } from "../../src/ingest/pdf.js";
import type { Chunk } from "../../src/types.js";
import { NO_REAL_DOCS, realDocsDir } from "./helpers.js";

const docs = realDocsDir();
const load = (name: string) =>
  parsePdf(new Uint8Array(readFileSync(join(docs as string, name))), `real/${name}`);
const headingsOf = (doc: TextDocument) => doc.blocks.filter((b) => b.heading).map((b) => b.text);

describe.skipIf(!docs)(`a Latvian LaTeX thesis ${docs ? "" : NO_REAL_DOCS}`, () => {
  let doc: TextDocument;
  beforeAll(async () => {
    doc = await load("thesis-latviensis.pdf");
  }, 30_000);

  it("takes its headings from the layout: unnumbered capitals, numbered chapters and sections", () => {
    expect(headingsOf(doc)).toEqual([
      "ANOTĀCIJA",
      "ABSTRACT",
      "APZĪMĒJUMU SARAKSTS",
      "IEVADS",
      "1. LOREM IPSUM DOLOR SIT AMET",
      "1.1. Ut purus elit",
      "1.2. Nam arcu libero",
      "1.3. Etiam euismod",
      "2. CONSECTETUER ADIPISCING ELIT",
      "IZMANTOTĀ LITERATŪRA UN AVOTI",
      "PIELIKUMI",
      "DOKUMENTĀRĀ LAPA",
    ]);
    const headings = new Set(headingsOf(doc));
    for (const c of chunkDocument(doc)) {
      for (const part of c.section?.split(" › ") ?? []) expect(headings.has(part), part).toBe(true);
    }
    const section = doc.blocks.find((b) => b.text.startsWith("Nulla facilisi."))?.section;
    expect(section).toEqual(["1. LOREM IPSUM DOLOR SIT AMET", "1.1. Ut purus elit"]);
  });

  it("cites the printed page labels, and keeps the PDF page numbers", () => {
    // Page 9 of the file is printed "8": the cover page has no number.
    const block = doc.blocks.find((b) => b.text === "1.1. Ut purus elit");
    expect(block).toMatchObject({ page: 9, pageLabel: "8" });
    const chunk = chunkDocument(doc).find((c) => c.section?.endsWith("1.1. Ut purus elit"));
    expect(chunk).toMatchObject({ page: 9, pageLabel: "8" });
    const citation = citationOf(chunk as Chunk, 1);
    expect(placeOf(citation, "en")).toMatch(/^(p\. 8|pp\. 8–9), /);
    expect(citation.page).toBe(9);
  });

  it("marks where a passage moves to the next page", () => {
    const spanning = chunkDocument(doc).find((c) => c.pageEnd !== undefined && c.pageLabel);
    expect(spanning?.pageBreaks?.length).toBeGreaterThan(0);
    const last = spanning?.pageBreaks?.at(-1);
    expect(last).toMatchObject({ page: spanning?.pageEnd, label: spanning?.pageEndLabel });
  });

  it("keeps the metadata title, which the cover page shows", () => {
    expect(doc.title).toBe("Tēma");
  });

  it("leaves table cells and the table's caption out of the body text", () => {
    const text = doc.blocks.map((b) => b.text).join("\n");
    expect(text).not.toContain("Identificator");
    expect(text).not.toContain("1.1. tabula");
    expect(text).not.toContain("LIP-001");
  });
});

describe.skipIf(!docs)(`an English two-column paper ${docs ? "" : NO_REAL_DOCS}`, () => {
  let doc: TextDocument;
  beforeAll(async () => {
    doc = await load("tracemonkey-pldi-09.pdf");
  }, 30_000);

  it("takes the largest text of the first page for the title (the PDF has no Title)", () => {
    expect(doc.title).toBe("Trace-based Just-in-Time Type Specialization for Dynamic Languages");
  });

  it("finds the paper's sections and subsections, and no list item or caption among them", () => {
    const headings = headingsOf(doc);
    expect(headings.slice(0, 6)).toEqual([
      "Abstract",
      "1. Introduction",
      "2. Overview: Example Tracing Run",
      "3. Trace Trees",
      "3.1 Traces",
      "3.2 Trace Trees",
    ]);
    expect(headings).toContain("6.4 Preemption");
    expect(headings.slice(-4)).toEqual([
      "9. Conclusions",
      "10. Future Work",
      "Acknowledgments",
      "References",
    ]);
    expect(headings.filter((h) => /^Figure|^i=\d/.test(h))).toEqual([]);
    const passages = chunkDocument(doc);
    for (const c of passages) {
      for (const part of c.section?.split(" › ") ?? []) expect(headings, part).toContain(part);
    }
    expect(passages.filter((c) => c.section === undefined).length).toBeLessThanOrEqual(1);
    const nested = doc.blocks.find((b) => b.text.startsWith("The key insight is that"));
    expect(nested?.section).toEqual(["4. Nested Trace Tree Formation", "4.1 Nesting Algorithm"]);
  });

  it("keeps copyright, footnotes, captions, code and chart labels out of the body passages", () => {
    const passages = chunkDocument(doc).map((c) => c.text);
    const all = passages.join("\n");
    for (const aside of [
      "Permission to make digital or hard copies",
      "Copyright",
      "$5.00",
      "Figure 1. Sample program",
      "for (var i = 2; i < 100; ++i)",
      "Interpret Bytecodes",
      "cold/blacklisted",
      "@mozilla.com",
    ]) {
      expect(all, aside).not.toContain(aside);
    }
    expect(all).toContain("Dynamic languages such as JavaScript are more difficult to compile");
  });

  it("has no page labels (the PDF defines none) and is recorded as English", () => {
    const chunks = chunkDocument(doc);
    expect(chunks.every((c) => c.pageLabel === undefined)).toBe(true);
    expect(new Set(chunks.map((c) => c.language))).toEqual(new Set(["en"]));
  });

  it("keeps the hyphen of a compound split at a line end, and joins a split word", () => {
    const text = doc.blocks.map((b) => b.text).join("\n");
    expect(text).toContain("type-specialized");
    expect(text).not.toContain("typespecialized");
    // Joined where the joined word occurs elsewhere in the paper …
    expect(text).not.toContain("Trace-Monkey");
    expect(text).not.toContain("Sun-Spider");
    // … and kept where both halves are words and the joined one is not.
    expect(text).toContain("floating-point representation");
    expect(text).toContain("language-independent");
    expect(text).not.toContain("floatingpoint");
    expect(text).not.toMatch(/\bcom- pile|\bcom-pile/);
  });
});
