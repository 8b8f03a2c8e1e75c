import { describe, expect, it } from "vitest";
import {
  capAnswerText,
  capParts,
  escapeHtml,
  formatAnswerHtml,
  formatDuration,
  formatLectureCard,
  formatLectureList,
  formatQuotes,
  formatSources,
  formatTime,
  formatTimeRange,
  htmlToText,
  MESSAGE_LIMIT,
  renderAnswerText,
  splitMessage,
  truncateText,
} from "../../src/bot/format.js";
import type { Answer, Citation } from "../../src/types.js";
import { FAKE_LECTURES, FakeAnswerEngine, MARKERS } from "./fake-engine.js";
import { tagsBalanced } from "./harness.js";

const handbook: Citation = {
  n: 1,
  kind: "handbook",
  title: "Rokasgrāmata (paraugs)",
  path: "rokasgramata.pdf",
  page: 12,
  section: "4. Statuss › 4.2. Esošas SIA ceļš uz statusu",
  chunkId: "c1",
  text: "Teksts",
};
const lecture: Citation = {
  n: 2,
  kind: "lecture",
  title: "Lekcija <1> & jautājumi",
  path: "lekcija.vtt",
  startSec: 195,
  endSec: 260,
  url: "https://www.youtube.com/watch?v=abc&t=195s",
  chunkId: "c2",
  text: "Runātais teksts",
};

function answerOf(partial: Partial<Answer>): Answer {
  return {
    question: "Kā?",
    language: "lv",
    answered: true,
    answer: "Atbilde [1].",
    mode: "extractive",
    citations: [handbook],
    latencyMs: 1,
    ...partial,
  };
}

describe("escapeHtml", () => {
  it("escapes <, >, & and quotes", () => {
    expect(escapeHtml(`<script>alert("x")</script> & <b>`)).toBe(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;",
    );
  });

  it("keeps corpus and question text from breaking the formatting", async () => {
    const engine = new FakeAnswerEngine();
    const answer = await engine.ask("Kā <b>iegūt</b> & <script>statusu</script>?");
    const html = formatAnswerHtml(answer, "lv");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;b&gt;ieguldīta&lt;/b&gt;");
    expect(html).toContain("&amp;");
    expect(tagsBalanced(html)).toBe(true);
    const quotes = formatQuotes(answer.citations, "lv");
    expect(quotes).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; iesniedz");
    expect(tagsBalanced(quotes)).toBe(true);
  });

  it("escapes the & of a url inside href", () => {
    expect(formatSources([lecture], "lv")).toContain(
      'href="https://www.youtube.com/watch?v=abc&amp;t=195s"',
    );
  });
});

describe("times", () => {
  it("formats mm:ss and h:mm:ss", () => {
    expect(formatTime(0)).toBe("00:00");
    expect(formatTime(75)).toBe("01:15");
    expect(formatTime(599.9)).toBe("09:59");
    expect(formatTime(3600)).toBe("1:00:00");
    expect(formatTime(3725)).toBe("1:02:05");
    expect(formatTime(Number.NaN)).toBe("00:00");
    expect(formatTime(-5)).toBe("00:00");
  });

  it("formats ranges", () => {
    expect(formatTimeRange(195, 260)).toBe("03:15–04:20");
    expect(formatTimeRange(195)).toBe("03:15");
    expect(formatTimeRange(195, 195)).toBe("03:15");
  });

  it("formats durations", () => {
    expect(formatDuration(2520, "lv")).toBe("42 min");
    expect(formatDuration(3900, "lv")).toBe("1 st. 5 min");
    expect(formatDuration(3900, "en")).toBe("1 h 5 min");
  });
});

