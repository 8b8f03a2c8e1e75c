import { describe, expect, it } from "vitest";
import { chunkDocument } from "../../src/ingest/chunk.js";
import { detectLanguage } from "../../src/ingest/language.js";
import { parsePdf } from "../../src/ingest/pdf.js";
import { fixtureBytes } from "./helpers.js";

describe("detectLanguage", () => {
  it("tells Latvian from English by their common words", () => {
    expect(
      detectLanguage("Biedrība var nodibināt SIA, un tā var pieteikties statusam pie ministrijas."),
    ).toBe("lv");
    expect(
      detectLanguage("The cooperative can apply for the grant when it has a social aim."),
    ).toBe("en");
  });

  it("says nothing about text without common words", () => {
    expect(detectLanguage("")).toBeUndefined();
    expect(detectLanguage("3d-cube 25 27 29 crypto-md5")).toBeUndefined();
  });

  it("is recorded on every passage of a document", () => {
    const chunks = chunkDocument({
      type: "text",
      kind: "document",
      path: "notes.md",
      title: "Notes",
      blocks: [
        {
          text: "The grant is paid in two parts and the second part comes after the report.",
          section: [],
        },
      ],
    });
    expect(chunks.map((c) => c.language)).toEqual(["en"]);
  });

  it("records the Latvian handbook as Latvian", async () => {
    const doc = await parsePdf(fixtureBytes("handbook.pdf"), "handbook.pdf");
    expect(new Set(chunkDocument(doc).map((c) => c.language))).toEqual(new Set(["lv"]));
  });
});
