/**
 * Abbreviations after which a period never ends a sentence (lower-cased, without the final period).
 * Ordinal numbers ("12. oktobrī") and abbreviations followed by a lower-case word need no entry:
 * a sentence only ends before a capital letter, a digit or an opening quote.
 */
const NEVER_FINAL = new Set([
  "nr",
  "piem",
  "plkst",
  "lpp",
  "sk",
  "skat",
  "att",
  "tab",
  "t.i",
  "t.sk",
  "u.c.t",
  "prof",
  "dr",
  "doc",
  "vs",
  "apm",
  "ap",
  "pag",
  "nov",
  "str",
  "tālr",
  "mob",
  "iesk",
  "salīdz",
  "angl",
  "lat",
  "st",
  "e.g",
  "i.e",
  "p",
  "pp",
]);

/** Amount abbreviations: not final before a number or a currency code ("5 milj. EUR"). */
const AMOUNT = new Set(["milj", "mljrd", "tūkst", "tūkt", "mil"]);

/**
 * Splits text into sentences. Tuned for Latvian: does not split after ordinal numbers
 * ("2017. gada 12. oktobrī"), common abbreviations ("Nr.", "t.sk.", "piem."), initials ("J. Bērziņš"),
 * amounts ("12,5 milj. EUR") or inside decimals and web addresses; "u.c." and "utt." end a sentence
 * only when a capitalised word follows.
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  const re = /[.!?…]+["'”’»)\]]*(?=\s+)/g;
  let start = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const end = m.index + m[0].length;
    const rest = text.slice(end);
    const nextWord = /^\s+(\S+)/.exec(rest)?.[1] ?? "";
    if (!isBoundary(text.slice(start, end), m[0], nextWord)) continue;
    const sentence = text.slice(start, end).trim();
    if (sentence) out.push(sentence);
    start = end;
  }
  const tail = text.slice(start).trim();
  if (tail) out.push(tail);
  return out;
}

function isBoundary(before: string, punct: string, nextWord: string): boolean {
  if (!nextWord) return false;
  if (!/^["'„“«([]?[\p{Lu}\d]/u.test(nextWord)) return false;
  if (!punct.startsWith(".")) return true;
  if (punct.startsWith("...") || punct.startsWith("…")) return true;

  const token = /(\S+)\.["'”’»)\]]*$/.exec(before)?.[1] ?? "";
  const word = token.replace(/^["'„“«([]+/, "");
  const lower = word.toLocaleLowerCase("lv");
  if (NEVER_FINAL.has(lower)) return false;
  if (AMOUNT.has(lower)) return !/^(\d|[A-Z]{2,4}\b)/.test(nextWord);
  if (/^\p{Lu}$/u.test(word)) return false;
  if (/^(?:\p{L}\.)+\p{L}$/u.test(word) && word.length <= 5 && /^\d/.test(nextWord)) return false;
  if (/^\d{1,2}$/.test(word) && /^\d/.test(nextWord)) return false;
  return true;
}
