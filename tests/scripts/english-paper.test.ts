import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  foldForKeys,
  loadRealCorpusSet,
  openRealDocApp,
  REAL_CORPORA,
  REAL_DOCS_DIR,
  root,
} from "../../scripts/quality.js";

const paper = REAL_CORPORA.find((c) => c.file.endsWith(".pdf"));

describe("the questions written on the English paper", () => {
  const set = paper ? loadRealCorpusSet(join(root, paper.questions)) : [];

  it("are English, split by a fixed seed, with keys and pages when answerable", () => {
    expect(set.length).toBeGreaterThanOrEqual(60);
    expect(new Set(set.map((q) => q.id)).size).toBe(set.length);
    for (const q of set) {
      expect(q.lang, q.id).toBe("en");
      const answerable = q.style !== "unanswerable";
      expect(q.keys.length > 0, q.id).toBe(answerable);
      for (const g of q.gold) expect(g, q.id).toMatchObject({ kind: "handbook" });
    }
    const train = set.filter((q) => q.split === "train").length;
    expect(Math.abs(train / set.length - 0.6)).toBeLessThan(0.1);
  });

  it.skipIf(!paper || !existsSync(join(REAL_DOCS_DIR, paper?.file ?? "")))(
    "each key is found in the text the index holds",
    async () => {
      const opened = await openRealDocApp(paper?.file ?? "");
      try {
        const text = foldForKeys(
          (opened?.app.live.current().retriever.passages() ?? []).map((p) => p.text).join("\n"),
        );
        for (const q of set) {
          for (const key of q.keys)
            expect(new RegExp(key, "u").test(text), `${q.id}: ${key}`).toBe(true);
        }
      } finally {
        await opened?.close();
      }
    },
    60_000,
  );
});
