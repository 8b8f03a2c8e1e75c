import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../../src/text/analyze.js";
import {
  ENGLISH_FILLERS,
  englishLemmas,
  expandEnglishQuery,
  GENERAL_GLOSSARY_FILE,
  GLOSSARY_FILE,
  glossary,
  parseGlossary,
  segmentEnglishQuery,
} from "../../src/text/glossary.js";
import { ENGLISH_STOPWORDS } from "../../src/text/stopwords.js";
import { sampleVocabulary } from "../helpers/sample-index.js";

describe("the general glossary (data: src/text/glossary-general.tsv)", () => {
  const text = readFileSync(GENERAL_GLOSSARY_FILE, "utf8");
  const general = parseGlossary(text);
  const own = new Set(parseGlossary(readFileSync(GLOSSARY_FILE, "utf8")).map((e) => e.english));

  it("is everyday words with the source `general`, each term once", () => {
    expect(text.split("\n")[0]).toBe("english\tlatvian\tsource");
    expect(general.length).toBeGreaterThanOrEqual(1000);
    for (const e of general) expect(e.source).toBe("general");
    expect(new Set(general.map((e) => e.english)).size).toBe(general.length);
  });

  it("holds no term of the materials' glossary and no stop word, which it would override", () => {
    expect(general.filter((e) => own.has(e.english)).map((e) => e.english)).toEqual([]);
    const stop = general.filter(
      (e) => ENGLISH_STOPWORDS.has(e.english) || ENGLISH_FILLERS.has(e.english),
    );
    expect(stop.map((e) => e.english)).toEqual([]);
  });

  it("translates the words the materials' glossary lacks", () => {
    for (const e of general.slice(0, 50)) expect(glossary().get(e.english)).toEqual(e.latvian);
    const segments = segmentEnglishQuery("Can my boss shorten my probation?");
    const known = segments.filter((s) => s.kind === "glossary").map((s) => s.words.join(" "));
    expect(known).toEqual(expect.arrayContaining(["boss", "probation"]));
    expect(expandEnglishQuery("a day off after court")).toMatch(/brīvdiena.*tiesa/);
  });
});

describe("the glossary (data: src/text/glossary.tsv)", () => {
  const entries = parseGlossary(readFileSync(GLOSSARY_FILE, "utf8"));

  it("has a source column and at least 800 entries", () => {
    expect(readFileSync(GLOSSARY_FILE, "utf8").split("\n")[0]).toBe("english\tlatvian\tsource");
    expect(glossary().size).toBeGreaterThanOrEqual(800);
    for (const e of entries) expect(["domain", "vocab", "abbr"]).toContain(e.source);
    expect(glossary().get("social enterprise")).toEqual(["sociālais uzņēmums"]);
    expect(glossary().get("ministry of welfare")).toContain("Labklājības ministrija");
    expect(glossary().get("local action group")).toContain("vietējā rīcības grupa");
  });

  describe("against the sample corpus' index", () => {
    let vocabulary: Map<string, number>;
    beforeAll(async () => {
      // The sample corpus' index (its keyword vocabulary does not depend on the embedder).
      vocabulary = await sampleVocabulary();
    }, 30_000);

    it("every entry taken from the materials' words analyses to tokens of the index", () => {
      const missing = entries
        .filter((e) => e.source === "vocab")
        .flatMap((e) =>
          e.latvian
            .filter((lv) => !analyze(lv).some((t) => vocabulary.has(t)))
            .map((lv) => `${e.english} → ${lv}`),
        );
      expect(missing).toEqual([]);
    });

    it("nearly every entry has a Latvian side the index knows", () => {
      const known = entries.filter((e) =>
        e.latvian.some((lv) => analyze(lv).some((t) => vocabulary.has(t))),
      );
      expect(known.length / entries.length).toBeGreaterThanOrEqual(0.97);
    });
  });
});

