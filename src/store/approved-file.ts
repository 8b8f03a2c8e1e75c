/**
 * Approved answers as files coordinators keep in a spreadsheet: CSV (header, RFC 4180, UTF-8
 * with BOM) or JSON (an array of objects). Reading validates every row and reports problems by
 * line number. Pure functions.
 */
import { MAX_WORDINGS } from "../answer/ports.js";
import { CsvError, parseCsv, toCsv } from "../report/csv.js";
import { type ApprovedAnswerRow, approvedViewOf as toRecord } from "./app-state.js";

/** One approved answer in a file. */
export interface ApprovedAnswerRecord {
  /** Present: updates (or creates) that entry; absent: a new entry. */
  id?: number;
  question: string;
  answer: string;
  /** ISO timestamp; absent: the time of import. */
  approvedAt?: string;
  approvedBy?: string;
  /**
   * Other wordings of the question (CSV: one per line of the cell). Absent (no such column or
   * key): an updated entry keeps the ones it has.
   */
  wordings?: string[];
}

/** A record read from a file, with the line it starts on. */
export interface ParsedRecord extends ApprovedAnswerRecord {
  line: number;
}

/** A problem found in a file. */
export interface FileProblem {
  /** 1-based line of the file (of the row, or of the JSON object). */
  line: number;
  message: string;
}

/** What reading a file gives: the valid records and the problems of the others. */
export interface ParsedApprovedFile {
  records: ParsedRecord[];
  problems: FileProblem[];
}

/** File formats. */
export type ApprovedFileFormat = "csv" | "json";

/** Columns of the CSV file, in order. */
export const APPROVED_CSV_COLUMNS = [
  "id",
  "question",
  "answer",
  "approved_at",
  "approved_by",
  "other_wordings",
] as const;

/** Longest accepted question and answer, in characters. */
export const MAX_QUESTION_CHARS = 1000;
export const MAX_ANSWER_CHARS = 4000;

/** Picks the format from a file name: `.json` is JSON, anything else CSV. */
export function formatOfFile(path: string): ApprovedFileFormat {
  return /\.json$/i.test(path) ? "json" : "csv";
}

/** Approved answers as CSV with a header. */
export function approvedToCsv(rows: readonly ApprovedAnswerRow[]): string {
  return toCsv([
    [...APPROVED_CSV_COLUMNS],
    ...rows.map((r) => [
      String(r.id),
      r.question,
      r.answer,
      r.approvedAt,
      r.approvedBy ?? "",
      r.wordings.join("\n"),
    ]),
  ]);
}

/** Approved answers as a JSON array. */
export function approvedToJson(rows: readonly ApprovedAnswerRow[]): string {
  return `${JSON.stringify(rows.map(toRecord), null, 2)}\n`;
}

/** Normalises a date as spreadsheets may write it: ISO, `YYYY-MM-DD`, or `DD.MM.YYYY.`. */
export function normaliseDate(text: string): string | undefined {
  const s = text.trim();
  const lv = /^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?(?:\s+(\d{1,2}):(\d{2}))?$/.exec(s);
  const dateOnly = lv !== null || /^\d{4}-\d{2}-\d{2}$/.test(s);
  const iso = lv
    ? `${lv[3]}-${(lv[2] as string).padStart(2, "0")}-${(lv[1] as string).padStart(2, "0")}T${(lv[4] ?? "0").padStart(2, "0")}:${lv[5] ?? "00"}:00Z`
    : /^\d{4}-\d{2}-\d{2}$/.test(s)
      ? `${s}T00:00:00Z`
      : s;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso)) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  // Reject dates that roll over (31.02. → 03.03.).
  if (dateOnly && date.toISOString().slice(0, 10) !== iso.slice(0, 10)) return undefined;
  return date.toISOString();
}

/** Validates one record's fields; returns the record or the problems. */
function validate(
  fields: {
    id?: unknown;
    question?: unknown;
    answer?: unknown;
    approvedAt?: unknown;
    approvedBy?: unknown;
    /** An array (JSON) or a text with one wording per line (CSV); undefined: not given. */
    wordings?: unknown;
  },
  line: number,
): ParsedRecord | FileProblem[] {
  const problems: string[] = [];
  const text = (v: unknown) =>
    typeof v === "string" ? v.trim() : typeof v === "number" ? String(v) : undefined;
  const question = text(fields.question) ?? "";
  const answer = text(fields.answer) ?? "";
  if (!question) problems.push("the question is empty");
  else if (question.length > MAX_QUESTION_CHARS)
    problems.push(`the question is longer than ${MAX_QUESTION_CHARS} characters`);
  if (!answer) problems.push("the answer is empty");
  else if (answer.length > MAX_ANSWER_CHARS)
    problems.push(`the answer is longer than ${MAX_ANSWER_CHARS} characters`);
  let id: number | undefined;
  const idText = text(fields.id) ?? "";
  if (idText) {
    if (/^\d{1,9}$/.test(idText) && Number(idText) > 0) id = Number(idText);
    else problems.push(`the id "${idText}" is not a positive whole number`);
  }
  let approvedAt: string | undefined;
  const dateText = text(fields.approvedAt) ?? "";
  if (dateText) {
    approvedAt = normaliseDate(dateText);
    if (!approvedAt) problems.push(`the date "${dateText}" is not a date (use YYYY-MM-DD)`);
  }
  const approvedBy = text(fields.approvedBy) || undefined;
  let wordings: string[] | undefined;
  if (fields.wordings !== undefined && fields.wordings !== null) {
    const list =
      typeof fields.wordings === "string"
        ? fields.wordings.split(/\r?\n/)
        : Array.isArray(fields.wordings) && fields.wordings.every((w) => typeof w === "string")
          ? (fields.wordings as string[])
          : undefined;
    if (!list) problems.push("the other wordings are not a list of texts");
    else {
      wordings = [...new Set(list.map((w) => w.trim()).filter(Boolean))];
      if (wordings.some((w) => w.length > MAX_QUESTION_CHARS))
        problems.push(`a wording is longer than ${MAX_QUESTION_CHARS} characters`);
      if (wordings.length > MAX_WORDINGS) problems.push(`more than ${MAX_WORDINGS} other wordings`);
    }
  }
  if (problems.length) return problems.map((message) => ({ line, message }));
  return {
    line,
    question,
    answer,
    ...(id !== undefined ? { id } : {}),
    ...(approvedAt ? { approvedAt } : {}),
    ...(approvedBy ? { approvedBy } : {}),
    ...(wordings ? { wordings } : {}),
  };
}

