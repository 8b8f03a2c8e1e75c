import { beforeAll, describe, expect, it } from "vitest";
import type { TextDocument } from "../../src/ingest/document-types.js";
import { parseHeadingLine } from "../../src/ingest/headings.js";
import {
  isPageNumberLine,
  isTocPage,
  joinLine,
  parsePdf,
  structurePdfPages,
} from "../../src/ingest/pdf.js";
import { expectIngestError, fixtureBytes } from "./helpers.js";

describe("parsePdf on the handbook fixture", () => {
  let doc: TextDocument;
  beforeAll(async () => {
    doc = await parsePdf(fixtureBytes("handbook.pdf"), "handbook/rokasgramata.pdf");
  });
  const allText = () => doc.blocks.map((b) => b.text).join("\n");

  it("is a handbook with the metadata title and the page count", () => {
    expect(doc.type).toBe("text");
    expect(doc.kind).toBe("handbook");
    expect(doc.path).toBe("handbook/rokasgramata.pdf");
    expect(doc.title).toBe("Sociālās uzņēmējdarbības rokasgrāmata");
    expect(doc.pageCount).toBe(4);
  });

  it("drops the running footer and the table of contents page", () => {
    expect(allText()).not.toContain("Rokasgrāmata sociālajiem uzņēmējiem |");
    expect(allText()).not.toMatch(/lpp\./);
    expect(allText()).not.toContain("Saturs");
    expect(allText()).not.toContain("....");
    expect(doc.blocks.some((b) => b.page === 2)).toBe(false);
  });

  it("finds chapter and section headings with their section paths", () => {
    const headings = doc.blocks.filter((b) => b.heading);
    expect(headings.map((h) => h.text)).toEqual([
      "1. Sociālā uzņēmuma būtība",
      "1.1. Definīcija",
      "1.2. Statusa iegūšana",
      "2. Finansējuma avoti",
      "2.1. Granti un aizdevumi",
    ]);
    expect(headings.map((h) => h.page)).toEqual([3, 3, 3, 4, 4]);
    const definition = doc.blocks.find((b) => b.text.startsWith("Sociālais uzņēmums ir"));
    expect(definition?.section).toEqual(["1. Sociālā uzņēmuma būtība", "1.1. Definīcija"]);
    const grants = doc.blocks.find((b) => b.text.startsWith("Sociālie uzņēmumi var"));
    expect(grants?.section).toEqual(["2. Finansējuma avoti", "2.1. Granti un aizdevumi"]);
    for (const h of headings) expect(h.section.at(-1)).toBe(h.text);
  });

  it("gives every block its page number", () => {
    for (const b of doc.blocks) expect(b.page).toBeTypeOf("number");
    expect(doc.blocks.find((b) => b.text.startsWith("Lai iegūtu"))?.page).toBe(3);
    expect(doc.blocks.find((b) => b.text.startsWith("pārbauda, vai"))?.page).toBe(4);
  });

  it("keeps a section that runs over a page break in the same section", () => {
    const status = doc.blocks.filter((b) => b.section.at(-1) === "1.2. Statusa iegūšana");
    expect(status.map((b) => b.page)).toEqual([3, 3, 4]);
  });

  it("re-joins a word hyphenated at a line end and keeps real hyphens and dashes", () => {
    const text = allText();
    expect(text).toContain("Šāds uzņēmums peļņu");
    expect(text).not.toContain("uzņē-");
    expect(text).toContain("2021–2027. gada");
    expect(text).toContain("COVID-19 krīzes");
  });

  it("re-joins lines into paragraphs", () => {
    const definition = doc.blocks.find((b) => b.text.startsWith("Sociālais uzņēmums ir"));
    expect(definition?.text).toContain("saimniecisko darbību ar mērķi");
    expect(definition?.text).toMatch(/12\. oktobrī\.$/);
    expect(definition?.text).not.toContain("\n");
  });
});

