/**
 * Approved answers: questions the coordinators answered and saved as FAQ. They are searched
 * before the materials. Each one is kept in the app database with the analysed tokens and the
 * vector of its question (from the index's embedder), so it is searchable at once and survives
 * re-ingest; matching is in memory, and vectors made by another embedder are re-made lazily.
 *
 * An entry may have other wordings of its question: a handed-off question a coordinator answered
 * with the entry is attached to it, and the same question asked again gets the entry. A wording
 * counts only when a question is nearly the same (`wordingFrom`): on blind rewordings, a wording
 * counted like the entry's question traded precision for recall just as a lower threshold does
 * (`npm run eval`). The closest entry from a low floor (`suggestFrom`) is suggested to the
 * coordinators with each hand-off, so answering with it and attaching the wording is one press.
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
import {
  type ApprovedAnswerStore,
  type ApprovedAnswers,
  type ApprovedMatch,
  type ApprovedOffer,
  MAX_WORDINGS,
} from "./ports.js";
import fitted from "./weights.json" with { type: "json" };

export { MAX_WORDINGS } from "./ports.js";

/** The fitted matcher of approved answers (`npm run fit`, from the approved-answers probes). */
export interface ApprovedMatcher {
  model: LogisticModel;
  /** From this probability a question gets the approved answer (chosen on dev for precision). */
  threshold: number;
  /**
   * From this probability the closest entry is suggested to the coordinators with a hand-off
   * (`APPROVED_SUGGEST_PRECISION` in `scripts/fit.ts`); absent: {@link DEFAULT_SUGGEST_FROM}.
   */
  suggestFrom?: number;
  /**
   * From this probability (below the threshold) the closest entry is offered to the asker by its
   * question (`APPROVED_OFFER_PRECISION` in `scripts/fit.ts`); absent: {@link DEFAULT_OFFER_FROM}.
   */
  offerFrom?: number;
  /**
   * From this probability an attached wording counts (below it the entry is matched by its own
   * question): `APPROVED_WORDING_SWEEP` in `scripts/fit.ts`; absent: {@link DEFAULT_WORDING_FROM}.
   */
  wordingFrom?: number;
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
  offer(question: string, prepared: PreparedQuery): Promise<ApprovedOffer | undefined>;
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
  /**
   * Attaches another wording of an entry's question. `already`: the question or one of its
   * wordings reads the same (case and diacritics aside); `full`: it has {@link MAX_WORDINGS}.
   * `undefined` for an unknown id.
   */
  addWording(
    id: number,
    wording: string,
  ): Promise<{ status: "added" | "already" | "full"; row: ApprovedAnswerRow } | undefined>;
  /** Detaches an entry's `n`-th other wording (1-based); `undefined` when there is none such. */
  removeWording(id: number, n: number): Promise<ApprovedAnswerRow | undefined>;
  /**
   * The entry closest to a question when it is close enough to suggest to a coordinator
   * (from the matcher's `suggestFrom`), whether or not it would be matched.
   */
  closest(question: string): Promise<{ row: ApprovedAnswerRow; score: number } | undefined>;
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
  /**
   * Score from which the closest entry is suggested with a hand-off (at most the threshold).
   * Default: the fitted matcher's `suggestFrom`, or {@link DEFAULT_SUGGEST_FROM}.
   */
  suggestFrom?: number;
  /**
   * Score from which the closest entry is offered to the asker (at most the threshold). Default:
   * the fitted matcher's `offerFrom`, or {@link DEFAULT_OFFER_FROM}.
   */
  offerFrom?: number;
  /**
   * Score from which an attached wording counts. Default: the fitted matcher's `wordingFrom`, or
   * {@link DEFAULT_WORDING_FROM}.
   */
  wordingFrom?: number;
  logger?: Logger;
}

/**
 * Calibrated on reworded and related questions over the sample corpus (see
 * `tests/coordinators/approved.test.ts`): set for precision, since a wrong answer labelled
 * "approved by coordinators" is worse than the usual search.
 */
export const DEFAULT_APPROVED_THRESHOLD = 0.68;
/**
 * Suggestion floor of the plain blended score (without the fitted matcher): the closest entry is
 * suggested from this score, a little below the match.
 */
