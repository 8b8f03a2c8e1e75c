import { describe, expect, it } from "vitest";
import type { Embedder } from "../../src/embed/embedder.js";
import { DEFAULT_WEIGHTS, fitLocalEmbedder, LocalEmbedder } from "../../src/embed/local.js";
import { foldDiacritics } from "../../src/text/normalize.js";

const CORPUS = [
  "Sociālais uzņēmums ir sabiedrība ar ierobežotu atbildību, kurai piešķirts sociālā uzņēmuma statuss.",
  "Sociālā uzņēmuma statusu piešķir Labklājības ministrijas sociālā uzņēmuma komisija.",
  "Mazkapitāla sabiedrības pamatkapitāls var būt mazāks par 2800 EUR.",
  "Sociālajiem uzņēmumiem ir uzņēmumu ienākuma nodokļa atvieglojumi, ja peļņu reinvestē.",
  "Mērķa grupas darbinieki ir personas ar invaliditāti, ilgstošie bezdarbnieki un citi.",
  "Vietējā rīcības grupa administrē LEADER programmas projektu konkursus laukos.",
  "ALTUM piedāvā grantus un aizdevumus sociālajiem uzņēmumiem.",
  "Futbola komanda uzvarēja spēlē ar trīs vārtiem pret vienu.",
  "Rīgā šodien līst lietus, un vējš pūš no jūras.",
  "Brīvprātīgie palīdz pašvaldībai organizēt kultūras pasākumus.",
];

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

