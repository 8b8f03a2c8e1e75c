import { describe, expect, it } from "vitest";
import {
  citationOf,
  formatSourceList,
  placeOf,
  validateCitations,
} from "../../src/answer/citations.js";
import { formatClock, videoLinkAt } from "../../src/answer/links.js";
import type { Chunk } from "../../src/types.js";

describe("validateCitations", () => {
  it("drops a citation to a passage that was not given and renumbers the rest", () => {
    const r = validateCitations(
      "Statusu piešķir LM [2]. Komisija sniedz atzinumu [7]. Reģistrs ir publisks [4].",
      5,
    );
    expect(r.text).toBe(
      "Statusu piešķir LM [1]. Komisija sniedz atzinumu. Reģistrs ir publisks [2].",
    );
    expect(r.used).toEqual([2, 4]);
    expect(r.dropped).toEqual([7]);
  });

  it("handles grouped, repeated and ranged markers", () => {
    const r = validateCitations("A [3, 1]. B [1][3]. C [2-3]. D [0].", 3);
    expect(r.text).toBe("A [1][2]. B [2][1]. C [3][1]. D.");
    expect(r.used).toEqual([3, 1, 2]);
    expect(r.dropped).toEqual([0]);
  });

  it("leaves text without markers alone", () => {
    expect(validateCitations("Nav avotu.", 2)).toEqual({
      text: "Nav avotu.",
      used: [],
      dropped: [],
    });
  });
});

describe("videoLinkAt", () => {
  it("adds t= to YouTube watch and short links, start= to embeds", () => {
    expect(videoLinkAt("https://www.youtube.com/watch?v=abc123", 754)).toBe(
      "https://www.youtube.com/watch?v=abc123&t=754s",
    );
    expect(videoLinkAt("https://youtu.be/abc123", 61.7)).toBe("https://youtu.be/abc123?t=61s");
    expect(videoLinkAt("https://www.youtube.com/embed/abc123", 30)).toBe(
      "https://www.youtube.com/embed/abc123?start=30",
    );
  });

  it("uses #t= for Vimeo and leaves other hosts without a time", () => {
    expect(videoLinkAt("https://vimeo.com/123456", 90)).toBe("https://vimeo.com/123456#t=90s");
    expect(videoLinkAt("https://example.lv/video/5", 90)).toBe("https://example.lv/video/5");
  });

  it("returns undefined for empty or unsafe addresses", () => {
    expect(videoLinkAt("", 10)).toBeUndefined();
    expect(videoLinkAt(undefined, 10)).toBeUndefined();
    expect(videoLinkAt("javascript:alert(1)", 10)).toBeUndefined();
    expect(videoLinkAt("not a url", 10)).toBeUndefined();
  });

  it("formats clock times", () => {
    expect(formatClock(754)).toBe("12:34");
    expect(formatClock(3725)).toBe("1:02:05");
    expect(formatClock(0)).toBe("00:00");
  });
});

describe("citations of chunks", () => {
  const handbook: Chunk = {
    id: "h1",
    kind: "handbook",
    path: "handbook/r.pdf",
    title: "Rokasgrāmata",
    text: "…",
    section: "4. Statuss › 4.2. Esoša SIA",
    page: 12,
    pageEnd: 13,
    ordinal: 3,
  };
  const lecture: Chunk = {
    id: "l1",
    kind: "lecture",
    path: "lectures/02.srt",
    title: "Statusa iegūšana",
    text: "…",
    startSec: 754,
    endSec: 830,
    url: "https://youtu.be/x",
    lectureId: "l02",
    ordinal: 5,
  };

  it("carries pages, sections, time ranges and deep links", () => {
    const h = citationOf(handbook, 1);
    expect(placeOf(h, "lv")).toBe("12.–13. lpp., 4. Statuss › 4.2. Esoša SIA");
    expect(placeOf(h, "en")).toBe("pp. 12–13, 4. Statuss › 4.2. Esoša SIA");
    const l = citationOf(lecture, 2);
    expect(l.url).toBe("https://youtu.be/x?t=754s");
    expect(placeOf(l, "lv")).toBe("12:34–13:50");
    expect(formatSourceList([h, l], "lv")).toBe(
      "[1] Rokasgrāmata, 12.–13. lpp., 4. Statuss › 4.2. Esoša SIA\n[2] Statusa iegūšana, 12:34–13:50 https://youtu.be/x?t=754s",
    );
  });
});
