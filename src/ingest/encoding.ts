import chardet from "chardet";
import iconv from "iconv-lite";
import { PadomsError } from "../errors.js";

/** A character encoding Padoms reads text files in. */
export type TextEncoding =
  | "UTF-8"
  | "UTF-16LE"
  | "UTF-16BE"
  | "windows-1257"
  | "ISO-8859-13"
  | "windows-1252";

/** Bytes decoded to text, and the encoding that was assumed. */
export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** How the encoding was found: a byte-order mark, valid UTF-8, or detection from the bytes. */
  by: "bom" | "valid-utf8" | "detected";
}

/** Why bytes could not be decoded as text. */
export class DecodeError extends PadomsError<"undecodable"> {
  override readonly name = "DecodeError";
  /** What chardet guessed, when it named an encoding Padoms does not read. */
  readonly guess: string | undefined;
  constructor(message: string, guess?: string) {
    super("undecodable", message);
    this.guess = guess;
  }
}

/** Single-byte encodings tried for text that is not Unicode, Latvian ones first. */
const LEGACY: readonly TextEncoding[] = ["windows-1257", "ISO-8859-13", "windows-1252"];

const LATVIAN_LETTERS = /[āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ]/gu;

/** Letters outside ASCII and Latvian: few in Latvian text read in a Baltic code page. */
const NON_LATVIAN_LETTER = /(?![āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ])[^\P{L}\p{ASCII}]/gu;

/** Number of C0/C1 control characters (other than tab and line breaks) and replacement characters. */
function countNotText(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (
      (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) ||
      (c >= 0x7f && c <= 0x9f) ||
      c === 0xfffd
    )
      n++;
  }
  return n;
}

function count(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}

function decodeUtf16(bytes: Uint8Array, encoding: "UTF-16LE" | "UTF-16BE"): string {
  return new TextDecoder(encoding.toLowerCase(), { fatal: true, ignoreBOM: false }).decode(bytes);
}

/** The UTF-16 byte order of BOM-less text, judged from where the zero bytes fall. */
function utf16WithoutBom(bytes: Uint8Array): "UTF-16LE" | "UTF-16BE" | undefined {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return undefined;
  let even = 0;
  let odd = 0;
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) i % 2 === 0 ? even++ : odd++;
  const pairs = n / 2;
  if (odd > pairs * 0.3 && even < pairs * 0.05) return "UTF-16LE";
  if (even > pairs * 0.3 && odd < pairs * 0.05) return "UTF-16BE";
  return undefined;
}

/**
 * Decodes the bytes of a text file. Order: a byte-order mark (UTF-8, UTF-16 LE/BE); UTF-16
 * without a mark (zero bytes in every other position); valid UTF-8; UTF-16 by chardet's verdict;
 * else a single-byte code page: Windows-1257 or ISO-8859-13 when the bytes read as Latvian
 * letters (at least four for each other non-ASCII letter); the two Baltic pages differ only in
 * quotes and dashes, so the one that leaves no undefined byte wins; else Windows-1252. chardet's
 * guess names the encoding in the error for text none of these reads.
 *
 * @throws {@link DecodeError} when no encoding gives text (control characters, or mostly
 * non-Latin letters, as Cyrillic or Greek files in a Latin code page do).
 */
export function detectAndDecode(bytes: Uint8Array): DecodedText {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf) {
    return { text: strict(bytes.subarray(3), "UTF-8"), encoding: "UTF-8", by: "bom" };
  }
  if (b0 === 0xff && b1 === 0xfe) {
    return { text: strict(bytes.subarray(2), "UTF-16LE"), encoding: "UTF-16LE", by: "bom" };
  }
  if (b0 === 0xfe && b1 === 0xff) {
    return { text: strict(bytes.subarray(2), "UTF-16BE"), encoding: "UTF-16BE", by: "bom" };
  }
  // UTF-16 without a BOM first: mostly-ASCII UTF-16 is also valid (NUL-laden) UTF-8.
  const zeroPattern = utf16WithoutBom(bytes);
  if (zeroPattern) {
    try {
      return { text: decodeUtf16(bytes, zeroPattern), encoding: zeroPattern, by: "detected" };
    } catch {
      // not UTF-16 after all
    }
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { text, encoding: "UTF-8", by: "valid-utf8" };
  } catch {
    // not UTF-8: detect below
  }

  const guesses = chardet.analyse(bytes);
  const top = guesses[0];
  if (top && (top.name === "UTF-16LE" || top.name === "UTF-16BE") && top.confidence >= 90) {
    try {
      return { text: decodeUtf16(bytes, top.name), encoding: top.name, by: "detected" };
    } catch {
      // not UTF-16 after all
    }
  }

  const candidates = LEGACY.map((encoding) => {
    const text = iconv.decode(Buffer.from(bytes), encoding);
    return { encoding, text, bad: countNotText(text), latvian: count(text, LATVIAN_LETTERS) };
  });
  const [w1257, iso13, w1252] = candidates as [
    (typeof candidates)[0],
    (typeof candidates)[0],
    (typeof candidates)[0],
  ];
  const latvianBest = iso13.bad < w1257.bad ? iso13 : w1257;
  // Latvian text read in a Baltic code page gives Latvian letters and hardly any others; Western
  // text gives é, ü, ö, ß, å … there too (chardet, trained on longer texts, ranks Windows-1252
  // first for mostly-ASCII Latvian, so this rule decides).
  const preferBaltic =
    latvianBest.latvian > 0 &&
    latvianBest.latvian >= 4 * count(latvianBest.text, NON_LATVIAN_LETTER);
  const order = preferBaltic ? [latvianBest, w1252] : [w1252, latvianBest];
  const chosen = order.find((c) => c.bad === 0);
  const guess = top ? `${top.name}${top.lang ? ` (${top.lang})` : ""}` : undefined;
  if (!chosen) {
    throw new DecodeError(
      "its bytes are not UTF-8, UTF-16, Windows-1257, ISO-8859-13 or Windows-1252 text" +
        (guess ? `; it may be ${guess}` : ""),
      guess,
    );
  }
  const letters = count(chosen.text, /\p{L}/gu);
  const nonAscii = count(chosen.text, /[^\p{ASCII}]/gu);
  if (letters > 20 && nonAscii > letters * 0.5) {
    throw new DecodeError(
      `it is not UTF-8 and most of its letters are not Latin ones${guess ? `; it may be ${guess}` : ""}`,
      guess,
    );
  }
  return { text: chosen.text, encoding: chosen.encoding, by: "detected" };
}

function strict(bytes: Uint8Array, encoding: "UTF-8" | "UTF-16LE" | "UTF-16BE"): string {
  try {
    if (encoding === "UTF-8") return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return decodeUtf16(bytes, encoding);
  } catch {
    throw new DecodeError(
      `it starts with a ${encoding} byte-order mark but is not valid ${encoding}`,
    );
  }
}

/** A human name of an encoding for messages: `Windows-1257`, `UTF-16LE`. */
export function encodingLabel(encoding: TextEncoding): string {
  return encoding.replace(/^windows/, "Windows");
}
