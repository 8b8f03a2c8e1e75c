/**
 * Character-level normalisation of Latvian and English text: Unicode composition, quotes,
 * dashes, whitespace, ligatures and diacritic folding.
 */

const QUOTES_DOUBLE = /[\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033\u2036\u301D\u301E\uFF02]/g;
const QUOTES_SINGLE = /[\u2018\u2019\u201A\u201B\u2039\u203A\u2032\u2035\u0060\u00B4\uFF07]/g;
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const INVISIBLE = /\u00AD|\u200B|\u200C|\u200D|\u2060|\uFEFF/g;
const HSPACE = /[ \t\f\v\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;
const LINE_BREAKS = /\r\n?|[\u2028\u2029\u0085]/g;
const LIGATURES = /[\uFB00-\uFB06]/g;
const LIGATURE_MAP: Record<string, string> = {
  "\uFB00": "ff",
  "\uFB01": "fi",
  "\uFB02": "fl",
  "\uFB03": "ffi",
  "\uFB04": "ffl",
  "\uFB05": "st",
  "\uFB06": "st",
};

/**
 * Normalises text for analysis and display: Unicode NFC, typographic quotes to `"` and `'`,
 * every dash and minus sign to `-`, ligatures (ﬁ, ﬂ …) expanded, soft hyphens and zero-width
 * characters removed, runs of horizontal whitespace to one space, line breaks to `\n`
 * (at most one blank line in a row), spaces around line breaks and at both ends trimmed.
 */
export function normalizeText(s: string): string {
  let t = s.normalize("NFC");
  t = t.replace(INVISIBLE, "");
  t = t.replace(LIGATURES, (c) => LIGATURE_MAP[c] ?? c);
  t = t.replace(QUOTES_DOUBLE, '"').replace(QUOTES_SINGLE, "'").replace(DASHES, "-");
  t = t.replace(LINE_BREAKS, "\n").replace(HSPACE, " ");
  t = t.replace(/ ?\n ?/g, "\n").replace(/\n{3,}/g, "\n\n");
  return t.trim();
}

/**
 * The light normalisation the analyzer needs: Unicode NFC, soft hyphens and zero-width
 * characters removed (so that they do not split words), ligatures expanded. Whitespace and
 * punctuation are left as they are.
 */
export function normalizeForAnalysis(s: string): string {
  return s
    .normalize("NFC")
    .replace(INVISIBLE, "")
    .replace(LIGATURES, (c) => LIGATURE_MAP[c] ?? c);
}

/** Letters that Unicode decomposition does not strip to a base letter. */
const SPECIAL_FOLDS: Record<string, string> = {
  ß: "ss",
  ẞ: "SS",
  ł: "l",
  Ł: "L",
  ø: "o",
  Ø: "O",
  đ: "d",
  Đ: "D",
  ð: "d",
  Ð: "D",
  þ: "th",
  Þ: "Th",
  æ: "ae",
  Æ: "AE",
  œ: "oe",
  Œ: "OE",
  ı: "i",
  ħ: "h",
  Ħ: "H",
};

const foldCache = new Map<string, string>();

function foldChar(c: string): string {
  const cached = foldCache.get(c);
  if (cached !== undefined) return cached;
  const special = SPECIAL_FOLDS[c];
  const folded = special ?? c.normalize("NFD").replace(/\p{M}+/gu, "");
  if (foldCache.size < 4096) foldCache.set(c, folded);
  return folded;
}

const NON_ASCII = /[\u0080-\uFFFF]/;
const NON_ASCII_G = /[\u0080-\uFFFF]/g;

/**
 * Removes diacritics and keeps case: ā→a, č→c, ē→e, ģ→g, ī→i, ķ→k, ļ→l, ņ→n, š→s, ū→u,
 * ž→z (and their capitals), every other Latin accent via canonical decomposition, plus a few
 * letters that do not decompose (ß→ss, ł→l, ø→o, æ→ae …). Characters of other scripts keep
 * their base letter (e.g. Cyrillic й→и). ASCII input is returned as is.
 */
export function foldDiacritics(s: string): string {
  if (!NON_ASCII.test(s)) return s;
  return s.replace(NON_ASCII_G, foldChar);
}

/** True when the string contains a non-ASCII character (a cheap "may need folding" check). */
export function hasNonAscii(s: string): boolean {
  return NON_ASCII.test(s);
}
