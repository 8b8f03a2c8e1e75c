/** The language of a document's text, from the share of common Latvian and English words. */

/** Languages Padoms tells apart in its materials. */
export type DocumentLanguage = "lv" | "en";

const LATVIAN = new Set(
  "un ir par ar no uz kā ka vai arī ja bet tas tā to tie tās kas lai jo var nav būt šis šī pie pēc līdz gada tikai vēl kur kad ko mēs jūs viņi savu tad gan".split(
    " ",
  ),
);
const ENGLISH = new Set(
  "the and of to in is that for it as with was on be by this are or an from at which not have has but can we you they their its if when into than also been more".split(
    " ",
  ),
);

/**
 * Latvian or English by the share of each language's common short words among the words of
 * the text (at most its first 20,000 words); `undefined` when neither reaches 5 % of the words.
 */
export function detectLanguage(text: string): DocumentLanguage | undefined {
  const words =
    text
      .toLocaleLowerCase("lv")
      .match(/\p{L}+/gu)
      ?.slice(0, 20_000) ?? [];
  if (words.length === 0) return undefined;
  let lv = 0;
  let en = 0;
  for (const w of words) {
    if (LATVIAN.has(w)) lv++;
    if (ENGLISH.has(w)) en++;
  }
  const best = Math.max(lv, en);
  if (best < words.length * 0.05) return undefined;
  return lv >= en ? "lv" : "en";
}