describe("expandEnglishQuery", () => {
  it("turns an English question into Latvian terms", () => {
    expect(expandEnglishQuery("What is a social enterprise?")).toBe("sociālais uzņēmums");
    expect(expandEnglishQuery("How much share capital does a cooperative need?")).toContain(
      "pamatkapitāls",
    );
  });

  it("matches plurals and hyphenated terms, longest phrase first", () => {
    expect(expandEnglishQuery("tax reliefs for bakeries")).toContain("nodokļu atvieglojums");
    expect(expandEnglishQuery("Can a small-capital company apply?")).toContain(
      "mazkapitāla sabiedrība",
    );
  });

  it("keeps abbreviations and numbers, drops stop words", () => {
    const out = expandEnglishQuery("Is the ALTUM loan for SIA up to 7000 EUR?");
    for (const t of ["ALTUM", "SIA", "7000", "EUR"]) expect(out).toContain(t);
    expect(out).not.toMatch(/\bthe\b/);
  });

  it("can drop unknown words", () => {
    expect(expandEnglishQuery("zxqv frobnicate grants", { keepUnknown: false })).toBe("grants");
  });

  it("produces terms the Latvian analyzer matches", () => {
    const lv = analyze("Sociālā uzņēmuma statusu piešķir Labklājības ministrija");
    const en = analyze(
      expandEnglishQuery("Who grants the social enterprise status? The Ministry of Welfare?"),
    );
    for (const t of ["social", "uznemum", "status", "labklajib", "ministrij"]) {
      expect(lv).toContain(t);
      expect(en).toContain(t);
    }
  });
});

describe("englishLemmas", () => {
  it("guesses dictionary forms of plurals, past forms and -ing forms", () => {
    expect(englishLemmas("bakeries")).toContain("bakery");
    expect(englishLemmas("boxes")).toContain("box");
    expect(englishLemmas("registered")).toContain("register");
    expect(englishLemmas("applied")).toContain("apply");
    expect(englishLemmas("hired")).toContain("hire");
    expect(englishLemmas("planned")).toContain("plan");
    expect(englishLemmas("hiring")).toContain("hire");
    expect(englishLemmas("running")).toContain("run");
    expect(englishLemmas("paid")).toEqual(["pay"]);
    expect(englishLemmas("spent")).toEqual(["spend"]);
  });

  it("leaves words without an ending alone", () => {
    expect(englishLemmas("status")).toEqual([]);
    expect(englishLemmas("basis")).toEqual([]);
    expect(englishLemmas("tax")).toEqual([]);
  });
});

describe("segmentEnglishQuery", () => {
  it("reads phrases, inflected words, stop words, fillers and unknown words", () => {
    const segments = segmentEnglishQuery("Actually, we spent two grants for the zorblat");
    expect(segments.map((s) => [s.kind, s.words.join(" ")])).toEqual([
      ["stop", "Actually"],
      ["stop", "we"],
      ["glossary", "spent"],
      ["glossary", "two"],
      ["glossary", "grants"],
      ["stop", "for"],
      ["stop", "the"],
      ["unknown", "zorblat"],
    ]);
    expect(segments[2]?.latvian).toEqual(glossary().get("spend"));
  });

  it("reads the first half of a negative contraction as a stop word", () => {
    const kinds = segmentEnglishQuery("The form doesn't open and the page isn't ready").map((s) => [
      s.words.join(" "),
      s.kind,
    ]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ["doesn", "stop"],
        ["isn", "stop"],
      ]),
    );
  });

  it("finds a phrase whose inflected word is not its last", () => {
    const [first] = segmentEnglishQuery("turning into a cooperative");
    expect(first?.words).toEqual(["turning", "into"]);
    expect(first?.latvian).toContain("kļūt");
  });
});

describe("expandEnglishQuery with everyday words of the domain", () => {
  it.each([
    ["How much may a cafe spend on ovens?", "izlietot"],
    ["Has the new rule come into force yet?", "spēkā"],
    ["When did they pass the law?", "pieņemt likumu"],
    ["Are the owners personally liable?", "atbildīgs"],
    ["Our micro-capital company keeps growing", "mazkapitāla sabiedrība"],
    ["The small-capital LLC turned into an ordinary one", "kļūt"],
    ["What if a social enterprise goes bankrupt?", "maksātnespēja"],
    ["Is there a turnover cap for applicants?", "griesti"],
    ["Which documents do I attach?", "pielikums"],
  ])("%s → %s", (question, term) => {
    expect(expandEnglishQuery(question)).toContain(term);
  });

  it("drops filler words", () => {
    expect(expandEnglishQuery("Actually, whether something else is needed")).not.toMatch(
      /actually|whether|something|else/i,
    );
  });
});
