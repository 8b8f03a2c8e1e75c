/**
 * Laws and rules as plain text and Markdown: articles, chapters and points become sections,
 * tables of contents are dropped. The real Latvian Labour Law comes from ../shared/data/real-docs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chunkDocument, SECTION_SEPARATOR } from "../../src/ingest/chunk.js";
import {
  dropTableOfContents,
  parseLegalMarker,
  withoutEditorialNotes,
} from "../../src/ingest/legal.js";
import { parseMarkdown, parsePlainText } from "../../src/ingest/markdown.js";
import { NO_REAL_DOCS, realDocsDir } from "./helpers.js";

const docs = realDocsDir();
const LAW = "darba-likums-2016-06-09.txt";

describe.skipIf(!docs)(`the Latvian Labour Law as plain text ${docs ? "" : NO_REAL_DOCS}`, () => {
  const raw = docs ? readFileSync(join(docs, LAW), "utf8") : "";
  const doc = parsePlainText(raw, `likumi/${LAW}`);
  const chunks = chunkDocument(doc);
  const headings = doc.blocks.filter((b) => b.heading).map((b) => b.text);
  /** Article headings of the body: lines that start with "N.pants." and are not TOC bullets. */
  const bodyArticles = raw
    .split("\n")
    .filter((l) => /^\d{1,3}\.(?:\^\d+ )?pants\./.test(l))
    .map((l) => l.replace(/\s+/g, " ").trim());

  it("is titled by the act's name", () => {
    expect(doc.title).toBe("Darba likums");
  });

  it("drops the table of contents", () => {
    const text = doc.blocks.map((b) => b.text).join("\n");
    expect(text).not.toContain("•");
    expect(text).not.toContain("Satura rādītājs");
    expect(raw.split("1.pants. Darba tiesisko attiecību tiesiskais regulējums").length).toBe(3);
    expect(headings.filter((h) => h.startsWith("1.pants.")).length).toBe(1);
  });

  it("makes every article of the body a section, in order", () => {
    const articles = headings.filter((h) => /^\d{1,3}\.(?:\^\d+ )?pants\./.test(h));
    expect(bodyArticles.length).toBeGreaterThan(100);
    expect(articles).toEqual(bodyArticles);
  });

  it("cites each passage of an article by its chapter and article", () => {
    const art = chunks.find((c) => c.text.startsWith("Darbinieks ir fiziskā persona"));
    expect(art?.section).toBe(
      ["1.nodaļa Darba tiesību sistēma un tās pamatprincipi", "3.pants. Darbinieks"].join(
        SECTION_SEPARATOR,
      ),
    );
    const treaty = chunks.filter((c) => c.section?.endsWith("12.pants. Starptautiskie līgumi"));
    expect(treaty.length).toBeGreaterThan(0);
    expect(treaty[0]?.section).toContain("3.nodaļa Starptautiskās darba tiesības");
    // Every passage after the preamble carries an article, a point or a closing heading.
    const body = chunks.filter((c) => c.section);
    expect(body.length).toBe(chunks.length - 1);
    for (const c of body) {
      expect(c.section).toMatch(/pants\.|punkts|Pārejas noteikumi|Informatīvā atsauce/);
    }
  });

  it("leaves out the publisher's notes on amendments and deleted paragraphs", () => {
    const text = chunks.map((c) => c.text).join("\n");
    expect(raw).toContain("(Ar grozījumiem, kas izdarīti ar");
    expect(text).not.toContain("(Ar grozījumiem, kas izdarīti ar");
    expect(text).not.toMatch(/likuma redakcijā, kas stājas spēkā|\([Ii]zslēgt[as] ar/);
  });

  it("makes the transitional provisions' numbered paragraphs points", () => {
    const points = headings.filter((h) => /^\d+\. punkts$/.test(h));
    expect(points[0]).toBe("1. punkts");
    expect(points.map((p) => Number.parseInt(p, 10))).toEqual(points.map((_, i) => i + 1));
    const second = chunks.find((c) => c.text.includes("112.pants stājas spēkā"));
    expect(second?.section).toBe(`Pārejas noteikumi${SECTION_SEPARATOR}2. punkts`);
  });
});

