import { describe, expect, it } from "vitest";
import {
  countTimestampMarkers,
  parseSrt,
  parseTimestamp,
  parseTimestampedText,
  parseWebVtt,
} from "../../src/ingest/transcripts.js";
import type { Cue } from "../../src/types.js";
import { expectIngestError, fixtureText } from "./helpers.js";

function expectOrdered(cues: readonly Cue[]): void {
  for (const [i, c] of cues.entries()) {
    expect(c.end).toBeGreaterThanOrEqual(c.start);
    const prev = cues[i - 1];
    if (prev) expect(c.start).toBeGreaterThanOrEqual(prev.start);
  }
}

describe("parseTimestamp", () => {
  it("reads WebVTT and SRT forms", () => {
    expect(parseTimestamp("00:01:02.500")).toBe(62.5);
    expect(parseTimestamp("01:02.250")).toBe(62.25);
    expect(parseTimestamp("01:00:00,001")).toBe(3600.001);
    expect(parseTimestamp("0:00:05,5")).toBe(5.5);
  });
  it("rejects malformed values", () => {
    for (const v of ["", "abc", "00:61:00.000", "00:00:75,000", "1.5"]) {
      expect(parseTimestamp(v), v).toBeUndefined();
    }
  });
});

describe("parseWebVtt — YouTube automatic captions", () => {
  const doc = parseWebVtt(fixtureText("youtube.vtt"), "lekcijas/youtube.vtt");
  const words = doc.cues.flatMap((c) => c.text.split(" "));

  it("is a lecture transcript", () => {
    expect(doc.type).toBe("transcript");
    expect(doc.kind).toBe("lecture");
    expect(doc.path).toBe("lekcijas/youtube.vtt");
    expect(doc.title).toBe("Youtube");
  });

  it("reads the spoken text once, in order", () => {
    // Sentence ends restored from the pauses add full stops and capitals (see captions.test.ts).
    const plain = doc.cues
      .map((c) => c.text)
      .join(" ")
      .replace(/(^|\. )(\p{Lu})/gu, (_, before: string, c: string) => before + c.toLowerCase())
      .replace(/\.(?= |$)/g, "");
    expect(plain).toBe(
      "labdien visiem šodien runāsim par sociālo uzņēmējdarbību Latvijā un tās finansējuma avotiem vispirms apskatīsim likumu kas stājās spēkā divtūkstoš astoņpadsmitajā gadā",
    );
    for (let i = 1; i < words.length; i++) expect(words[i]).not.toBe(words[i - 1]);
  });

  it("drops the ~10 ms transition cues and keeps the timing of new words", () => {
    expect(doc.cues).toHaveLength(5);
    for (const c of doc.cues) expect(c.end - c.start).toBeGreaterThan(1);
    expect(doc.cues[0]).toEqual({ start: 0, end: 3.19, text: "Labdien visiem šodien runāsim par" });
    expect(doc.cues[1]).toMatchObject({ start: 3.2, end: 6.47 });
    expect(doc.cues.at(-1)).toMatchObject({ start: 13.13, end: 16 });
    expectOrdered(doc.cues);
  });

  it("leaves no tags or inline timestamps", () => {
    for (const c of doc.cues) expect(c.text).not.toMatch(/[<>]/);
  });
});

