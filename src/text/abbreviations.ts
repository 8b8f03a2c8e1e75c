/**
 * Abbreviations the materials define ("Labklājības ministrija (LM)"), and their expansion on
 * first use in a text an answer quotes.
 */
import { foldDiacritics } from "./normalize.js";

const fold = (s: string): string => foldDiacritics(s.toLowerCase());

/**
 * Abbreviations defined in a text as "Full name (ABBR)": the full name is the shortest run of
 * up to six words before the parenthesis whose first word starts with the abbreviation's letter.
 */
export function abbreviationsIn(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/((?:[\p{L}-]+\s+){1,6})\((\p{Lu}{2,6})\)/gu)) {
    const abbr = m[2] as string;
    const words = (m[1] as string).trim().split(/\s+/);
    for (let k = 1; k <= words.length; k++) {
      const phrase = words.slice(-k);
      if (fold(phrase[0]?.[0] ?? "") === fold(abbr[0] ?? "") && k >= Math.min(2, abbr.length)) {
        if (!out.has(abbr)) out.set(abbr, phrase.join(" "));
        break;
      }
    }
  }
  return out;
}

/** Expands the first use of each defined abbreviation whose full name the text lacks. */
export function expandAbbreviations(
  text: string,
  abbreviations: ReadonlyMap<string, string>,
): string {
  let out = text;
  for (const [abbr, full] of abbreviations) {
    const stem = fold(full).slice(0, Math.max(4, full.length - 3));
    if (fold(out).includes(stem)) continue;
    const re = new RegExp(`(?<![\\p{L}\\p{N}(])${abbr}(?![\\p{L}\\p{N}])(?!\\s*\\()`, "gu");
    // The first use outside parentheses: one inside them would nest them ("(esošai SIA (…))").
    const at = [...out.matchAll(re)].find((m) => depthAt(out, m.index ?? 0) === 0)?.index;
    if (at === undefined) continue;
    out = `${out.slice(0, at)}${abbr} (${full})${out.slice(at + abbr.length)}`;
  }
  return out;
}

/** How many parentheses are open at `index` of `text`. */
function depthAt(text: string, index: number): number {
  let depth = 0;
  for (let i = 0; i < index; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && depth > 0) depth--;
  }
  return depth;
}