export const DEFAULT_SUGGEST_FROM = 0.5;
/**
 * Offer floor of the plain blended score: between the suggestion's and the match's, since the
 * asker, not a coordinator, judges the offer.
 */
export const DEFAULT_OFFER_FROM = 0.6;
/** Score of the plain blended score from which an attached wording counts (nearly the same). */
export const DEFAULT_WORDING_FROM = 0.9;
/** Wording vectors remembered across reloads of the entries (embedding may be a network call). */
const WORDING_VECTOR_CACHE = 5_000;

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

/** The search data of one wording of an entry's question (the first is the question). */
interface Wording {
  question: string;
  tokens: readonly string[];
  vector: Float32Array;
}

interface Indexed {
  row: ApprovedAnswerRow;
  wordings: Wording[];
}

/** A wording as {@link ApprovedAnswerService.addWording} compares them: folded, words only. */
function wordingKey(text: string): string {
  return foldDiacritics(text.toLowerCase())
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
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
  const suggestFrom = Math.min(
    threshold,
    options.suggestFrom ??
      (matcher ? (matcher.suggestFrom ?? DEFAULT_SUGGEST_FROM) : DEFAULT_SUGGEST_FROM),
  );
  const offerFrom = Math.min(
    threshold,
    options.offerFrom ?? (matcher ? (matcher.offerFrom ?? DEFAULT_OFFER_FROM) : DEFAULT_OFFER_FROM),
  );
  const wordingFrom =
    options.wordingFrom ??
    (matcher ? (matcher.wordingFrom ?? DEFAULT_WORDING_FROM) : DEFAULT_WORDING_FROM);
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

  /** Stores the search data of an entry's question; returns the row with it. */
  async function indexRow(
    row: ApprovedAnswerRow,
    index: ApprovedIndex,
  ): Promise<ApprovedAnswerRow> {
    const prepared = index.prepare(row.question);
    const tokens = questionTokens(row.question, prepared);
    const vector = Float32Array.from(await index.embed(prepared.text));
    await store.setApprovedIndex(row.id, tokens, vector, index.embedderId);
    return { ...row, tokens, vector, embedderId: index.embedderId };
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

  const wordingVectors = new Map<string, Float32Array>();

  /** The search data of an entry's other wordings (vectors remembered per embedder and text). */
  async function wordingsOf(row: ApprovedAnswerRow, index: ApprovedIndex): Promise<Wording[]> {
    const out: Wording[] = [];
    for (const question of row.wordings) {
      const prepared = index.prepare(question);
      const key = `${index.embedderId}\n${prepared.text}`;
      let vector = wordingVectors.get(key);
      if (!vector) {
        vector = Float32Array.from(await index.embed(prepared.text));
        if (wordingVectors.size >= WORDING_VECTOR_CACHE) wordingVectors.clear();
        wordingVectors.set(key, vector);
      }
      out.push({ question, tokens: questionTokens(question, prepared), vector });
    }
    return out;
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
    const fresh: Indexed[] = [];
    let complete = true;
    for (const row of all) {
      if (!row.vector || row.embedderId !== index.embedderId) {
        complete = false;
        continue;
      }
      const own: Wording = { question: row.question, tokens: row.tokens, vector: row.vector };
      let others: Wording[] = [];
      try {
        others = await wordingsOf(row, index);
      } catch (error) {
        // The entry is still matched by its question; its wordings are tried again later.
        complete = false;
        logger.warn("could not index the other wordings of an approved answer", {
          id: row.id,
          error,
        });
      }
      fresh.push({ row, wordings: [own, ...others] });
    }
    // Indexing does not change the revision, so the list read after it is current for it.
    cache = {
      revision,
      embedderId: index.embedderId,
      entries: fresh,
      complete,
      builtAt: Date.now(),
    };
    return fresh;
  }

  /** The entry closest to a question (over all its wordings), with its score. */
  async function closestEntry(
    question: string,
    prepared: PreparedQuery,
    index: ApprovedIndex,
  ): Promise<{ entry: Indexed; score: number; wording: number } | undefined> {
    const list = await entries(index);
    if (list.length === 0) return undefined;
    const query = {
      question,
      tokens: questionTokens(question, prepared),
      vector: await index.embed(prepared.text),
    };
    const sim = options.similarity?.(question);
    const idf = (t: string) => index.idf(t);
    let best: { entry: Indexed; score: number; wording: number; parts: ApprovedScore } | undefined;
    for (const entry of list) {
      entry.wordings.forEach((w, i) => {
        const other = { ...w, answer: entry.row.answer };
        const parts = scoreApproved(query, other, idf);
        const score = matcher
          ? predict(matcher.model, approvedFeatures(query, other, idf, sim))
          : parts.score;
        if (i > 0 && score < wordingFrom) return;
        if (!best || score > best.score) best = { entry, score, wording: i, parts };
      });
    }
    if (!best) return undefined;
    logger.debug("closest approved answer", {
      id: best.entry.row.id,
      wording: best.wording,
      score: Number(best.score.toFixed(3)),
      overlap: Number(best.parts.overlap.toFixed(3)),
      cosine: Number(best.parts.cosine.toFixed(3)),
    });
    return best;
  }

  /**
   * The closest entry for a prepared question, once: the engine asks for the match and then, if
   * there is none, for an offer, with the same prepared question.
   */
  const closestOfPrepared = new WeakMap<
    PreparedQuery,
    { question: string; best: ReturnType<typeof closestEntry> }
  >();
  function closestOnce(question: string, prepared: PreparedQuery, index: ApprovedIndex) {
    const known = closestOfPrepared.get(prepared);
    if (known && known.question === question) return known.best;
    const best = closestEntry(question, prepared, index);
    closestOfPrepared.set(prepared, { question, best });
    return best;
  }

  async function bestMatch(
    question: string,
    prepared: PreparedQuery,
    index: ApprovedIndex,
  ): Promise<ApprovedMatch | undefined> {
    const best = await closestOnce(question, prepared, index);
    if (!best || best.score < threshold) return undefined;
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
      return await indexRow(row, index);
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
    async offer(question, prepared): Promise<ApprovedOffer | undefined> {
      const index = options.index();
      if (!index) return undefined;
      try {
        const best = await closestOnce(question, prepared, index);
        if (!best || best.score < offerFrom || best.score >= threshold) return undefined;
        return {
          id: String(best.entry.row.id),
          question: best.entry.row.question,
          score: best.score,
        };
      } catch (error) {
        logger.warn("approved answers could not be searched for an offer", { error });
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
    async addWording(id, wording) {
      const row = await store.getApproved(id);
      if (!row) return undefined;
      const text = wording.trim();
      const key = wordingKey(text);
      if (!key || [row.question, ...row.wordings].some((w) => wordingKey(w) === key)) {
        return { status: "already", row };
      }
      if (row.wordings.length >= MAX_WORDINGS) return { status: "full", row };
      const wordings = [...row.wordings, text];
      if (!(await store.setApprovedWordings(id, wordings))) return undefined;
      return { status: "added", row: { ...row, wordings } };
    },
    async removeWording(id, n) {
      const row = await store.getApproved(id);
      if (!row || !Number.isInteger(n) || n < 1 || n > row.wordings.length) return undefined;
      const wordings = row.wordings.filter((_, i) => i !== n - 1);
      if (!(await store.setApprovedWordings(id, wordings))) return undefined;
      return { ...row, wordings };
    },
    async closest(question) {
      const index = options.index();
      if (!index) return undefined;
      try {
        const best = await closestEntry(question, index.prepare(question), index);
        return best && best.score >= suggestFrom
          ? { row: best.entry.row, score: best.score }
          : undefined;
      } catch (error) {
        logger.warn("approved answers could not be searched for a suggestion", { error });
        return undefined;
      }
    },
    reindex,
  };
}

/** What a hand-off shows of a suggested entry (the bot's post and the desk alike). */
export interface ApprovedSuggestion {
  id: number;
  question: string;
  answer: string;
}

/** The suggestion of an entry {@link ApprovedAnswerService.closest} found. */
export function suggestionOf(row: ApprovedAnswerRow): ApprovedSuggestion {
  return { id: row.id, question: row.question, answer: row.answer };
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
