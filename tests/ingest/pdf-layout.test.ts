import { describe, expect, it } from "vitest";
import {
  cleanMetaTitle,
  joinLine,
  structurePdfLayout,
  vocabularyOf,
} from "../../src/ingest/pdf.js";
import type { PdfPageLayout } from "../../src/ingest/pdf-layout.js";
import { cleanGlyphs, isCaptionStart, wordShare } from "../../src/ingest/pdf-layout.js";

/** One line of a synthetic page: text, size and font; `gap` is the space above it in points. */
interface Spec {
  text: string;
  size?: number;
  font?: string;
  gap?: number;
  x?: number;
}

const REGULAR = "Times-Roman";
const BOLD = "Times-Bold";

/** A page of lines top-down, 10 pt regular text on 12 pt spacing unless told otherwise. */
function page(num: number, specs: Spec[], label?: string): PdfPageLayout {
  let y = 760;
  const items = specs.map((s) => {
    const size = s.size ?? 10;
    y -= s.gap ?? 12;
    return {
      str: s.text,
      x: s.x ?? 72,
      y,
      size,
      width: s.text.length * size * 0.5,
      font: s.font ?? REGULAR,
      eol: true,
    };
  });
  return { num, width: 595, height: 842, items, ...(label ? { label } : {}) };
}

const WORDS = ["grant", "member", "statute", "report", "meeting", "budget", "partner", "region"];
const filler = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    text: `This sentence about the ${WORDS[(from + i) % WORDS.length]} number ${from + i + 1} of the body text runs across the column.`,
  }));

describe("structurePdfLayout", () => {
  it("takes bold and larger lines for headings, and numbered body lines for a list", () => {
    const doc = structurePdfLayout(
      [
        page(1, [
          { text: "Konkursa nolikums", size: 20, font: BOLD, gap: 40 },
          { text: "IEVADS", size: 14, font: BOLD, gap: 30 },
          ...filler(4),
          { text: "2 Replicated state machines", size: 12, font: BOLD, gap: 24 },
          ...filler(2),
          { text: "The steps are these:" },
          { text: "4. Izveidot studenta portālu un pieslēgt to sistēmai" },
          { text: "7. When all map tasks and reduce tasks have been" },
          { text: "completed, the master wakes up the user program." },
          { text: "III. Konkursa dalībnieki", size: 12, font: BOLD, gap: 24 },
          ...filler(3),
        ]),
      ],
      "paper.pdf",
    );
    expect(doc.blocks.filter((b) => b.heading).map((b) => b.text)).toEqual([
      "IEVADS",
      "2 Replicated state machines",
      "III. Konkursa dalībnieki",
    ]);
    const list = doc.blocks.find((b) => b.text.includes("7. When all map tasks"));
    expect(list?.section).toEqual(["2 Replicated state machines"]);
    expect(list?.heading).toBeUndefined();
  });

  it("without styled headings, takes numbered lines set apart by space, not list items", () => {
    const doc = structurePdfLayout(
      [
        page(1, [
          { text: "1. Reģistrācija", gap: 30 },
          ...filler(3),
          { text: "Lai reģistrētu uzņēmumu, veiciet šādus soļus:" },
          { text: "1. Sagatavojiet statūtus" },
          { text: "2. Iesniedziet pieteikumu" },
          { text: "3. Gaidiet lēmumu" },
          ...filler(2, 6),
          { text: "2. Pēc tam iesniedziet gada pārskatu" },
          ...filler(1, 8),
          { text: "2. Finansējums", gap: 30 },
          ...filler(3, 3),
        ]),
      ],
      "plain.pdf",
    );
    expect(doc.blocks.filter((b) => b.heading).map((b) => b.text)).toEqual([
      "1. Reģistrācija",
      "2. Finansējums",
    ]);
  });

  it("gives unnumbered headings the level of numbered ones in the same style", () => {
    const doc = structurePdfLayout(
      [
        page(1, [
          { text: "1. Pirmā nodaļa", size: 14, font: BOLD, gap: 30 },
          ...filler(2),
          { text: "1.1. Apakšnodaļa", size: 11, font: BOLD, gap: 20 },
          ...filler(2),
          { text: "PIELIKUMI", size: 14, font: BOLD, gap: 30 },
          ...filler(2),
        ]),
      ],
      "thesis.pdf",
    );
    const sections = doc.blocks.filter((b) => !b.heading).map((b) => b.section);
    expect(sections).toContainEqual(["1. Pirmā nodaļa", "1.1. Apakšnodaļa"]);
    expect(sections.at(-1)).toEqual(["PIELIKUMI"]);
  });

  it("takes the title from meaningful metadata, else the largest text of the first page", () => {
    const pages = [
      page(1, [{ text: "Social Enterprise Guide", size: 24, font: BOLD, gap: 40 }, ...filler(4)]),
    ];
    expect(structurePdfLayout(pages, "guide.pdf", "Example").title).toBe("Social Enterprise Guide");
    expect(structurePdfLayout(pages, "guide.pdf", "Microsoft Word - Document1").title).toBe(
      "Social Enterprise Guide",
    );
    expect(structurePdfLayout(pages, "guide.pdf", "Rural Social Enterprise").title).toBe(
      "Rural Social Enterprise",
    );
    const plain = structurePdfLayout([page(1, filler(4))], "dir/my_guide.pdf");
    expect(plain.title).toBe("My guide");
    const title = structurePdfLayout(pages, "guide.pdf");
    expect(title.blocks.some((b) => b.text.includes("Social Enterprise Guide"))).toBe(false);
  });

  it("leaves footnotes, captions and chart labels out and keeps the body", () => {
    const doc = structurePdfLayout(
      [
        page(1, [
          ...filler(5),
          { text: "Figure 3. Speedup over the interpreter.", font: BOLD, gap: 30 },
          { text: "0% 20% 40% 60% 80% 100%", size: 6, gap: 14 },
          { text: "crypto-md5 3.2x 1.1x 0.9", gap: 12 },
          ...filler(3).map((s) => ({ ...s, gap: 20 })),
          { text: "Copyright © 2009 ACM 978-1-60558-392-1/09/06. . . $5.00", size: 7, gap: 40 },
          { text: "1 The counter is reset after each loop.", size: 8, gap: 9 },
        ]),
      ],
      "paper.pdf",
    );
    const text = doc.blocks.map((b) => b.text).join("\n");
    expect(text).toContain("This sentence about the grant number 1");
    for (const aside of ["Figure 3", "60%", "crypto-md5", "Copyright", "counter is reset"]) {
      expect(text, aside).not.toContain(aside);
    }
  });

  it("carries printed page labels when they differ from the page numbers", () => {
    const doc = structurePdfLayout(
      [page(1, filler(3), "i"), page(2, filler(3, 3), "1")],
      "labelled.pdf",
    );
    expect(doc.blocks.map((b) => [b.page, b.pageLabel])).toEqual([
      [1, "i"],
      [2, "1"],
    ]);
    const plain = structurePdfLayout(
      [page(1, filler(3), "1"), page(2, filler(3, 3), "2")],
      "p.pdf",
    );
    expect(plain.blocks.every((b) => b.pageLabel === undefined)).toBe(true);
  });
});

