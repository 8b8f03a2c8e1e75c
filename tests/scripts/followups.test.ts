import { describe, expect, it } from "vitest";
import { foldForKeys, loadFollowUps, openEvalApp } from "../../scripts/quality.js";
import { formatClock } from "../../src/place.js";

describe("the follow-up conversations of the user tests", () => {
  const items = loadFollowUps();

  it("are conversations of two or more messages, split tune/test, each with keys or a decline", () => {
    expect(items.length).toBeGreaterThanOrEqual(60);
    expect(new Set(items.map((x) => x.id)).size).toBe(items.length);
    for (const x of items) {
      expect(x.turns.length, x.id).toBeGreaterThanOrEqual(2);
      expect(["tune", "test"], x.id).toContain(x.split);
      expect(Boolean(x.decline) !== Boolean(x.keys?.length), x.id).toBe(true);
    }
    expect(items.filter((x) => x.split === "test").length).toBeGreaterThanOrEqual(30);
  });

  it("have keys the materials hold", async () => {
    const { app, close } = await openEvalApp();
    try {
      const s = app.live.current();
      const text = foldForKeys(
        [
          ...s.retriever.passages().map((p) => p.text),
          // A lecture answer names the lecture, its moments' times and its length (metadata).
          ...s.lectures.flatMap((l) => [
            l.title,
            ...[...(l.moments ?? []).map((m) => m.startSec), l.durationSec ?? 0].map(formatClock),
          ]),
        ].join("\n"),
      );
      for (const x of items) {
        for (const key of x.keys ?? [])
          expect(new RegExp(key, "u").test(text), `${x.id} ${key}`).toBe(true);
      }
    } finally {
      await close();
    }
  });
});
