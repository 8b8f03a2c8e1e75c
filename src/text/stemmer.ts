/**
 * A light Latvian stemmer for nouns and adjectives after Kārlis Krēsliņš' rules (the same
 * rules as Lucene's LatvianStemmer): strip the longest matching inflectional ending when the
 * stem keeps at least three letters and a vowel, then undo the consonant alternation
 * (palatalisation) that some endings trigger in the 2nd, 5th and 6th declensions.
 *
 * Two entry points: {@link stemLatvian} for lower-case words with diacritics, and
 * {@link stemLatvianFolded} for lower-case words whose diacritics have been folded away
 * (the analyzer's path, see `analyze.ts`).
 */

/** One inflectional ending: the ending, how many vowels it has, whether it palatalises. */
interface Ending {
  readonly text: string;
  readonly vowels: number;
  readonly palatalizes: boolean;
}

/**
 * The 38 endings, longest first. "p" marks the endings before which a stem-final consonant
 * may have alternated (e.g. brālis → brāļu, zeme → zemju, akmens → akmeņi).
 */
const ENDING_TABLE = `
ajiem 3
ajai 3 | ajam 2 | ajām 2 | ajos 2 | ajās 2
iem 2 p | ajā 2 | ais 2
ai 2 | ei 2 | ām 1 | am 1 | ēm 1 | īm 1 | im 1 | um 1 | us 1 p | as 1 | ās 1 | es 1 | os 1 p
ij 1 | īs 1 | ēs 1 | is 1 | ie 1
u 1 p | a 1 p | i 1 p | e 1 | ā 1 | ē 1 | ī 1 | ū 1 | o 1 | s 0 | š 0
`;

function parseEndings(table: string): Ending[] {
  const out: Ending[] = [];
  for (const item of table.split(/[|\n]/)) {
    const parts = item.trim().split(/\s+/);
    const [text, vowels, flag] = parts;
    if (!text || vowels === undefined) continue;
    out.push({ text, vowels: Number(vowels), palatalizes: flag === "p" });
  }
  return out.sort((a, b) => b.text.length - a.text.length);
}

/** The endings with diacritics, as in Krēsliņš' rules (38 entries, longest first). */
export const LATVIAN_ENDINGS: readonly Readonly<Ending>[] = parseEndings(ENDING_TABLE);

/**
 * The same endings with diacritics folded, duplicates merged (ām and am → am, ū and u → u …):
 * a merged ending palatalises when any of its originals does.
 */
export const LATVIAN_ENDINGS_FOLDED: readonly Readonly<Ending>[] = (() => {
  const merged = new Map<string, Ending>();
  for (const e of LATVIAN_ENDINGS) {
    const text = e.text.normalize("NFD").replace(/\p{M}/gu, "");
    const prev = merged.get(text);
    merged.set(text, {
      text,
      vowels: e.vowels,
      palatalizes: e.palatalizes || (prev?.palatalizes ?? false),
    });
  }
  return [...merged.values()].sort((a, b) => b.text.length - a.text.length);
})();

/** Endings grouped by their last character, longest first within a group. */
function byLastChar(endings: readonly Ending[]): Map<number, Ending[]> {
  const map = new Map<number, Ending[]>();
  for (const e of endings) {
    const key = e.text.charCodeAt(e.text.length - 1);
    const list = map.get(key) ?? [];
    list.push(e);
    map.set(key, list);
  }
  return map;
}

const ENDINGS_BY_LAST = byLastChar(LATVIAN_ENDINGS);
const FOLDED_ENDINGS_BY_LAST = byLastChar(LATVIAN_ENDINGS_FOLDED);

const VOWELS = new Set([..."aeiouāēīōū"].map((c) => c.charCodeAt(0)));

function countVowels(word: string): number {
  let n = 0;
  for (let i = 0; i < word.length; i++) if (VOWELS.has(word.charCodeAt(i))) n++;
  return n;
}

/** The longest ending that may be stripped from `word`, or undefined. */
function findEnding(word: string, table: Map<number, Ending[]>): Ending | undefined {
  const n = word.length;
  if (n < 4) return undefined;
  const candidates = table.get(word.charCodeAt(n - 1));
  if (!candidates) return undefined;
  let vowels = -1;
  for (const e of candidates) {
    if (n - e.text.length < 3) continue;
    if (!word.endsWith(e.text)) continue;
    if (vowels < 0) vowels = countVowels(word);
    if (vowels > e.vowels) return e;
  }
  return undefined;
}

