/**
 * The one list of whole chat messages that only greet or thank ("Sveiki!", "Paldies liels"), in
 * Latvian and English, folded as {@link foldSmallTalk} folds: lower case, no diacritics, no
 * punctuation, single spaces.
 */

/** Messages that only greet. */
export const GREETINGS: readonly string[] = [
  "sveiki",
  "sveiks",
  "sveika",
  "labdien",
  "labrit",
  "labvakar",
  "cau",
  "cav",
  "hei",
  "hi",
  "hello",
  "hey",
  "good morning",
  "good afternoon",
  "good evening",
];

/** Messages that only thank. */
export const THANKS: readonly string[] = [
  "paldies",
  "liels paldies",
  "paldies liels",
  "thanks",
  "thank you",
  "thx",
];

const greetings = new Set(GREETINGS);
const thanks = new Set(THANKS);

/** A message folded for comparison with {@link GREETINGS} and {@link THANKS}. */
export function foldSmallTalk(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** `greeting` or `thanks` for a whole message that only greets or thanks, else `undefined`. */
export function smallTalkOf(text: string): "greeting" | "thanks" | undefined {
  const plain = foldSmallTalk(text);
  if (greetings.has(plain)) return "greeting";
  if (thanks.has(plain)) return "thanks";
  return undefined;
}