describe("parseLegalMarker", () => {
  it("reads Latvian and English articles, chapters, divisions and parts", () => {
    expect(parseLegalMarker("14.^1 pants. Darba devēja pienākumi")).toMatchObject({
      kind: "article",
      order: 14.01,
      title: "Darba devēja pienākumi",
    });
    expect(parseLegalMarker("12. pants. Starptautiskie līgumi")?.kind).toBe("article");
    expect(parseLegalMarker("3.nodaļa")).toMatchObject({ kind: "chapter", order: 3, title: "" });
    expect(parseLegalMarker("Article 5 – Grants")).toMatchObject({ kind: "article", order: 5 });
    expect(parseLegalMarker("Chapter IV. Funding")).toMatchObject({ kind: "chapter", order: 4 });
    expect(parseLegalMarker("OTRĀ SADAĻA")).toMatchObject({ kind: "division", order: 2 });
    expect(parseLegalMarker("B DAĻA DARBA KOPLĪGUMS")?.kind).toBe("part");
  });

  it("does not take a sentence about an article for its heading", () => {
    expect(parseLegalMarker("12. pants nosaka, ka līgumu slēdz rakstveidā.")).toBeUndefined();
    expect(parseLegalMarker("Article 5 of the regulation applies,")).toBeUndefined();
  });
});

describe("plain-text rules", () => {
  it("sections English rules by chapter and article, the title on the next line", () => {
    const doc = parsePlainText(
      [
        "Grant rules",
        "",
        "Chapter 1",
        "General provisions",
        "",
        "Article 1. Purpose",
        "",
        "These rules set out how grants are awarded.",
        "",
        "Article 2. Applicants",
        "",
        "Any social enterprise may apply. Article 1 applies to all of them.",
        "",
        "Chapter 2",
        "Evaluation",
        "",
        "Article 3. Criteria",
        "",
        "Applications are scored on impact.",
      ].join("\n"),
      "rules.txt",
    );
    expect(doc.title).toBe("Grant rules");
    const scored = doc.blocks.find((b) => b.text.startsWith("Applications are scored"));
    expect(scored?.section).toEqual(["Chapter 2 Evaluation", "Article 3. Criteria"]);
    const any = doc.blocks.find((b) => b.text.startsWith("Any social enterprise"));
    expect(any?.section).toEqual(["Chapter 1 General provisions", "Article 2. Applicants"]);
  });

  it("does not take an out-of-order cross-reference at a line start for an article", () => {
    const doc = parsePlainText(
      "1. pants. Mērķis\n\nTeksts.\n\n2. pants. Termini\n\nCits teksts.\n\n1. pants. Mērķis ir minēts iepriekš\n\nVēl teksts.",
      "n.txt",
    );
    const last = doc.blocks.at(-1);
    expect(last?.section).toEqual(["2. pants. Termini"]);
    expect(doc.blocks.filter((b) => b.heading)).toHaveLength(2);
  });

  it("drops the notes a consolidated act carries, and a paragraph that is nothing else", () => {
    const doc = parsePlainText(
      [
        "1. pants. Mērķis",
        "",
        "(1) Likums nosaka kārtību. (Ar grozījumiem, kas izdarīti ar 01.02.2010. likumu, kas stājas spēkā 01.03.2010.)",
        "",
        "(2) (Izslēgta ar 05.06.2012. likumu)",
        "",
        "2. pants. Termini",
        "",
        "(10.10.2014. likuma redakcijā, kas stājas spēkā 01.01.2015.)",
        "",
        "Termini ir šādi. Tie (skat. 1. pantu) paliek.",
        "",
        "Pārejas noteikumi",
        "",
        "1. Pirmais punkts.",
        "",
        "2. (Izslēgts ar 05.06.2012. likumu)",
        "",
        "3. Trešais punkts.",
      ].join("\n"),
      "likums.txt",
    );
    expect(doc.blocks.filter((b) => !b.heading).map((b) => b.text)).toEqual([
      "(1) Likums nosaka kārtību.",
      "Termini ir šādi. Tie (skat. 1. pantu) paliek.",
      "1. Pirmais punkts.",
      "3. Trešais punkts.",
    ]);
    const third = doc.blocks.find((b) => b.text === "3. Trešais punkts.");
    expect(third?.section).toEqual(["Pārejas noteikumi", "3. punkts"]);
    expect(withoutEditorialNotes("(4) (Zaudējusi spēku ar 01.01.2020.)")).toBe("");
  });

  it("leaves a text with one article reference as ordinary paragraphs", () => {
    const doc = parsePlainText("Ievads.\n\n5. pants. Atbalsts\n\nTeksts par atbalstu.", "x.txt");
    expect(doc.blocks.some((b) => b.heading)).toBe(false);
  });
});

