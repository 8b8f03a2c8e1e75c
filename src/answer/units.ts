/**
 * Answer units: the pieces of a passage an answer can lead with. A sentence (with the sentence
 * after it for context), a whole list or sequence of steps with its lead-in, or a question the
 * materials ask and answer themselves. Pure: a passage's text in, units out.
 */
import { splitSentences } from "../text/sentences.js";

/** The kind of an answer unit. */
export type UnitKind = "sentence" | "list" | "faq";

/** One answer unit inside a passage. */
export interface AnswerUnit {
  kind: UnitKind;
  /** The sentence that answers (for a list: its lead-in; for an FAQ pair: the answer). */
  lead: string;
  /** Items of a list, in order, without their bullets or numbers. */
  items?: string[];
  /** Of a list: the paragraph after it, where the PDF joined it to the last item's line. */
  tail?: string;
  /** The sentence after the lead in the same passage, if any (context for the reader). */
  next?: string;
  /** The sentence after `next`, if any. */
  then?: string;
  /** Up to {@link MAX_WINDOW} − 3 sentences after `then`. */
  more?: string[];
  /** The sentence before the lead in the same passage, if any. */
  prev?: string;
  /** The question the materials ask before their own answer (FAQ pairs). */
  asked?: string;
  /** Index of the lead sentence among the passage's sentences. */
  position: number;
  /** Number of sentences of the passage. */
  of: number;
}

/** Most sentences an answer quotes from its lead on. */
export const MAX_WINDOW = 5;

const BULLET = /^\s*(?:[•·▪◦‣∙*–-]|\d{1,2}[.)]|[a-z][.)])\s+/u;
const LEAD_IN = /[:：]\s*$/;

/** Whether a line is a list item (bullet, "1.", "a)"). */
export function isListItem(line: string): boolean {
  return BULLET.test(line);
}

/** Removes a list item's bullet or number. */
export function stripBullet(line: string): string {
  return line.replace(BULLET, "").trim();
}

/**
 * A sentence that leans on the one before it: it opens with a connective ("Tāpēc …", "Bet …",
 * "Salīdzinājumam, …", "However, …") or a pronoun that points back ("Tas …", "Tās …", "This …").
 * Quoted first, it reads as the middle of a thought. Closed-class words of both languages, not
 * words of any question; the ranker learns how much this weighs. ("Tā kā" — "since" — opens a
 * clause of its own and does not count.)
 */
const DEPENDENT_OPENING =
  /^(?:un|bet|taču|tacu|tomēr|tomer|tātad|tatad|tāpēc|tapec|tādēļ|tadel|tad|turklāt|turklat|arī|ari|savukārt|savukart|salīdzinājumam|salidzinajumam|tagad|tas|tā(?!\s+kā)|ta(?!\s+ka)|tie|tās|to|tam|tai|tiem|tām|tajā|taja|tur|tāds|tāda|tādi|tādas|šis|šī|šie|šīs|šo|šajā|šai|and|but|so|however|therefore|also|then|this|that|these|those|it|they|there)(?=[\s,.:;])/iu;

/** Whether a sentence leans on the one before it (see {@link DEPENDENT_OPENING}). */
export function leansBack(sentence: string): boolean {
  return DEPENDENT_OPENING.test(sentence.trim());
}

/**
 * A sentence about the document itself ("Šajā nodaļā …", "nākamajā sadaļā …"), not about the
 * subject. (No `\b`: in a JavaScript pattern it only knows ASCII letters, so "Šajā" never began
 * a word for it.)
 */
export const SELF_REFERENCE =
  /(?<!\p{L})(?:šajā|šī|šo|nākamajā|iepriekšējā|turpmākajā|this|next|previous)\s+(?:nodaļ|sadaļ|lekcij|rokasgrāmat|chapter|section|lecture)\p{L}*/iu;

/**
 * Whether a passage ends by announcing what comes after it: its last sentence is a lead-in (it
 * ends with a colon: "Praktisks saraksts ikgadējai pārbaudei:") or says what the chapter sets out
 * ("Šajā nodaļā soļi aprakstīti secīgi …"). The list or the steps are then in the next passage
 * of the file. Layout and closed-class words, not words of any question.
 */
