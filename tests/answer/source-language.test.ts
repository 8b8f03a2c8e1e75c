import { describe, expect, it } from "vitest";
import { citationOf, narrowToQuote, placeOf } from "../../src/answer/citations.js";
import { composeAnswer, inEnglish, verdictOf } from "../../src/answer/compose.js";
import { understand } from "../../src/answer/intent.js";
import { unitsOf } from "../../src/answer/units.js";
import type { Chunk } from "../../src/types.js";

const text =
  "A cooperative needs at least five members. The members adopt the statutes at the first meeting.";
const chunk = (extra: Partial<Chunk>): Chunk => ({
  id: "c1",
  kind: "handbook",
  path: "guide.pdf",
  title: "Guide",
  text,
  ordinal: 0,
  page: 9,
  ...extra,
});

describe("English sources and printed page labels in answers", () => {
  it("does not call the quote of an English source Latvian", () => {
    const c = chunk({ language: "en" });
    const unit = unitsOf(c.text)[0]!;
    const { answer } = composeAnswer({
      intent: understand("How many members does a cooperative need?"),
      lead: { unit, chunk: c },
      seeAlso: [],
      abbreviations: new Map(),
      window: 1,
    });
    expect(answer).not.toContain("In Latvian");
    // The quote is already in the asker's language: it answers first, with no opening line.
    expect(answer).toMatch(/^A cooperative needs at least five members\./);
  });

  it("still says so for a Latvian source", () => {
    const c = chunk({ language: "lv" });
    const unit = unitsOf(c.text)[0]!;
    const { answer } = composeAnswer({
      intent: understand("How many members does a cooperative need?"),
      lead: { unit, chunk: c },
      seeAlso: [],
      abbreviations: new Map(),
      window: 1,
    });
    expect(answer).toMatch(/^The handbook, page 9 answers this, in Latvian:\n/);
  });

  it("names another corpus's document by its title, not as the handbook", () => {
    const long =
      "A practical guide to founding and running rural cooperatives in the Baltic states";
    const latvian =
      "Kooperatīvam vajag vismaz piecus biedrus. Biedri pieņem statūtus pirmajā sapulcē.";
    const paged = chunk({ language: "lv", title: long, text: latvian });
    const unit = unitsOf(paged.text)[0]!;
    const ask = (c: Chunk) =>
      composeAnswer({
        intent: understand("How many members does a cooperative need?"),
        lead: { unit, chunk: c },
        seeAlso: [],
        abbreviations: new Map(),
        window: 1,
        handbook: false,
      }).answer;
    expect(ask(paged)).toMatch(
      /^“A practical guide to founding and running rural…”, page 9 answers this, in Latvian:\n/,
    );
    const statute = chunk({
      kind: "document",
      title: "Statutes",
      page: undefined,
      section: "2. Members › 5. Founding members",
      language: "lv",
      text: latvian,
    });
    expect(ask(statute)).toMatch(/^“Statutes”, 5\. Founding members answers this, in Latvian:\n/);
  });

  it("does not name a digit inside a word as a figure", () => {
    const c = chunk({
      language: "lv",
      text: "Kontrolsummu rīks md5 veido vienu garu trasi. Kopā tas palaiž 40 etalontestus.",
    });
    const unit = unitsOf(c.text)[0]!;
    const { answer } = composeAnswer({
      intent: understand("How many benchmarks does it run?"),
      lead: { unit, chunk: c },
      seeAlso: [],
      abbreviations: new Map(),
      window: 2,
    });
    expect(answer).toMatch(/^The handbook, page 9: 40\. In Latvian:\n/);
  });

  it("shows the printed page label and keeps the file's page number", () => {
    const c = citationOf(chunk({ pageLabel: "8", pageEnd: 10, pageEndLabel: "9" }), 1);
    expect(c).toMatchObject({ page: 9, pageEnd: 10, pageLabel: "8", pageEndLabel: "9" });
    expect(placeOf(c, "lv")).toBe("8.–9. lpp.");
    expect(placeOf(citationOf(chunk({ pageLabel: "viii" }), 1), "en")).toBe("p. viii");
  });

  it("cites the page of the quoted sentence in a passage that runs over a page break", () => {
    const second = text.indexOf("The members");
    const c = chunk({
      pageLabel: "8",
      pageEnd: 10,
      pageEndLabel: "9",
      pageBreaks: [{ at: second, page: 10, label: "9" }],
    });
    const later = citationOf(c, 1);
    narrowToQuote(later, c, ["The members adopt the statutes at the first meeting."]);
    expect(later).toMatchObject({ page: 10, pageLabel: "9" });
    expect(later.pageEnd).toBeUndefined();
    expect(placeOf(later, "en")).toBe("p. 9");
    const both = citationOf(c, 1);
    narrowToQuote(both, c, [
      "A cooperative needs at least five members.",
      "The members adopt the statutes at the first meeting.",
    ]);
    expect(placeOf(both, "en")).toBe("pp. 8–9");
    const unit = unitsOf(c.text).find((u) => u.lead.startsWith("The members"))!;
    const { citations } = composeAnswer({
      intent: understand("Who adopts the statutes of a cooperative?"),
      lead: { unit, chunk: c },
      seeAlso: [],
      abbreviations: new Map(),
    });
    expect(citations[0]).toMatchObject({ page: 10, pageLabel: "9" });
  });
});

describe("values named in an English opening line", () => {
  it("are said in English: dates, spans, decimals; a figure without its Latvian word", () => {
    expect(inEnglish("2024. gada 3. februārī")).toBe("3 February 2024");
    expect(inEnglish("12. decembra")).toBe("12 December");
    expect(inEnglish("2 darba dienas")).toBe("2 working days");
    expect(inEnglish("1 mēnesi")).toBe("1 month");
    expect(inEnglish("12,5 miljoni eiro")).toBe("12.5 million euro");
    expect(inEnglish("7,5 procenti")).toBe("7.5 %");
    expect(inEnglish("19 kooperatīviem")).toBe("19");
    expect(inEnglish("info@example.lv")).toBe("info@example.lv");
  });
});

describe("the verdict an English line gives a yes/no question", () => {
  it("is said only when the Latvian quote opens with it", () => {
    expect(verdictOf("Nē. Biedri peļņu nesadala.")).toBe("no");
    expect(verdictOf("Jā, ja kooperatīvam ir vismaz pieci biedri.")).toBe("yes, with a condition");
    expect(verdictOf("Drīkst. Tas jāieraksta statūtos.")).toBe("yes");
    expect(verdictOf("Kooperatīvs peļņu nesadala.")).toBe(undefined);
    expect(verdictOf("Varbūt vēlāk.")).toBe(undefined);
  });
});
