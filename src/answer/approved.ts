/**
 * Approved answers: questions the coordinators answered and saved as FAQ. They are searched
 * before the materials. Each one is kept in the app database with the analysed tokens and the
 * vector of its question (from the index's embedder), so it is searchable at once and survives
 * re-ingest; matching is in memory, and vectors made by another embedder are re-made lazily.
 */
import type { Logger } from "../log.js";
import { silentLogger } from "../log.js";
import type { PreparedQuery } from "../retrieval/query.js";
import { analyze } from "../text/analyze.js";
import { foldDiacritics } from "../text/normalize.js";
import type { ApprovedAnswerInput, ApprovedAnswerRow } from "../types.js";
import type { SentenceSimilarity } from "./features.js";
import { understand } from "./intent.js";
import { type FeatureVector, type LogisticModel, predict } from "./model.js";
import type { ApprovedAnswerStore, ApprovedAnswers, ApprovedMatch } from "./ports.js";
import fitted from "./weights.json" with { type: "json" };

/** The fitted matcher of approved answers (`npm run fit`, from the approved-answers probes). */
export interface ApprovedMatcher {
  model: LogisticModel;
  /** From this probability a question gets the approved answer (chosen on dev for precision). */
  threshold: number;
}

/** The matcher committed with the code. */
export const FITTED_APPROVED: ApprovedMatcher | undefined = (
  fitted as unknown as { approved?: ApprovedMatcher }
).approved;

/** Names of the features of a (question, approved entry) pair. */
export const APPROVED_FEATURES = [
  "overlap",
  "queryCover",
  "entryCover",
  "cosine",
  "localSim",
  "sameExpects",
  "sameValueType",
  "queryOnlyRare",
  "entryOnlyRare",
  "sameAsking",
  "answerCover",
] as const;

/** What a question asks for, by its interrogative (folded): who, when, how long, how much … */
function askingOf(question: string): string {
  const q = foldDiacritics(question.toLowerCase());
  const forms: [RegExp, string][] = [
    [
      /\b(kas|kurs|kura|kuri|kuras)\s+(lemj|izlemj|piešķir|pieskir|izsniedz|dod|decides?|grants?)|\bwho\b|\bkam\b/,
      "who",
    ],
    [/\bcik\s+ilg|\bhow\s+long|\bcik\s+(dien|nedel|menes)/, "duration"],
    [/\bcik\s+(maks|eiro|euro|naud)|\bhow\s+much|\bcik\s+liel/, "amount"],
    [/\bcik\b|\bhow\s+many/, "count"],
    [/\bkad\b|\bwhen\b|\blidz\s+kur/, "when"],
    [/\bkur\b|\bwhere\b/, "where"],
    [/\bkapec\b|\bkadel\b|\bwhy\b/, "why"],
    [/\bvai\b|^(can|is|are|do|does|may|must|should)\b/, "yesno"],
    [/\bka\b|\bhow\b/, "how"],
  ];
  return forms.find(([re]) => re.test(q))?.[1] ?? "what";
}

/** What approved answers need from the live index. */
export interface ApprovedIndex {
  /** Id of the index's embedder; vectors made by another one are re-made. */
  embedderId: string;
  prepare(text: string): PreparedQuery;
  /** The query embedding (L2-normalised). */
  embed(text: string): Promise<number[]>;
  /** Inverse document frequency of an analysed token in the index. */
  idf(token: string): number;
}

export type { ApprovedAnswerStore } from "./ports.js";

/** Approved answers: the engine's {@link ApprovedAnswers} port plus their management. */
export interface ApprovedAnswerService extends ApprovedAnswers {
  list(): Promise<ApprovedAnswerRow[]>;
  get(id: number): Promise<ApprovedAnswerRow | undefined>;
  /** Saves an approved answer and indexes it at once (when an index is open). */
  add(input: ApprovedAnswerInput): Promise<ApprovedAnswerRow>;
  /** Changes the answer text and/or the question; `undefined` for an unknown id. */
  edit(
    id: number,
    fields: { question?: string; answer?: string },
  ): Promise<ApprovedAnswerRow | undefined>;
  remove(id: number): Promise<boolean>;
  /** Indexes every entry without a vector of the current embedder; returns how many. */
  reindex(): Promise<number>;
}

