import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  analyze,
  analyzeReference,
  analyzeWithSurfaces,
  analyzeWord,
  forEachTerm,
  tokenize,
} from "../../src/text/analyze.js";
import { foldDiacritics } from "../../src/text/normalize.js";

const SIB_DIR = join(import.meta.dirname, "..", "..", "..", "shared", "data", "sib200-lv");

describe("analyze", () => {
  it("gives the same token for input with and without diacritics", () => {
    const forms = ["uznemuma", "uzņēmuma", "uzņēmumiem", "uznemumi", "Uzņēmums", "UZŅĒMUMOS"];
    expect(new Set(forms.map((f) => analyzeWord(f)))).toEqual(new Set(["uznemum"]));
    expect(
      new Set(["sociālais", "socialais", "sociālā", "socialajam"].map((f) => analyzeWord(f))),
    ).toEqual(new Set(["social"]));
    expect(new Set(["statusu", "statusa", "statuss"].map((f) => analyzeWord(f)))).toEqual(
      new Set(["status"]),
    );
  });

  it("analyses whole sentences identically with and without diacritics", () => {
    const sentences = [
      "Sociālajam uzņēmumam jābūt reģistrētam Labklājības ministrijas sociālo uzņēmumu reģistrā.",
      "Kāpēc mērķa grupas darbiniekiem ir nodokļu atvieglojumi?",
      "Ļoti svarīgi: pašvaldības atbalsts, ģimenes, ķērpji, žurnāls, čaula, ņemt.",
    ];
    for (const s of sentences) expect(analyze(foldDiacritics(s))).toEqual(analyze(s));
  });

  it("drops stop words and question words but keeps cik", () => {
    expect(analyze("Kas ir sociālais uzņēmums?")).toEqual(["social", "uznemum"]);
    expect(analyze("Kā un kur var pieteikties, un kāpēc?")).toEqual(["pieteikti"]);
    expect(analyze("Cik liels ir pamatkapitāls?")).toEqual(["cik", "liel", "pamatkapital"]);
    expect(analyze("What is the status of a social enterprise?")).toEqual([
      "stat",
      "social",
      "enterpris",
    ]);
  });

  it("keeps numbers as sensible tokens", () => {
    expect(analyze("2800 EUR")).toEqual(["2800", "eur"]);
    expect(analyze("14,92 EUR un 14.92")).toEqual(["14.92", "eur", "14.92"]);
    expect(analyze("2 800 EUR, 12 500,50 EUR")).toEqual(["2800", "eur", "12500.50", "eur"]);
    expect(analyze("sk. 9.1.1.3. punktu")).toEqual(["9.1.1.3", "punkt"]);
    expect(analyze("2017. gada 12. oktobrī")).toEqual(["2017", "gad", "12", "oktobr"]);
    expect(analyze("2021.–2027. gada periods")).toEqual(["2021", "2027", "gad", "period"]);
  });

  it("keeps e- compounds whole, apart from the words they are built on", () => {
    expect(analyze("pa e-pastu")).toEqual(analyze("pa epastu"));
    expect(analyze("pa e-pastu")).not.toEqual(analyze("pa pastu"));
    expect(analyze("E‑veikals un e-adrese")).toEqual(["eveikal", "eadres"]);
    // A hyphen after a longer word still separates two words.
    expect(analyze("Latvija-Igaunija")).toEqual(analyze("Latvija Igaunija"));
  });

  it("keeps the abbreviations ES and IT although es and it are stop words", () => {
    expect(analyze("ES fondi un IT nozare")).toEqual(["es", "fond", "it", "nozar"]);
    expect(analyze("Vai es varu?")).toEqual([]);
    expect(analyze("ALTUM un Altum")).toEqual(["altum", "altum"]);
  });

  it("handles soft hyphens, ligatures, no-break spaces and decomposed letters", () => {
    expect(analyze("uzņē\u00ADmums")).toEqual(["uznemum"]);
    expect(analyze("\uFB01nanses")).toEqual(["finans"]);
    expect(analyze("2\u00A0800")).toEqual(["2800"]);
    expect(analyze("uzn\u0065\u0304mums".normalize("NFD"))).toEqual(["uznemum"]);
  });

  it("survives very long runs of letters and digits", () => {
    const tokens = analyze(`${"a1".repeat(100_000)} uzņēmums ā${"9".repeat(50_000)}`);
    expect(tokens.map((t) => t.length)).toEqual([200_000, 7, 50_001]);
  });

  it("keeps words of other scripts", () => {
    expect(analyze("социальное предприятие")).toEqual(["социальное", "предприятие"]);
  });

  it("honours options", () => {
    expect(analyze("Kas ir uzņēmums", { stopwords: false })).toEqual(["kas", "ir", "uznemum"]);
    expect(analyze("Kas ir uzņēmums", { stem: false })).toEqual(["uznemums"]);
    expect(analyze("Kas ir uzņēmums", { stopwords: new Set(["uznemums"]) })).toEqual(["kas", "ir"]);
  });

  it("returns surfaces next to tokens", () => {
    expect(analyzeWithSurfaces("Sociālajiem uzņēmumiem")).toEqual({
      tokens: ["social", "uznemum"],
      surfaces: ["socialajiem", "uznemumiem"],
    });
    const seen: string[] = [];
    forEachTerm("Sociālajiem uzņēmumiem", (t, s) => seen.push(`${t}/${s}`));
    expect(seen).toEqual(["social/socialajiem", "uznemum/uznemumiem"]);
  });

  it("tokenize keeps surface words with diacritics", () => {
    expect(tokenize("Kā reģistrēt SIA? 2 800,50 EUR")).toEqual([
      "kā",
      "reģistrēt",
      "sia",
      "2800.50",
      "eur",
    ]);
  });
});

