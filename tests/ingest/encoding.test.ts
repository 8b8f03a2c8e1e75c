/**
 * Legacy encodings: copies of the sample corpus encoded in the test (iconv-lite) decode back
 * exactly to the UTF-8 originals, and the ingest summary names the encoding it assumed.
 */
import { readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import iconv from "iconv-lite";
import { afterAll, describe, expect, it } from "vitest";
import { formatIngestSummary } from "../../src/cli/ingest.js";
import { DecodeError, detectAndDecode } from "../../src/ingest/encoding.js";
import { ingestCorpus } from "../../src/ingest/ingest.js";
import { loadSourceFile } from "../../src/ingest/load-file.js";
import { sampleCorpus, tempDir, testConfig } from "../helpers/corpus.js";
import { expectIngestError } from "./helpers.js";

const SAMPLES = [
  "lectures/01-kas-ir-socialais-uznemums.vtt",
  "lectures/02-statusa-iegusana.srt",
  "lectures/06-pieredzes-stasts.txt",
  "README.md",
];

/** A sample corpus file as UTF-8 text, without its BOM if it has one. */
const original = (rel: string) =>
  readFileSync(join(sampleCorpus, rel), "utf8").replace(/^\uFEFF/, "");

const encode = (text: string, encoding: string, addBOM = false) =>
  new Uint8Array(iconv.encode(text, encoding, { addBOM }));

const cleanup: string[] = [];
afterAll(async () => {
  for (const d of cleanup) await rm(d, { recursive: true, force: true });
});

describe("detectAndDecode: encoded copies of the sample corpus", () => {
  for (const rel of SAMPLES) {
    const text = original(rel);

    it(`${rel}: UTF-8 with and without a BOM`, () => {
      expect(detectAndDecode(encode(text, "utf8"))).toMatchObject({ text, encoding: "UTF-8" });
      expect(detectAndDecode(encode(text, "utf8", true))).toMatchObject({
        text,
        encoding: "UTF-8",
        by: "bom",
      });
    });

    for (const [enc, name] of [
      ["utf16le", "UTF-16LE"],
      ["utf16be", "UTF-16BE"],
    ] as const) {
      it(`${rel}: ${name} with and without a BOM`, () => {
        expect(detectAndDecode(encode(text, enc, true))).toEqual({
          text,
          encoding: name,
          by: "bom",
        });
        expect(detectAndDecode(encode(text, enc))).toEqual({
          text,
          encoding: name,
          by: "detected",
        });
      });
    }

    it(`${rel}: Windows-1257`, () => {
      expect(detectAndDecode(encode(text, "windows-1257"))).toEqual({
        text,
        encoding: "windows-1257",
        by: "detected",
      });
    });

    it(`${rel}: ISO-8859-13 (which has no em dash: written as a hyphen)`, () => {
      const fit = text.replaceAll("—", "-");
      const decoded = detectAndDecode(encode(fit, "iso-8859-13"));
      expect(decoded.text).toBe(fit);
      // The letters of both Baltic code pages are the same bytes; only quotes and dashes differ.
      expect(["windows-1257", "ISO-8859-13"]).toContain(decoded.encoding);
    });
  }
});

describe("detectAndDecode: telling the code pages apart", () => {
  it("takes ISO-8859-13 when its quotes are bytes Windows-1257 leaves undefined", () => {
    const text = "Statuss „sociālais uzņēmums” un “labdarība” — ne vairāk.".replace("—", "-");
    const decoded = detectAndDecode(encode(text, "iso-8859-13"));
    expect(decoded).toEqual({ text, encoding: "ISO-8859-13", by: "detected" });
  });

  it("takes Windows-1257 when its quotes and dashes are bytes ISO-8859-13 has as controls", () => {
    const text = "Statuss „sociālais uzņēmums“ — Labklājības ministrija – Rīga.";
    expect(detectAndDecode(encode(text, "windows-1257"))).toEqual({
      text,
      encoding: "windows-1257",
      by: "detected",
    });
  });

  it("reads Western text as Windows-1252, not as Latvian letters", () => {
    const text =
      "The café’s “naïve” façade — a résumé of Zürich, São Paulo and Ærøskøbing – costs 12 €.\n".repeat(
        5,
      );
    expect(detectAndDecode(encode(text, "windows-1252"))).toEqual({
      text,
      encoding: "windows-1252",
      by: "detected",
    });
  });

  it("reads French as Windows-1252 though ç, ï, è, â are Latvian letters in Windows-1257", () => {
    const text = "Le garçon naïf a rêvé d'une façade élégante, près du château.\n";
    expect(detectAndDecode(encode(text, "windows-1252"))).toMatchObject({
      text,
      encoding: "windows-1252",
    });
  });

  it("reads short Latvian text and English with Latvian names in a Baltic code page", () => {
    for (const [text, enc] of [
      ["Labdien, Rīga!", "windows-1257"],
      ["Paldies par lekciju, tā bija ļoti noderīga.", "iso-8859-13"],
      ["Mr. Jānis said hello.", "windows-1257"],
    ]) {
      const decoded = detectAndDecode(encode(text as string, enc as string));
      expect(decoded.text).toBe(text);
      expect(["windows-1257", "ISO-8859-13"]).toContain(decoded.encoding);
    }
  });

  it("names the reason for text in an unsupported code page", () => {
    const cyrillic = "Социальное предприятие в Латвии получает статус в министерстве.\n".repeat(5);
    let caught: unknown;
    try {
      detectAndDecode(encode(cyrillic, "windows-1251"));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DecodeError);
    expect((caught as DecodeError).message).toContain("not Latin");
  });
});

describe("loadSourceFile and ingest with legacy encodings", () => {
  it("loads a Windows-1257 SRT exactly as its UTF-8 original and records the encoding", async () => {
    const dir = await tempDir();
    cleanup.push(dir);
    const rel = "lectures/02-statusa-iegusana.srt";
    const utf8 = await loadSourceFile(join(sampleCorpus, rel), "a.srt");
    const p = join(dir, "a.srt");
    await writeFile(p, encode(original(rel), "windows-1257"));
    const legacy = await loadSourceFile(p, "a.srt");
    expect(utf8.encoding).toBeUndefined();
    expect(legacy.encoding).toBe("windows-1257");
    expect(legacy.type === "transcript" && legacy.cues).toEqual(
      utf8.type === "transcript" && utf8.cues,
    );
  });

  it("fails a Cyrillic code-page file as unreadable, with the reason", async () => {
    const dir = await tempDir();
    cleanup.push(dir);
    const p = join(dir, "ru.txt");
    await writeFile(p, encode("Социальное предприятие получает статус.\n".repeat(5), "koi8-r"));
    const error = await expectIngestError(
      () => loadSourceFile(p, "ru.txt"),
      "unreadable",
      "ru.txt",
    );
    expect(error.message).toMatch(/cannot read it as text: .*not Latin/);
    expect(error.message).toContain("Save it as UTF-8");
  });

  it("names the assumed encoding in the ingest summary", async () => {
    const corpus = await tempDir("padoms-corpus-");
    const data = await tempDir();
    cleanup.push(corpus, data);
    const text = original("lectures/06-pieredzes-stasts.txt");
    await writeFile(join(corpus, "stasts.txt"), encode(text, "windows-1257"));
    await writeFile(join(corpus, "stasts16.txt"), encode(text, "utf16le"));
    await writeFile(join(corpus, "plain.md"), "# Virsraksts\n\nTeksts par sociālo uzņēmumu.\n");
    const summary = await ingestCorpus({ config: testConfig(data, corpus) });
    expect(summary.status).toBe("built");
    expect(summary.failures).toEqual([]);
    expect(summary.encodings).toEqual(
      expect.arrayContaining([
        { path: "stasts.txt", encoding: "windows-1257" },
        { path: "stasts16.txt", encoding: "UTF-16LE" },
      ]),
    );
    expect(summary.encodings).toHaveLength(2);
    const shown = formatIngestSummary(summary);
    expect(shown).toContain("stasts.txt: not UTF-8; read as Windows-1257");
    expect(shown).toContain("stasts16.txt: not UTF-8; read as UTF-16LE");
    expect(shown).not.toContain("plain.md");
  });
});
