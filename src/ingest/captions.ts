/**
 * Sentence boundaries for automatic captions, which come without punctuation: restored from the
 * speech timing (pauses between words and cues) and capitalisation.
 */
import type { Cue } from "../types.js";
import { countWords } from "./text-utils.js";

/** A cue with the start time of each of its words, when the captions gave them. */
export interface TimedCue extends Cue {
  /** One start time (s) per space-separated word of `text`; `undefined` where not given. */
  wordTimes?: (number | undefined)[];
}

/** Options of {@link punctuateCaptions}; every field has a default. */
export interface PunctuateOptions {
  /** A pause this long (s) after a word ends a sentence. Default 0.6. */
  pauseSec?: number;
  /** A shorter pause (s) ends a sentence when the next word is capitalised. Default 0.3. */
  capitalPauseSec?: number;
  /** Longest sentence in words: a longer run is cut at its longest pause. Default 30. */
  maxWords?: number;
}

/** Fewer sentence ends than one per this many words: the captions count as unpunctuated. */
export const WORDS_PER_SENTENCE_END = 40;

const SENTENCE_END = /[.!?…]["”»)]*$/u;

/** True when the cues have fewer sentence ends than one per {@link WORDS_PER_SENTENCE_END} words. */
export function isUnpunctuated(cues: readonly Cue[]): boolean {
  let words = 0;
  let ends = 0;
  for (const c of cues) {
    words += countWords(c.text);
    ends += c.text.split(/\s+/).filter((w) => SENTENCE_END.test(w)).length;
  }
  return words >= 8 && ends * WORDS_PER_SENTENCE_END < words;
}

/** Words a sentence rarely ends with (a pause after them is hesitation), Latvian and English. */
const NO_END = new Set(
  (
    "un vai bet ka kas kā lai ja jo par uz no ar pie pa pēc līdz arī tad tas tā ir nav šis šī " +
    "the a an and or but of to in on at for with from by as that which who so if because is are was " +
    "were be my your our their his her its this these those i we you they um uh er"
  ).split(" "),
);

/** English first-person pronoun forms, written with a capital I. */
const FIRST_PERSON = /^i(?:'(?:m|ve|ll|d))?$/;

/** Expected spoken length (s) of a word, by its letters: a longer interval holds a pause. */
function spokenSec(word: string): number {
  return Math.max(0.15, 0.065 * word.replace(/[^\p{L}\p{N}]/gu, "").length);
}

interface Word {
  text: string;
  start: number;
  cue: number;
}

/** Words with a start time each: given ones kept, the rest spread evenly over their cue. */
function timedWords(cues: readonly TimedCue[]): Word[] {
  const words: Word[] = [];
  cues.forEach((c, ci) => {
    const texts = c.text.split(" ");
    const known = texts.map((_, k) => (k === 0 ? (c.wordTimes?.[0] ?? c.start) : c.wordTimes?.[k]));
    for (let k = 0; k < texts.length; k++) {
      let start = known[k];
      if (start === undefined) {
        // Between the previous known time and the next one (or the cue's end).
        let a = k - 1;
        while (a > 0 && known[a] === undefined) a--;
        let b = k + 1;
        while (b < texts.length && known[b] === undefined) b++;
        const from = known[a] ?? c.start;
        const to = b < texts.length ? (known[b] ?? c.end) : c.end;
        start = from + ((to - from) * (k - a)) / (b - a);
      }
      words.push({ text: texts[k] ?? "", start, cue: ci });
    }
  });
  return words;
}

/**
 * Adds full stops and capitals to captions without punctuation. A sentence ends after a word
 * followed by a pause of `pauseSec` (the time to the next word's start less the word's expected
 * spoken length), or of `capitalPauseSec` when the next word is capitalised; not after
 * conjunctions, prepositions and the like. A run longer than `maxWords` is cut at its longest
 * pause, so there is at least one sentence end per `maxWords` words. The first word of each
 * sentence and the English "I" are capitalised. Cue times are unchanged.
 */
export function punctuateCaptions(
  cues: readonly TimedCue[],
  options: PunctuateOptions = {},
): Cue[] {
  const pauseSec = options.pauseSec ?? 0.6;
  const capitalPauseSec = options.capitalPauseSec ?? 0.3;
  const maxWords = Math.max(4, options.maxWords ?? 30);
  const words = timedWords(cues);
  const n = words.length;
  const pause = words.map((w, i) => {
    const next = words[i + 1];
    return next ? next.start - w.start - spokenSec(w.text) : Number.POSITIVE_INFINITY;
  });
  const canEnd = (i: number) =>
    !NO_END.has((words[i]?.text ?? "").toLowerCase().replace(/[^\p{L}']/gu, ""));

  const ends = new Set<number>();
  for (let i = 0; i < n - 1; i++) {
    const next = words[i + 1]?.text ?? "";
    const capital = /^\p{Lu}/u.test(next) && !/^I(?:'|$)/.test(next);
    if (SENTENCE_END.test(words[i]?.text ?? "")) ends.add(i);
    else if (canEnd(i) && (pause[i] ?? 0) >= (capital ? capitalPauseSec : pauseSec)) ends.add(i);
  }
  ends.add(n - 1);

  // Cut runs longer than maxWords at their longest pause (a word that can end a sentence first).
  const sorted = () => [...ends].sort((a, b) => a - b);
  let changed = true;
  while (changed) {
    changed = false;
    let from = 0;
    for (const end of sorted()) {
      if (end - from + 1 > maxWords) {
        const lo = from + 3;
        const hi = end - 3;
        let best = Math.floor((from + end) / 2);
        let bestScore = Number.NEGATIVE_INFINITY;
        for (let i = lo; i <= hi; i++) {
          const score = (pause[i] ?? 0) - (canEnd(i) ? 0 : 10);
          if (score > bestScore) {
            bestScore = score;
            best = i;
          }
        }
        ends.add(best);
        changed = true;
        break;
      }
      from = end + 1;
    }
  }

  const texts = words.map((w) => (FIRST_PERSON.test(w.text) ? `I${w.text.slice(1)}` : w.text));
  for (let i = 0; i < n; i++) {
    if (i === 0 || ends.has(i - 1)) {
      const t = texts[i] ?? "";
      texts[i] = t.charAt(0).toLocaleUpperCase() + t.slice(1);
    }
    if (ends.has(i) && !SENTENCE_END.test(texts[i] ?? "")) {
      texts[i] = `${(texts[i] ?? "").replace(/[,;:–—-]+$/u, "")}.`;
    }
  }
  return cues.map((c, ci) => ({
    start: c.start,
    end: c.end,
    text: texts.filter((_, i) => words[i]?.cue === ci).join(" "),
  }));
}
