/**
 * Composition: the answer text from the best unit, its neighbours, and "See also" lines for the
 * other sources. Pure: data in, text and citations out.
 */
import { expandAbbreviations } from "../text/abbreviations.js";
import { splitSentences } from "../text/sentences.js";
import type { Chunk, Citation } from "../types.js";
import { type AnswerType, EMAIL_SOURCE, hasValueOf } from "./answer-type.js";
import { citationOf, narrowToQuote, placeOf } from "./citations.js";
import type { QuestionIntent } from "./intent.js";
import { type AnswerUnit, unitText, windowOf } from "./units.js";

/** Most "See also" lines under an answer before any fit (`npm run fit` chooses `seeAlsoCount`). */
export const MAX_SEE_ALSO = 2;
/**
 * Fewest words a quoted sentence window stands on: a shorter one ("Pa soļiem.") reads on into
 * the next sentence, as does one that ends in a colon and so announces what follows.
 */
export const MIN_QUOTE_WORDS = 5;

/** Longest quote of a "See also" line, in characters. */
export const SEE_ALSO_CHARS = 320;

/** A unit chosen for the answer, with its passage. */
export interface ChosenUnit {
  unit: AnswerUnit;
  chunk: Chunk;
  /**
   * For a list chosen for a question that did not ask for a list: its item that answers. The
   * answer leads with it, then shows the list it belongs to.
   */
  answering?: string;
  /**
   * For a sentence that is an item of a list: the list's lead-in ("Mērķa grupas ir:"), said
   * before it. The sentence after it is the next item, not more of its thought, so it is quoted
   * alone.
   */
  leadIn?: string;
}

/** What {@link composeAnswer} needs. */
export interface ComposeInput {
  intent: QuestionIntent;
  lead: ChosenUnit;
  /** Units of other passages worth pointing to, best first. */
  seeAlso: readonly ChosenUnit[];
  /** Abbreviations the materials define: "LM" → "Labklājības ministrija". */
  abbreviations: ReadonlyMap<string, string>;
  /** Sentences quoted from the lead on (the lead and those after it). Default 2. */
  window?: number;
  /** Sentences quoted in a "See also" line. Default 1. */
  seeAlsoWindow?: number;
  /** Most "See also" lines. Default {@link MAX_SEE_ALSO}. */
  seeAlsoCount?: number;
  /**
   * Whether a paged document is "the handbook" in an English opening line (the project's own
   * corpus: one handbook with lectures). Otherwise it is named by its title. Default true.
   */
  handbook?: boolean;
}

/** A composed answer. */
export interface ComposedAnswer {
  answer: string;
  citations: Citation[];
}

const tidy = (s: string): string => s.replace(/\s+/g, " ").trim();

/** A list item ends with the list's ";" or ","; said as a sentence, it ends with ".". */
const closed = (item: string): string => tidy(item).replace(/\s*[;,]$/, ".");

/** A list item or sentence quoted on its own: capitalised, ending as a sentence ends. */
const asSentence = (text: string): string =>
  // A list item starts lower-case in the materials ("statusu piešķir …;"); an address does not
  // change ("https://…", "www.…").
  closed(text).replace(/^(?!https?:|www\.)\p{Ll}/u, (c) => c.toUpperCase());

/** Whether a list's lead-in is one sentence ending in a colon, which an item can finish. */
export function isLeadInSentence(leadIn: string): boolean {
  return /[:：]$/.test(leadIn.trim()) && splitSentences(leadIn.trim()).length === 1;
}

/** An item said with its list's lead-in: "Mērķa grupas ir: bezdarbnieki …". */
const withLeadIn = (leadIn: string, item: string): string => `${tidy(leadIn)} ${closed(item)}`;

