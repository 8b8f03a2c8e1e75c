import { describe, expect, it } from "vitest";
import { untranslatedWords } from "../../scripts/glossary-report.js";

describe("untranslatedWords (npm run glossary:report)", () => {
  // A made-up index: only "kafejnīca" and "grants" are in it.
  const vocabulary = new Map([
    ["kafejnic", 4],
    ["grant", 9],
  ]);

  it("counts, per question, the words and glossary phrases that reach no index token", () => {
    const { unknown, untranslatable } = untranslatedWords(
      [
        "Can a cafe get a grant after a bankruptcy?",
        "Bankruptcy of a zorblat, and a zorblat grant?",
        "Actually, a cafe grant",
      ],
      vocabulary,
    );
    expect(Object.fromEntries(unknown)).toEqual({ zorblat: 1 });
    expect(untranslatable.get("bankruptcy")).toBe(2);
    expect(untranslatable.has("cafe")).toBe(false);
    expect(untranslatable.has("grant")).toBe(false);
  });
});
