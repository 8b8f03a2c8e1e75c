import { describe, expect, it } from "vitest";
import { abbreviationDefinition } from "../../src/answer/create-engine.js";
import { understand } from "../../src/answer/intent.js";
import type { Chunk } from "../../src/types.js";

const passage = (id: string, text: string, ordinal: number): Chunk => ({
  id,
  kind: "handbook",
  path: "rokasgramata.pdf",
  title: "Rokasgrāmata",
  text,
  ordinal,
});

const passages = [
  passage("p1", "Biedri sanāk kopā reizi gadā. Kopienu resursu grupa (KRG) sadala līdzekļus.", 0),
  passage("p2", "Pieteikumu KRG izskata mēneša laikā.", 1),
];
const retriever = {
  abbreviations: () => new Map([["KRG", "Kopienu resursu grupa"]]),
  passages: () => passages,
};

describe("abbreviationDefinition: what an abbreviation the materials define is", () => {
  it("leads with the sentence that introduces it", () => {
    const chosen = abbreviationDefinition(understand("ko nozīmē KRG?"), retriever);
    expect(chosen?.chunk.id).toBe("p1");
    expect(chosen?.unit.lead).toBe("Kopienu resursu grupa (KRG) sadala līdzekļus.");
  });

  it("leaves other questions, and abbreviations not defined, to the search", () => {
    expect(abbreviationDefinition(understand("cik ilgi KRG izskata pieteikumu?"), retriever)).toBe(
      undefined,
    );
    expect(abbreviationDefinition(understand("kas ir PVN?"), retriever)).toBe(undefined);
  });
});
