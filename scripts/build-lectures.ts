/**
 * Builds the sample lecture transcripts from `corpus-src/lectures/*.md` into `corpus/lectures/`
 * (run with `npx tsx scripts/build-lectures.ts`), plus `corpus/lectures/lectures.json`.
 *
 * Source format, and nothing more: a `---` front matter of `key: value` lines (id, file, format,
 * title, lecturer, date, topics separated by `;`, summary, note, rate, seed), `## Title` lines
 * that start a section and mark a key moment at its first paragraph, `### Title` lines that
 * start a section without a key moment, and paragraphs of spoken text. Inside a
 * paragraph `~` glues words so that no line or cue breaks between them (it prints as a space),
 * `*…*` marks italics (kept by the styled formats only) and a leading `{top}` moves the
 * paragraph's captions to the top of the screen (styled formats only).
 *
 * Timings are synthetic but deterministic: each word gets a duration from its length, with
 * pauses after punctuation and between paragraphs, then the whole lecture is scaled to the
 * front matter's `rate` (words per second). Output formats:
 * - `vtt`: plain WebVTT with numbered cues and one NOTE block;
 * - `srt-bom-crlf`: SubRip with a UTF-8 BOM and CRLF line ends;
 * - `youtube-vtt`: WebVTT as YouTube's automatic captions (rolling two-line cues, inline
 *   word timings, 10 ms transition cues);
 * - `srt-styled`: SubRip with `<i>` tags and `{\an8}` on the first cues of `{top}` paragraphs;
 * - `vtt-styled`: WebVTT with STYLE and NOTE blocks, named cue ids, `<i>` tags and cue
 *   settings on `{top}` paragraphs;
 * - `txt`: plain paragraphs, each starting with an `[mm:ss]` marker.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const sourceDir = resolve(repoRoot, "corpus-src/lectures");
const outputDir = resolve(repoRoot, "corpus/lectures");

const FORMATS = ["vtt", "srt-bom-crlf", "youtube-vtt", "srt-styled", "vtt-styled", "txt"] as const;
type Format = (typeof FORMATS)[number];

/** Caption layout limits (characters per line, lines per cue, seconds per cue). */
const MAX_LINE = 42;
const MAX_CUE_MS = 7000;
const MIN_CUE_MS = 3000;
const YOUTUBE_MAX_LINE = 38;
const YOUTUBE_TRANSITION_MS = 10;
/** Silence before the first word, in ms. */
const LEAD_IN_MS = 600;

interface Token {
  /** Printed text (glue already turned into spaces, italics markers removed). */
  text: string;
  italic: boolean;
  /** Spoken words in the token (glued words count separately). */
  words: number;
  /** 0: none, 2: clause punctuation, 3: end of sentence. */
  breakAfter: 0 | 2 | 3;
  start: number;
  end: number;
}

interface Paragraph {
  tokens: Token[];
  top: boolean;
  /** Key-moment title when a `## Title` precedes the paragraph. */
  moment?: string;
  /** Slug of the section the paragraph belongs to (cue ids of `vtt-styled`). */
  section: string;
}

interface Lecture {
  meta: Record<string, string>;
  paragraphs: Paragraph[];
}

interface Cue {
  start: number;
  end: number;
  tokens: Token[];
  top: boolean;
  section: string;
}

