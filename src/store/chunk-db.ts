import Database from "better-sqlite3";
import type { Chunk, LectureMeta, SourceKind } from "../types.js";
import { StoreError } from "./errors.js";

/** Version of the chunk database schema; a database of another version must be rebuilt. */
export const CHUNK_DB_VERSION = 4;

/** A stored source file and what it produced. */
export interface FileRecord {
  path: string;
  hash: string;
  kind: SourceKind;
  title: string;
  chunkCount: number;
}

/** A keyword hit: chunk row label and its BM25 score (higher is better). */
export interface KeywordHit {
  label: number;
  score: number;
}

/** The chunk database of one index build: chunks, their analysed tokens (FTS5), files, lectures. */
export interface ChunkDb {
  /** Adds a chunk with its analysed body and heading tokens; returns its integer label. */
  addChunk(chunk: Chunk, bodyTokens: string[], headingTokens: string[]): number;
  addFile(file: FileRecord): void;
  setLectures(lectures: LectureMeta[]): void;
  /** BM25 over the analysed tokens (OR of the tokens). */
  keywordSearch(tokens: string[], k: number): KeywordHit[];
  getChunks(labels: number[]): Map<number, Chunk>;
  /** Every indexed token with the number of chunks it occurs in. */
  vocabulary(): Map<string, number>;
  /** Number of chunks each token occurs in (tokens absent from the index are left out). */
  documentFrequency(tokens: string[]): Map<string, number>;
  /** Chunks of one file in order, with labels. */
  chunksOfFile(path: string): { label: number; chunk: Chunk }[];
  allLabels(): number[];
  files(): FileRecord[];
  lectures(): LectureMeta[];
  count(): number;
  transaction<T>(fn: () => T): T;
  close(): void;
}

interface ChunkRow {
  label: number;
  id: string;
  kind: SourceKind;
  path: string;
  title: string;
  text: string;
  section: string | null;
  page: number | null;
  page_end: number | null;
  page_label: string | null;
  page_end_label: string | null;
  language: string | null;
  page_breaks: string | null;
  start_sec: number | null;
  end_sec: number | null;
  url: string | null;
  lecture_id: string | null;
  ordinal: number;
}

function rowToChunk(r: ChunkRow): Chunk {
  const c: Chunk = {
    id: r.id,
    kind: r.kind,
    path: r.path,
    title: r.title,
    text: r.text,
    ordinal: r.ordinal,
  };
  if (r.section !== null) c.section = r.section;
  if (r.page !== null) c.page = r.page;
  if (r.page_end !== null) c.pageEnd = r.page_end;
  if (r.page_label !== null) c.pageLabel = r.page_label;
  if (r.page_end_label !== null) c.pageEndLabel = r.page_end_label;
  if (r.language === "lv" || r.language === "en") c.language = r.language;
  if (r.page_breaks !== null) c.pageBreaks = JSON.parse(r.page_breaks) as Chunk["pageBreaks"];
  if (r.start_sec !== null) c.startSec = r.start_sec;
  if (r.end_sec !== null) c.endSec = r.end_sec;
  if (r.url !== null) c.url = r.url;
  if (r.lecture_id !== null) c.lectureId = r.lecture_id;
  return c;
}

const schema = `
CREATE TABLE chunks(
  label INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, path TEXT NOT NULL,
  title TEXT NOT NULL, text TEXT NOT NULL, section TEXT, page INTEGER, page_end INTEGER,
  page_label TEXT, page_end_label TEXT, language TEXT, page_breaks TEXT, start_sec REAL, end_sec REAL, url TEXT, lecture_id TEXT, ordinal INTEGER NOT NULL);
CREATE INDEX chunks_path ON chunks(path, ordinal);
CREATE VIRTUAL TABLE chunks_fts USING fts5(body, heading, content='', contentless_delete=1,
  tokenize="unicode61 remove_diacritics 0 tokenchars '.,-'");
CREATE VIRTUAL TABLE chunks_vocab USING fts5vocab(chunks_fts, 'row');
CREATE TABLE files(path TEXT PRIMARY KEY, hash TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,
  chunk_count INTEGER NOT NULL);
CREATE TABLE lectures(ord INTEGER PRIMARY KEY, json TEXT NOT NULL);
`;

/** Quotes a token for an FTS5 query. */
function ftsQuote(token: string): string {
  return `"${token.replaceAll('"', '""')}"`;
}

/**
 * Opens (or, with `create`, creates) the chunk database of an index build.
 * A database of another schema version fails with a message to re-ingest.
 */