/** Two-letter stem endings produced by alternation, and what they alternate with. */
const CLUSTER_UNDO: ReadonlyArray<readonly [string, string]> = [
  ["šņ", "sn"],
  ["žņ", "zn"],
  ["šļ", "sl"],
  ["žļ", "zl"],
  ["ļņ", "ln"],
  ["ļļ", "ll"],
];

const SINGLE_UNDO: Readonly<Record<string, string>> = { č: "c", ļ: "l", ņ: "n" };

/** True when the stem ends in a labial consonant followed by the epenthetic j (zemj-, upj-). */
function endsWithLabialJ(stem: string): boolean {
  const n = stem.length;
  if (stem.charCodeAt(n - 1) !== 106 /* j */) return false;
  const c = stem[n - 2];
  return c === "p" || c === "b" || c === "m" || c === "v";
}

/**
 * Undoes the consonant alternation left at the end of a stem. The ambiguous alternations
 * (s/t → š and d/z → ž, as in nakts → nakšu, sirds → siržu) are left alone, as Krēsliņš does.
 */
function undoPalatalization(stem: string, ending: string): string {
  if (ending === "u") {
    if (stem.endsWith("kš")) return `${stem.slice(0, -1)}st`;
    if (stem.endsWith("ņņ")) return `${stem.slice(0, -2)}nn`;
  }
  if (endsWithLabialJ(stem)) return stem.slice(0, -1);
  for (const [from, to] of CLUSTER_UNDO) {
    if (stem.endsWith(from)) return stem.slice(0, -2) + to;
  }
  const last = SINGLE_UNDO[stem[stem.length - 1] ?? ""];
  return last === undefined ? stem : stem.slice(0, -1) + last;
}

/**
 * Stems a lower-case Latvian word written with diacritics (e.g. "uzņēmumiem" → "uzņēmum",
 * "brāļu" → "brāl", "zemju" → "zem"). Words of fewer than four letters are returned unchanged.
 */
export function stemLatvian(word: string): string {
  const e = findEnding(word, ENDINGS_BY_LAST);
  if (!e) return word;
  const stem = word.slice(0, word.length - e.text.length);
  return e.palatalizes ? undoPalatalization(stem, e.text) : stem;
}

/** Folded present-tense forms of ņemt with a prefix: saņem, pieņem, uzņem … */
const NEM_FORMS = /^(?:sa|pie|uz|aiz|iz|no|pa|at|ie|par|ap)nem$/;

/** True when the stem ends in "aj" and keeps three letters and a vowel without it. */
function endsWithStrippableAj(stem: string): boolean {
  const n = stem.length;
  if (n < 5 || stem.charCodeAt(n - 1) !== 106 /* j */ || stem.charCodeAt(n - 2) !== 97 /* a */) {
    return false;
  }
  for (let i = 0; i < n - 2; i++) if (VOWELS.has(stem.charCodeAt(i))) return true;
  return false;
}

/**
 * Stems a lower-case Latvian word whose diacritics are folded (e.g. "uznemumiem" → "uznemum").
 * It uses the folded ending table, with three adjustments for what folding makes ambiguous:
 *
 * - of the alternations only labial + j (zemju → zem) is still visible after folding (š, ž, ļ,
 *   ņ, č already fold to s, z, l, n, c); kš → kst is skipped because folded "ks" is
 *   ambiguous (maksu is maksa, not "makst-");
 * - the definite-adjective endings -ajam, -ajā … fold to the same letters as the -āj- of agent
 *   nouns (lietotājam → "lietotajam"), so a stem left ending in "aj" loses it too: every form of
 *   lietotājs gives "lietot", as every form of sociālais gives "social";
 * - the present tense of ņemt with its prefixes (saņem, uzņem, pieņem …) is left whole:
 *   folded, its "em" would look like the -ēm of zemēm.
 *
 * The analyzer indexes `stemLatvianFolded(foldDiacritics(word))` for every word.
 */
export function stemLatvianFolded(word: string): string {
  const e = findEnding(word, FOLDED_ENDINGS_BY_LAST);
  if (!e || (e.text === "em" && NEM_FORMS.test(word))) return word;
  let stem = word.slice(0, word.length - e.text.length);
  if (e.palatalizes && endsWithLabialJ(stem)) stem = stem.slice(0, -1);
  else if (endsWithStrippableAj(stem)) stem = stem.slice(0, -2);
  return stem;
}