function quoteOf(unit: AnswerUnit, window: number, answering?: string): string {
  if (unit.kind === "list") {
    const numbered = (unit.items ?? []).map((item, i) => `${i + 1}. ${tidy(item)}`).join("\n");
    // The paragraph after the list, which the PDF joined to its last line, goes after it.
    const items = unit.tail ? `${numbered}\n${tidy(unit.tail)}` : numbered;
    if (!answering) return unit.lead ? `${tidy(unit.lead)}\n${items}` : items;
    // The item that answers first, said with the lead-in when that is one sentence ending in a
    // colon ("Mērķa grupas ir: bezdarbnieki …"); then the whole list.
    const leadIn = tidy(unit.lead);
    const said = isLeadInSentence(leadIn);
    const first = said ? withLeadIn(leadIn, answering) : asSentence(answering);
    return `${first}\n\n${said || !leadIn ? items : `${leadIn}\n${items}`}`;
  }
  return asSentence(unitText(unit, readOn(unit, window)));
}

/**
 * The sentences a sentence unit quotes, from `window`: more while the quote is shorter than
 * {@link MIN_QUOTE_WORDS} words or ends in a colon, as long as the unit has more to quote.
 */
function readOn(unit: AnswerUnit, window: number): number {
  const sentences = windowOf(unit);
  let n = Math.min(Math.max(1, window), sentences.length);
  const words = () => sentences.slice(0, n).join(" ").split(/\s+/).filter(Boolean).length;
  while (
    n < sentences.length &&
    (words() < MIN_QUOTE_WORDS || /[:：]$/.test((sentences[n - 1] ?? "").trim()))
  ) {
    n++;
  }
  return n;
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), max - 20))}…`;
}

const EURO = /(?:€\s?)?\d[\d\s]*(?:[.,]\d+)?\s?(?:milj\p{L}*\.?\s)?(?:eiro|euro|EUR)\b/gu;
const SHARE = /\d+(?:[.,]\d+)?\s?(?:%|procent\p{L}*)/gu;
const DAY =
  /(?:(?:19|20)\d\d\.\s?gad\p{L}*\s)?\d{1,2}\.\s?(?:janvār|februār|mart|aprīl|aprīļ|maij|jūnij|jūlij|august|septembr|oktobr|novembr|decembr)\p{L}*|(?<!\d)(?:19|20)\d\d(?!\d)/gu;
const SPAN = /\d+(?:[.,]\d+)?\s(?:\p{L}+\s)?(?:darba\s)?(?:dien|nedēļ|mēne[sš]|gad|stund)\p{L}*/gu;
/** A figure with the word it counts ("217 sociālie", "trīs līdz pieci"), not a year. */
const FIGURE =
  /(?<![\p{L}\p{N}.-])(?!(?:19|20)\d\d(?!\d))\d+(?:[\s.]\d{3})*(?:,\d+)?(?![\d.])\s\p{L}+/gu;

/** Patterns of the values of each asked-for type worth naming in an English opening line. */
const PHONE_NUMBER = /(?<![\p{L}\p{N}])(?:\+371[\s-]?)?[2-9]\d(?:[\s-]?\d){6}(?!\p{N})/gu;
const EMAIL_ADDRESS = new RegExp(EMAIL_SOURCE, "gu");
const NAMED_VALUES: Record<AnswerType, readonly RegExp[]> = {
  money: [EURO],
  percent: [SHARE],
  amount: [EURO, SHARE, FIGURE],
  count: [FIGURE, SHARE],
  duration: [SPAN, DAY],
  date: [DAY],
  frequency: [SPAN],
  winner: [],
  phone: [PHONE_NUMBER],
  email: [EMAIL_ADDRESS],
  address: [],
  contact: [PHONE_NUMBER, EMAIL_ADDRESS],
};

/**
 * Values of a quote worth naming in an English opening line: those of the type the question asks
 * for (a "how many" question gets the count, not the date beside it); none for other questions.
 */
function valuesToName(text: string, type?: AnswerType): string[] {
  if (!type || !hasValueOf(type, text)) return [];
  const found = NAMED_VALUES[type].flatMap((re) => text.match(re) ?? []).map(tidy);
  return [...new Set(found.map(inEnglish))].slice(0, 3);
}

const MONTHS: readonly [RegExp, string][] = [
  [/^janvār/u, "January"],
  [/^februār/u, "February"],
  [/^mart/u, "March"],
  [/^aprī[lļ]/u, "April"],
  [/^maij/u, "May"],
  [/^jūnij/u, "June"],
  [/^jūlij/u, "July"],
  [/^august/u, "August"],
  [/^septembr/u, "September"],
  [/^oktobr/u, "October"],
  [/^novembr/u, "November"],
  [/^decembr/u, "December"],
];

const SPAN_UNITS: readonly [RegExp, string, string][] = [
  [/^dien/u, "day", "days"],
  [/^nedēļ/u, "week", "weeks"],
  [/^mēne[sš]/u, "month", "months"],
  [/^gad/u, "year", "years"],
  [/^stund/u, "hour", "hours"],
];

/**
 * A value found in a Latvian quote as an English line names it: a date in English ("16 August
 * 2022"), a span with its unit in English, "euro" and "%" as they are, and a figure without the
 * Latvian word it counts (an inflected "217 sociālajiem" means nothing to an English reader).
 */
export function inEnglish(value: string): string {
  const day = /^(?:((?:19|20)\d\d)\.\s?gad\p{L}*\s)?(\d{1,2})\.\s?(\p{L}+)$/u.exec(value);
  const month = day && MONTHS.find(([re]) => re.test((day[3] ?? "").toLowerCase()))?.[1];
  if (day && month) return `${Number(day[2])} ${month}${day[1] ? ` ${day[1]}` : ""}`;
  // The decimal comma is a point in English ("58,5" → "58.5").
  const point = (v: string) => v.replace(/(\d),(\d)/gu, "$1.$2");
  if (/(eiro|euro|EUR)$/u.test(value)) {
    return point(value.replace(/\s?milj\p{L}*\.?\s/u, " million ").replace(/(eiro|EUR)$/u, "euro"));
  }
  if (/procent\p{L}*$/u.test(value)) return point(value.replace(/\s?procent\p{L}*$/u, " %"));
  if (/%$/u.test(value)) return point(value);
  const span = /^(\d+(?:[.,]\d+)?)\s(?:(darba)\s)?(\p{L}+)$/u.exec(value);
  const unit = span && SPAN_UNITS.find(([re]) => re.test((span[3] ?? "").toLowerCase()));
  if (span && unit) {
    const n = span[1] as string;
    return point(`${n} ${span[2] ? "working " : ""}${n === "1" ? unit[1] : unit[2]}`);
  }
  const figure = /^(\d+(?:[\s.]\d{3})*(?:,\d+)?)\s\p{L}+$/u.exec(value);
  return figure ? point(figure[1] as string) : value;
}

/**
 * Where an English opening line says the answer is: short ("the handbook, page 30", "the lecture
 * “…”, 03:10–04:05"), without the section path the source list gives, and without the
 * abbreviations' full stops, so the line reads as one sentence.
 */
function shortPlace(c: Citation, handbook = true): string {
  if (c.kind === "lecture") {
    return `The lecture “${c.title}”${c.startSec !== undefined ? `, ${placeOf(c, "en")}` : ""}`;
  }
  const named = handbook && c.kind === "handbook" ? "The handbook" : `“${shortTitle(c.title)}”`;
  if (c.page === undefined) {
    if (handbook) return `The handbook “${c.title}”`;
    // A text without pages is placed by its innermost section ("… › 149.pants. Atvaļinājums").
    const section = c.section?.split(" › ").at(-1);
    return section ? `${named}, ${shortTitle(section)}` : named;
  }
  const first = c.pageLabel ?? String(c.page);
  const last = c.pageEndLabel ?? (c.pageEnd !== undefined ? String(c.pageEnd) : first);
  return last === first ? `${named}, page ${first}` : `${named}, pages ${first}–${last}`;
}

/** Titles longer than this are cut at a word in an English opening line. */
const SHORT_TITLE = 60;

/** A document's title, cut at a word to {@link SHORT_TITLE} characters with "…". */
function shortTitle(title: string): string {
  const t = tidy(title);
  if (t.length <= SHORT_TITLE) return t;
  const cut = t.slice(0, SHORT_TITLE);
  const word = cut.lastIndexOf(" ");
  return `${(word > SHORT_TITLE / 2 ? cut.slice(0, word) : cut).replace(/[\s,:;–—-]+$/u, "")}…`;
}

/**
 * The answer of a Latvian quote to a yes/no question, in English, when the quote says it first
 * ("Jā.", "Nē, …", "Var, taču …": an FAQ's answer): "yes", "no", or "yes, with a condition".
 * None when the quote does not open with it (what a sentence implies is not read into it).
 */
export function verdictOf(quote: string): string | undefined {
  const q = quote.trim();
  if (/^(Nē|Nevar|Nedrīkst)(?![\p{L}])/u.test(q)) return "no";
  if (!/^(Jā|Var|Drīkst)(?![\p{L}])/u.test(q)) return undefined;
  return /^\p{L}+,\s*(ja|taču|bet|tomēr)\b/u.test(q) ? "yes, with a condition" : "yes";
}

/**
 * The English opening line over a Latvian quote: the values the quote names first (what someone
 * who reads no Latvian came for), then where the answer is, and "In Latvian:".
 */
function englishOpening(
  citation: Citation,
  quote: string,
  intent: QuestionIntent,
  handbook = true,
): string {
  const where = shortPlace(citation, handbook);
  const verdict = intent.expects === "yesno" ? verdictOf(quote) : undefined;
  // One sentence with the quote it introduces: "The handbook, page 30 says no; in Latvian: …".
  if (verdict) return `${where} says ${verdict}; in Latvian:`;
  const values = intent.expects === "value" ? valuesToName(quote, intent.valueType) : [];
  return values.length
    ? `${where}: ${values.join("; ")}. In Latvian:`
    : `${where} answers this, in Latvian:`;
}

/**
 * A lecture request reaches composition only when no lecture fits it well enough (the lecture
 * finder passed it on to the search): the answer first says where the point is discussed
 * instead. English answers already open with the place, so they only say that no lecture is
 * about it when the place is not a lecture.
 */
function lectureNote(intent: QuestionIntent, lead: Citation): string {
  if (intent.expects !== "lecture" || lead.kind === "faq") return "";
  if (intent.language === "en")
    return lead.kind === "lecture" ? "" : "No lecture is about this as such. ";
  return lead.kind === "lecture"
    ? `Lekcijā “${lead.title}” par to runā ${placeOf(lead, "lv")}:\n`
    : "Lekcijas tieši par to nav, bet rokasgrāmatā teikts:\n";
}

/** The citation of a chosen unit, narrowed to the pages of the sentences it quotes. */
export function citedQuote(
  chosen: ChosenUnit,
  n: number,
  window: number,
  more: readonly string[] = [],
): Citation {
  const c = citationOf(chosen.chunk, n);
  narrowToQuote(c, chosen.chunk, [...shownOf(chosen.unit, window), ...more]);
  return c;
}

/**
 * The sentences a unit quotes (a list: its lead-in, items and joined paragraph). A quote that
 * goes on another one's (`alone` false) does not need to stand on its own ({@link readOn}).
 */
export function shownOf(unit: AnswerUnit, window: number, alone = true): string[] {
  if (unit.kind !== "list") {
    return windowOf(unit).slice(0, alone ? readOn(unit, window) : Math.max(1, window));
  }
  return [unit.lead, ...(unit.items ?? []), unit.tail].filter((p): p is string => !!p);
}

/**
 * Other chosen units that go on where the lead's quote ends, in the same passage: they are the
 * rest of its thought and are quoted with it, in order, rather than as "See also" lines that cite
 * the same place again. Returns the sentences to add to the lead and the units left.
 */
function continuationOf(
  lead: ChosenUnit,
  leadWindow: number,
  others: readonly ChosenUnit[],
  window: number,
): { more: string[]; rest: ChosenUnit[] } {
  if (lead.unit.kind === "list") return { more: [], rest: [...others] };
  let end = lead.unit.position + shownOf(lead.unit, leadWindow).length - 1;
  const more: string[] = [];
  const rest = [...others];
  for (;;) {
    const at = rest.findIndex(
      (o) =>
        o.chunk.id === lead.chunk.id && o.unit.kind === "sentence" && o.unit.position === end + 1,
    );
    if (at < 0) break;
    const [o] = rest.splice(at, 1) as [ChosenUnit];
    const shown = shownOf(o.unit, window, false);
    more.push(...shown);
    end += shown.length;
  }
  // A part the lead's quote already reads on into is not quoted again.
  const start = lead.unit.position;
  const quoted = (o: ChosenUnit) =>
    o.chunk.id === lead.chunk.id &&
    o.unit.kind === "sentence" &&
    o.unit.position >= start &&
    o.unit.position <= end;
  return { more, rest: rest.filter((o) => !quoted(o)) };
}

/** Expands the abbreviations of `text` that `before` (already expanded) has not explained. */
function expandAfter(
  before: string,
  text: string,
  abbreviations: ReadonlyMap<string, string>,
): string {
  const joined = expandAbbreviations(`${before}\n${text}`, abbreviations);
  return joined.startsWith(`${before}\n`) ? joined.slice(before.length + 1) : text;
}

/**
 * The answer: the lead unit quoted (a list whole and numbered; a sentence with the next one for
 * context), abbreviations expanded on first use, then "See also" lines for other sources.
 */
export function composeAnswer(input: ComposeInput): ComposedAnswer {
  const { intent, lead } = input;
  const leadWindow = lead.leadIn ? 1 : (input.window ?? 2);
  const seeAlsoWindow = input.seeAlsoWindow ?? 1;
  const { more, rest } = continuationOf(
    lead,
    leadWindow,
    input.seeAlso.slice(0, input.seeAlsoCount ?? MAX_SEE_ALSO),
    seeAlsoWindow,
  );
  const citations: Citation[] = [
    citedQuote(lead, 1, leadWindow, lead.leadIn ? [lead.leadIn, ...more] : more),
  ];
  const leadQuote = lead.leadIn
    ? withLeadIn(lead.leadIn, lead.unit.lead)
    : quoteOf(lead.unit, leadWindow, lead.answering);
  const quote = expandAbbreviations([leadQuote, ...more.map(tidy)].join(" "), input.abbreviations);
  const en = intent.language === "en";
  const first = citations[0] as Citation;
  // An English question over a Latvian quote opens with an English line; over an English one
  // the quote itself answers first.
  const body =
    en && lead.chunk.kind !== "faq" && lead.chunk.language !== "en"
      ? `${lectureNote(intent, first)}${englishOpening(first, quote, intent, input.handbook ?? true)}\n${quote} [1]`
      : `${lectureNote(intent, first)}${quote} [1]`;
  const also: string[] = [];
  for (const other of rest) {
    // A place cited once keeps its number (another part of the lead's page cites [1] again)
    // and is not named again.
    const own = citedQuote(other, citations.length + 1, seeAlsoWindow);
    const same = citations.find(
      (x) => x.chunkId === own.chunkId && x.page === own.page && x.pageEnd === own.pageEnd,
    );
    if (!same) citations.push(own);
    const c = same ?? own;
    const place = placeOf(c, intent.language);
    const excerpt = expandAfter(
      [quote, ...also].join("\n"),
      clip(tidy(quoteOf(other.unit, seeAlsoWindow)), SEE_ALSO_CHARS),
      input.abbreviations,
    );
    also.push(
      same
        ? `• ${en ? "Same source" : "Turpat"} [${c.n}]: “${excerpt}”`
        : `• ${c.title}${place ? `, ${place}` : ""} [${c.n}]: “${excerpt}”`,
    );
  }
  const seeAlso = also.length ? `\n\n${en ? "See also:" : "Skatiet arī:"}\n${also.join("\n")}` : "";
  return { answer: `${body}${seeAlso}`, citations };
}