/** Options of {@link createApprovedAnswers}. */
export interface ApprovedAnswersOptions {
  store: ApprovedAnswerStore;
  /** The current index (it may be swapped between questions); `undefined` when none is open. */
  index: () => ApprovedIndex | undefined;
  /**
   * Score in [0, 1] from which a question gets an approved answer. Default: the fitted
   * matcher's threshold, or {@link DEFAULT_APPROVED_THRESHOLD} without one.
   */
  threshold?: number;
  /**
   * The fitted matcher; default {@link FITTED_APPROVED}. `null`, or no `similarity` (one of its
   * features: without it the fitted weights would read a similarity of 0): the plain blended score.
   */
  matcher?: ApprovedMatcher | null;
  /** Question-to-question similarity (a feature of the fitted matcher; the app passes one). */
  similarity?: SentenceSimilarity;
  logger?: Logger;
}

/**
 * Calibrated on reworded and related questions over the sample corpus (see
 * `tests/coordinators/approved.test.ts`): set for precision, since a wrong answer labelled
 * "approved by coordinators" is worse than the usual search.
 */
export const DEFAULT_APPROVED_THRESHOLD = 0.68;

/** How long an entry that failed to index waits before the next try, in ms. */
const RETRY_INDEXING_MS = 60_000;

/** Weight of the lexical and the vector part of {@link scoreApproved}. */
const LEXICAL_WEIGHT = 0.5;
/** Cap of a token's IDF weight, so that a word the index lacks cannot dominate. */
const MAX_TOKEN_WEIGHT = 6;

/** How close a question is to an approved one. */
export interface ApprovedScore {
  /** Combined score in [0, 1]. */
  score: number;
  /** IDF-weighted overlap of the analysed tokens (the smaller of both sides' coverage), in [0, 1]. */
  overlap: number;
  /** Cosine similarity of the two question vectors (negative counts as 0). */
  cosine: number;
}

/**
 * Analysed tokens of a question for matching: its plain analysis (spelling guesses against the
 * index vocabulary would add noise), plus the Latvian glossary terms of an English question.
 */