export function openChunkDb(
  path: string,
  options: { create?: boolean; readonly?: boolean } = {},
): ChunkDb {
  let db: Database.Database;
  try {
    db = new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: !options.create,
    });
  } catch (cause) {
    throw new StoreError(
      "corrupt-index",
      `Cannot open ${path}. Run \`npm run ingest\` to rebuild the index.`,
      path,
      { cause },
    );
  }
  try {
    db.pragma("busy_timeout = 5000");
    if (options.create) {
      db.pragma("journal_mode = OFF");
      db.pragma("synchronous = OFF");
      db.exec(schema);
      db.pragma(`user_version = ${CHUNK_DB_VERSION}`);
    } else {
      const version = db.pragma("user_version", { simple: true }) as number;
      if (version !== CHUNK_DB_VERSION) {
        throw new StoreError(
          "old-version",
          `${path} was written by another version of Padoms (schema ${version}, expected ${CHUNK_DB_VERSION}). Run \`npm run ingest\` to rebuild the index.`,
          path,
        );
      }
    }
  } catch (cause) {
    db.close();
    if (cause instanceof StoreError) throw cause;
    throw new StoreError(
      "corrupt-index",
      `${path} is not a valid Padoms index database. Run \`npm run ingest\` to rebuild the index.`,
      path,
      { cause },
    );
  }

  const insertChunk = options.readonly
    ? undefined
    : db.prepare(
        `INSERT INTO chunks(id, kind, path, title, text, section, page, page_end, page_label, page_end_label, language, page_breaks, start_sec, end_sec, url, lecture_id, ordinal)
         VALUES (@id, @kind, @path, @title, @text, @section, @page, @pageEnd, @pageLabel, @pageEndLabel, @language, @pageBreaks, @startSec, @endSec, @url, @lectureId, @ordinal)`,
      );
  const insertFts = options.readonly
    ? undefined
    : db.prepare("INSERT INTO chunks_fts(rowid, body, heading) VALUES (?, ?, ?)");
  const byLabel = db.prepare("SELECT * FROM chunks WHERE label = ?");
  const vocab = db.prepare("SELECT doc FROM chunks_vocab WHERE term = ?");

  return {
    addChunk(chunk, bodyTokens, headingTokens) {
      if (!insertChunk || !insertFts) throw new Error("chunk database opened read-only");
      const info = insertChunk.run({
        id: chunk.id,
        kind: chunk.kind,
        path: chunk.path,
        title: chunk.title,
        text: chunk.text,
        section: chunk.section ?? null,
        page: chunk.page ?? null,
        pageEnd: chunk.pageEnd ?? null,
        pageLabel: chunk.pageLabel ?? null,
        pageEndLabel: chunk.pageEndLabel ?? null,
        language: chunk.language ?? null,
        pageBreaks: chunk.pageBreaks ? JSON.stringify(chunk.pageBreaks) : null,
        startSec: chunk.startSec ?? null,
        endSec: chunk.endSec ?? null,
        url: chunk.url ?? null,
        lectureId: chunk.lectureId ?? null,
        ordinal: chunk.ordinal,
      });
      const label = Number(info.lastInsertRowid);
      insertFts.run(label, bodyTokens.join(" "), headingTokens.join(" "));
      return label;
    },
    addFile(file) {
      db.prepare(
        "INSERT OR REPLACE INTO files(path, hash, kind, title, chunk_count) VALUES (?, ?, ?, ?, ?)",
      ).run(file.path, file.hash, file.kind, file.title, file.chunkCount);
    },
    setLectures(lectures) {
      db.prepare("DELETE FROM lectures").run();
      const ins = db.prepare("INSERT INTO lectures(ord, json) VALUES (?, ?)");
      for (const [i, l] of lectures.entries()) ins.run(i, JSON.stringify(l));
    },
    keywordSearch(tokens, k) {
      const unique = [...new Set(tokens.filter(Boolean))];
      if (unique.length === 0) return [];
      const query = unique.map(ftsQuote).join(" OR ");
      const rows = db
        .prepare(
          "SELECT rowid AS label, bm25(chunks_fts, 1.0, 0.6) AS s FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY s LIMIT ?",
        )
        .all(query, k) as { label: number; s: number }[];
      return rows.map((r) => ({ label: r.label, score: -r.s }));
    },
    getChunks(labels) {
      const out = new Map<number, Chunk>();
      for (const label of labels) {
        const row = byLabel.get(label) as ChunkRow | undefined;
        if (row) out.set(label, rowToChunk(row));
      }
      return out;
    },
    vocabulary() {
      const rows = db.prepare("SELECT term, doc FROM chunks_vocab").raw().all() as [
        string,
        number,
      ][];
      return new Map(rows);
    },
    documentFrequency(tokens) {
      const out = new Map<string, number>();
      for (const t of new Set(tokens)) {
        const row = vocab.get(t) as { doc: number } | undefined;
        if (row) out.set(t, row.doc);
      }
      return out;
    },
    chunksOfFile(path) {
      const rows = db
        .prepare("SELECT * FROM chunks WHERE path = ? ORDER BY ordinal")
        .all(path) as ChunkRow[];
      return rows.map((r) => ({ label: r.label, chunk: rowToChunk(r) }));
    },
    allLabels() {
      return (
        db.prepare("SELECT label FROM chunks ORDER BY label").all() as { label: number }[]
      ).map((r) => r.label);
    },
    files() {
      const rows = db.prepare("SELECT * FROM files ORDER BY path").all() as {
        path: string;
        hash: string;
        kind: SourceKind;
        title: string;
        chunk_count: number;
      }[];
      return rows.map((r) => ({
        path: r.path,
        hash: r.hash,
        kind: r.kind,
        title: r.title,
        chunkCount: r.chunk_count,
      }));
    },
    lectures() {
      const rows = db.prepare("SELECT json FROM lectures ORDER BY ord").all() as { json: string }[];
      return rows.map((r) => JSON.parse(r.json) as LectureMeta);
    },
    count() {
      return (db.prepare("SELECT count(*) AS n FROM chunks").get() as { n: number }).n;
    },
    transaction(fn) {
      return db.transaction(fn)();
    },
    close() {
      db.close();
    },
  };
}
