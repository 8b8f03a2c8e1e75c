import { describe, expect, it } from "vitest";
import { unitsOf } from "../../src/answer/units.js";
import { chunkDocument } from "../../src/ingest/chunk.js";
import { parseMarkdown, parsePlainText, stripInlineMarkdown } from "../../src/ingest/markdown.js";
import { expectIngestError, fixtureText } from "./helpers.js";

describe("parseMarkdown", () => {
  const doc = parseMarkdown(fixtureText("guide.md"), "docs/guide.md");
  const body = doc.blocks.filter((b) => !b.heading);

  it("is a document titled from the front matter", () => {
    expect(doc).toMatchObject({ type: "text", kind: "document", path: "docs/guide.md" });
    expect(doc.title).toBe("Ceļvedis sociālajiem uzņēmējiem");
  });

  it("turns headings into the section path", () => {
    expect(doc.blocks.filter((b) => b.heading).map((b) => b.section)).toEqual([
      ["Ceļvedis sociālajiem uzņēmējiem"],
      ["Ceļvedis sociālajiem uzņēmējiem", "Reģistrācija"],
      ["Ceļvedis sociālajiem uzņēmējiem", "Reģistrācija", "Dokumenti"],
      ["Ceļvedis sociālajiem uzņēmējiem", "Finansējums"],
    ]);
    const grants = body.find((b) => b.text.startsWith("Granti"));
    expect(grants?.section).toEqual(["Ceļvedis sociālajiem uzņēmējiem", "Finansējums"]);
    for (const b of doc.blocks) expect(b.page).toBeUndefined();
  });

  it("strips Markdown syntax and joins paragraph lines", () => {
    const texts = body.map((b) => b.text);
    expect(texts).toContain("Šis ir īss ceļvedis par sociālo uzņēmējdarbību Latvijā.");
    expect(texts).toContain(
      "Vispirms reģistrējiet SIA Uzņēmumu reģistrā. Pēc tam iesniedziet pieteikumu Labklājības ministrijā.",
    );
    expect(texts).toContain("• Sagatavojiet statūtus.");
    expect(texts).toContain("• Aprakstiet sociālo mērķi.");
    expect(texts).toContain("Nepieciešamie dokumenti ir uzskaitīti veidlapā.");
    expect(texts).toContain("Granti un aizdevumi ir pieejami sociālajiem uzņēmumiem.");
    const all = texts.join("\n");
    expect(all).not.toMatch(/[*_`#>]|\]\(|title:/);
    expect(all).not.toContain("diagramma.png");
  });

  it("keeps a list item's marker, so that a list stays whole and is quoted as one", () => {
    const md = [
      "## Soļi",
      "",
      "Kafejnīcu atver šādi:",
      "",
      "1. Atrodiet telpas.",
      "2) Noslēdziet nomas līgumu.",
      "3. Pieņemiet darbā pavāru.",
      "",
      "Der arī:",
      "",
      "* galdi",
      "+ krēsli",
    ].join("\n");
    const doc = parseMarkdown(md, "k.md");
    expect(doc.blocks.filter((b) => !b.heading).map((b) => b.text)).toEqual([
      "Kafejnīcu atver šādi:",
      "1. Atrodiet telpas.",
      "2. Noslēdziet nomas līgumu.",
      "3. Pieņemiet darbā pavāru.",
      "Der arī:",
      "• galdi",
      "• krēsli",
    ]);
    const [chunk] = chunkDocument(doc);
    const lists = unitsOf(chunk?.text ?? "").filter((u) => u.kind === "list");
    expect(lists.map((u) => [u.lead, u.items])).toEqual([
      [
        "Kafejnīcu atver šādi:",
        ["Atrodiet telpas.", "Noslēdziet nomas līgumu.", "Pieņemiet darbā pavāru."],
      ],
      ["Der arī:", ["galdi", "krēsli"]],
    ]);
  });

  it("keeps fenced code as text", () => {
    expect(body.map((b) => b.text)).toContain("Iesniegums Nr. 1\nStatūti");
  });

  it("takes the title from the first # heading, then the file name", () => {
    expect(parseMarkdown("Ievads.\n\n# Galvenais\n\nTeksts.", "a.md").title).toBe("Galvenais");
    expect(parseMarkdown("Teksts bez virsraksta.", "dir/par_mums.md").title).toBe("Par mums");
  });

  it("reads setext headings and tables", () => {
    const d = parseMarkdown(
      "Nodaļa\n======\n\nTeksts.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n",
      "b.md",
    );
    expect(d.blocks[0]).toMatchObject({ text: "Nodaļa", heading: true });
    expect(d.blocks.map((b) => b.text)).toContain("A — B; 1 — 2");
  });

  it("fails with no-text when there are only headings", async () => {
    await expectIngestError(() => parseMarkdown("# Tikai virsraksts\n", "c.md"), "no-text", "c.md");
  });
});

describe("stripInlineMarkdown", () => {
  it("keeps the readable text", () => {
    expect(
      stripInlineMarkdown("**Svarīgi:** skat. [likumu](https://likumi.lv/ta/id/294103) un `kods`"),
    ).toBe("Svarīgi: skat. likumu un kods");
    expect(stripInlineMarkdown("snake_case_vārds un _slīpraksts_")).toBe(
      "snake_case_vārds un slīpraksts",
    );
    expect(stripInlineMarkdown("<https://example.lv> &amp; <br/>teksts")).toBe(
      "https://example.lv & teksts",
    );
  });
});

describe("parsePlainText", () => {
  it("makes paragraphs from blank-line separated text and finds numbered headings", () => {
    const doc = parsePlainText(
      "1. Ievads\n\nSociālais uzņēmums ir\nsabiedrība ar ierobežotu atbildību.\n\n1.1. Vēsture\n\nLikums pieņemts 2017. gadā.\n",
      "notes/ievads.txt",
    );
    expect(doc).toMatchObject({ type: "text", kind: "document", title: "Ievads" });
    expect(doc.blocks).toEqual([
      { text: "1. Ievads", section: ["1. Ievads"], heading: true },
      { text: "Sociālais uzņēmums ir sabiedrība ar ierobežotu atbildību.", section: ["1. Ievads"] },
      { text: "1.1. Vēsture", section: ["1. Ievads", "1.1. Vēsture"], heading: true },
      { text: "Likums pieņemts 2017. gadā.", section: ["1. Ievads", "1.1. Vēsture"] },
    ]);
  });

  it("puts each list item on a line of its own, so that a list stays whole", () => {
    const doc = parsePlainText(
      [
        "Darbnīcu atver šādi:",
        "1. Atrodiet telpas un",
        "noslēdziet nomas līgumu.",
        "2. Nopērciet darbagaldus.",
        "Pēc tam aiciniet pirmos klientus.",
        "",
        "Vajadzēs arī:",
        "",
        "• zāģi",
        "• urbjmašīnu",
        "",
        "Darbnīca atvērta kopš 2020. gada",
        "12. marta, un tajā strādā trīs cilvēki.",
      ].join("\n"),
      "darbnica.txt",
    );
    expect(doc.blocks.map((b) => b.text)).toEqual([
      "Darbnīcu atver šādi:",
      "1. Atrodiet telpas un noslēdziet nomas līgumu.",
      "2. Nopērciet darbagaldus.",
      "Pēc tam aiciniet pirmos klientus.",
      "Vajadzēs arī:",
      "• zāģi",
      "• urbjmašīnu",
      "Darbnīca atvērta kopš 2020. gada 12. marta, un tajā strādā trīs cilvēki.",
    ]);
    const [chunk] = chunkDocument(doc);
    const lists = unitsOf(chunk?.text ?? "").filter((u) => u.kind === "list");
    expect(lists.map((u) => u.items)).toEqual([
      ["Atrodiet telpas un noslēdziet nomas līgumu.", "Nopērciet darbagaldus."],
      ["zāģi", "urbjmašīnu"],
    ]);
  });

  it("titles a text without headings from its file name", () => {
    expect(parsePlainText("Tikai teksts.", "piezimes.txt").title).toBe("Piezimes");
  });
});