export function announcesNext(text: string): boolean {
  const last = splitSentences(text.trim()).at(-1)?.trim() ?? "";
  return last.endsWith(":") || SELF_REFERENCE.test(last);
}

/**
 * The text with each list item on a line of its own: a PDF may put the first item on the
 * lead-in's line ("…šādi: • pirmais") or two items on one line ("…pirmais; • otrais …").
 */
function withItemsOnLines(text: string): string {
  return text
    .replace(/([:：])[ \t]+(?=[•·▪◦‣∙]\s)/gu, "$1\n")
    .replace(/([;,.])[ \t]+(?=[•▪◦‣∙]\s)/gu, "$1\n");
}

/**
 * Lists of a passage: a line ending with ":" followed by two or more item lines (also a run of
 * items at the very start of the passage, whose lead-in is in the passage before: `leadIn` "").
 */
export function listsOf(text: string): { leadIn: string; items: string[]; tail?: string }[] {
  const lines = withItemsOnLines(text)
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const out: { leadIn: string; items: string[]; tail?: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const startsRun = i === 0 && isListItem(line);
    if (!startsRun && !(LEAD_IN.test(line) && !isListItem(line))) continue;
    const items: string[] = [];
    let j = startsRun ? i : i + 1;
    while (j < lines.length && isListItem(lines[j] as string)) {
      items.push(stripBullet(lines[j] as string));
      j++;
    }
    if (items.length >= 2) {
      // A PDF may join the paragraph after a list to its last line. When the other items end
      // with ";" or ",", the last one ends with its first sentence; the rest is that paragraph.
      const end = items.length - 1;
      let tail = "";
      if (items.slice(0, end).every((item) => /[;,]$/.test(item))) {
        const [own, ...after] = splitSentences(items[end] as string);
        if (own && after.length) {
          items[end] = own;
          tail = after.join(" ");
        }
      }
      // The lead-in is the line's last sentence, with the one before when it leans on it
      // ("… nosacījumi ir trīs. Tie ir šādi:").
      const said = splitSentences(line);
      const last = said.length - 1;
      const leadIn = startsRun
        ? ""
        : last > 0 && leansBack(said[last] as string)
          ? `${said[last - 1]} ${said[last]}`
          : (said[last] ?? line);
      out.push({ leadIn, items, ...(tail ? { tail } : {}) });
      i = j - 1;
    }
  }
  return out;
}

/**
 * A sentence that opens an item of an enumeration told in prose ("Pirmkārt, …", "Otrais: …",
 * "Un visbeidzot …", "Second, …"): lectures and handbook chapters often list this way.
 */
const ORDINAL =
  /^(?:(?:un|bet|and|but)\s+)?(?:(pirm|otr|treš|tres|ceturt|piekt|sest|septīt|septit|astot)(?:ais|ā|a|kārt|kart|ajā|aja)|(first|second|third|fourth|fifth|sixth|seventh|eighth)(?:ly)?|(visbeidzot|pēdējais|pedejais|pēdējā|pedeja|finally|lastly))(?=[\s,:;.–—-])/iu;

/** The rank of each ordinal stem (folded or not). */
const ORDINAL_RANKS: Record<string, number> = {
  pirm: 1,
  otr: 2,
  treš: 3,
  tres: 3,
  ceturt: 4,
  piekt: 5,
  sest: 6,
  septīt: 7,
  septit: 7,
  astot: 8,
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
};

/** The rank of a sentence's opening ordinal (1 for "first" …), `last` for "finally", or none. */
function ordinalRank(sentence: string): number | "last" | undefined {
  const m = ORDINAL.exec(sentence);
  if (!m) return undefined;
  if (m[3]) return "last";
  return ORDINAL_RANKS[(m[1] ?? m[2] ?? "").toLowerCase()];
}

/** Most sentences of one prose enumeration item quoted (its opening one and what follows). */
export const ENUMERATION_ITEM_SENTENCES = 2;

/**
 * Enumerations told in prose: a run that starts with a "first" sentence and has at least one
 * more ordinal sentence after it, counting on in turn; each item is its ordinal sentence and up to
 * {@link ENUMERATION_ITEM_SENTENCES} − 1 sentences before the next one; the lead-in is the
 * sentence before the first item ("" at the start of a passage).
 */
