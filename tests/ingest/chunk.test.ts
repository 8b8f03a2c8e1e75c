import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { chunkDocument, chunkId } from "../../src/ingest/chunk.js";
import type { TextDocument, TranscriptDocument } from "../../src/ingest/document-types.js";
import { parsePdf } from "../../src/ingest/pdf.js";
import { parseWebVtt } from "../../src/ingest/transcripts.js";
import type { Chunk, Cue, TextBlock } from "../../src/types.js";
import { fixtureBytes, fixtureText } from "./helpers.js";

const words = (t: string) => t.split(/\s+/).filter(Boolean).length;

/** A Latvian-looking sentence of `n` words, numbered so that every sentence is distinct. */
function sentence(i: number, n = 12): string {
  const filler = ["sociālais", "uzņēmums", "atbalsts", "ietekme", "kopiena", "grants", "darbs"];
  const body = Array.from({ length: n - 2 }, (_, k) => filler[(i + k) % filler.length]);
  return `Teikums ${i} ${body.join(" ")}.`;
}

function textDoc(blocks: TextBlock[]): TextDocument {
  return { type: "text", kind: "handbook", path: "handbook/h.pdf", title: "H", blocks };
}

describe("chunking the handbook fixture", () => {
  let doc: TextDocument;
  let chunks: Chunk[];
  beforeAll(async () => {
    doc = await parsePdf(fixtureBytes("handbook.pdf"), "handbook/handbook.pdf");
    chunks = chunkDocument(doc, { maxWords: 50 });
  });

  it("carries path, title, kind and consecutive ordinals", () => {
    expect(chunks.length).toBeGreaterThan(3);
    chunks.forEach((c, i) => {
      expect(c).toMatchObject({ kind: "handbook", path: "handbook/handbook.pdf", ordinal: i });
      expect(c.title).toBe("Sociālās uzņēmējdarbības rokasgrāmata");
      expect(c.startSec).toBeUndefined();
    });
  });

  it("never crosses a section and never contains a heading", () => {
    const sectionOf = new Map<string, string>();
    for (const b of doc.blocks.filter((x) => !x.heading)) {
      for (const s of b.text.split(/(?<=\.)\s+(?=\p{Lu})/u))
        sectionOf.set(s, b.section.join(" › "));
    }
    for (const c of chunks) {
      for (const h of doc.blocks.filter((b) => b.heading)) expect(c.text).not.toContain(h.text);
      for (const [s, section] of sectionOf) {
        if (c.text.includes(s)) expect(c.section ?? "").toBe(section);
      }
    }
    const sections = chunks.map((c) => c.section);
    expect(sections).toContain("1. Sociālā uzņēmuma būtība › 1.2. Statusa iegūšana");
    expect(sections).toContain("2. Finansējuma avoti › 2.1. Granti un aizdevumi");
  });

  it("sets page and pageEnd for a chunk across the page break", () => {
    const across = chunks.find((c) => c.text.includes("pārstāvji, kas pārbauda"));
    expect(across).toMatchObject({ page: 3, pageEnd: 4 });
    expect(across?.section).toBe("1. Sociālā uzņēmuma būtība › 1.2. Statusa iegūšana");
    const onPage4 = chunks.find((c) => c.text.startsWith("Sociālie uzņēmumi var"));
    expect(onPage4?.page).toBe(4);
    expect(onPage4?.pageEnd).toBeUndefined();
    for (const c of chunks) {
      expect(c.page).toBeTypeOf("number");
      if (c.pageEnd !== undefined) expect(c.pageEnd).toBeGreaterThan(c.page ?? 0);
    }
  });

  it("keeps chunks at sentence boundaries within the word limit", () => {
    for (const c of chunks) {
      expect(words(c.text)).toBeLessThanOrEqual(50);
      if (c.page !== 1) expect(c.text).toMatch(/[.!?]$/);
    }
  });

  it("gives stable, content-addressed ids", async () => {
    const again = chunkDocument(
      await parsePdf(fixtureBytes("handbook.pdf"), "handbook/handbook.pdf"),
      {
        maxWords: 50,
      },
    );
    expect(again.map((c) => c.id)).toEqual(chunks.map((c) => c.id));
    for (const c of chunks) {
      const expected = createHash("sha1")
        .update(`${c.path}\u0000${c.ordinal}\u0000${c.text}`)
        .digest("hex")
        .slice(0, 16);
      expect(c.id).toBe(expected);
      expect(c.id).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(new Set(chunks.map((c) => c.id)).size).toBe(chunks.length);
    expect(chunkId("a", 0, "x")).toBe("89ddf8305b812b15");
  });
});

describe("chunking text documents", () => {
  it("splits a long section into balanced chunks with one sentence of overlap", () => {
    const blocks: TextBlock[] = [
      { text: "1. Ievads", section: ["1. Ievads"], heading: true },
      {
        text: Array.from({ length: 40 }, (_, i) => sentence(i)).join(" "),
        section: ["1. Ievads"],
        page: 5,
      },
    ];
    const chunks = chunkDocument(textDoc(blocks));
    expect(chunks.length).toBe(3);
    for (const c of chunks) {
      expect(words(c.text)).toBeLessThanOrEqual(180);
      expect(words(c.text)).toBeGreaterThanOrEqual(120);
      expect(c).toMatchObject({ section: "1. Ievads", page: 5 });
    }
    for (let i = 1; i < chunks.length; i++) {
      const prevLast = chunks[i - 1]?.text.split(/(?<=\.) /).at(-1);
      expect(chunks[i]?.text.startsWith(prevLast ?? "?")).toBe(true);
    }
  });

  it("honours maxWords and overlapSentences: 0", () => {
    const text = Array.from({ length: 30 }, (_, i) => sentence(i, 10)).join(" ");
    const chunks = chunkDocument(textDoc([{ text, section: [] }]), {
      maxWords: 60,
      overlapSentences: 0,
    });
    expect(chunks.map((c) => c.text).join(" ")).toBe(text);
    for (const c of chunks) expect(words(c.text)).toBeLessThanOrEqual(60);
    expect(chunks[0]?.section).toBeUndefined();
    expect(chunks[0]?.page).toBeUndefined();
  });

  it("starts a new chunk at every heading, even for short sections", () => {
    const blocks: TextBlock[] = [
      { text: "1. A", section: ["1. A"], heading: true },
      { text: "Pirmā sadaļa.", section: ["1. A"] },
      { text: "2. B", section: ["2. B"], heading: true },
      { text: "Otrā sadaļa.", section: ["2. B"] },
      { text: "2.1. C", section: ["2. B", "2.1. C"], heading: true },
      { text: "Apakšsadaļa.", section: ["2. B", "2.1. C"] },
    ];
    expect(chunkDocument(textDoc(blocks)).map((c) => [c.section, c.text])).toEqual([
      ["1. A", "Pirmā sadaļa."],
      ["2. B", "Otrā sadaļa."],
      ["2. B › 2.1. C", "Apakšsadaļa."],
    ]);
  });

  it("cuts a single over-long sentence and skips heading-only documents", () => {
    const long = Array.from({ length: 400 }, (_, i) => `vārds${i}`).join(" ");
    const chunks = chunkDocument(textDoc([{ text: long, section: ["X"] }]), {
      overlapSentences: 0,
    });
    expect(chunks.length).toBe(3);
    for (const c of chunks) expect(words(c.text)).toBeLessThanOrEqual(180);
    expect(chunkDocument(textDoc([{ text: "1. A", section: ["1. A"], heading: true }]))).toEqual(
      [],
    );
  });
});

describe("chunking transcripts", () => {
  /** About 10 minutes of 3–7 s cues; every third cue ends a sentence. */
  function lecture(): TranscriptDocument {
    const cues: Cue[] = [];
    let t = 0;
    for (let i = 0; i < 130; i++) {
      const d = 3 + ((i * 7) % 5);
      cues.push({
        start: t,
        end: t + d,
        text: i % 3 === 2 ? `Daļa ${i} beidzas.` : `Daļa ${i} turpinās`,
      });
      t += d + 0.2;
    }
    return {
      type: "transcript",
      kind: "lecture",
      path: "lekcijas/l.vtt",
      title: "no faila",
      cues,
      meta: { id: "lec-1", file: "l.vtt", title: "Finansējums", url: "https://youtu.be/abc" },
    };
  }

  it("makes 30–90 s windows aligned to cues, except the last", () => {
    const doc = lecture();
    const chunks = chunkDocument(doc);
    expect(chunks.length).toBeGreaterThan(5);
    const starts = new Set(doc.cues.map((c) => c.start));
    const ends = new Set(doc.cues.map((c) => c.end));
    chunks.forEach((c, i) => {
      const length = (c.endSec ?? 0) - (c.startSec ?? 0);
      if (i < chunks.length - 1) {
        expect(length).toBeGreaterThanOrEqual(30);
        expect(length).toBeLessThanOrEqual(90);
      }
      expect(starts.has(c.startSec ?? -1)).toBe(true);
      expect(ends.has(c.endSec ?? -1)).toBe(true);
      expect(c).toMatchObject({
        kind: "lecture",
        title: "Finansējums",
        lectureId: "lec-1",
        url: "https://youtu.be/abc",
        ordinal: i,
      });
      if (i > 0) expect(c.startSec).toBeGreaterThan(chunks[i - 1]?.startSec ?? 0);
      expect(c.page).toBeUndefined();
    });
    expect(chunks.at(-1)?.endSec).toBe(doc.cues.at(-1)?.end);
  });

  it("prefers windows that end a sentence, overlapping by one cue", () => {
    const chunks = chunkDocument(lecture());
    for (const c of chunks.slice(0, -1)) expect(c.text).toMatch(/beidzas\.$/);
    for (let i = 1; i < chunks.length; i++) {
      const lastCue = chunks[i - 1]?.text
        .split(/(?<=beidzas\.) (?=Daļa)|(?<=turpinās) (?=Daļa)/)
        .at(-1);
      expect(chunks[i]?.text.startsWith(lastCue ?? "?")).toBe(true);
    }
  });

  it("does not end a window where the next cue goes on in lower case", () => {
    const doc = lecture();
    // Each "beidzas." cue is followed by one that continues the sentence ("no 2024." + "līdz …").
    doc.cues = doc.cues.map((c, i) => (i % 3 === 0 ? { ...c, text: c.text.toLowerCase() } : c));
    const ends = (d: TranscriptDocument) =>
      chunkDocument(d).map((c) => [c.startSec, c.endSec] as const);
    const unpunctuated = {
      ...doc,
      cues: doc.cues.map((c) => ({ ...c, text: c.text.replace(/\.$/, "") })),
    };
    // The windows are cut as if no cue ended a sentence, not at the "beidzas." cues.
    expect(ends(doc)).toEqual(ends(unpunctuated));
    expect(ends(doc)).not.toEqual(ends(lecture()));
  });

  it("honours targetSeconds and overlapCues: 0", () => {
    const doc = lecture();
    const chunks = chunkDocument(doc, {
      targetSeconds: 40,
      minSeconds: 20,
      maxSeconds: 60,
      overlapCues: 0,
    });
    for (const c of chunks.slice(0, -1)) {
      const length = (c.endSec ?? 0) - (c.startSec ?? 0);
      expect(length).toBeGreaterThanOrEqual(20);
      expect(length).toBeLessThanOrEqual(60);
    }
    expect(chunks.map((c) => c.text).join(" ")).toBe(doc.cues.map((c) => c.text).join(" "));
  });

  it("uses the document title and no url when there is no metadata", () => {
    const doc = parseWebVtt(fixtureText("youtube.vtt"), "lekcijas/youtube.vtt");
    const chunks = chunkDocument(doc);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ title: "Youtube", startSec: 0, endSec: 16 });
    expect(chunks[0]).not.toHaveProperty("url");
    expect(chunks[0]).not.toHaveProperty("lectureId");
  });
});

describe("fragments", () => {
  it("joins a scrap that continues the sentence before it to that passage", () => {
    const doc: TextDocument = {
      type: "text",
      kind: "handbook",
      path: "f.pdf",
      title: "F",
      blocks: [
        {
          text: "Sociālais uzņēmums savu ietekmi mēra un apraksta vietējā",
          page: 3,
          section: ["1. Ietekme"],
        },
        { text: "kontekstā.", page: 4, section: ["1. Ietekme", "1.1. Piemērs"] },
        {
          text: "Otrajā nodaļā aprakstīta darbnīca, kas nodarbina cilvēkus ar invaliditāti.",
          page: 4,
          section: ["2. Darbnīca"],
        },
      ],
    };
    const chunks = chunkDocument(doc);
    expect(chunks.map((c) => c.text)).not.toContain("kontekstā.");
    expect(chunks[0]).toMatchObject({ page: 3, pageEnd: 4, section: "1. Ietekme" });
    expect(chunks[0]?.text).toMatch(/vietējā kontekstā\.$/);
    expect(chunks[1]).toMatchObject({ page: 4, section: "2. Darbnīca" });
  });
});
