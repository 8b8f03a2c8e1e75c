import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeText, loadSourceFile } from "../../src/ingest/load-file.js";
import type { LectureMeta } from "../../src/types.js";
import { expectIngestError, fixturePath } from "./helpers.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "padoms-load-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadSourceFile dispatch", () => {
  it("loads a PDF as the handbook", async () => {
    const doc = await loadSourceFile(fixturePath("handbook.pdf"), "handbook/handbook.pdf");
    expect(doc).toMatchObject({ type: "text", kind: "handbook", path: "handbook/handbook.pdf" });
  });

  it("loads Markdown as a document", async () => {
    const doc = await loadSourceFile(fixturePath("guide.md"), "guide.md");
    expect(doc).toMatchObject({ type: "text", kind: "document" });
  });

  it("loads .vtt and .srt as lectures, with metadata from the lecture map", async () => {
    const meta: LectureMeta = {
      id: "l7",
      file: "youtube.vtt",
      title: "Sociālā uzņēmuma pamati",
      url: "https://youtu.be/x",
    };
    const lectures = new Map([["lekcijas/youtube.vtt", meta]]);
    const vtt = await loadSourceFile(fixturePath("youtube.vtt"), "lekcijas/youtube.vtt", {
      lectures,
    });
    expect(vtt).toMatchObject({
      type: "transcript",
      kind: "lecture",
      title: "Sociālā uzņēmuma pamati",
      meta,
    });
    const srt = await loadSourceFile(
      fixturePath("lecture-bom-crlf.srt"),
      "lekcijas/lecture-bom-crlf.srt",
      { lectures },
    );
    expect(srt).toMatchObject({ type: "transcript", title: "Lecture bom crlf" });
    expect(srt).not.toHaveProperty("meta");
  });

  it("loads .txt with [mm:ss] markers as a transcript, other .txt as a document", async () => {
    const timed = await loadSourceFile(fixturePath("timestamped.txt"), "timestamped.txt");
    expect(timed).toMatchObject({ type: "transcript", kind: "lecture" });
    const plainPath = join(dir, "plain.txt");
    await writeFile(plainPath, "Piezīme [00:10] ar vienu marķieri.\n\nOtrā rindkopa.");
    const plain = await loadSourceFile(plainPath, "notes/plain.txt");
    expect(plain).toMatchObject({ type: "text", kind: "document", path: "notes/plain.txt" });
  });

  it("turns Word's private-use bullet glyphs in a text export into bullets", async () => {
    const p = join(dir, "bullets.txt");
    await writeFile(p, "Dokumenti:\n\n\uF0B7 statūti;\n\uF0B7 pieteikums.\n");
    const doc = await loadSourceFile(p, "bullets.txt");
    const text = doc.type === "text" ? doc.blocks.map((b) => b.text).join("\n") : "";
    expect(text).toContain("• statūti;");
    expect(text).not.toMatch(/[\uE000-\uF8FF]/u);
  });

  it("normalises a Windows relative path to forward slashes", async () => {
    const doc = await loadSourceFile(fixturePath("guide.md"), "docs\\guide.md");
    expect(doc.path).toBe("docs/guide.md");
  });

  it("decodes UTF-8 with a BOM and UTF-16 with a BOM", async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from("# Virsraksts\n\nTeksts ar garumzīmēm ā ē.", "utf16le"),
    ]);
    const p = join(dir, "utf16.md");
    await writeFile(p, utf16);
    const doc = await loadSourceFile(p, "utf16.md");
    expect(doc.type === "text" && doc.blocks.at(-1)?.text).toBe("Teksts ar garumzīmēm ā ē.");
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]), "x.txt")).toBe("A");
  });
});

describe("loadSourceFile failures", () => {
  it("rejects an empty file", async () => {
    await expectIngestError(
      () => loadSourceFile(fixturePath("empty.pdf"), "empty.pdf"),
      "empty",
      "empty.pdf",
    );
    const blank = join(dir, "blank.vtt");
    await writeFile(blank, "\uFEFF  \n\n");
    await expectIngestError(() => loadSourceFile(blank, "blank.vtt"), "empty", "blank.vtt");
  });

  it("rejects binary data or invalid UTF-8 as unreadable", async () => {
    await expectIngestError(
      () => loadSourceFile(fixturePath("binary.txt"), "binary.txt"),
      "unreadable",
      "binary.txt",
    );
    const nul = join(dir, "nul.srt");
    await writeFile(nul, Buffer.from("1\n00:00:01,000 --> 00:00:02,000\nA\u0000B\n"));
    await expectIngestError(() => loadSourceFile(nul, "nul.srt"), "unreadable", "nul.srt");
  });

  it("rejects a missing file or a folder as unreadable", async () => {
    await expectIngestError(
      () => loadSourceFile(join(dir, "nav.md"), "nav.md"),
      "unreadable",
      "nav.md",
    );
    await expectIngestError(() => loadSourceFile(dir, "mape.md"), "unreadable", "mape.md");
  });

  it.skipIf(process.getuid?.() === 0)(
    "rejects a file without read permission as unreadable",
    async () => {
      const p = join(dir, "secret.md");
      await writeFile(p, "# Slepeni\n\nTeksts.");
      await chmod(p, 0o000);
      const error = await expectIngestError(
        () => loadSourceFile(p, "secret.md"),
        "unreadable",
        "secret.md",
      );
      expect(error.message).toContain("permission");
    },
  );

  it("rejects an unsupported extension", async () => {
    await expectIngestError(
      () => loadSourceFile(fixturePath("guide.md"), "guide.docx"),
      "unsupported",
      "guide.docx",
    );
  });

  it("passes parser errors through with the relative path", async () => {
    await expectIngestError(
      () => loadSourceFile(fixturePath("encrypted.pdf"), "h/encrypted.pdf"),
      "encrypted",
      "h/encrypted.pdf",
    );
    await expectIngestError(
      () => loadSourceFile(fixturePath("corrupt.pdf"), "h/corrupt.pdf"),
      "corrupt",
      "h/corrupt.pdf",
    );
    await expectIngestError(
      () => loadSourceFile(fixturePath("no-text.pdf"), "h/no-text.pdf"),
      "no-text",
      "h/no-text.pdf",
    );
    await expectIngestError(
      () => loadSourceFile(fixturePath("broken-timings.srt"), "l/broken.srt"),
      "bad-timing",
      "l/broken.srt",
    );
  });
});