export function questionTokens(question: string, prepared: PreparedQuery): string[] {
  const own = analyze(question);
  return prepared.language === "en" ? [...new Set([...own, ...prepared.tokens])] : own;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/**
 * Scores a question against an approved one: the IDF-weighted token overlap (the share of each
 * side's weight the other covers, whichever is smaller) blended half and half with the cosine of
 * their vectors. A question on the same subject that asks something else, or asks more generally,
 * shares the subject's words and much of the vector, but leaves the other side's specific words
 * uncovered.
 */
export function scoreApproved(
  query: { tokens: readonly string[]; vector: ArrayLike<number> },
  entry: { tokens: readonly string[]; vector: ArrayLike<number> },
  idf: (token: string) => number,
): ApprovedScore {
  const weight = (t: string) => Math.max(0, Math.min(idf(t), MAX_TOKEN_WEIGHT));
  const q = new Set(query.tokens);
  const e = new Set(entry.tokens);
  let common = 0;
  let queryTotal = 0;
  let entryTotal = 0;
  for (const t of q) {
    const w = weight(t);
    queryTotal += w;
    if (e.has(t)) common += w;
  }
  for (const t of e) entryTotal += weight(t);
  const overlap =
    queryTotal > 0 && entryTotal > 0 ? Math.min(common / queryTotal, common / entryTotal) : 0;
  const cosine = Math.max(0, Math.min(1, dot(query.vector, entry.vector)));
  return {
    score: LEXICAL_WEIGHT * overlap + (1 - LEXICAL_WEIGHT) * cosine,
    overlap,
    cosine,
  };
}

interface Indexed {
  row: ApprovedAnswerRow;
  vector: Float32Array;
}

/**
 * Features of a question and an approved one: how much of each side's weighted words the other
 * covers, vector cosines, whether both expect the same kind of answer, and the heaviest word
 * found on one side only (a near miss asks about something the entry does not).
 */
export function approvedFeatures(
  query: { question: string; tokens: readonly string[]; vector: ArrayLike<number> },
  entry: {
    question: string;
    tokens: readonly string[];
    vector: ArrayLike<number>;
    /** The approved answer's text: a reworded question may use its words. */
    answer?: string;
  },
  idf: (token: string) => number,
  similarity?: (text: string) => number,
): FeatureVector {
  const weight = (t: string) => Math.max(0, Math.min(idf(t), MAX_TOKEN_WEIGHT));
  const q = new Set(query.tokens);
  const e = new Set(entry.tokens);
  const sum = (xs: Iterable<string>) => [...xs].reduce((a, t) => a + weight(t), 0);
  const common = sum([...q].filter((t) => e.has(t)));
  const qTotal = sum(q);
  const eTotal = sum(e);
  const qi = understand(query.question);
  const ei = understand(entry.question);
  const base = scoreApproved(query, entry, idf);
  const told = new Set([...e, ...answerTokensOf(entry.answer ?? "")]);
  return {
    overlap: base.overlap,
    queryCover: qTotal > 0 ? common / qTotal : 0,
    entryCover: eTotal > 0 ? common / eTotal : 0,
    cosine: base.cosine,
    localSim: Math.max(0, similarity?.(entry.question) ?? 0),
    sameExpects: qi.expects === ei.expects ? 1 : 0,
    sameValueType: (qi.valueType ?? "") === (ei.valueType ?? "") ? 1 : 0,
    queryOnlyRare: Math.max(0, ...[...q].filter((t) => !e.has(t)).map(weight)) / MAX_TOKEN_WEIGHT,
    entryOnlyRare: Math.max(0, ...[...e].filter((t) => !q.has(t)).map(weight)) / MAX_TOKEN_WEIGHT,
    sameAsking: askingOf(query.question) === askingOf(entry.question) ? 1 : 0,
    answerCover: qTotal > 0 ? sum([...q].filter((t) => told.has(t))) / qTotal : 0,
  };
}

const answerTokenCache = new Map<string, string[]>();

/** Analysed tokens of an approved answer's text (cached: entries are few and rarely change). */
function answerTokensOf(answer: string): string[] {
  let tokens = answerTokenCache.get(answer);
  if (!tokens) {
    if (answerTokenCache.size > 2000) answerTokenCache.clear();
    tokens = analyze(answer);
    answerTokenCache.set(answer, tokens);
  }
  return tokens;
}

/** Creates the approved-answers service over the app database. */
export function createApprovedAnswers(options: ApprovedAnswersOptions): ApprovedAnswerService {
  const { store } = options;
  const logger = options.logger ?? silentLogger;
  const matcher =
    options.matcher === null || !options.similarity
      ? undefined
      : (options.matcher ?? FITTED_APPROVED);
  const threshold = options.threshold ?? matcher?.threshold ?? DEFAULT_APPROVED_THRESHOLD;
  let cache:
    | {
        revision: number;
        embedderId: string;
        entries: Indexed[];
        /** False when some entry could not be indexed (retried after a while). */
        complete: boolean;
        builtAt: number;
      }
    | undefined;
  let indexing: Promise<number> | undefined;

  async function indexRow(row: ApprovedAnswerRow, index: ApprovedIndex): Promise<Indexed> {
    const prepared = index.prepare(row.question);
    const tokens = questionTokens(row.question, prepared);
    const vector = Float32Array.from(await index.embed(prepared.text));
    await store.setApprovedIndex(row.id, tokens, vector, index.embedderId);
    return { row: { ...row, tokens, vector, embedderId: index.embedderId }, vector };
  }

  /** Indexes what the current embedder has not indexed yet; one run at a time. */
  function reindex(): Promise<number> {
    indexing ??= (async () => {
      const index = options.index();
      if (!index) return 0;
      let count = 0;
      for (const row of await store.listApproved()) {
        if (row.vector && row.embedderId === index.embedderId) continue;
        try {
          await indexRow(row, index);
          count++;
        } catch (error) {
          logger.warn("could not index an approved answer", { id: row.id, error });
        }
      }
      if (count) logger.info("approved answers indexed", { count, embedder: index.embedderId });
      return count;
    })().finally(() => {
      indexing = undefined;
    });
    return indexing;
  }

  async function entries(index: ApprovedIndex): Promise<Indexed[]> {
    const revision = await store.approvedRevision();
    if (
      cache &&
      cache.revision === revision &&
      cache.embedderId === index.embedderId &&
      (cache.complete || Date.now() - cache.builtAt < RETRY_INDEXING_MS)
    ) {
      return cache.entries;
    }
    const rows = await store.listApproved();
    if (rows.some((r) => !r.vector || r.embedderId !== index.embedderId)) await reindex();
    const all = await store.listApproved();
    const fresh = all
      .filter((r) => r.vector && r.embedderId === index.embedderId)
      .map((row) => ({ row, vector: row.vector as Float32Array }));
    // Indexing does not change the revision, so the list read after it is current for it.
    cache = {
      revision,
      embedderId: index.embedderId,
      entries: fresh,
      complete: fresh.length === all.length,
      builtAt: Date.now(),
    };
    return fresh;
  }

  async function bestMatch(
    question: string,
    prepared: PreparedQuery,
    index: ApprovedIndex,
  ): Promise<ApprovedMatch | undefined> {
    const list = await entries(index);
    if (list.length === 0) return undefined;
    const query = {
      tokens: questionTokens(question, prepared),
      vector: await index.embed(prepared.text),
    };
    const sim = options.similarity?.(question);
    const idf = (t: string) => index.idf(t);
    const others = list.map((entry) => ({
      question: entry.row.question,
      tokens: entry.row.tokens,
      vector: entry.vector,
      answer: entry.row.answer,
    }));
    const features = others.map((other) =>
      approvedFeatures({ question, ...query }, other, idf, sim),
    );
    let best: { entry: Indexed; score: number; parts: ApprovedScore } | undefined;
    list.forEach((entry, i) => {
      const parts = scoreApproved(query, others[i] as (typeof others)[number], idf);
      const score = matcher ? predict(matcher.model, features[i] as FeatureVector) : parts.score;
      if (!best || score > best.score) best = { entry, score, parts };
    });
    if (!best) return undefined;
    logger.debug("closest approved answer", {
      id: best.entry.row.id,
      score: Number(best.score.toFixed(3)),
      overlap: Number(best.parts.overlap.toFixed(3)),
      cosine: Number(best.parts.cosine.toFixed(3)),
    });
    if (best.score < threshold) return undefined;
    const { row } = best.entry;
    return {
      id: String(row.id),
      question: row.question,
      answer: row.answer,
      approvedAt: row.approvedAt,
      score: best.score,
    };
  }

  async function indexNow(id: number): Promise<ApprovedAnswerRow> {
    const row = (await store.getApproved(id)) as ApprovedAnswerRow;
    const index = options.index();
    if (!index) return row;
    try {
      return (await indexRow(row, index)).row;
    } catch (error) {
      logger.warn("could not index an approved answer; it will be indexed later", { id, error });
      return row;
    }
  }

  return {
    async match(question, prepared): Promise<ApprovedMatch | undefined> {
      const index = options.index();
      if (!index) return undefined;
      try {
        return await bestMatch(question, prepared, index);
      } catch (error) {
        logger.warn("approved answers could not be searched; using the materials", { error });
        return undefined;
      }
    },
    list: () => store.listApproved(),
    get: (id) => store.getApproved(id),
    async add(input) {
      const id = await store.saveApproved(input);
      return indexNow(id);
    },
    async edit(id, fields) {
      if (!(await store.updateApproved(id, fields))) return undefined;
      const row = (await store.getApproved(id)) as ApprovedAnswerRow;
      return row.vector ? row : indexNow(id);
    },
    remove: (id) => store.deleteApproved(id),
    reindex,
  };
}

/** The {@link ApprovedIndex} of an opened search stack (see `openSearch` in `app.ts`). */
export function approvedIndexOf(stack: {
  embedder: { id: string };
  retriever: Pick<ApprovedIndex, "prepare" | "embed" | "idf">;
}): ApprovedIndex {
  const { retriever } = stack;
  return {
    embedderId: stack.embedder.id,
    prepare: (text) => retriever.prepare(text),
    embed: (text) => retriever.embed(text),
    idf: (token) => retriever.idf(token),
  };
}
