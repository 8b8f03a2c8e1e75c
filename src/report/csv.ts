/**
 * CSV as spreadsheets read and write it (RFC 4180): comma-separated, fields with commas, quotes
 * or line breaks in double quotes, quotes doubled, CRLF between records, UTF-8 with a byte order
 * mark so that spreadsheet programs show Latvian letters. Pure functions.
 */

import { PadomsError } from "../errors.js";

/** The UTF-8 byte order mark as a string. */
export const BOM = "\uFEFF";

/** One parsed record with the (1-based) line of the file where it starts. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Thrown for text that is not valid CSV (an unclosed quote, text after a closing quote). */
export class CsvError extends PadomsError<"invalid-csv"> {
  override readonly name = "CsvError";
  constructor(
    message: string,
    readonly line: number,
  ) {
    super("invalid-csv", message);
  }
}

function quoteField(field: string): string {
  return /[",\r\n]/.test(field) || /^\s|\s$/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** Options of {@link toCsv}. */
export interface ToCsvOptions {
  /** Start with a byte order mark. Default true. */
  bom?: boolean;
}

/** Writes records as CSV: CRLF after every record, fields quoted when needed. */
export function toCsv(records: readonly (readonly string[])[], options: ToCsvOptions = {}): string {
  const body = records.map((r) => `${r.map(quoteField).join(",")}\r\n`).join("");
  return (options.bom ?? true) ? BOM + body : body;
}

/**
 * Parses CSV text (a leading BOM is ignored; CRLF, LF or CR line ends). Empty lines between
 * records are skipped. Throws {@link CsvError} with the line number on malformed quoting.
 */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.startsWith(BOM) ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let start = 1;
  let inQuotes = false;
  let quoted = false;
  let quoteLine = 1;
  let i = 0;
  const endField = () => {
    fields.push(field);
    field = "";
    quoted = false;
  };
  const endRecord = () => {
    const wasQuoted = quoted;
    endField();
    if (!(fields.length === 1 && fields[0] === "" && !wasQuoted)) {
      records.push({ line: start, fields });
    }
    fields = [];
  };
  while (i < src.length) {
    const ch = src[i] as string;
    if (inQuotes) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        const next = src[i];
        if (next !== undefined && next !== "," && next !== "\r" && next !== "\n") {
          throw new CsvError(`line ${line}: text after a closing quote`, line);
        }
        continue;
      }
      if (ch === "\r" || ch === "\n") {
        if (ch === "\r" && src[i + 1] === "\n") {
          field += "\r\n";
          i += 2;
        } else {
          field += ch;
          i++;
        }
        line++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === "") {
      inQuotes = true;
      quoted = true;
      quoteLine = line;
      i++;
      continue;
    }
    if (ch === ",") {
      endField();
      i++;
      continue;
    }
    if (ch === "\r" || ch === "\n") {
      const wasEmpty = fields.length === 0 && field === "" && !quoted;
      if (wasEmpty) {
        fields = [];
      } else {
        endRecord();
      }
      i += ch === "\r" && src[i + 1] === "\n" ? 2 : 1;
      line++;
      start = line;
      continue;
    }
    field += ch;
    i++;
  }
  if (inQuotes) throw new CsvError(`line ${quoteLine}: a quoted field is never closed`, quoteLine);
  if (field !== "" || fields.length > 0 || quoted) endRecord();
  return records;
}
