import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareQuery } from "../../src/retrieval/query.js";
import { analyze } from "../../src/text/analyze.js";
import {
  buildThesaurus,
  parseSynonyms,
  SYNONYMS_FILE,
  synonymsOf,
} from "../../src/text/synonyms.js";
import { sampleVocabulary } from "../helpers/sample-index.js";

const asIs = { correct: (t: string) => t };

describe("the thesaurus (data: src/text/synonyms.tsv)", () => {
  const text = readFileSync(SYNONYMS_FILE, "utf8");
  const entries = parseSynonyms(text);

  it("has a header, a source column and a known source on every line", () => {
    expect(text.split("\n")[0]).toBe("word\tmaterials\tsource");
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      expect(["colloquial", "synonym", "derivation", "loanword"]).toContain(e.source);
    }
  });

  describe("against the sample corpus' index", () => {
    let vocabulary: Map<string, number>;
    beforeAll(async () => {
      // The sample corpus' index (its keyword vocabulary does not depend on the embedder).
      vocabulary = await sampleVocabulary();
    }, 30_000);

    it("every entry's materials side analyses to tokens of the index", () => {
      const missing = entries
        .filter((e) => !analyze(e.materials).every((t) => vocabulary.has(t)))
        .map((e) => `${e.word} → ${e.materials}`);
      expect(missing).toEqual([]);
    });
  });
});

describe("synonymsOf", () => {
  const t = buildThesaurus(
    parseSynonyms(
      "word\tmaterials\tsource\n" +
        "kantoris\tbirojs\tcolloquial\n" +
        "naudas maks\tmaciņš\tsynonym\n" +
        "maks\tsamaksa\tsynonym\n" +
        "skapis\t\tsynonym\n",
    ),
  );

  it("adds the materials' tokens and words, the longest phrase first", () => {
    const got = synonymsOf(analyze("kur palika naudas maks no kantora"), undefined, t);
    expect(got.tokens).toEqual([...analyze("maciņš"), ...analyze("birojs")]);
    expect(got.tokens).not.toContain(analyze("samaksa")[0]);
    expect(got.text).toBe("maciņš birojs");
  });

  it("skips lines without a materials side, and tokens the question already has", () => {
    expect(synonymsOf(analyze("skapis"), undefined, t).tokens).toEqual([]);
    expect(synonymsOf(analyze("kantoris birojs"), undefined, t).tokens).toEqual([]);
  });

  it("with `held`, only for phrases with a word the index lacks", () => {
    const kantor = analyze("kantoris")[0] ?? "";
    const held = (x: string) => x === kantor;
    expect(synonymsOf(analyze("kantoris"), held, t).tokens).toEqual([]);
    expect(synonymsOf(analyze("maks"), held, t).tokens).toEqual(analyze("samaksa"));
  });
});

describe("prepareQuery with the thesaurus", () => {
  const vocabulary = new Map(analyze("uzņēmums dibināt").map((x) => [x, 1]));

  it("searches an everyday word with the materials' term unless told not to", () => {
    const entry = parseSynonyms(readFileSync(SYNONYMS_FILE, "utf8")).find(
      (e) => !analyze(e.materials).some((x) => analyze(e.word).includes(x)),
    );
    const word = entry?.word ?? "";
    const terms = analyze(entry?.materials ?? "");
    const on = prepareQuery(word, vocabulary, asIs, undefined, "always");
    const off = prepareQuery(word, vocabulary, asIs, undefined, "off");
    expect(terms.length).toBeGreaterThan(0);
    for (const x of terms) {
      expect(on.tokens).toContain(x);
      expect(off.tokens).not.toContain(x);
    }
    expect(on.text).toContain(entry?.materials);
    expect(off.text).toBe(word);
  });
});