describe("parseWebVtt — general files", () => {
  const vtt = `WEBVTT - Sociālā uzņēmējdarbība
Kind: subtitles

STYLE
::cue { color: yellow; }

NOTE Šis ir komentārs,
kas aizņem divas rindas.

REGION
id:fred width:40%

intro
00:01.000 --> 00:04.000 align:start line:0%
<v Lektore>Sveiki &amp; laipni lūdzam!</v>

00:00:04.500 --> 00:00:07.250 position:10%
<c.yellow>Šodien</c> runāsim par <i>sociālo</i> <b>uzņēmējdarbību</b>&nbsp;Latvijā.
&lt;piezīme&gt;&lrm;

3
00:00:07.500 --> 00:00:09.000
<00:00:07.500>Paldies.
`;

  it("skips the header, NOTE, STYLE and REGION blocks and reads ids, settings and both time forms", () => {
    const doc = parseWebVtt(vtt, "a.vtt");
    expect(doc.cues).toEqual([
      { start: 1, end: 4, text: "Sveiki & laipni lūdzam!" },
      {
        start: 4.5,
        end: 7.25,
        text: "Šodien runāsim par sociālo uzņēmējdarbību Latvijā. <piezīme>",
      },
      { start: 7.5, end: 9, text: "Paldies." },
    ]);
  });

  it("keeps identical lines of an ordinary (non-rolling) file", () => {
    const doc = parseWebVtt(
      "WEBVTT\n\n00:00.000 --> 00:02.000\nJā.\n\n00:05.000 --> 00:06.000\nJā.\n\n00:08.000 --> 00:09.000\nNē.\n",
      "b.vtt",
    );
    expect(doc.cues.map((c) => c.text)).toEqual(["Jā.", "Jā.", "Nē."]);
  });

  it("fails on an unparseable timestamp, naming the line", async () => {
    const error = await expectIngestError(
      () =>
        parseWebVtt(
          "WEBVTT\n\n00:00.000 --> 00:02.000\nLabi.\n\n00:0x.000 --> 00:03.000\nSlikti.\n",
          "c.vtt",
        ),
      "bad-timing",
      "c.vtt",
    );
    expect(error.message).toContain("line 6");
  });

  it("fails when a cue ends before it starts", async () => {
    const error = await expectIngestError(
      () => parseWebVtt("WEBVTT\n\n00:05.000 --> 00:02.000\nAtpakaļ.\n", "d.vtt"),
      "bad-timing",
      "d.vtt",
    );
    expect(error.message).toContain("line 3");
  });

  it("fails when there are no cues", async () => {
    await expectIngestError(
      () => parseWebVtt("WEBVTT\n\nNOTE tukšs\n", "e.vtt"),
      "bad-timing",
      "e.vtt",
    );
  });

  it("fails with no-text when cues have no text", async () => {
    await expectIngestError(
      () => parseWebVtt("WEBVTT\n\n00:00.000 --> 00:02.000\n<c></c>\n", "f.vtt"),
      "no-text",
      "f.vtt",
    );
  });
});

describe("parseSrt", () => {
  it("reads the BOM + CRLF fixture with missing and extra blank lines and styling tags", () => {
    const doc = parseSrt(fixtureText("lecture-bom-crlf.srt"), "lekcijas/statuss.srt");
    expect(doc.kind).toBe("lecture");
    expect(doc.cues).toEqual([
      { start: 1, end: 4.2, text: "Sveiki! Šodien runāsim par sociālo uzņēmumu statusu." },
      { start: 4.5, end: 8, text: "Statusu piešķir Labklājības ministrija." },
      { start: 8.1, end: 12, text: "Pieteikumu izskata viena mēneša laikā." },
      { start: 12.5, end: 15, text: "Paldies & uz tikšanos!" },
    ]);
  });

  it("accepts CR-only line breaks", () => {
    const doc = parseSrt(
      "1\r00:00:01,000 --> 00:00:02,000\rViens.\r\r2\r00:00:03,000 --> 00:00:04,000\rDivi.\r",
      "cr.srt",
    );
    expect(doc.cues.map((c) => c.text)).toEqual(["Viens.", "Divi."]);
  });

  it("fails on the broken-timings fixture, naming the line", async () => {
    const error = await expectIngestError(
      () => parseSrt(fixtureText("broken-timings.srt"), "broken-timings.srt"),
      "bad-timing",
      "broken-timings.srt",
    );
    expect(error.message).toContain("line 6");
  });

  it("fails when times go backwards by more than a few seconds", async () => {
    const srt = "1\n00:01:00,000 --> 00:01:05,000\nA.\n\n2\n00:00:10,000 --> 00:00:12,000\nB.\n";
    const error = await expectIngestError(() => parseSrt(srt, "g.srt"), "bad-timing", "g.srt");
    expect(error.message).toContain("line 6");
  });

  it("tolerates a small overlap and orders cues by start", () => {
    const srt =
      "1\n00:00:05,000 --> 00:00:08,000\nOtrais.\n\n2\n00:00:04,000 --> 00:00:05,000\nPirmais.\n";
    const doc = parseSrt(srt, "h.srt");
    expect(doc.cues.map((c) => c.text)).toEqual(["Pirmais.", "Otrais."]);
  });

  it("fails on an unparseable timing line and on a file without cues", async () => {
    const bad = await expectIngestError(
      () => parseSrt("1\n00:00:01 --> soon\nTeksts.\n", "i.srt"),
      "bad-timing",
      "i.srt",
    );
    expect(bad.message).toContain("line 2");
    await expectIngestError(() => parseSrt("tikai teksts\n", "j.srt"), "bad-timing", "j.srt");
  });
});