describe("the fast path equals the reference implementation", () => {
  const pool = [
    ..."abcdefghijklmnopqrstuvwxyzāčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽABCXYZ",
    ..."0123456789",
    ..."     ..,,;:!?-–—„“”\"'()[]\n\t",
    "\u00A0",
    "\u202F",
    "\u00AD",
    "\u0304",
    "ß",
    "\uFB01",
    "д",
    "²",
    "€",
    "ES",
    "IT",
    " 000",
    " 12 500,5",
  ];
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };

  it("on random strings", () => {
    for (let i = 0; i < 3000; i++) {
      let s = "";
      const len = 1 + rand(40);
      for (let j = 0; j < len; j++) s += pool[rand(pool.length)];
      expect(analyze(s), JSON.stringify(s)).toEqual(analyzeReference(s));
    }
  });

  it("with options", () => {
    const s = "Kas ir Sociālais uzņēmums? 2 800 EUR, ES.";
    for (const o of [{ stem: false }, { stopwords: false as const }]) {
      expect(analyze(s, o)).toEqual(analyzeReference(s, o));
    }
  });

  it("while the word cache grows and is emptied", () => {
    const letters = "abcdefghijklmnoprstuvzāčēģīķļņšūž";
    for (let p = 0; p < 3000; p++) {
      const words: string[] = [];
      for (let w = 0; w < 80; w++) {
        let word = "";
        const len = 3 + rand(9);
        for (let j = 0; j < len; j++) word += letters[rand(letters.length)];
        words.push(word);
      }
      const text = words.join(" ");
      expect(analyze(text)).toEqual(analyzeReference(text));
    }
  });

  it.skipIf(!existsSync(SIB_DIR))("on SIB-200 Latvian sentences", () => {
    const lines = readFileSync(join(SIB_DIR, "train.tsv"), "utf8").split("\n").slice(1);
    for (const line of lines) {
      const text = line.split("\t")[2] ?? "";
      expect(analyze(text)).toEqual(analyzeReference(text));
    }
  });
});
