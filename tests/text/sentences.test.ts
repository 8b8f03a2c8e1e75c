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

describe("splitSentences for the chunker (the source's typography kept)", () => {
  const split = (text: string) => splitSentences(text, { normalize: false, dropBullets: false });

  it("splits at sentence ends", () => {
    expect(split("Pirmais teikums. Otrais teikums! Vai trešais? Jā…  Beigas")).toEqual([
      "Pirmais teikums.",
      "Otrais teikums!",
      "Vai trešais?",
      "Jā…",
      "Beigas",
    ]);
  });

  it("does not split dates, ordinals, abbreviations, amounts, initials or decimals", () => {
    const keep = [
      "Likums pieņemts 2017. gada 12. oktobrī un stājās spēkā 2018. gadā.",
      "Biedrības, nodibinājumi u.c. organizācijas var pieteikties.",
      "Atbalsts, t.sk. granti, ir pieejams visiem.",
      "Budžets ir 12,5 milj. EUR un 200 tūkst. EUR rezervē.",
      "Skatīt lēmumu Nr. 15 un piem. Labklājības ministrijas vadlīnijas.",
      "Lektore J. Bērziņa runāja par likmi 3.5 procenti.",
      "Sīkāk skat. www.lm.gov.lv un sk. 4. pielikumu.",
    ];
    for (const s of keep) expect(split(s), s).toEqual([s]);
  });

  it("ends a sentence after a year or an abbreviation when a capital follows", () => {
    expect(split("Uzņēmums dibināts 2017. Tas darbojas Rīgā.")).toEqual([
      "Uzņēmums dibināts 2017.",
      "Tas darbojas Rīgā.",
    ]);
    expect(split("Palīdz biedrības, fondi u.c. Tās saņem atbalstu.")).toEqual([
      "Palīdz biedrības, fondi u.c.",
      "Tās saņem atbalstu.",
    ]);
    expect(split("Viņš teica: „Jā.” Tad aizgāja.")).toEqual(["Viņš teica: „Jā.”", "Tad aizgāja."]);
  });
});

describe("splitSentences: abbreviations from the chunker's former list", () => {
  it("does not split after them, in answers either", () => {
    for (const s of [
      "Zvaniet pa tālr. 67000000 darba laikā.",
      "Birojs ir Brīvības str. 5, otrajā stāvā.",
      "Sanāksme notiks 5. nov. Rīgā, Ādažu pag. Kultūras namā.",
    ])
      expect(splitSentences(s), s).toEqual([s]);
  });

  it("keeps bullets and quotes when asked to", () => {
    expect(
      splitSentences("• Pirmais punkts. „Citāts” beigās.", {
        normalize: false,
        dropBullets: false,
      }),
    ).toEqual(["• Pirmais punkts.", "„Citāts” beigās."]);
    expect(splitSentences("• Pirmais punkts. „Citāts” beigās.")).toEqual([
      "Pirmais punkts.",
      '"Citāts" beigās.',
    ]);
  });
});