describe("parsePdf failures", () => {
  it("reports a password-protected PDF as encrypted", async () => {
    await expectIngestError(
      () => parsePdf(fixtureBytes("encrypted.pdf"), "encrypted.pdf"),
      "encrypted",
      "encrypted.pdf",
    );
  });

  it("reports a truncated PDF as corrupt", async () => {
    await expectIngestError(
      () => parsePdf(fixtureBytes("corrupt.pdf"), "x/corrupt.pdf"),
      "corrupt",
      "x/corrupt.pdf",
    );
  });

  it("reports a PDF without a text layer as no-text and mentions OCR", async () => {
    const error = await expectIngestError(
      () => parsePdf(fixtureBytes("no-text.pdf"), "scan.pdf"),
      "no-text",
      "scan.pdf",
    );
    expect(error.message).toContain("OCR");
  });

  it("reports random bytes as corrupt", async () => {
    await expectIngestError(
      () => parsePdf(new TextEncoder().encode("hello, not a pdf"), "fake.pdf"),
      "corrupt",
      "fake.pdf",
    );
  });

  it("does not modify the caller's bytes", async () => {
    const bytes = fixtureBytes("handbook.pdf");
    const copy = bytes.slice();
    await parsePdf(bytes, "h.pdf");
    expect(bytes.byteLength).toBe(copy.byteLength);
    expect(Buffer.from(bytes).equals(Buffer.from(copy))).toBe(true);
  });
});

describe("structurePdfPages", () => {
  const bodies = [
    "Sociālais uzņēmums var pieteikties atbalstam, ja tas atbilst likuma prasībām.",
    "Pašvaldības dažkārt piedāvā nodokļu atvieglojumus sociālajiem uzņēmumiem.",
    "Ietekmes mērīšana palīdz parādīt investoriem uzņēmuma sasniegumus.",
    "Uzņēmuma statūtos jānostiprina sociālais mērķis un peļņas izlietojums.",
  ];
  const body = (n: number) => bodies[n - 1] ?? "";

  it("removes bare page numbers and running headers, keeps body lines", () => {
    const pages = [1, 2, 3, 4].map((num) => ({
      num,
      text: `Padoms rokasgrāmata\n${body(num)}\n- ${num} -`,
    }));
    const doc = structurePdfPages(pages, "a.pdf");
    const text = doc.blocks.map((b) => b.text).join("\n");
    expect(text).not.toContain("Padoms rokasgrāmata");
    expect(text).not.toMatch(/- \d -/);
    expect(doc.blocks).toHaveLength(4);
    expect(doc.blocks.map((b) => b.page)).toEqual([1, 2, 3, 4]);
  });

  it("moves a word hyphenated across a page break onto the first page", () => {
    const doc = structurePdfPages(
      [
        { num: 1, text: "Sociālais uzņēmums iesniedz pieteikumu un pēc tam gaida uzņē-" },
        { num: 2, text: "muma reģistrāciju. Tas ilgst mēnesi." },
      ],
      "b.pdf",
    );
    expect(doc.blocks[0]?.text).toMatch(/gaida uzņēmuma$/);
    expect(doc.blocks[0]?.page).toBe(1);
    expect(doc.blocks[1]?.text).toBe("reģistrāciju. Tas ilgst mēnesi.");
    expect(doc.blocks[1]?.page).toBe(2);
  });

  it("skips a contents page recognised by its dot leaders", () => {
    const doc = structurePdfPages(
      [
        {
          num: 1,
          text: "1. Ievads ........ 2\n2. Finansējums ........ 2\n3. Atskaites ........ 3\n4. Pielikumi ........ 3",
        },
        { num: 2, text: "1. Ievads\nŠī rokasgrāmata apraksta sociālo uzņēmējdarbību." },
      ],
      "c.pdf",
    );
    expect(doc.blocks.map((b) => b.text)).toEqual([
      "1. Ievads",
      "Šī rokasgrāmata apraksta sociālo uzņēmējdarbību.",
    ]);
  });

  it("takes the title from the first heading, then from the file name", () => {
    const withHeading = structurePdfPages(
      [{ num: 1, text: "1. Ievads sociālajā uzņēmējdarbībā\nTeksts." }],
      "d.pdf",
    );
    expect(withHeading.title).toBe("Ievads sociālajā uzņēmējdarbībā");
    const plain = structurePdfPages([{ num: 1, text: "Tikai teksts." }], "dir/mans_fails.pdf");
    expect(plain.title).toBe("Mans fails");
    const meta = structurePdfPages([{ num: 1, text: "Teksts." }], "e.pdf", "  ");
    expect(meta.title).toBe("E");
  });

  it("does not take a numbered list inside a chapter for headings", () => {
    const doc = structurePdfPages(
      [
        {
          num: 1,
          text: "1. Reģistrācija\nLai reģistrētu uzņēmumu, veiciet šādus soļus:\n1. Sagatavojiet statūtus\n2. Iesniedziet pieteikumu\n3. Gaidiet lēmumu\n2. Finansējums\nGranti ir pieejami.",
        },
      ],
      "f.pdf",
    );
    expect(doc.blocks.filter((b) => b.heading).map((b) => b.text)).toEqual([
      "1. Reģistrācija",
      "2. Finansējums",
    ]);
    const items = doc.blocks.filter((b) => b.section.at(-1) === "1. Reģistrācija" && !b.heading);
    expect(items.map((b) => b.text).join(" ")).toContain("2. Iesniedziet pieteikumu");
  });

  it("re-joins a heading that wraps onto a second line", () => {
    const doc = structurePdfPages(
      [
        {
          num: 1,
          text: "1. Sociālā uzņēmuma statusa iegūšanas kārtība un\nnepieciešamie dokumenti\nTeksts.",
        },
      ],
      "g.pdf",
    );
    expect(doc.blocks[0]).toMatchObject({
      heading: true,
      text: "1. Sociālā uzņēmuma statusa iegūšanas kārtība un nepieciešamie dokumenti",
    });
    expect(doc.blocks[1]?.section).toEqual([
      "1. Sociālā uzņēmuma statusa iegūšanas kārtība un nepieciešamie dokumenti",
    ]);
  });

  it("fails with no-text when every page is empty", async () => {
    await expectIngestError(
      () =>
        structurePdfPages(
          [
            { num: 1, text: "  " },
            { num: 2, text: "" },
          ],
          "h.pdf",
        ),
      "no-text",
      "h.pdf",
    );
  });
});