describe("layout helpers", () => {
  it("decides line-end hyphens with the document's own words", () => {
    const vocabulary = vocabularyOf([
      { text: "Paxos is a single protocol; each decree is chosen once." },
      { text: "TraceMonkey records hot loops." },
    ]);
    expect(joinLine("the single-", "decree protocol", vocabulary)).toBe(
      "the single-decree protocol",
    );
    expect(joinLine("in Trace-", "Monkey the", vocabulary)).toBe("in TraceMonkey the");
    expect(joinLine("com-", "pile", vocabulary)).toBe("compile");
    expect(joinLine("Šāds uzņē-", "mums", vocabulary)).toBe("Šāds uzņēmums");
    // A short prefix that is also a word of its own ("pie") is still joined.
    const latvian = vocabularyOf([{ text: "Nāc pie mums un izlasi šo teikumu." }]);
    expect(joinLine("iesniedza pie-", "teikumu", latvian)).toBe("iesniedza pieteikumu");
  });

  it("turns private-use bullet glyphs into bullets", () => {
    expect(cleanGlyphs("\uF0B7 pirmais punkts")).toBe("• pirmais punkts");
    expect(cleanGlyphs("teksts\uE001")).toBe("teksts");
  });

  it("recognises captions and measures the share of real words", () => {
    expect(isCaptionStart("Figure 12. Fraction of time")).toBe(true);
    expect(isCaptionStart("1.1. tabula Rezultāti")).toBe(true);
    expect(isCaptionStart("2. attēls. Shēma")).toBe(true);
    expect(isCaptionStart("grafiks 2022. gadā")).toBe(false);
    expect(isCaptionStart("Figure 7 shows basic trace tree compilation")).toBe(false);
    expect(wordShare("Rīga – 50 %;")).toBe(0.5);
    expect(wordShare("0% 20% 40%")).toBe(0);
  });

  it("rejects template and tool defaults as titles", () => {
    for (const t of [
      "Example",
      "Introduction",
      "untitled",
      "main.tex",
      "C:\\docs\\a.docx",
      "my_file",
    ]) {
      expect(cleanMetaTitle(t), t).toBeUndefined();
    }
    expect(cleanMetaTitle("Microsoft Word - Sociālā uzņēmējdarbība.docx")).toBe(
      "Sociālā uzņēmējdarbība",
    );
    expect(cleanMetaTitle("COVID-19 atbalsts")).toBe("COVID-19 atbalsts");
  });
});
