import { describe, expect, it } from "vitest";
import { splitSentences } from "../../src/ingest/sentences.js";

describe("splitSentences", () => {
  it("splits at sentence ends", () => {
    expect(splitSentences("Pirmais teikums. Otrais teikums! Vai trešais? Jā…  Beigas")).toEqual([
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
    for (const s of keep) expect(splitSentences(s), s).toEqual([s]);
  });

  it("ends a sentence after a year or an abbreviation when a capital follows", () => {
    expect(splitSentences("Uzņēmums dibināts 2017. Tas darbojas Rīgā.")).toEqual([
      "Uzņēmums dibināts 2017.",
      "Tas darbojas Rīgā.",
    ]);
    expect(splitSentences("Palīdz biedrības, fondi u.c. Tās saņem atbalstu.")).toEqual([
      "Palīdz biedrības, fondi u.c.",
      "Tās saņem atbalstu.",
    ]);
    expect(splitSentences("Viņš teica: „Jā.” Tad aizgāja.")).toEqual([
      "Viņš teica: „Jā.”",
      "Tad aizgāja.",
    ]);
  });
});
