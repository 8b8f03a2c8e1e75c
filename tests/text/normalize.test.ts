import { describe, expect, it } from "vitest";
import { foldDiacritics, normalizeForAnalysis, normalizeText } from "../../src/text/normalize.js";

describe("normalizeText", () => {
  it("composes to NFC", () => {
    const decomposed = "uzn\u0065\u0304mums";
    expect(normalizeText(decomposed)).toBe("uzn\u0113mums");
  });

  it("unifies quotes, dashes and whitespace", () => {
    expect(normalizeText("„Labi”  un «slikti» – ‘tā’\u00A0—\u2009beigas")).toBe(
      '"Labi" un "slikti" - \'tā\' - beigas',
    );
    expect(normalizeText("  a\r\nb\r\n\r\n\r\n\r\nc \t ")).toBe("a\nb\n\nc");
  });

  it("removes soft hyphens and zero-width characters, expands ligatures", () => {
    expect(normalizeText("uzņē\u00ADmums\u200B \uFB01nanses")).toBe("uzņēmums finanses");
  });
});

describe("normalizeForAnalysis", () => {
  it("keeps whitespace and punctuation", () => {
    expect(normalizeForAnalysis("a\u00A0„b”\u00AD\n")).toBe("a\u00A0„b”\n");
  });
});

describe("foldDiacritics", () => {
  it("folds every Latvian letter, lower and upper case", () => {
    expect(foldDiacritics("āčēģīķļņšūž ĀČĒĢĪĶĻŅŠŪŽ")).toBe("acegiklnsuz ACEGIKLNSUZ");
  });

  it("folds other Latin accents and special letters", () => {
    expect(foldDiacritics("Émile Zoë façade Łódź Øre straße")).toBe(
      "Emile Zoe facade Lodz Ore strasse",
    );
  });

  it("returns ASCII unchanged", () => {
    const s = "plain ASCII 123";
    expect(foldDiacritics(s)).toBe(s);
  });
});