describe("PDF line helpers", () => {
  it("joinLine de-hyphenates only lower-case word splits", () => {
    expect(joinLine("Šāds uzņē-", "mums")).toBe("Šāds uzņēmums");
    expect(joinLine("sadarbībā ar SEB-", "banku")).toBe("sadarbībā ar SEB-banku");
    expect(joinLine("periodā 2024–", "2029")).toBe("periodā 2024–2029");
    expect(joinLine("sūtiet e-", "pastu")).toBe("sūtiet e-pastu");
    expect(joinLine("Rīgas-", "Jūrmalas")).toBe("Rīgas-Jūrmalas");
    expect(joinLine("atbalsts –", "tas")).toBe("atbalsts – tas");
    expect(joinLine("parasta", "rinda")).toBe("parasta rinda");
    expect(joinLine("mīk\u00AD", "stā")).toBe("mīkstā");
    expect(joinLine("https://lm.gov.lv/lv/pieteiksanas-", "sociala-uznemuma")).toBe(
      "https://lm.gov.lv/lv/pieteiksanas-sociala-uznemuma",
    );
  });

  it("recognises page-number lines", () => {
    for (const l of ["7", "- 7 -", "— 12 —", "7. lpp.", "lpp. 7", "Page 3 of 10", "3 / 10"]) {
      expect(isPageNumberLine(l), l).toBe(true);
    }
    for (const l of ["2024. gadā", "7 soļi", "1. Ievads"])
      expect(isPageNumberLine(l), l).toBe(false);
  });

  it("recognises contents pages", () => {
    expect(isTocPage(["Saturs", "Ievads 3"])).toBe(true);
    expect(isTocPage(["Contents"])).toBe(true);
    expect(isTocPage(["Teksts bez saturam līdzīgām rindām.", "Otrā rinda."])).toBe(false);
  });

  it("parseHeadingLine accepts numbered titles and rejects sentences", () => {
    expect(parseHeadingLine("1. Ievads")).toMatchObject({
      level: 1,
      numbers: [1],
      title: "Ievads",
    });
    expect(parseHeadingLine("2.3. Granti un aizdevumi")).toMatchObject({
      level: 2,
      numbers: [2, 3],
    });
    expect(parseHeadingLine("2.3 Granti")).toMatchObject({ level: 2 });
    expect(parseHeadingLine("2.3.1. Valsts granti")).toMatchObject({ level: 3 });
    expect(parseHeadingLine("4. Kas ir sociālais uzņēmums?")).toMatchObject({ level: 1 });
    expect(parseHeadingLine("2017. gada 12. oktobrī")).toBeUndefined();
    expect(parseHeadingLine("1. Sagatavojiet statūtus.")).toBeUndefined();
    expect(parseHeadingLine("Ievads")).toBeUndefined();
  });
});
