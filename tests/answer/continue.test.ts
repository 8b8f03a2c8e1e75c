import { describe, expect, it } from "vitest";
import { shownThrough } from "../../src/answer/create-engine.js";
import type { Chunk } from "../../src/types.js";

const chunk = (text: string): Chunk => ({
  id: "c1",
  kind: "handbook",
  path: "rokasgramata.pdf",
  title: "Rokasgrāmata",
  text,
  ordinal: 0,
});

describe("shownThrough: where a “kāpēc?” follow-up goes on", () => {
  const text =
    "Kooperatīvam ir trīs pazīmes. Biedri to pārvalda kopā. Peļņu sadala pēc darījumiem. Tas atšķiras no parastas sabiedrības.";

  it("stays at the lead when only the lead was shown", () => {
    expect(shownThrough(chunk(text), 0, "Kooperatīvam ir trīs pazīmes. [1]")).toBe(0);
  });

  it("moves past every following sentence the answer showed, in other wording of bullets", () => {
    const answer =
      "Kooperatīvam ir trīs pazīmes:\n1. biedri to pārvalda kopā;\n2. peļņu sadala pēc darījumiem. [1]";
    expect(shownThrough(chunk(text), 0, answer)).toBe(2);
  });

  it("stops at a sentence the answer did not show, even if a later one was", () => {
    const answer = "Kooperatīvam ir trīs pazīmes. Tas atšķiras no parastas sabiedrības. [1]";
    expect(shownThrough(chunk(text), 0, answer)).toBe(0);
  });
});
