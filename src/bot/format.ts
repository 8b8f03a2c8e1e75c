/**
 * Pure Telegram-HTML formatting: escaping, answers with numbered citations, source lists,
 * lecture views, times, and splitting long messages without breaking tags or entities.
 * No I/O, no grammY.
 */
import { videoLinkAt } from "../answer/links.js";
import { escapeHtml } from "../html.js";
import { formatPages, formatClock as formatTime, formatTimeRange } from "../place.js";
import type { Answer, Citation, LectureMeta } from "../types.js";
import { type Lang, strings } from "./i18n.js";

/** Telegram's limit for one text message (characters after entity parsing). */
export const MESSAGE_LIMIT = 4096;

export { escapeHtml, formatTime, formatTimeRange };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Removes mentions of the bot (`@botname`) from a message text. */
export function stripMention(text: string, botUsername: string): string {
  return text
    .replace(new RegExp(`@${escapeRegExp(botUsername)}\\b[,:]?`, "gi"), " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Formats a duration in seconds as `42 min` / `1 st. 5 min` (lv) or `1 h 5 min` (en). */
export function formatDuration(seconds: number, lang: Lang): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  return strings(lang).duration(Math.floor(minutes / 60), minutes % 60);
}

/** True for an absolute http(s) address, the only kind the bot links to. */
export function isHttpUrl(url: string | undefined): url is string {
  return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url);
}

