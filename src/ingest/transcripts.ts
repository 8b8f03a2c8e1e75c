import type { Cue } from "../types.js";
import { isUnpunctuated, punctuateCaptions, type TimedCue } from "./captions.js";
import type { TranscriptDocument } from "./document-types.js";
import { IngestError } from "./errors.js";
import {
  collapseSpaces,
  countWords,
  decodeEntities,
  normalizeNewlines,
  titleFromFileName,
} from "./text-utils.js";

/** How far (seconds) a cue may start before the previous one before the timing counts as broken. */
export const BACKWARDS_TOLERANCE_SEC = 5;

/** Speaking rate used to estimate how long the last `[mm:ss]` segment lasts. */
const WORDS_PER_SECOND = 2.4;

/** A cue as read from the file, before cleaning and de-duplication. */
interface RawCue {
  start: number;
  end: number;
  /** Cleaned, non-empty text lines. */
  lines: string[];
  /** Start time (s) of each word of each line, when the file gave it (inline word timings). */
  times?: (number | undefined)[][];
  /** 1-based line number of the timing line. */
  line: number;
  /** The payload had inline word timings (`<00:00:01.234>`). */
  wordTimed: boolean;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Parses a subtitle timestamp: `HH:MM:SS.mmm`, `MM:SS.mmm` (WebVTT) or `HH:MM:SS,mmm` (SRT),
 * with 1–3 fraction digits. Returns seconds, or `undefined` when it is not a valid timestamp.
 */
export function parseTimestamp(value: string): number | undefined {
  const m = /^(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$/.exec(value.trim());
  if (!m) return undefined;
  const h = Number(m[1] ?? 0);
  const min = Number(m[2]);
  const s = Number(m[3]);
  if (min >= 60 || s >= 60) return undefined;
  const frac = m[4] ? Number(m[4].padEnd(3, "0")) / 1000 : 0;
  return round3(h * 3600 + min * 60 + s + frac);
}

function formatTime(sec: number): string {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  const ss = s.toFixed(3).padStart(6, "0");
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${ss}`;
}

function badTiming(path: string, line: number | undefined, what: string, cause?: unknown) {
  const where = line === undefined ? "" : ` line ${line}:`;
  return new IngestError(
    "bad-timing",
    `${path}:${where} ${what}. Fix the timing in the file (or re-export it from the subtitle editor) and ingest again.`,
    path,
    cause === undefined ? undefined : { cause },
  );
}

const TIMING = /^\s*(\S+?)\s*-->\s*(\S+)(?:\s+.*)?$/;

function parseTimingLine(text: string, lineNo: number, path: string): [number, number] {
  const m = TIMING.exec(text);
  const start = m ? parseTimestamp(m[1] ?? "") : undefined;
  const end = m ? parseTimestamp(m[2] ?? "") : undefined;
  if (start === undefined || end === undefined) {
    throw badTiming(path, lineNo, `unparseable timing "${text.trim()}"`);
  }
  if (end < start) {
    throw badTiming(
      path,
      lineNo,
      `cue ends (${formatTime(end)}) before it starts (${formatTime(start)})`,
    );
  }
  return [start, end];
}

function cleanPayloadLine(line: string): string {
  return collapseSpaces(
    decodeEntities(line.replace(/<[^>]*>/g, "").replace(/\{\\[^}]*\}/g, "")).replace(
      /[\u200E\u200F]/g,
      "",
    ),
  );
}

const INLINE_TIME = /<(\d{1,3}:\d{2}(?::\d{2})?[.,]\d{3})>/;

/** A payload line's words with the start time of each (from `<00:00:01.234>` tags), cleaned. */
function timedWords(line: string): { words: string[]; times: (number | undefined)[] } {
  const parts = line.split(INLINE_TIME);
  const words: string[] = [];
  const times: (number | undefined)[] = [];
  for (let k = 0; k < parts.length; k += 2) {
    const at = k === 0 ? undefined : parseTimestamp(parts[k - 1] ?? "");
    const segment = cleanPayloadLine(parts[k] ?? "");
    if (!segment) continue;
    segment.split(" ").forEach((w, j) => {
      words.push(w);
      times.push(j === 0 ? at : undefined);
    });
  }
  return { words, times };
}

function makeRawCue(start: number, end: number, payload: string[], line: number): RawCue {
  const wordTimed = payload.some((l) => INLINE_TIME.test(l));
  if (!wordTimed) {
    return { start, end, line, lines: payload.map(cleanPayloadLine).filter(Boolean), wordTimed };
  }
  const parsed = payload.map(timedWords).filter((p) => p.words.length > 0);
  return {
    start,
    end,
    line,
    lines: parsed.map((p) => p.words.join(" ")),
    times: parsed.map((p) => p.times),
    wordTimed,
  };
}

/** Rejects cues that go backwards in time, then orders the rest by start time. */
function checkOrder(cues: RawCue[], path: string): RawCue[] {
  let latest = Number.NEGATIVE_INFINITY;
  for (const c of cues) {
    if (c.start < latest - BACKWARDS_TOLERANCE_SEC) {
      throw badTiming(
        path,
        c.line,
        `cue starts at ${formatTime(c.start)}, going back in time from ${formatTime(latest)}`,
      );
    }
    latest = Math.max(latest, c.start);
  }
  return cues
    .map((c, i) => ({ c, i }))
    .sort((a, b) => a.c.start - b.c.start || a.i - b.i)
    .map((x) => x.c);
}

/** Number of lines at the end of `prev` that `next` starts with (the rolling-caption overlap). */
function rollingOverlap(prev: readonly string[], next: readonly string[]): number {
  for (let k = Math.min(prev.length, next.length); k > 0; k--) {
    let same = true;
    for (let j = 0; j < k; j++) {
      if (prev[prev.length - k + j] !== next[j]) {
        same = false;
        break;
      }
    }
    if (same) return k;
  }
  return 0;
}

/** True for YouTube-style rolling captions: word timings, or most cues repeating the previous line. */
function isRolling(cues: readonly RawCue[]): boolean {
  if (cues.some((c) => c.wordTimed)) return true;
  let repeats = 0;
  let pairs = 0;
  for (let i = 1; i < cues.length; i++) {
    const prev = cues[i - 1]?.lines ?? [];
    const cur = cues[i]?.lines ?? [];
    if (prev.length === 0 || cur.length === 0) continue;
    pairs++;
    if (rollingOverlap(prev, cur) > 0) repeats++;
  }
  return pairs >= 3 && repeats >= pairs * 0.5;
}

/**
 * Turns raw cues into cues whose text appears once: in rolling captions only the lines a cue
 * adds are kept (with that cue's timing); repeats and ~10 ms transition cues disappear.
 * Adjacent cues with identical text are merged.
 */
function finishCues(raw: RawCue[], path: string): Cue[] {
  if (raw.length === 0) throw badTiming(path, undefined, "no timed cues found");
  const ordered = checkOrder(raw, path);
  const rolling = isRolling(ordered);
  const cues: TimedCue[] = [];
  let shown: string[] = [];
  for (const c of ordered) {
    let lines = c.lines;
    let times = c.times;
    if (rolling) {
      const k = rollingOverlap(shown, lines);
      if (lines.length > 0) shown = lines;
      lines = lines.slice(k);
      times = times?.slice(k);
    }
    const text = collapseSpaces(lines.join(" "));
    if (!text) continue;
    const last = cues.at(-1);
    if (last && last.text === text && c.start <= last.end + 0.05) {
      last.end = Math.max(last.end, c.end);
      continue;
    }
    const flat = times?.flat();
    const wordTimes = flat && flat.length === text.split(" ").length ? flat : undefined;
    cues.push(
      wordTimes
        ? { start: c.start, end: c.end, text, wordTimes }
        : { start: c.start, end: c.end, text },
    );
  }
  if (cues.length === 0) {
    throw new IngestError(
      "no-text",
      `${path}: the subtitles have timings but no text. Check that the right file was exported.`,
      path,
    );
  }
  return isUnpunctuated(cues)
    ? punctuateCaptions(cues)
    : cues.map(({ start, end, text }) => ({ start, end, text }));
}

function transcript(path: string, cues: Cue[]): TranscriptDocument {
  return { type: "transcript", kind: "lecture", path, title: titleFromFileName(path), cues };
}

/**
 * Parses WebVTT subtitles: header, optional cue ids, cue settings, NOTE/STYLE/REGION blocks,
 * `HH:MM:SS.mmm` and `MM:SS.mmm` times; tags (`<c>`, `<v …>`, `<i>`, `<b>`, inline timestamps)
 * are stripped and entities decoded. YouTube automatic captions (rolling two-line cues with
 * word timings and ~10 ms transition cues) are de-duplicated so the spoken text appears once.
 *
 * @throws {@link IngestError} `"bad-timing"` (with the line number) or `"no-text"`.
 */
export function parseWebVtt(text: string, path: string): TranscriptDocument {
  const lines = normalizeNewlines(text).split("\n");
  const raw: RawCue[] = [];
  let i = 0;
  if (/^WEBVTT(?:[ \t]|$)/.test(lines[0] ?? "")) {
    while (i < lines.length && (lines[i] ?? "").trim() !== "") i++;
  }
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (line.trim() === "") {
      i++;
      continue;
    }
    if (/^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(line) && !line.includes("-->")) {
      while (i < lines.length && (lines[i] ?? "").trim() !== "") i++;
      continue;
    }
    let timingAt = i;
    if (!line.includes("-->")) {
      if (!(lines[i + 1] ?? "").includes("-->")) {
        while (i < lines.length && (lines[i] ?? "").trim() !== "") i++;
        continue;
      }
      timingAt = i + 1;
    }
    const [start, end] = parseTimingLine(lines[timingAt] ?? "", timingAt + 1, path);
    const payload: string[] = [];
    let j = timingAt + 1;
    for (; j < lines.length; j++) {
      const l = lines[j] ?? "";
      if (l.includes("-->")) break;
      const hasText = payload.some((p) => p.trim() !== "");
      if (l === "" || (l.trim() === "" && hasText)) break;
      payload.push(l);
    }
    raw.push(makeRawCue(start, end, payload, timingAt + 1));
    i = j;
  }
  return transcript(path, finishCues(raw, path));
}

/**
 * Parses SubRip subtitles: tolerates a UTF-8 BOM, CRLF or CR line breaks, missing or extra blank
 * lines and missing cue numbers; strips `<i>`, `<b>`, `<font …>` and `{\an8}`-style tags.
 *
 * @throws {@link IngestError} `"bad-timing"` (with the line number) or `"no-text"`.
 */
export function parseSrt(text: string, path: string): TranscriptDocument {
  const lines = normalizeNewlines(text).split("\n");
  const timingLines: number[] = [];
  lines.forEach((l, idx) => {
    if (l.includes("-->")) timingLines.push(idx);
  });
  const raw: RawCue[] = [];
  timingLines.forEach((t, k) => {
    const [start, end] = parseTimingLine(lines[t] ?? "", t + 1, path);
    const next = timingLines[k + 1] ?? lines.length;
    const payload = lines.slice(t + 1, next);
    if (k + 1 < timingLines.length) {
      while (payload.length > 0 && (payload.at(-1) ?? "").trim() === "") payload.pop();
      if (/^\s*\d+\s*$/.test(payload.at(-1) ?? "")) payload.pop();
    }
    raw.push(makeRawCue(start, end, payload, t + 1));
  });
  return transcript(path, finishCues(raw, path));
}

const MARKER = /\[(\d{1,3}):(\d{1,2})(?::(\d{1,2}))?(?:[.,](\d{1,3}))?\]/g;

/** Number of `[mm:ss]` / `[hh:mm:ss]` markers in a text. */
export function countTimestampMarkers(text: string): number {
  return [...text.matchAll(MARKER)].length;
}

/**
 * Parses plain text with `[mm:ss]` or `[hh:mm:ss]` markers: each marker starts a cue that lasts
 * until the next marker; the last cue lasts an estimated words / 2.4 seconds.
 * Text before the first marker (usually a title line) is not part of any cue.
 *
 * @throws {@link IngestError} `"bad-timing"` (with the line number) or `"no-text"`.
 */
export function parseTimestampedText(text: string, path: string): TranscriptDocument {
  const body = normalizeNewlines(text);
  // Line numbers are counted incrementally: markers come in order, so the text is scanned once.
  let line = 1;
  let counted = 0;
  const lineAt = (index: number) => {
    for (
      let at = body.indexOf("\n", counted);
      at !== -1 && at < index;
      at = body.indexOf("\n", at + 1)
    )
      line++;
    counted = index;
    return line;
  };
  const markers = [...body.matchAll(MARKER)].map((m) => {
    const index = m.index ?? 0;
    const line = lineAt(index);
    const [a, b, c, frac] = [m[1], m[2], m[3], m[4]];
    const fraction = frac ? Number(frac.padEnd(3, "0")) / 1000 : 0;
    let seconds: number | undefined;
    if (c === undefined) {
      seconds = Number(b) < 60 ? Number(a) * 60 + Number(b) : undefined;
    } else {
      seconds =
        Number(b) < 60 && Number(c) < 60
          ? Number(a) * 3600 + Number(b) * 60 + Number(c)
          : undefined;
    }
    if (seconds === undefined) throw badTiming(path, line, `invalid time marker ${m[0]}`);
    return { start: round3(seconds + fraction), index, end: index + m[0].length, line };
  });
  if (markers.length === 0) throw badTiming(path, undefined, "no [mm:ss] time markers found");

  const raw: RawCue[] = [];
  markers.forEach((m, k) => {
    const next = markers[k + 1];
    const segment = collapseSpaces(body.slice(m.end, next ? next.index : body.length));
    const end = next
      ? Math.max(m.start, next.start)
      : round3(m.start + Math.max(1, countWords(segment) / WORDS_PER_SECOND));
    raw.push({
      start: m.start,
      end,
      lines: segment ? [segment] : [],
      line: m.line,
      wordTimed: false,
    });
  });
  return transcript(path, finishCues(raw, path));
}