describe("source list", () => {
  it("renders handbook and lecture lines in Latvian", () => {
    const html = formatSources([handbook, lecture], "lv");
    expect(html).toBe(
      [
        "📚 <b>Avoti</b>",
        "[1] <b>Rokasgrāmata</b>, 12. lpp., «4.2. Esošas SIA ceļš uz statusu»",
        '[2] 🎬 <a href="https://www.youtube.com/watch?v=abc&amp;t=195s">Lekcija &lt;1&gt; &amp; jautājumi</a>, 03:15–04:20',
      ].join("\n"),
    );
  });

  it("uses p. / pp. in English and page ranges", () => {
    const html = formatSources([{ ...handbook, page: 12, pageEnd: 13 }], "en");
    expect(html).toContain("<b>Handbook</b>, pp. 12–13, “4.2. Esošas SIA ceļš uz statusu”");
    expect(formatSources([handbook], "en")).toContain("p. 12,");
  });

  it("does not link a lecture without url", () => {
    const html = formatSources([{ ...lecture, url: undefined }], "lv");
    expect(html).toContain("[2] 🎬 Lekcija &lt;1&gt; &amp; jautājumi, 03:15–04:20");
    expect(html).not.toContain("<a");
  });

  it("never links a non-http url", () => {
    expect(formatSources([{ ...lecture, url: "javascript:alert(1)" }], "lv")).not.toContain("<a");
  });

  it("is empty without citations", () => {
    expect(formatSources([], "lv")).toBe("");
  });
});

describe("answers", () => {
  it("keeps [n] markers and links lecture markers to the moment", () => {
    const html = renderAnswerText("A [1]. B [2]. C [9].", [handbook, lecture]);
    expect(html).toBe(
      'A [1]. B <a href="https://www.youtube.com/watch?v=abc&amp;t=195s">[2]</a>. C [9].',
    );
  });

  it("adds the fallback note and the FAQ label", () => {
    expect(formatAnswerHtml(answerOf({ mode: "fallback" }), "lv")).toContain(
      "AI modelis šobrīd nav pieejams",
    );
    expect(formatAnswerHtml(answerOf({ mode: "fallback" }), "en")).toContain(
      "AI model is unavailable",
    );
    const faq = answerOf({
      mode: "faq",
      citations: [],
      faq: { id: "f", approvedAt: "2024-05-01T10:00:00Z" },
    });
    expect(formatAnswerHtml(faq, "lv")).toContain(
      "Koordinatoru apstiprināta atbilde (01.05.2024.)",
    );
    expect(formatAnswerHtml(faq, "en")).toContain("Approved by coordinators (2024-05-01)");
  });

  it("says plainly when declined and lists related lectures", async () => {
    const declined = await new FakeAnswerEngine().ask(`Kas ir ${MARKERS.decline}?`);
    const html = formatAnswerHtml(declined, "lv");
    expect(html).toContain("Materiālos atbildi uz šo jautājumu neatradu");
    expect(html).toContain("Varbūt noderēs šīs lekcijas:");
    expect(html).toContain("Finansējums laukos (01:00)");
    expect(html).not.toContain("Avoti");
    const withText = formatAnswerHtml(
      answerOf({
        answered: false,
        answer: "Neatradu <nekā>.",
        citations: [],
        declineReason: "no-match",
      }),
      "lv",
    );
    expect(withText).toContain("🤷 Neatradu &lt;nekā&gt;.");
  });

  it("declines bad input without suggesting lectures", () => {
    const html = formatAnswerHtml(
      answerOf({ answered: false, answer: "", citations: [], declineReason: "bad-input" }),
      "en",
    );
    expect(html).toBe("🤷 I didn't understand the question. Please write it as a full sentence.");
  });
});

describe("lectures", () => {
  it("lists lectures with duration and topics", () => {
    const html = formatLectureList(FAKE_LECTURES, "lv");
    expect(html).toContain("1. <b>Sociālā uzņēmuma statuss &lt;praksē&gt;</b> — mentore, 42 min");
    expect(html).toContain("Tēmas: statuss, SIA, komisija");
    expect(tagsBalanced(html)).toBe(true);
  });

  it("shows summary and key moments linked to the video", () => {
    const html = formatLectureCard(FAKE_LECTURES[0]!, "lv", { atSec: 195 });
    expect(html).toContain("Kā SIA iegūst sociālā uzņēmuma statusu &amp; ko vērtē komisija.");
    expect(html).toContain(
      '• <a href="https://www.youtube.com/watch?v=abc123&amp;t=195s">03:15</a> Statusa kritēriji',
    );
    expect(html).toContain("1:02:05</a> Jautājumi");
    expect(html).toContain("Skatīties no 03:15");
    expect(tagsBalanced(html)).toBe(true);
  });

  it("shows plain times and a note without a url", () => {
    const html = formatLectureCard(FAKE_LECTURES[1]!, "en");
    expect(html).toContain("• 01:00 ALTUM granti");
    expect(html).toContain("The video link isn't known yet.");
    expect(html).not.toContain("<a");
  });
});