/** Collapses whitespace and cuts plain text to `max` characters at a word boundary, adding "…". */
export function truncateText(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, Math.max(1, max - 1));
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/, "")}…`;
}

function link(url: string | undefined, html: string): string {
  return isHttpUrl(url) ? `<a href="${escapeHtml(url)}">${html}</a>` : html;
}

function lastSection(section: string | undefined): string | undefined {
  const last = section
    ?.split(" › ")
    .map((s) => s.trim())
    .filter(Boolean)
    .pop();
  return last ? truncateText(last, 60) : undefined;
}

/** One source line without the number: `<b>Rokasgrāmata</b>, 12. lpp., «4.2. …»`. */
export function formatCitationLabel(c: Citation, lang: Lang): string {
  const t = strings(lang);
  const bits: string[] = [];
  if (c.kind === "lecture") {
    bits.push(`🎬 ${link(c.url, escapeHtml(c.title))}`);
    if (c.startSec !== undefined) bits.push(formatTimeRange(c.startSec, c.endSec));
    return bits.join(", ");
  }
  if (c.kind === "faq") {
    bits.push(`✅ <b>${t.faqSource}</b>`);
    if (c.title) bits.push(escapeHtml(t.quote(truncateText(c.title, 60))));
    return bits.join(", ");
  }
  bits.push(`<b>${escapeHtml(c.kind === "handbook" ? t.handbook : c.title)}</b>`);
  if (c.page !== undefined) {
    bits.push(formatPages(c, lang) ?? "");
  }
  const section = lastSection(c.section);
  if (section) bits.push(escapeHtml(t.quote(section)));
  return bits.join(", ");
}

/** The compact numbered source list under an answer; empty string when there are no citations. */
export function formatSources(citations: readonly Citation[], lang: Lang): string {
  if (citations.length === 0) return "";
  const lines = citations.map((c) => `[${c.n}] ${formatCitationLabel(c, lang)}`);
  return [strings(lang).sourcesHeader, ...lines].join("\n");
}

/**
 * Escapes the engine's plain-text answer and renders its `[n]` markers; a marker of a lecture
 * citation with a known url links to that moment of the video. `**bold**` becomes bold.
 */
export function renderAnswerText(text: string, citations: readonly Citation[]): string {
  const byN = new Map(citations.map((c) => [c.n, c]));
  return escapeHtml(text.trim())
    .replace(/\*\*([^*\n]+)\*\*/g, "<b>$1</b>")
    .replace(/\[(\d{1,3})\]/g, (marker, n: string) => {
      const c = byN.get(Number(n));
      return c?.kind === "lecture" ? link(c.url, marker) : marker;
    });
}

function formatRelatedLectures(answer: Answer, lang: Lang): string {
  const related = answer.relatedLectures ?? [];
  if (related.length === 0) return "";
  const lines = related.map((l) => {
    const at = l.startSec !== undefined && l.startSec > 0 ? ` (${formatTime(l.startSec)})` : "";
    return `• 🎬 ${link(l.url, escapeHtml(l.title))}${at}`;
  });
  return [strings(lang).relatedHeader, ...lines].join("\n");
}

/**
 * The whole answer as Telegram HTML: body with `[n]` markers, notes for fallback and FAQ answers,
 * and the source list; a declined answer says so plainly and lists related lectures instead.
 */
export function formatAnswerHtml(answer: Answer, lang: Lang): string {
  const t = strings(lang);
  const blocks: string[] = [];
  if (!answer.answered) {
    const own = answer.answer.trim();
    blocks.push(
      own
        ? `🤷 ${renderAnswerText(own, [])}`
        : answer.declineReason === "bad-input"
          ? t.badInput
          : t.noMatch,
    );
    const related = formatRelatedLectures(answer, lang);
    if (related) blocks.push(related);
    if (!own && answer.declineReason !== "bad-input") blocks.push(escapeHtml(t.tryRephrase));
    return blocks.join("\n\n");
  }
  if (answer.mode === "faq" && answer.faq)
    blocks.push(t.faqLabel(escapeHtml(t.date(answer.faq.approvedAt))));
  blocks.push(renderAnswerText(answer.answer, answer.citations));
  if (answer.mode === "fallback") blocks.push(t.fallbackNote);
  const sources = formatSources(answer.citations, lang);
  if (sources) blocks.push(sources);
  return blocks.join("\n\n");
}

/** The quoted passages of an answer's citations ("Sources" button), each trimmed to `maxChars`. */
export function formatQuotes(citations: readonly Citation[], lang: Lang, maxChars = 700): string {
  const t = strings(lang);
  const items = citations.map((c) => {
    const label = `[${c.n}] ${formatCitationLabel(c, lang)}`;
    const text = truncateText(c.text, maxChars);
    return text ? `${label}\n<blockquote>${escapeHtml(text)}</blockquote>` : label;
  });
  return [t.quotesHeader, ...items].join("\n\n");
}

/** The `/lectures` list: number, title, duration and topics of each lecture. */
export function formatLectureList(lectures: readonly LectureMeta[], lang: Lang): string {
  const t = strings(lang);
  if (lectures.length === 0) return escapeHtml(t.lecturesEmpty);
  const items = lectures.map((l, i) => {
    const meta = [l.lecturer, l.durationSec ? formatDuration(l.durationSec, lang) : undefined]
      .filter((x): x is string => Boolean(x))
      .map(escapeHtml);
    const head = `${i + 1}. <b>${escapeHtml(l.title)}</b>${meta.length ? ` — ${meta.join(", ")}` : ""}`;
    const topics = l.topics?.length ? `\n${t.topics}: ${escapeHtml(l.topics.join(", "))}` : "";
    return head + topics;
  });
  return [t.lecturesHeader, ...items].join("\n\n");
}

/** Options of {@link formatLectureCard}. */
export interface LectureCardOptions {
  /** Moment to offer "watch from" (e.g. the cited time of a related lecture). */
  atSec?: number;
}

/** One lecture: title, lecturer, date, duration, topics, summary and key moments with times. */
export function formatLectureCard(
  lecture: LectureMeta,
  lang: Lang,
  options: LectureCardOptions = {},
): string {
  const t = strings(lang);
  const url = isHttpUrl(lecture.url) ? lecture.url : undefined;
  const blocks: string[] = [`🎬 <b>${escapeHtml(lecture.title)}</b>`];
  const meta = [
    lecture.lecturer,
    lecture.date ? t.date(lecture.date) : undefined,
    lecture.durationSec ? formatDuration(lecture.durationSec, lang) : undefined,
  ].filter((x): x is string => Boolean(x));
  if (meta.length) blocks[0] += `\n${escapeHtml(meta.join(" · "))}`;
  if (lecture.topics?.length) blocks.push(`${t.topics}: ${escapeHtml(lecture.topics.join(", "))}`);
  if (lecture.summary?.trim()) blocks.push(escapeHtml(lecture.summary.trim()));
  if (lecture.moments?.length) {
    const lines = lecture.moments.map((m) => {
      const time = formatTime(m.startSec);
      const stamp = url ? link(videoLinkAt(url, m.startSec), time) : time;
      return `• ${stamp} ${escapeHtml(m.title)}`;
    });
    blocks.push([`<b>${t.keyMoments}</b>`, ...lines].join("\n"));
  }
  if (url) {
    const at = options.atSec;
    blocks.push(
      at !== undefined && at > 0
        ? link(videoLinkAt(url, at), t.watchFrom(formatTime(at)))
        : link(url, t.watchVideo),
    );
  } else {
    blocks.push(`<i>${escapeHtml(t.noVideoUrl)}</i>`);
  }
  return blocks.join("\n\n");
}

/** Visible text of Telegram HTML: tags removed, the five entities Telegram knows decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, "&");
}

type Token =
  | { kind: "open"; name: string; raw: string }
  | { kind: "close"; name: string; raw: string }
  | { kind: "text"; raw: string };

const TOKEN_RE =
  /<\/?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|[\s\S]/gu;

function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  for (const match of html.matchAll(TOKEN_RE)) {
    const raw = match[0];
    if (raw.length > 1 && raw.startsWith("<")) {
      const name = (/^<\/?([a-zA-Z][a-zA-Z0-9-]*)/.exec(raw)?.[1] ?? "").toLowerCase();
      tokens.push(
        raw.startsWith("</") ? { kind: "close", name, raw } : { kind: "open", name, raw },
      );
    } else {
      tokens.push({ kind: "text", raw });
    }
  }
  return tokens;
}

type Open = { name: string; raw: string };

function applyTag(stack: readonly Open[], token: Token): readonly Open[] {
  if (token.kind === "open") return [...stack, { name: token.name, raw: token.raw }];
  if (token.kind === "close") {
    const at = stack.map((o) => o.name).lastIndexOf(token.name);
    return at < 0 ? stack : [...stack.slice(0, at), ...stack.slice(at + 1)];
  }
  return stack;
}

function closers(stack: readonly Open[]): string {
  return stack
    .slice()
    .reverse()
    .map((o) => `</${o.name}>`)
    .join("");
}

type BoundaryClass = "paragraph" | "line" | "sentence" | "space" | "any";

interface Cut {
  /** Index of the first token of the next part. */
  next: number;
  /** Length of the part's HTML up to the cut, before closing tags. */
  length: number;
  stack: readonly Open[];
}

const PREFERENCE = ["paragraph", "line", "sentence", "space"] as const;

/** Minimum share of the limit a boundary must reach to be preferred over a weaker one. */
const MIN_SHARE: Record<Exclude<BoundaryClass, "any">, number> = {
  paragraph: 0.5,
  line: 0.5,
  sentence: 0.3,
  space: 0.2,
};

/** Most messages one answer is sent in: a longer answer is cut, and says so. */
export const MAX_ANSWER_PARTS = 5;

/** Longest answer text shown, in characters (its sources come on top). */
export const MAX_ANSWER_CHARS = 12_000;

/**
 * An answer text cut to `max` characters at the last paragraph, sentence or word break, ending
 * with "…"; shorter texts are returned as they are.
 */
export function capAnswerText(text: string, max = MAX_ANSWER_CHARS): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 2).replace(/[\uD800-\uDBFF]$/, "");
  const breaks = [cut.lastIndexOf("\n\n"), cut.search(/[.!?](?=\s[^.!?]*$)/), cut.lastIndexOf(" ")];
  const at = breaks.find((b) => b > max * 0.6);
  const kept =
    at === undefined ? cut : cut.slice(0, at + (cut[at] === " " || cut[at] === "\n" ? 0 : 1));
  return `${kept.trimEnd()} …`;
}

/**
 * Keeps at most `max` parts of a split message; when parts are dropped, the last kept part ends
 * with "…" (when it fits in the limit). A runaway answer thus never floods a chat.
 */
export function capParts(
  parts: readonly string[],
  max = MAX_ANSWER_PARTS,
  limit = MESSAGE_LIMIT,
): string[] {
  if (parts.length <= max) return [...parts];
  const kept = parts.slice(0, Math.max(1, max));
  const last = kept.length - 1;
  const tail = `${kept[last]}\n…`;
  if (tail.length <= limit) kept[last] = tail;
  return kept;
}

/**
 * Splits Telegram HTML into parts of at most `limit` characters (HTML length, which bounds the
 * visible length). Cuts at a paragraph, else a line, else a sentence, else a space; never inside
 * a tag, an entity or a surrogate pair; tags open at a cut are closed at the end of the part and
 * reopened at the start of the next. Parts with no visible text are dropped.
 */
export function splitMessage(html: string, limit = MESSAGE_LIMIT): string[] {
  if (html.length <= limit) return htmlToText(html).trim() ? [html] : [];
  const tokens = tokenize(html);
  const parts: string[] = [];
  let i = 0;
  let stack: readonly Open[] = [];
  while (i < tokens.length) {
    for (let t = tokens[i]; t !== undefined; t = tokens[i]) {
      if (t.kind === "close") stack = applyTag(stack, t);
      else if (t.kind !== "text" || !/^\s$/u.test(t.raw)) break;
      i++;
    }
    if (i >= tokens.length) break;
    const prefix = stack.map((o) => o.raw).join("");
    let length = prefix.length;
    let current = stack;
    let j = i;
    let lastChar = "";
    const cuts: Partial<Record<BoundaryClass, Cut>> = {};
    while (j < tokens.length) {
      const token = tokens[j] as Token;
      const next = applyTag(current, token);
      const nextLength = length + token.raw.length;
      if (nextLength + closers(next).length > limit && j > i) break;
      length = nextLength;
      current = next;
      j++;
      const cut: Cut = { next: j, length, stack: current };
      if (token.kind === "open") continue;
      cuts.any = cut;
      if (token.kind === "close") continue;
      const ch = token.raw;
      if (ch === "\n") {
        if (lastChar === "\n") cuts.paragraph = cut;
        cuts.line = cut;
      }
      if (/^\s$/u.test(ch)) {
        if (/[.!?…:;]/u.test(lastChar)) cuts.sentence = cut;
        cuts.space = cut;
      }
      lastChar = ch;
    }
    if (j >= tokens.length) {
      const rest = tokens
        .slice(i)
        .map((t) => t.raw)
        .join("");
      parts.push(prefix + rest.replace(/\s+$/u, "") + closers(current));
      break;
    }
    const preferred = PREFERENCE.map((cls) => cuts[cls]).find(
      (cut, k) => cut !== undefined && cut.length >= limit * MIN_SHARE[PREFERENCE[k] ?? "space"],
    );
    const chosen = preferred ?? cuts.any ?? { next: j, length, stack: current };
    const body = tokens
      .slice(i, chosen.next)
      .map((t) => t.raw)
      .join("")
      .replace(/\s+$/u, "");
    parts.push(prefix + body + closers(chosen.stack));
    i = chosen.next;
    stack = chosen.stack;
  }
  return parts.filter((p) => htmlToText(p).trim().length > 0);
}