describe("dropTableOfContents", () => {
  it("drops a titled table of contents with dot leaders and page numbers", () => {
    const text =
      "Saturs\n1. Ievads ........ 3\n2. Statuss ....... 5\n2.1. Kritēriji ..... 6\n\n1. Ievads\n\nTeksts par ievadu.\n\n2. Statuss\n\nTeksts par statusu.";
    const doc = parsePlainText(text, "r.txt");
    const all = doc.blocks.map((b) => b.text).join("\n");
    expect(all).not.toMatch(/\.{4}|Saturs/);
    expect(doc.blocks.find((b) => b.text === "Teksts par statusu.")?.section).toEqual([
      "2. Statuss",
    ]);
  });

  it("drops an untitled run of chapter titles repeated in the body, keeps other lists", () => {
    const lines = [
      "Noteikumi",
      "",
      "• Pirmā nodaļa par mērķiem",
      "• Otrā nodaļa par atbalstu",
      "• Trešā nodaļa par kontroli",
      "",
      "Pirmā nodaļa par mērķiem",
      "Teksts.",
      "Otrā nodaļa par atbalstu",
      "Teksts.",
      "Trešā nodaļa par kontroli",
      "Teksts.",
      "",
      "• ābols",
      "• bumbieris",
      "• plūme",
    ];
    const out = dropTableOfContents(lines);
    expect(out.slice(2, 5)).toEqual(["", "", ""]);
    expect(out.slice(6)).toEqual(lines.slice(6));
    expect(out[0]).toBe("Noteikumi");
  });

  it("keeps a bulleted list whose items only recur inside later sentences", () => {
    const lines = [
      "Dokumenti:",
      "• pieteikums statusam",
      "• uzņēmuma statūti",
      "• pārskats par ietekmi",
      "",
      "Iesniedziet pieteikums statusam kopā ar uzņēmuma statūti un pārskats par ietekmi.",
    ];
    expect(dropTableOfContents(lines)).toEqual(lines);
  });
});

describe("Markdown rules", () => {
  it("drops the contents section and makes bold article paragraphs sections", () => {
    const doc = parseMarkdown(
      [
        "# Konkursa nolikums",
        "",
        "## Saturs",
        "",
        "- [1. pants](#1-pants)",
        "- [2. pants](#2-pants)",
        "",
        "## Vispārīgie noteikumi",
        "",
        "**1. pants. Mērķis**",
        "Konkurss atbalsta sociālos uzņēmumus.",
        "",
        "**2. pants. Dalībnieki**",
        "Piedalīties var jebkurš sociālais uzņēmums.",
      ].join("\n"),
      "nolikums.md",
    );
    expect(doc.blocks.map((b) => b.text).join("\n")).not.toContain("Saturs");
    expect(doc.blocks.find((b) => b.text.startsWith("Piedalīties"))?.section).toEqual([
      "Konkursa nolikums",
      "Vispārīgie noteikumi",
      "2. pants. Dalībnieki",
    ]);
    expect(doc.blocks.find((b) => b.text.startsWith("Konkurss"))?.section.at(-1)).toBe(
      "1. pants. Mērķis",
    );
  });
});