/** Small deterministic PRNG (mulberry32). */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function slugify(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function parseLecture(source: string, name: string): Lecture {
  const lines = source.replace(/\r\n/g, "\n").split("\n");
  const meta: Record<string, string> = {};
  let index = 0;
  if (lines[0] === "---") {
    index = 1;
    while (index < lines.length && lines[index] !== "---") {
      const line = lines[index] ?? "";
      const colon = line.indexOf(":");
      if (colon > 0) meta[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
      index += 1;
    }
    index += 1;
  }
  for (const key of ["id", "file", "format", "title", "lecturer", "date", "rate", "seed"]) {
    if (!meta[key]) throw new Error(`${name}: front matter lacks "${key}"`);
  }
  if (!FORMATS.includes(meta["format"] as Format)) {
    throw new Error(`${name}: unknown format "${meta["format"]}" (use ${FORMATS.join(", ")})`);
  }

  const paragraphs: Paragraph[] = [];
  let pendingMoment: string | undefined;
  let section = "ievads";
  let buffer: string[] = [];
  const flush = () => {
    if (buffer.length === 0) return;
    let text = buffer.join(" ").trim();
    buffer = [];
    const top = text.startsWith("{top}");
    if (top) text = text.slice("{top}".length).trim();
    paragraphs.push({ tokens: tokenize(text), top, moment: pendingMoment, section });
    pendingMoment = undefined;
  };
  for (; index < lines.length; index += 1) {
    const line = (lines[index] ?? "").trim();
    if (line.startsWith("## ")) {
      flush();
      pendingMoment = line.slice(3).trim();
      section = slugify(pendingMoment);
    } else if (line.startsWith("### ")) {
      flush();
      section = slugify(line.slice(4).trim());
    } else if (line === "") {
      flush();
    } else {
      buffer.push(line);
    }
  }
  flush();
  return { meta, paragraphs };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let italic = false;
  for (const raw of text.split(/\s+/)) {
    if (raw === "") continue;
    let word = raw;
    if (word.startsWith("*")) {
      italic = true;
      word = word.slice(1);
    }
    let closes = false;
    const close = word.match(/\*([.,;:!?…)”"]*)$/);
    if (close) {
      closes = true;
      word = word.slice(0, close.index) + (close[1] ?? "");
    }
    // Ordinals ("2017. gada", "12. oktobrī") and "Nr." do not end a sentence.
    const ordinal = /(\d|^Nr|~Nr)\.$/.test(word);
    const trailing = ordinal ? "" : (word.match(/[.,;:!?…—–]+[)”"]*$/)?.[0] ?? "");
    const breakAfter: Token["breakAfter"] = /[.!?…]/.test(trailing)
      ? 3
      : /[,;:—–]/.test(trailing) || /^[—–]$/.test(word)
        ? 2
        : 0;
    tokens.push({
      text: word.replace(/~/g, " "),
      italic,
      words: /[\p{L}\p{N}]/u.test(word) ? word.split("~").length : 0,
      breakAfter,
      start: 0,
      end: 0,
    });
    if (closes) italic = false;
  }
  return tokens;
}

/** Raw spoken duration of a token in seconds, before scaling. */
function spokenSeconds(text: string): number {
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  const digits = (text.match(/\p{N}/gu) ?? []).length;
  const symbols = (text.match(/[%@€]/g) ?? []).length;
  const dots = (text.match(/\p{L}\.\p{L}/gu) ?? []).length;
  if (letters + digits === 0) return 0;
  return 0.1 + 0.052 * letters + 0.27 * digits + 0.4 * symbols + 0.3 * dots;
}

/** Gives every token a start and an end (ms), scaled to the lecture's words per second. */
function assignTimings(lecture: Lecture): void {
  const random = createRandom(Number(lecture.meta["seed"]));
  const rate = Number(lecture.meta["rate"]);
  const plan: { token: Token; pauseBefore: number; duration: number }[] = [];
  let words = 0;
  lecture.paragraphs.forEach((paragraph, p) => {
    paragraph.tokens.forEach((token, t) => {
      let pauseBefore = 0;
      if (t === 0 && p > 0) pauseBefore = 0.9 + 0.8 * random() + (paragraph.moment ? 0.6 : 0);
      else if (t > 0) {
        const previous = paragraph.tokens[t - 1]!;
        if (previous.breakAfter === 3) pauseBefore = 0.3 + 0.3 * random();
        else if (previous.breakAfter === 2) pauseBefore = 0.12 + 0.15 * random();
        else pauseBefore = 0.02 * random();
      }
      const base = spokenSeconds(token.text);
      const duration = base === 0 ? 0 : base * (0.85 + 0.3 * random()) + 0.08 * (token.words - 1);
      words += token.words;
      plan.push({ token, pauseBefore, duration });
    });
  });
  const rawTotal = plan.reduce((sum, step) => sum + step.pauseBefore + step.duration, 0);
  const scale = words / rate / rawTotal;
  let clock = LEAD_IN_MS;
  for (const step of plan) {
    clock += step.pauseBefore * scale * 1000;
    step.token.start = Math.round(clock);
    clock += step.duration * scale * 1000;
    step.token.end = Math.round(clock);
  }
}

function joinTokens(tokens: Token[]): string {
  return tokens.map((token) => token.text).join(" ");
}

/** Splits tokens into one or two balanced lines, or returns undefined if they do not fit. */
function layoutLines(tokens: Token[], maxLine: number): Token[][] | undefined {
  if (joinTokens(tokens).length <= maxLine) return [tokens];
  let best: Token[][] | undefined;
  let bestWidth = Number.POSITIVE_INFINITY;
  for (let cut = 1; cut < tokens.length; cut += 1) {
    const first = tokens.slice(0, cut);
    const second = tokens.slice(cut);
    const width = Math.max(joinTokens(first).length, joinTokens(second).length);
    // Prefer cuts after punctuation by treating them as slightly narrower.
    const last = first.at(-1)!;
    const bias = last.breakAfter === 3 ? 8 : last.breakAfter > 0 ? 4 : weakEnding(last) ? -6 : 0;
    if (width <= maxLine && width - bias < bestWidth) {
      best = [first, second];
      bestWidth = width - bias;
    }
  }
  return best;
}

/** Short words that read badly at the end of a caption line or cue. */
const WEAK_ENDINGS = new Set(
  (
    "un ka kas par ar uz no pie bet vai kā ja lai to tā tas ir pēc līdz bez arī nevis gan jo tad " +
    "kur kad kuri kura kuru kurš ne tik pa ap caur pret starp virs zem ko kam kuru šī šis"
  ).split(" "),
);

function weakEnding(token: Token): boolean {
  return token.breakAfter === 0 && WEAK_ENDINGS.has(token.text.toLowerCase());
}

/** Picks where to end a full cue: a sentence end, else a clause end, else a strong word. */
function chooseCut(tokens: Token[]): number {
  const total = joinTokens(tokens).length;
  const candidates: [minShare: number, accept: (token: Token) => boolean][] = [
    [0.35, (token) => token.breakAfter === 3],
    [0.55, (token) => token.breakAfter >= 2],
    [0.7, (token) => !weakEnding(token)],
  ];
  for (const [minShare, accept] of candidates) {
    for (let i = tokens.length; i > 0; i -= 1) {
      const head = tokens.slice(0, i);
      if (joinTokens(head).length < minShare * total) break;
      if (accept(head.at(-1)!) && head.at(-1)!.end - head[0]!.start >= MIN_CUE_MS * 0.8) return i;
    }
  }
  return tokens.length;
}

function buildCues(lecture: Lecture): Cue[] {
  const cues: Cue[] = [];
  for (const paragraph of lecture.paragraphs) {
    const groups: Token[][] = [];
    let current: Token[] = [];
    const fits = (tokens: Token[]) =>
      layoutLines(tokens, MAX_LINE) !== undefined &&
      tokens.at(-1)!.end - tokens[0]!.start <= MAX_CUE_MS;
    for (const token of paragraph.tokens) {
      if (current.length > 0 && !fits([...current, token])) {
        const cut = chooseCut(current);
        groups.push(current.slice(0, cut));
        current = current.slice(cut);
      }
      current.push(token);
      const length = joinTokens(current).length;
      if (token.breakAfter === 3 && length >= 40 && token.end - current[0]!.start >= 3200) {
        groups.push(current);
        current = [];
      }
    }
    if (current.length > 0) {
      const previous = groups.at(-1);
      const span = (tokens: Token[]) => tokens.at(-1)!.end - tokens[0]!.start;
      if (previous && span(current) < 2000 && fits([...previous, ...current])) {
        previous.push(...current);
      } else if (previous && span(current) < 2000) {
        // Too long to merge: move the tail of the previous cue over, so no orphan remains.
        while (
          previous.length > 3 &&
          (span(current) < 2000 || weakEnding(previous.at(-1)!)) &&
          fits([previous.at(-1)!, ...current])
        ) {
          current.unshift(previous.pop()!);
        }
        groups.push(current);
      } else {
        groups.push(current);
      }
    }
    groups.forEach((tokens, g) => {
      const next = groups[g + 1]?.[0];
      const lastEnd = tokens.at(-1)!.end;
      const end = next ? Math.min(lastEnd + 300, next.start) : lastEnd + 450;
      cues.push({
        start: tokens[0]!.start,
        end,
        tokens,
        top: paragraph.top && g < 2,
        section: paragraph.section,
      });
    });
  }
  for (let i = 0; i + 1 < cues.length; i += 1) {
    const cue = cues[i]!;
    cue.end = Math.min(cue.end, cues[i + 1]!.start);
  }
  return cues;
}

function timestamp(ms: number, separator: "." | ","): string {
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  const millis = ms % 1000;
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}${separator}${pad(millis, 3)}`;
}

function plainLines(tokens: Token[]): string[] {
  return layoutLines(tokens, MAX_LINE)!.map(joinTokens);
}

function styledLines(tokens: Token[]): string[] {
  return layoutLines(tokens, MAX_LINE)!.map((line) => {
    let out = "";
    line.forEach((token, i) => {
      const previous = line[i - 1];
      const next = line[i + 1];
      if (i > 0) out += " ";
      if (token.italic && !previous?.italic) out += "<i>";
      out += token.text;
      if (token.italic && !next?.italic) out += "</i>";
    });
    return out;
  });
}

function renderVtt(lecture: Lecture, cues: Cue[]): string {
  const parts = ["WEBVTT", ""];
  if (lecture.meta["note"]) parts.push("NOTE", lecture.meta["note"], "");
  cues.forEach((cue, i) => {
    parts.push(String(i + 1), `${timestamp(cue.start, ".")} --> ${timestamp(cue.end, ".")}`);
    parts.push(...plainLines(cue.tokens), "");
  });
  return parts.join("\n");
}

function renderSrt(cues: Cue[], styled: boolean): string {
  const parts: string[] = [];
  cues.forEach((cue, i) => {
    parts.push(String(i + 1), `${timestamp(cue.start, ",")} --> ${timestamp(cue.end, ",")}`);
    const lines = styled ? styledLines(cue.tokens) : plainLines(cue.tokens);
    if (styled && cue.top) lines[0] = `{\\an8}${lines[0]}`;
    parts.push(...lines, "");
  });
  return parts.join("\n");
}

function renderStyledVtt(lecture: Lecture, cues: Cue[]): string {
  const parts = [`WEBVTT - ${lecture.meta["title"]}`, ""];
  parts.push(
    "STYLE",
    "::cue {",
    "  background-color: rgba(0, 0, 0, 0.75);",
    "  color: #ffffff;",
    "  font-family: sans-serif;",
    "}",
    "",
    "STYLE",
    "::cue(i) {",
    "  color: #ffd54f;",
    "}",
    "",
  );
  if (lecture.meta["note"]) parts.push("NOTE", lecture.meta["note"], "");
  const counters = new Map<string, number>();
  for (const cue of cues) {
    const n = (counters.get(cue.section) ?? 0) + 1;
    counters.set(cue.section, n);
    const settings = cue.top ? " line:10% position:50% align:center size:80%" : "";
    parts.push(`${cue.section}-${String(n).padStart(2, "0")}`);
    parts.push(`${timestamp(cue.start, ".")} --> ${timestamp(cue.end, ".")}${settings}`);
    parts.push(...styledLines(cue.tokens), "");
  }
  return parts.join("\n");
}

function renderYoutubeVtt(lecture: Lecture): { text: string; end: number } {
  // Lines as the recogniser would emit them: short, never across a paragraph pause.
  const lines: Token[][] = [];
  for (const paragraph of lecture.paragraphs) {
    let current: Token[] = [];
    for (const token of paragraph.tokens) {
      const candidate = [...current, token];
      if (
        current.length > 0 &&
        (joinTokens(candidate).length > YOUTUBE_MAX_LINE || token.end - current[0]!.start > 5200)
      ) {
        lines.push(current);
        current = [];
      }
      current.push(token);
    }
    if (current.length > 0) lines.push(current);
  }
  const parts = ["WEBVTT", "Kind: captions", `Language: ${lecture.meta["language"] ?? "lv"}`, ""];
  const settings = "align:start position:0%";
  let previousText = " ";
  let cueStart = lines[0]![0]!.start;
  let end = cueStart;
  lines.forEach((line, i) => {
    const next = lines[i + 1];
    const cueEnd = next ? next[0]!.start - YOUTUBE_TRANSITION_MS : line.at(-1)!.end + 800;
    const timed = line
      .map((token, t) =>
        t === 0 ? token.text : `<${timestamp(token.start, ".")}><c> ${token.text}</c>`,
      )
      .join("");
    parts.push(`${timestamp(cueStart, ".")} --> ${timestamp(cueEnd, ".")} ${settings}`);
    parts.push(previousText, timed, "");
    previousText = joinTokens(line);
    if (next) {
      const transitionEnd = cueEnd + YOUTUBE_TRANSITION_MS;
      parts.push(`${timestamp(cueEnd, ".")} --> ${timestamp(transitionEnd, ".")} ${settings}`);
      parts.push(previousText, " ", "");
      cueStart = transitionEnd;
    }
    end = cueEnd;
  });
  return { text: `${parts.join("\n")}\n`, end };
}

function renderTxt(lecture: Lecture): string {
  return lecture.paragraphs
    .map((paragraph) => {
      const seconds = Math.floor(paragraph.tokens[0]!.start / 1000);
      const mm = String(Math.floor(seconds / 60)).padStart(2, "0");
      const ss = String(seconds % 60).padStart(2, "0");
      return `[${mm}:${ss}] ${joinTokens(paragraph.tokens)}`;
    })
    .join("\n\n")
    .concat("\n");
}

function render(lecture: Lecture): { text: string; end: number } {
  const format = lecture.meta["format"] as Format;
  if (format === "youtube-vtt") return renderYoutubeVtt(lecture);
  if (format === "txt") {
    const lastEnd = lecture.paragraphs.at(-1)!.tokens.at(-1)!.end + 450;
    return { text: renderTxt(lecture), end: lastEnd };
  }
  const cues = buildCues(lecture);
  const end = cues.at(-1)!.end;
  switch (format) {
    case "vtt":
      return { text: renderVtt(lecture, cues), end };
    case "srt-bom-crlf":
      return { text: `\uFEFF${renderSrt(cues, false).replace(/\n/g, "\r\n")}`, end };
    case "srt-styled":
      return { text: renderSrt(cues, true), end };
    case "vtt-styled":
      return { text: renderStyledVtt(lecture, cues), end };
  }
}

function buildAll(): void {
  mkdirSync(outputDir, { recursive: true });
  const files = readdirSync(sourceDir)
    .filter((name) => name.endsWith(".md"))
    .sort();
  const entries: Record<string, unknown>[] = [];
  for (const name of files) {
    const lecture = parseLecture(readFileSync(join(sourceDir, name), "utf8"), name);
    assignTimings(lecture);
    const { text, end } = render(lecture);
    const file = lecture.meta["file"]!;
    writeFileSync(join(outputDir, file), text, "utf8");
    const words = lecture.paragraphs.reduce(
      (sum, p) => sum + p.tokens.reduce((s, t) => s + t.words, 0),
      0,
    );
    const moments = lecture.paragraphs
      .filter((paragraph) => paragraph.moment)
      .map((paragraph) => ({
        startSec: Math.floor(paragraph.tokens[0]!.start / 1000),
        title: paragraph.moment!,
      }));
    entries.push({
      id: lecture.meta["id"],
      file,
      title: lecture.meta["title"],
      lecturer: lecture.meta["lecturer"],
      date: lecture.meta["date"],
      durationSec: Math.ceil(end / 1000),
      topics: (lecture.meta["topics"] ?? "")
        .split(";")
        .map((topic) => topic.trim())
        .filter(Boolean),
      summary: lecture.meta["summary"] ?? "",
      moments,
      url: "",
      language: lecture.meta["language"] ?? "lv",
    });
    const minutes = (end / 60_000).toFixed(1);
    console.log(
      `${file}: ${words} words, ${minutes} min, ${(words / (end / 1000)).toFixed(2)} w/s`,
    );
  }
  const json = `${JSON.stringify({ lectures: entries }, null, 2)}\n`;
  writeFileSync(join(outputDir, "lectures.json"), json, "utf8");
  console.log(`lectures.json: ${entries.length} lectures`);
}

buildAll();
