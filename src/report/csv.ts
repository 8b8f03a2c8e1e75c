/**
 * CSV as spreadsheets read and write it (RFC 4180): comma-separated, fields with commas, quotes
 * or line breaks in double quotes, quotes doubled, CRLF between records, UTF-8 with a byte order
 * mark so that spreadsheet programs show Latvian letters. Writing goes through `csv-stringify`;
 * reading is a small parser that numbers records by the line they start on. Pure functions.
 *
 * Cells come from users (questions reach the FAQ and the desk's exports), so a cell that a
 * spreadsheet would run as a formula — starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return — is written with a leading apostrophe, which spreadsheets show as text (OWASP's advice
 * on CSV injection); reading takes that apostrophe off again, so an export imports unchanged.
 */

import { stringify } from "csv-stringify/sync";
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

/** What a spreadsheet would take for the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A cell {@link inertCell} guarded. */
const GUARDED = /^'[=+\-@\t\r]/;

/** A cell a spreadsheet will not evaluate: a formula-like start gets a leading apostrophe. */
export function inertCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The cell {@link inertCell} was given. */
export function restoreCell(value: string): string {
  return GUARDED.test(value) ? value.slice(1) : value;
}

/** Options of {@link toCsv}. */
export interface ToCsvOptions {
  /** Start with a byte order mark. Default true. */
  bom?: boolean;
}

/**
 * Writes records as CSV: CRLF after every record, fields quoted when needed (also when they
 * start or end with white space, which spreadsheets would trim), every cell through
 * {@link inertCell}.
 */
export function toCsv(records: readonly (readonly string[])[], options: ToCsvOptions = {}): string {
  return stringify(
    records.map((r) => r.map(inertCell)),
    {
      bom: options.bom ?? true,
      record_delimiter: "windows",
      // csv-stringify quotes the record delimiter (CRLF) but not a lone LF or CR.
      quoted_match: /^\s|\s$|[\r\n]/,
    },
  );
}

/**
 * Parses CSV text (a leading BOM is ignored; CRLF, LF or CR line ends). Empty lines between
 * records are skipped; a cell {@link toCsv} guarded is restored. Throws {@link CsvError} with
 * the line number on malformed quoting.
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
    fields.push(restoreCell(field));
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