export function enumerationsOf(
  sentences: readonly string[],
): { leadIn: string; items: string[]; position: number }[] {
  const out: { leadIn: string; items: string[]; position: number }[] = [];
  for (let i = 0; i < sentences.length; i++) {
    if (ordinalRank(sentences[i] as string) !== 1) continue;
    const items: string[][] = [[sentences[i] as string]];
    let j = i + 1;
    let gap = 0;
    for (; j < sentences.length; j++) {
      const s = sentences[j] as string;
      const rank = ordinalRank(s);
      // The next item counts on from the last one ("otrkārt" after "pirmkārt") or closes the
      // run ("visbeidzot"); an ordinal out of turn ("ceturtā" right after "pirmajā gadā") is a
      // sentence of the item it is in, and a new "first" ends the run.
      if (rank === items.length + 1 || rank === "last") {
        items.push([s]);
        gap = 0;
      } else if (rank === 1) break;
      else if (++gap >= 3) break;
      else items.at(-1)?.push(s);
    }
    if (items.length < 2) continue;
    const leadIn = i > 0 ? (sentences[i - 1] as string) : "";
    out.push({
      leadIn,
      items: items.map((item) => item.slice(0, ENUMERATION_ITEM_SENTENCES).join(" ")),
      position: leadIn ? i - 1 : i,
    });
    i = j - 1;
  }
  return out;
}

/** Splits a passage into its answer units. */
/**
 * The sentences of a passage as its units count them (`AnswerUnit.position` indexes these):
 * items a PDF joined on one line are sentences of their own, as they are items of the list.
 */
export function unitSentences(text: string): string[] {
  return splitSentences(withItemsOnLines(text));
}

export function unitsOf(text: string): AnswerUnit[] {
  const sentences = unitSentences(text);
  const units: AnswerUnit[] = [];
  const of = sentences.length;
  sentences.forEach((s, i) => {
    const next = sentences[i + 1];
    const then = sentences[i + 2];
    const more = sentences.slice(i + 3, i + MAX_WINDOW);
    const prev = sentences[i - 1];
    units.push({
      kind: "sentence",
      lead: s,
      ...(prev ? { prev } : {}),
      ...(next ? { next } : {}),
      ...(then ? { then } : {}),
      ...(more.length ? { more } : {}),
      position: i,
      of,
    });
    if (s.endsWith("?") && next && !next.endsWith("?")) {
      const after = sentences[i + 2];
      units.push({
        kind: "faq",
        lead: next,
        asked: s,
        ...(after && !after.endsWith("?") ? { next: after } : {}),
        position: i + 1,
        of,
      });
    }
  });
  for (const list of listsOf(text)) {
    const first = list.leadIn || list.items[0] || "";
    const position = Math.max(
      0,
      sentences.findIndex(
        (s) => first.startsWith(s.slice(0, 30)) || s.startsWith(first.slice(0, 30)),
      ),
    );
    units.push({
      kind: "list",
      lead: list.leadIn,
      items: list.items,
      ...(list.tail ? { tail: list.tail } : {}),
      position,
      of,
    });
  }
  for (const e of enumerationsOf(sentences)) {
    units.push({ kind: "list", lead: e.leadIn, items: e.items, position: e.position, of });
  }
  return units;
}

/**
 * The text a unit shows: the lead-in and every item of a list (and the paragraph a PDF joined
 * to its last line); otherwise the lead and up to
 * `window - 1` sentences after it (default 2: the lead and the next one).
 */
export function unitText(unit: AnswerUnit, window = 2): string {
  if (unit.kind === "list") {
    return [unit.lead, ...(unit.items ?? []), unit.tail].filter(Boolean).join(" ");
  }
  return windowOf(unit).slice(0, Math.max(1, window)).join(" ");
}

/** The sentences a sentence unit can quote, in order: its lead and those after it. */
export function windowOf(unit: AnswerUnit): string[] {
  return [unit.lead, unit.next, unit.then, ...(unit.more ?? [])].filter((p): p is string => !!p);
}