describe("parseTimestampedText", () => {
  it("turns [mm:ss] markers into cues that last until the next marker", () => {
    const doc = parseTimestampedText(fixtureText("timestamped.txt"), "lekcijas/finanses.txt");
    expect(doc.kind).toBe("lecture");
    expect(doc.cues.map((c) => [c.start, c.end])).toEqual([
      [0, 12],
      [12, 31],
      [31, 65],
      [65, 100],
      [100, 101.25],
    ]);
    expect(doc.cues[1]?.text).toBe(
      "Pirmais avots ir granti. Tos piešķir gan valsts, gan Eiropas fondi.",
    );
    expect(doc.cues.map((c) => c.text).join(" ")).not.toContain("Lekcija:");
  });

  it("reads [hh:mm:ss] markers, also inline", () => {
    const doc = parseTimestampedText(
      "[00:59:58] Beigu daļa. [01:00:03] Paldies visiem par dalību šodien.",
      "k.txt",
    );
    expect(doc.cues).toEqual([
      { start: 3598, end: 3603, text: "Beigu daļa." },
      { start: 3603, end: 3605.083, text: "Paldies visiem par dalību šodien." },
    ]);
  });

  it("fails on an invalid marker or on markers going back in time, naming the line", async () => {
    const invalid = await expectIngestError(
      () => parseTimestampedText("[00:10] Labi.\n[00:75] Slikti.\n", "l.txt"),
      "bad-timing",
      "l.txt",
    );
    expect(invalid.message).toContain("line 2");
    const backwards = await expectIngestError(
      () => parseTimestampedText("[01:00] A.\n[01:10] B.\n\n[00:20] C.\n", "m.txt"),
      "bad-timing",
      "m.txt",
    );
    expect(backwards.message).toContain("line 4");
  });

  it("reads a large [hh:mm:ss] transcript in one pass, naming the line of a bad marker", async () => {
    // 40 000 markers, 1.5 MB: counting lines from the start for every marker took 69 s here; 0.3 s now.
    const hhmmss = (s: number) =>
      [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60]
        .map((n) => String(n).padStart(2, "0"))
        .join(":");
    const lines = Array.from(
      { length: 40_000 },
      (_, i) => `[${hhmmss(i * 2)}] Runātājs stāsta par sociālo uzņēmumu, teikums ${i}.`,
    );
    const bad = await expectIngestError(
      () => parseTimestampedText(`${lines.join("\n")}\n[00:99:00] Slikti.`, "garš.txt"),
      "bad-timing",
      "garš.txt",
    );
    expect(bad.message).toContain("line 40001");
    const doc = parseTimestampedText(lines.slice(0, 2000).join("\n"), "īss.txt");
    expect(doc.cues).toHaveLength(2000);
    expect(doc.cues.at(-1)).toMatchObject({ start: 3998, text: expect.stringContaining("1999") });
  }, 5_000);

  it("counts markers", () => {
    expect(countTimestampMarkers("[00:01] a [1:02:03] b [12:30]")).toBe(3);
    expect(countTimestampMarkers("Skat. [1] un [a:b].")).toBe(0);
  });
});