describe("LocalEmbedder (not fitted)", () => {
  const embedder = new LocalEmbedder();

  it("implements the Embedder port", async () => {
    const port: Embedder = embedder;
    expect(port.id).toBe("local-hash-v1/768");
    expect(port.dimensions).toBe(768);
    const docs = await port.embedDocuments(CORPUS.slice(0, 3));
    expect(docs).toHaveLength(3);
    for (const v of docs) {
      expect(v).toHaveLength(768);
      expect(Array.isArray(v)).toBe(true);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    const q = await port.embedQuery("sociālais uzņēmums");
    expect(q).toHaveLength(768);
  });

  it("is deterministic across instances", () => {
    const a = embedder.embed(CORPUS[0] ?? "");
    const b = new LocalEmbedder().embed(CORPUS[0] ?? "");
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it("gives a zero vector for text without terms", () => {
    expect(norm(embedder.embed(""))).toBe(0);
    expect(norm(embedder.embed("?! ...  un ir kas"))).toBe(0);
  });

  it("gives the same vector with and without diacritics", () => {
    const s = "Kā sociālajam uzņēmumam saņemt nodokļu atvieglojumus?";
    expect(Array.from(embedder.embed(foldDiacritics(s)))).toEqual(Array.from(embedder.embed(s)));
  });

  it("puts related texts closer than unrelated ones", () => {
    const q = embedder.embed("Kas piešķir sociālā uzņēmuma statusu?");
    const related = embedder.embed(CORPUS[1] ?? "");
    const unrelated = embedder.embed(CORPUS[7] ?? "");
    expect(dot(q, related)).toBeGreaterThan(dot(q, unrelated) + 0.1);
  });

  it("writes into a given array", () => {
    const out = new Float32Array(768);
    expect(embedder.embed("grants", out)).toBe(out);
    expect(norm(out)).toBeCloseTo(1, 5);
    expect(() => embedder.embed("grants", new Float32Array(10))).toThrow();
  });
});

describe("fitLocalEmbedder", () => {
  const embedder = fitLocalEmbedder(CORPUS);

  it("records the corpus size and keeps the default id", () => {
    expect(embedder.documents).toBe(CORPUS.length);
    expect(embedder.id).toBe("local-hash-v1/768");
    expect(embedder.weights).toEqual(DEFAULT_WEIGHTS);
  });

  it("retrieves the right passage for Latvian questions, with or without diacritics", () => {
    const vectors = CORPUS.map((t) => embedder.embed(t));
    const best = (q: string): number => {
      const v = embedder.embedQuerySync(q);
      let arg = -1;
      let max = Number.NEGATIVE_INFINITY;
      vectors.forEach((d, i) => {
        const s = dot(v, d);
        if (s > max) {
          max = s;
          arg = i;
        }
      });
      return arg;
    };
    expect(best("Kas piešķir statusu? Komisija?")).toBe(1);
    expect(best("cik liels pamatkapitals mazkapitala sabiedribai")).toBe(2);
    expect(best("kadi nodoklu atvieglojumi")).toBe(3);
    expect(best("vietejas ricibas grupas")).toBe(5);
  });

  it("expands English queries into Latvian terms", () => {
    const q = embedder.embedQuerySync("What tax relief do social enterprises get?");
    const passages = CORPUS.map((t) => embedder.embed(t));
    const scores = passages.map((p) => dot(q, p));
    expect(scores.indexOf(Math.max(...scores))).toBe(3);
    const plain = new LocalEmbedder({ queryExpander: null });
    expect(Array.from(plain.embedQuerySync("What is it?"))).toEqual(
      Array.from(plain.embed("What is it?")),
    );
    const lv = embedder.embedQuerySync("Kas ir sociālais uzņēmums?");
    expect(Array.from(lv)).toEqual(Array.from(embedder.embed("Kas ir sociālais uzņēmums?")));
  });

  it("round-trips through JSON with identical vectors", () => {
    const json = JSON.parse(JSON.stringify(embedder.toJSON()));
    const restored = LocalEmbedder.fromJSON(json);
    expect(restored.id).toBe(embedder.id);
    expect(restored.documents).toBe(CORPUS.length);
    for (const t of CORPUS)
      expect(Array.from(restored.embed(t))).toEqual(Array.from(embedder.embed(t)));
  });

  it("keeps the state compact", () => {
    const state = JSON.stringify(embedder.toJSON());
    expect(state.length).toBeLessThan(64 * 1024);
    const unfitted = new LocalEmbedder().toJSON();
    expect(unfitted.idf).toBeUndefined();
    expect(Array.from(LocalEmbedder.fromJSON(unfitted).embed("grants"))).toEqual(
      Array.from(new LocalEmbedder().embed("grants")),
    );
  });

  it("down-weights words that occur everywhere", () => {
    const texts = Array.from(
      { length: 50 },
      (_, i) => `kopīgs vārds un ${["alfa", "beta", "gamma"][i % 3]}`,
    );
    const fitted = fitLocalEmbedder(texts, { weights: { words: 1, bigrams: 0, chars: 0 } });
    const plain = new LocalEmbedder({ weights: { words: 1, bigrams: 0, chars: 0 } });
    const a = "kopīgs alfa";
    const b = "kopīgs beta";
    expect(dot(fitted.embed(a), fitted.embed(b))).toBeLessThan(dot(plain.embed(a), plain.embed(b)));
  });
});

describe("settings", () => {
  it("changes the id with the dimensions and the features", () => {
    expect(new LocalEmbedder({ dimensions: 512 }).id).toBe("local-hash-v1/512");
    expect(new LocalEmbedder({ dimensions: 512 }).embed("grants")).toHaveLength(512);
    const other = new LocalEmbedder({ weights: { chars: 0 } }).id;
    expect(other).toMatch(/^local-hash-v1\/768-[0-9a-f]{8}$/);
    expect(new LocalEmbedder({ charNgrams: [2, 4] }).id).not.toBe(other);
  });

  it("rejects bad settings and foreign state", () => {
    expect(() => new LocalEmbedder({ dimensions: 0 })).toThrow();
    expect(() => new LocalEmbedder({ idfBuckets: 1000 })).toThrow();
    expect(() => new LocalEmbedder({ charNgrams: [5, 3] })).toThrow();
    expect(() => new LocalEmbedder({ weights: { words: -1 } })).toThrow();
    expect(() => LocalEmbedder.fromJSON({ kind: "openai" })).toThrow();
    expect(() => LocalEmbedder.fromJSON(null)).toThrow();
    const state = fitLocalEmbedder(CORPUS, { idfBuckets: 1024 }).toJSON();
    expect(() => LocalEmbedder.fromJSON({ ...state, idfBuckets: 2048 })).toThrow();
  });
});
