import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  foldForKeys,
  LABOUR_LAW_FILE,
  loadLabourLawSet,
  matchesExpected,
  REAL_DOCS_DIR,
} from "../../scripts/quality.js";

describe("an article of a law as an expected source", () => {
  const cited = (section: string) => ({ kind: "document" as const, section });

  it("matches the passage whose section names the article, and no other number", () => {
    const gold = [{ kind: "document" as const, article: "14" }];
    expect(matchesExpected(cited("3.nodaļa Pienākumi › 14.pants. Biedru sapulce"), gold)).toBe(
      true,
    );
    expect(matchesExpected(cited("3.nodaļa › 14. pants Biedru sapulce"), gold)).toBe(true);
    expect(matchesExpected(cited("3.nodaļa › 114.pants. Valde"), gold)).toBe(false);
    expect(matchesExpected(cited("3.nodaļa › 141.pants. Valde"), gold)).toBe(false);
    expect(matchesExpected({ kind: "document" }, gold)).toBe(false);
  });
});

const law = join(REAL_DOCS_DIR, LABOUR_LAW_FILE);

describe("the questions written on the Labour Law", () => {
  const set = loadLabourLawSet();

  it("are split by a fixed seed, about 60/20/20 in every style", () => {
    expect(set.length).toBeGreaterThanOrEqual(150);
    for (const style of new Set(set.map((q) => q.style))) {
      const of = set.filter((q) => q.style === style);
      const train = of.filter((q) => q.split === "train").length;
      expect(Math.abs(train / of.length - 0.6)).toBeLessThan(0.1);
    }
    expect(new Set(set.map((q) => q.id)).size).toBe(set.length);
  });

  it("have keys and an article when answerable, and none when not", () => {
    for (const q of set) {
      const answerable = q.style !== "unanswerable";
      expect(q.keys.length > 0, q.id).toBe(answerable);
      expect(q.gold.length > 0, q.id).toBe(answerable);
      for (const g of q.gold) expect(g, q.id).toMatchObject({ kind: "document" });
    }
  });

  it.skipIf(!existsSync(law))("each key is found in the law's text", () => {
    const text = foldForKeys(readFileSync(law, "utf8"));
    for (const q of set) {
      for (const key of q.keys)
        expect(new RegExp(key, "u").test(text), `${q.id}: ${key}`).toBe(true);
    }
  });
});
