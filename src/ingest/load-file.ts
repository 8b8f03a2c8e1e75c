import { readFile } from "node:fs/promises";
import type { LectureMeta, SourceDocument } from "../types.js";
import type { TranscriptDocument } from "./document-types.js";
import { type DecodedText, DecodeError, detectAndDecode, type TextEncoding } from "./encoding.js";
import { IngestError } from "./errors.js";
import { parseMarkdown, parsePlainText } from "./markdown.js";
import { parsePdf } from "./pdf.js";
import { cleanGlyphs, extensionOf } from "./text-utils.js";
import {
  countTimestampMarkers,
  parseSrt,
  parseTimestampedText,
  parseWebVtt,
} from "./transcripts.js";

/** File extensions the corpus may contain. */
export const SUPPORTED_EXTENSIONS: readonly string[] = [
  ".pdf",
  ".md",
  ".markdown",
  ".txt",
  ".vtt",
  ".srt",
];

/** Options of {@link loadSourceFile}. */
export interface LoadOptions {
  /** Lecture metadata keyed by corpus-relative path of the lecture file (forward slashes). */
  lectures?: ReadonlyMap<string, LectureMeta>;
}

/**
 * Decodes the bytes of a text file (see {@link detectAndDecode}): UTF-8 with or without a BOM,
 * UTF-16 LE/BE with or without a BOM, Windows-1257, ISO-8859-13 or Windows-1252. The BOM is
 * removed; `encoding` is set when the file was not UTF-8.
 *
 * @throws {@link IngestError} `"unreadable"` for binary data or bytes no supported encoding
 * reads (the message names the reason), `"empty"` for a file with nothing but whitespace.
 */
export function decodeTextFile(
  bytes: Uint8Array,
  path: string,
): { text: string; encoding?: TextEncoding } {
  let decoded: DecodedText;
  try {
    decoded = detectAndDecode(bytes);
  } catch (error) {
    const reason = error instanceof DecodeError ? error.message : String(error);
    throw new IngestError(
      "unreadable",
      `${path}: cannot read it as text: ${reason}. Save it as UTF-8 text and ingest again.`,
      path,
      { cause: error },
    );
  }
  let text = decoded.text;
  if (text.includes("\u0000")) {
    throw new IngestError(
      "unreadable",
      `${path}: contains binary data, not text. Check that it is really a ${extensionOf(path)} file saved as UTF-8 text.`,
      path,
    );
  }
  text = text.replace(/^\uFEFF/, "");
  if (text.trim() === "") {
    throw new IngestError(
      "empty",
      `${path}: the file is empty. Add its content or remove it from the corpus.`,
      path,
    );
  }
  return decoded.encoding === "UTF-8" ? { text } : { text, encoding: decoded.encoding };
}

/** {@link decodeTextFile} without the encoding: the text only. */
export function decodeText(bytes: Uint8Array, path: string): string {
  return decodeTextFile(bytes, path).text;
}

/** An {@link IngestError} `"unreadable"` for a file-system error reading `absPath`, with the fix. */
export function readError(error: unknown, path: string, absPath: string): IngestError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === "EACCES" || code === "EPERM"
      ? "permission denied; make the file readable for the user running Padoms"
      : code === "ENOENT"
        ? "the file does not exist (it may have been moved or deleted during ingest)"
        : code === "EISDIR"
          ? "it is a folder, not a file"
          : `${error instanceof Error ? error.message : String(error)}; check the file`;
  return new IngestError("unreadable", `${path}: cannot read ${absPath}: ${reason}.`, path, {
    cause: error,
  });
}

/**
 * Reads one corpus file and parses it by extension: `.pdf` → handbook; `.md`/`.markdown` →
 * document; `.txt` → lecture transcript when it has at least two `[mm:ss]` markers, else document;
 * `.vtt`/`.srt` → lecture. Lectures get their title and metadata from `options.lectures`
 * (by `relPath`), else a title made from the file name.
 *
 * @param absPath - Where to read the file.
 * @param relPath - Path relative to the corpus folder; stored in the document and used in errors.
 * @throws {@link IngestError} for unreadable, empty, unsupported or malformed files.
 */
export async function loadSourceFile(
  absPath: string,
  relPath: string,
  options: LoadOptions = {},
): Promise<SourceDocument> {
  const path = relPath.replace(/\\/g, "/");
  const ext = extensionOf(path);
  if (!SUPPORTED_EXTENSIONS.includes(ext)) {
    throw new IngestError(
      "unsupported",
      `${path}: unsupported file type "${ext || "(none)"}". Convert it to one of ${SUPPORTED_EXTENSIONS.join(", ")}, or move it out of the corpus.`,
      path,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(absPath));
  } catch (error) {
    throw readError(error, path, absPath);
  }
  if (bytes.length === 0) {
    throw new IngestError(
      "empty",
      `${path}: the file is empty (0 bytes). Replace it with the real file or remove it from the corpus.`,
      path,
    );
  }

  if (ext === ".pdf") return parsePdf(bytes, path);
  const decoded = decodeTextFile(bytes, path);
  const { encoding } = decoded;
  // Word's private-use bullet glyphs (U+F0B7 …) come through text exports too.
  const text = cleanGlyphs(decoded.text);
  const withEncoding = <T extends SourceDocument>(doc: T): T =>
    encoding ? { ...doc, encoding } : doc;
  if (ext === ".md" || ext === ".markdown") return withEncoding(parseMarkdown(text, path));

  let doc: TranscriptDocument;
  if (ext === ".vtt") doc = parseWebVtt(text, path);
  else if (ext === ".srt") doc = parseSrt(text, path);
  else if (countTimestampMarkers(text) >= 2) doc = parseTimestampedText(text, path);
  else return withEncoding(parsePlainText(text, path));

  const meta = options.lectures?.get(path);
  return withEncoding(meta ? { ...doc, title: meta.title, meta } : doc);
}
