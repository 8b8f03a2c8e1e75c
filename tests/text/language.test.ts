import { describe, expect, it } from "vitest";
import { detectLanguage } from "../../src/text/language.js";

describe("detectLanguage", () => {
  const cases: [string, "lv" | "en"][] = [
    ["What is a social enterprise?", "en"],
    ["How much share capital does an SIA need?", "en"],
    ["Can I get a grant from ALTUM?", "en"],
    ["Who decides?", "en"],
    ["What are the tax reliefs", "en"],
    ["kas ir socialais uznemums", "lv"],
    ["Kas ir sociālais uzņēmums?", "lv"],
    ["Cik liels pamatkapitāls?", "lv"],
    ["vai es varu sanemt grantu", "lv"],
    ["cik maksa", "lv"],
    ["labdien", "lv"],
    ["SIA", "lv"],
    ["", "lv"],
  ];
  for (const [text, lang] of cases) {
    it(`${JSON.stringify(text)} → ${lang}`, () => expect(detectLanguage(text)).toBe(lang));
  }
});
