import { describe, expect, it } from "vitest";
import { splitSentences } from "../../src/text/sentences.js";

describe("splitSentences", () => {
  it("keeps dates with ordinal dots in one sentence", () => {
    expect(
      splitSentences("Lēmums pieņemts 2017. gada 12. oktobrī. Nākamais solis ir reģistrācija."),
    ).toEqual(["Lēmums pieņemts 2017. gada 12. oktobrī.", "Nākamais solis ir reģistrācija."]);
    expect(splitSentences("Likums stājās spēkā 2018. gada 1. aprīlī.")).toHaveLength(1);
  });

  it("does not split after abbreviations", () => {
    expect(
      splitSentences("Finansējums ir 2,5 milj. EUR apmērā. Atbalsts t.sk. ir granti."),
    ).toEqual(["Finansējums ir 2,5 milj. EUR apmērā.", "Atbalsts t.sk. ir granti."]);
    expect(splitSentences("Kopā 5 tūkst. EUR. Skatīt Nr. 5 un piem. šo.")).toEqual([
      "Kopā 5 tūkst. EUR.",
      "Skatīt Nr. 5 un piem. šo.",
    ]);
    expect(splitSentences("Tas bija 2017. g. 12. oktobrī.")).toHaveLength(1);
  });

  it("splits after abbreviations that end a sentence before a capital", () => {
    expect(splitSentences("Granti, aizdevumi u.c. Tālāk par to. Arī utt. un tā tālāk.")).toEqual([
      "Granti, aizdevumi u.c.",
      "Tālāk par to.",
      "Arī utt. un tā tālāk.",
    ]);
  });

  it("keeps initials and decimal numbers", () => {
    expect(splitSentences("J. Bērziņš teica, ka cena ir 14.92 EUR. Tad viņš aizgāja.")).toEqual([
      "J. Bērziņš teica, ka cena ir 14.92 EUR.",
      "Tad viņš aizgāja.",
    ]);
  });

  it("handles question and exclamation marks and quotes", () => {
    expect(splitSentences('Vai tā? Jā! Viņš teica: "Labi." Beigas…')).toEqual([
      "Vai tā?",
      "Jā!",
      'Viņš teica: "Labi."',
      "Beigas…",
    ]);
  });

  it("treats headings, bullets and blank lines as boundaries and joins wrapped lines", () => {
    const text = [
      "9.1.1. Sociālā uzņēmuma statuss",
      "Sociālais uzņēmums ir sabiedrība ar ierobežotu atbildību, kurai ir piešķirts sociālā uzņēmuma",
      "statuss saskaņā ar likumu. Tālāk.",
      "",
      "Atbalsta veidi:",
      "• granti;",
      "• aizdevumi",
      "- konsultācijas",
    ].join("\n");
    expect(splitSentences(text)).toEqual([
      "9.1.1. Sociālā uzņēmuma statuss",
      "Sociālais uzņēmums ir sabiedrība ar ierobežotu atbildību, kurai ir piešķirts sociālā uzņēmuma statuss saskaņā ar likumu.",
      "Tālāk.",
      "Atbalsta veidi:",
      "granti;",
      "aizdevumi",
      "konsultācijas",
    ]);
  });

  it("keeps numbered items with their text", () => {
    expect(
      splitSentences("Kritēriji ir divi. 1. Mērķis ir sociāls. 2. Peļņa netiek sadalīta."),
    ).toEqual(["Kritēriji ir divi.", "1. Mērķis ir sociāls.", "2. Peļņa netiek sadalīta."]);
  });

  it("splits English text", () => {
    expect(
      splitSentences(
        "What is a social enterprise? It is a company, e.g. an LLC. Mr. Smith agrees.",
      ),
    ).toEqual([
      "What is a social enterprise?",
      "It is a company, e.g. an LLC.",
      "Mr. Smith agrees.",
    ]);
  });

  it("returns nothing for empty text", () => {
    expect(splitSentences("  \n\n ")).toEqual([]);
  });
});