function finish(
  candidates: (ParsedRecord | FileProblem[])[],
  problems: FileProblem[],
): ParsedApprovedFile {
  const records: ParsedRecord[] = [];
  const ids = new Map<number, number>();
  for (const c of candidates) {
    if (Array.isArray(c)) {
      problems.push(...c);
      continue;
    }
    if (c.id !== undefined) {
      const first = ids.get(c.id);
      if (first !== undefined) {
        problems.push({
          line: c.line,
          message: `the id ${c.id} is used again (first on line ${first})`,
        });
        continue;
      }
      ids.set(c.id, c.line);
    }
    records.push(c);
  }
  problems.sort((a, b) => a.line - b.line);
  return { records, problems };
}

/** Reads the CSV file format (header required; column order free; extra columns ignored). */
export function parseApprovedCsv(text: string): ParsedApprovedFile {
  let rows: ReturnType<typeof parseCsv>;
  try {
    rows = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError)
      return {
        records: [],
        problems: [{ line: error.line, message: error.message.replace(/^line \d+: /, "") }],
      };
    throw error;
  }
  const [header, ...body] = rows;
  if (!header) return { records: [], problems: [{ line: 1, message: "the file is empty" }] };
  const names = header.fields.map((f) => f.trim().toLowerCase().replace(/\s+/g, "_"));
  const col = (name: string) => names.indexOf(name);
  const missing = ["question", "answer"].filter((n) => col(n) < 0);
  if (missing.length) {
    return {
      records: [],
      problems: [
        {
          line: header.line,
          message: `the header lacks the column(s) ${missing.join(", ")} (expected: ${APPROVED_CSV_COLUMNS.join(",")})`,
        },
      ],
    };
  }
  const problems: FileProblem[] = [];
  const candidates = body.map((row) => {
    if (row.fields.length > names.length && row.fields.slice(names.length).some((f) => f.trim())) {
      return [
        {
          line: row.line,
          message: `${row.fields.length} fields, but the header has ${names.length}`,
        },
      ];
    }
    const get = (name: string) => {
      const i = col(name);
      return i < 0 ? undefined : row.fields[i];
    };
    return validate(
      {
        id: get("id"),
        question: get("question"),
        answer: get("answer"),
        approvedAt: get("approved_at"),
        approvedBy: get("approved_by"),
        wordings: get("other_wordings"),
      },
      row.line,
    );
  });
  return finish(candidates, problems);
}

/** Offsets where the elements of a top-level JSON array start (for line numbers). */
function arrayElementOffsets(text: string): number[] {
  const offsets: number[] = [];
  let depth = 0;
  let inString = false;
  let expecting = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (/\s/.test(ch)) continue;
    if (depth === 1 && expecting && ch !== "]") {
      offsets.push(i);
      expecting = false;
    }
    if (ch === '"') inString = true;
    else if (ch === "[" || ch === "{") {
      depth++;
      if (depth === 1 && ch === "[") expecting = true;
    } else if (ch === "]" || ch === "}") depth--;
    else if (ch === "," && depth === 1) expecting = true;
  }
  return offsets;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === "\n") line++;
  return line;
}

/**
 * Reads the JSON file format: an array of `{ id?, question, answer, approvedAt?, approvedBy?,
 * wordings? }`.
 */
export function parseApprovedJson(text: string): ParsedApprovedFile {
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(src);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    return {
      records: [],
      problems: [
        {
          line: position ? lineAt(src, Number(position)) : 1,
          message: `not valid JSON (${(error as Error).message})`,
        },
      ],
    };
  }
  if (!Array.isArray(data)) {
    return {
      records: [],
      problems: [{ line: 1, message: "expected a JSON array of approved answers" }],
    };
  }
  const offsets = arrayElementOffsets(src);
  const candidates = data.map((item, i) => {
    const line = lineAt(src, offsets[i] ?? 0);
    if (!item || typeof item !== "object" || Array.isArray(item)) {
      return [{ line, message: "expected an object with question and answer" }];
    }
    const o = item as Record<string, unknown>;
    return validate(
      {
        id: o.id,
        question: o.question,
        answer: o.answer,
        approvedAt: o.approvedAt ?? o.approved_at,
        approvedBy: o.approvedBy ?? o.approved_by,
        wordings: o.wordings ?? o.other_wordings,
      },
      line,
    );
  });
  return finish(candidates, []);
}

/** Reads a file in the given format. */
export function parseApprovedFile(text: string, format: ApprovedFileFormat): ParsedApprovedFile {
  return format === "json" ? parseApprovedJson(text) : parseApprovedCsv(text);
}

/** Writes approved answers in the given format. */
export function writeApprovedFile(
  rows: readonly ApprovedAnswerRow[],
  format: ApprovedFileFormat,
): string {
  return format === "json" ? approvedToJson(rows) : approvedToCsv(rows);
}