describe("splitMessage", () => {
  it("returns short messages unchanged", () => {
    expect(splitMessage("<b>Sveiki</b>")).toEqual(["<b>Sveiki</b>"]);
    expect(splitMessage("   ")).toEqual([]);
  });

  it("splits a long answer into parts within the limit with balanced tags", async () => {
    const answer = await new FakeAnswerEngine().ask(`Kā? ${MARKERS.long}`);
    const html = formatAnswerHtml(answer, "lv");
    expect(html.length).toBeGreaterThan(MESSAGE_LIMIT * 2);
    const parts = splitMessage(html);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(tagsBalanced(part)).toBe(true);
      expect(part).not.toMatch(/&[a-z]*$/);
    }
    expect(htmlToText(parts.join("\n\n")).replace(/\s+/g, " ")).toBe(
      htmlToText(html).replace(/\s+/g, " "),
    );
  });

  it("cuts at paragraph boundaries when it can", () => {
    const para = "Teikums par statusu. ".repeat(40).trim();
    const html = Array.from({ length: 10 }, () => para).join("\n\n");
    const parts = splitMessage(html, 2000);
    for (const part of parts) {
      expect(part.endsWith("statusu.")).toBe(true);
      expect(part.startsWith("Teikums")).toBe(true);
    }
  });

  it("cuts at sentence boundaries inside one long paragraph", () => {
    const html = "Pirmais teikums ir šeit. Otrais teikums ir tur! Vai trešais? ".repeat(200);
    const parts = splitMessage(html, 1000);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part).toMatch(/[.!?]$/);
  });

  it("closes and reopens tags across parts, keeping link targets", () => {
    const inner = "vārds ".repeat(600);
    const html = `<b>Sākums <a href="https://example.com/?a=1&amp;b=2">${inner}</a> beigas</b>`;
    const parts = splitMessage(html, 1000);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(1000);
      expect(tagsBalanced(part)).toBe(true);
      expect(part.startsWith("<b>")).toBe(true);
    }
    expect(parts[1]).toMatch(/^<b><a href="https:\/\/example\.com\/\?a=1&amp;b=2">/);
  });

  it("never cuts an entity or a tag, even without spaces", () => {
    const html = `<i>${"&amp;&lt;x".repeat(700)}</i>`;
    const parts = splitMessage(html, 500);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(500);
      expect(tagsBalanced(part)).toBe(true);
      expect(part.replace(/<\/?i>/g, "")).toMatch(/^(?:&amp;|&lt;|x)+$/);
    }
  });

  it("keeps emoji surrogate pairs whole", () => {
    const html = "😀".repeat(3000);
    const parts = splitMessage(html, 1001);
    for (const part of parts) expect(part).toMatch(/^(?:😀)+$/u);
  });
});

describe("truncateText", () => {
  it("cuts at a word and adds an ellipsis", () => {
    expect(truncateText("viens divi trīs četri", 12)).toBe("viens divi…");
    expect(truncateText("  īss  teksts ", 50)).toBe("īss teksts");
  });
});

describe("answer caps", () => {
  it("cuts an answer text at a sentence break and says so", () => {
    const text = "Pirmais teikums ir šeit [1]. ".repeat(1000);
    const cut = capAnswerText(text, 1000);
    expect(cut.length).toBeLessThanOrEqual(1000);
    expect(cut.endsWith("[1]. …")).toBe(true);
    expect(capAnswerText("Īsa atbilde [1].", 1000)).toBe("Īsa atbilde [1].");
  });

  it("keeps at most the given number of parts, the last one marked", () => {
    const parts = Array.from({ length: 77 }, (_, i) => `daļa ${i}`);
    const kept = capParts(parts, 5);
    expect(kept).toHaveLength(5);
    expect(kept.at(-1)).toBe("daļa 4\n…");
    expect(capParts(parts.slice(0, 3), 5)).toEqual(parts.slice(0, 3));
  });
});
