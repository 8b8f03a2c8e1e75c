/** Small pure helpers shared by the loaders. */

/** Removes a leading byte-order mark and turns CRLF / CR line breaks into LF. */
export function normalizeNewlines(text: string): string {
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

/** Collapses runs of whitespace (including no-break spaces) to one space and trims. */
export function collapseSpaces(text: string): string {
  return text.replace(/[\s\u00A0\u2007\u202F]+/g, " ").trim();
}

/** Number of whitespace-separated words. */
export function countWords(text: string): number {
  const t = text.trim();
  return t ? t.split(/\s+/).length : 0;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  lrm: "",
  rlm: "",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  laquo: "«",
  raquo: "»",
};

/** Decodes the HTML entities that occur in subtitle files (`&amp;`, `&nbsp;`, `&#39;`, …). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body.startsWith("#")) {
      const code =
        body[1] === "x" || body[1] === "X"
          ? Number.parseInt(body.slice(2), 16)
          : Number.parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** The last segment of a slash-separated path. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** Lower-case extension with its dot (`".pdf"`), or `""`. */
export function extensionOf(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}

/**
 * A readable title from a file name: extension dropped, `_` and `-` runs turned into spaces,
 * first letter capitalised (`"02_finansu-plans.vtt"` → `"02 finansu plans"`).
 */
export function titleFromFileName(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf(".");
  const stem = collapseSpaces((dot > 0 ? name.slice(0, dot) : name).replace(/[_-]+/g, " "));
  if (!stem) return name;
  return stem.charAt(0).toLocaleUpperCase("lv") + stem.slice(1);
}

/** True when the text ends a sentence (terminal punctuation, optionally closed by quotes or brackets). */
export function endsSentence(text: string): boolean {
  return /[.!?…]["'”’»)\]]*\s*$/.test(text);
}

/** Private-use glyphs that Word's Symbol and Wingdings fonts use as bullets. */
const PUA_BULLET = /[\uF06C\uF06E\uF071\uF076\uF0A7\uF0A8\uF0B7\uF0D8\uF0FC\uF0E0\uF0F0]/gu;

/** Replaces private-use bullet glyphs (U+F0B7 …) with "•" and drops other private-use characters. */
export function cleanGlyphs(text: string): string {
  return text.replace(PUA_BULLET, "•").replace(/[\uE000-\uF8FF]/gu, "");
}
