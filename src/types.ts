/**
 * Domain types shared by every stage of the data's journey:
 * files → ingest → text → embed → store → retrieval → answer → bot / cli.
 * Pure data, no behaviour.
 */

/** What a passage comes from. */
export type SourceKind = "handbook" | "lecture" | "faq" | "document";

/** One paragraph-like block of a paged or sectioned document, as a loader found it. */
export interface TextBlock {
  text: string;
  /** Page number in the file (1-based) for PDFs; absent for Markdown and plain text. */
  page?: number;
  /** The printed page label ("8", "iv") when the PDF's labels differ from its page numbers. */
  pageLabel?: string;
  /** Section path, outermost first, e.g. `["3. Statusa kritēriji", "3.2. Ietekmes veidi"]`. */
  section: string[];
  /** True when the block is itself a heading (it is also the last element of `section`). */
  heading?: boolean;
}

/** One timed caption of a transcript, times in seconds. */
export interface Cue {
  start: number;
  end: number;
  text: string;
}

/** Metadata of a lecture, from `lectures.json`. */
export interface LectureMeta {
  id: string;
  /** File name relative to the folder of `lectures.json`. */
  file: string;
  title: string;
  /** A role, e.g. "mentore", "finanšu konsultants". */
  lecturer?: string;
  /** ISO date (YYYY-MM-DD). */
  date?: string;
  durationSec?: number;
  topics?: string[];
  summary?: string;
  /** Key moments shown by the bot's lecture view. */
  moments?: { startSec: number; title: string }[];
  /** Video address; empty or absent when unknown. */
  url?: string;
  language?: string;
  /** Who the lecture is for; the lecture finder suggests "beginner" ones to newcomers. */
  level?: "beginner" | "intermediate" | "advanced";
  /** Suggested viewing order in the series (1 = first). */
  order?: number;
}

/** A loaded source file, before chunking. */
export type SourceDocument =
  | {
      type: "text";
      kind: "handbook" | "document";
      /** Path relative to the corpus folder, with forward slashes. */
      path: string;
      title: string;
      blocks: TextBlock[];
      /** Number of pages for paged documents. */
      pageCount?: number;
      /** Language of the text, when known ("lv", "en"); the chunker detects it otherwise. */
      language?: "lv" | "en";
      /** The encoding assumed for a text file that was not UTF-8 (`"windows-1257"`). */
      encoding?: string;
    }
  | {
      type: "transcript";
      kind: "lecture";
      path: string;
      title: string;
      cues: Cue[];
      meta?: LectureMeta;
      /** Language of the speech, when known ("lv", "en"); the chunker detects it otherwise. */
      language?: "lv" | "en";
      /** The encoding assumed for a text file that was not UTF-8 (`"windows-1257"`). */
      encoding?: string;
    };

/** A passage of the index: the unit of retrieval and citation. */
export interface Chunk {
  /** Stable id: derived from the path, the position and the text. */
  id: string;
  kind: SourceKind;
  /** Path of the source file relative to the corpus folder ("faq/<id>" for approved answers). */
  path: string;
  /** Title of the document or lecture. */
  title: string;
  text: string;
  /** Section path joined with " › " (handbook and documents). */
  section?: string;
  /** First and last page in the file (handbook); links to the PDF use these. */
  page?: number;
  pageEnd?: number;
  /** Printed labels of `page` and `pageEnd`, when the PDF's labels differ from its page numbers. */
  pageLabel?: string;
  pageEndLabel?: string;
  /**
   * Where the text moves to another page: from character `at` of `text` on, the text is on
   * `page` (printed `label`). Only for passages that run over a page break.
   */
  pageBreaks?: { at: number; page: number; label?: string }[];
  /** Language of the source text ("lv", "en"), when it could be told. */
  language?: "lv" | "en";
  /** Time range in seconds (lectures). */
  startSec?: number;
  endSec?: number;
  /** Video address of the lecture, if known. */
  url?: string;
  /** Lecture id from lectures.json. */
  lectureId?: string;
  /** Position of the chunk within its file (0-based). */
  ordinal: number;
}

/** A chunk returned by search, with its fused score and rank (1-based). */
export interface RetrievedChunk {
  chunk: Chunk;
  rank: number;
  /** Fused score (higher is better). */
  score: number;
  /** Normalised keyword relevance in [0, 1], when the keyword index matched. */
  keywordScore?: number;
  /** Cosine similarity in [-1, 1], when the vector index returned it. */
  vectorScore?: number;
}

/** A numbered source of an answer, as every front end shows it. */
export interface Citation {
  n: number;
  kind: SourceKind;
  title: string;
  path: string;
  page?: number;
  pageEnd?: number;
  /** Printed labels of `page` and `pageEnd` (shown instead of the numbers when present). */
  pageLabel?: string;
  pageEndLabel?: string;
  section?: string;
  startSec?: number;
  endSec?: number;
  /** Link to the moment of the video, when the lecture has a url. */
  url?: string;
  chunkId: string;
  /** The quoted passage (for "Sources" expansion). */
  text: string;
}

export type AnswerMode = "extractive" | "llm" | "fallback" | "faq";

/** What the answering engine returns for a question. */
export interface Answer {
  question: string;
  /** Language detected for the question. */
  language: "lv" | "en";
  /** False when Padoms declined: nothing relevant in the materials, or bad input. */
  answered: boolean;
  /** Plain-text answer with [n] markers that refer to `citations`. */
  answer: string;
  mode: AnswerMode;
  citations: Citation[];
  /** Why the answer was declined, if it was. */
  declineReason?: "no-match" | "bad-input";
  /**
   * On a decline of a question near what the materials cover: the place they come closest to
   * it (`n` 0: named in the text, never cited as an answer).
   */
  closest?: Citation;
  /** Lectures suggested when declining or as "related lecture". */
  relatedLectures?: { id: string; title: string; startSec?: number; url?: string }[];
  /** Approved FAQ entry used, if any. */
  faq?: { id: string; approvedAt: string };
  /**
   * An approved FAQ entry close to the question but below the match: offered to the asker by its
   * question, who opens it if it is theirs.
   */
  offer?: { id: string; question: string };
  /** How well the materials cover the question, in [0, 1] (absent for bad input and FAQ). */
  relevance?: number;
  latencyMs: number;
}

/** An approved answer as stored, with its search data. */
export interface ApprovedAnswerRow {
  id: number;
  question: string;
  answer: string;
  /** ISO timestamp of approval (shown to users as the answer's date). */
  approvedAt: string;
  approvedBy?: string;
  updatedAt: string;
  /** Analysed tokens of the question. */
  tokens: string[];
  /** Embedding of the question; absent until indexed. */
  vector?: Float32Array;
  /** Embedder that made {@link ApprovedAnswerRow.vector}. */
  embedderId?: string;
  /** The coordinator's reply it came from, while that reply is kept. */
  sourceReplyId?: number;
  /**
   * Other wordings of the question that coordinators attached (a handed-off question they
   * answered with this entry): matched like the question itself.
   */
  wordings: string[];
}

/** Fields of a new approved answer. */
export interface ApprovedAnswerInput {
  /** Keeps this id (import); absent: a new one. */
  id?: number;
  question: string;
  answer: string;
  approvedAt?: string;
  approvedBy?: string;
  sourceReplyId?: number;
  /** Other wordings of the question; absent: none (an import keeps those an entry had). */
  wordings?: string[];
}
