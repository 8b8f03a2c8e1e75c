/**
 * The local embedder: deterministic, offline, no model download. A text becomes a dense
 * vector by feature hashing ("hashing trick") of three feature groups:
 *
 * - words: the analyzer's tokens (folded Latvian stems, numbers);
 * - bigrams: pairs of consecutive tokens;
 * - chars: character n-grams (3–5 by default) of the folded, lower-case surface words with
 *   boundary markers ("<uzn", "mumi", "iem>"), which catch what the light stemmer misses.
 *
 * Each feature is a 32-bit FNV-1a hash (seeded per group) that picks a dimension and a sign
 * (a second hash, so that collisions cancel out on average instead of piling up). Its weight
 * is (1 + ln tf) × idf, with idf looked up in a table of hashed buckets fitted on the corpus
 * (no vocabulary is stored). Each group is L2-normalised, the groups are mixed with fixed
 * weights, and the result is L2-normalised, so that inner product equals cosine similarity.
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { analyzeWithSurfaces } from "../text/analyze.js";
import { expandEnglishQuery } from "../text/glossary.js";
import { detectLanguage } from "../text/language.js";
import type { Embedder } from "./embedder.js";

/** Relative weights of the feature groups (each group is normalised before mixing). */
export interface LocalFeatureWeights {
  words: number;
  bigrams: number;
  chars: number;
}

/** Settings of a {@link LocalEmbedder}. */
export interface LocalEmbedderOptions {
  /** Vector length (default 768). */
  dimensions?: number;
  /** Number of hashed IDF buckets, a power of two (default 2^20). */
  idfBuckets?: number;
  /** Feature group weights (default {@link DEFAULT_WEIGHTS}). */
  weights?: Partial<LocalFeatureWeights>;
  /** Character n-gram lengths, inclusive (default [3, 5]). */
  charNgrams?: readonly [number, number];
  /**
   * Rewrites a query before embedding. Default: an English question (by `detectLanguage`) is
   * replaced by its Latvian glossary terms (`expandEnglishQuery`); other text is unchanged.
   * Pass `null` to embed queries as they are.
   */
  queryExpander?: ((query: string) => string) | null;
}

/** The serialised state of a {@link LocalEmbedder}, as `toJSON()` returns it. */
export interface LocalEmbedderState {
  kind: "local-hash";
  version: 1;
  dimensions: number;
  idfBuckets: number;
  weights: LocalFeatureWeights;
  charNgrams: [number, number];
  /** Number of texts the IDF was fitted on (0: not fitted, IDF = 1). */
  documents: number;
  /** IDF table: bytes q with idf = 1 + q × scale, deflated, base64. Absent when not fitted. */
  idf?: { encoding: "u8-deflate-base64"; scale: number; data: string };
}

/** Feature group weights tuned on the SIB-200 Latvian dev split (see scripts/eval-embeddings.ts). */
export const DEFAULT_WEIGHTS: Readonly<LocalFeatureWeights> = { words: 1, bigrams: 0.2, chars: 2 };
const DEFAULT_DIMENSIONS = 768;
const DEFAULT_IDF_BUCKETS = 1 << 20;
const DEFAULT_CHAR_NGRAMS: readonly [number, number] = [3, 5];
const VERSION_TAG = "local-hash-v1";

const GROUP_WORDS = 0;
const GROUP_BIGRAMS = 1;
const GROUP_CHARS = 2;
const SEEDS = [0x811c9dc5, 0x2f6b1a35, 0x5bd1e995] as const;
const FNV_PRIME = 0x01000193;
const BOUNDARY_START = 60; // "<"
const BOUNDARY_END = 62; // ">"
const BIGRAM_JOIN = 32; // " "

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function fnvString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * Per-text feature counts: an open-addressing table of (hash, group) → count, reused across
 * texts (a generation stamp marks live slots, so nothing is cleared between texts).
 */
class FeatureCounter {
  private size = 4096;
  private keys = new Int32Array(this.size);
  private groups = new Uint8Array(this.size);
  private counts = new Uint32Array(this.size);
  private stamps = new Uint32Array(this.size);
  private stamp = 1;
  /** Slots in use, in insertion order. */
  used = new Int32Array(this.size);
  length = 0;

  reset(): void {
    this.length = 0;
    this.stamp++;
    if (this.stamp === 0xffffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }

  add(hash: number, group: number): void {
    if (2 * (this.length + 1) > this.size) this.grow();
    const mask = this.size - 1;
    let slot = fmix32(hash ^ group) & mask;
    for (;;) {
      if (this.stamps[slot] !== this.stamp) {
        this.stamps[slot] = this.stamp;
        this.keys[slot] = hash;
        this.groups[slot] = group;
        this.counts[slot] = 1;
        this.used[this.length++] = slot;
        return;
      }
      if (this.keys[slot] === hash && this.groups[slot] === group) {
        this.counts[slot] = (this.counts[slot] ?? 0) + 1;
        return;
      }
      slot = (slot + 1) & mask;
    }
  }

  key(slot: number): number {
    return this.keys[slot] ?? 0;
  }

  group(slot: number): number {
    return this.groups[slot] ?? 0;
  }

  count(slot: number): number {
    return this.counts[slot] ?? 0;
  }

  private grow(): void {
    const old = {
      keys: this.keys,
      groups: this.groups,
      counts: this.counts,
      used: this.used,
      length: this.length,
    };
    this.size *= 2;
    this.keys = new Int32Array(this.size);
    this.groups = new Uint8Array(this.size);
    this.counts = new Uint32Array(this.size);
    this.stamps = new Uint32Array(this.size);
    this.used = new Int32Array(this.size);
    this.stamp = 1;
    this.length = 0;
    const mask = this.size - 1;
    for (let i = 0; i < old.length; i++) {
      const s = old.used[i] ?? 0;
      const hash = old.keys[s] ?? 0;
      const group = old.groups[s] ?? 0;
      let slot = fmix32(hash ^ group) & mask;
      while (this.stamps[slot] === this.stamp) slot = (slot + 1) & mask;
      this.stamps[slot] = this.stamp;
      this.keys[slot] = hash;
      this.groups[slot] = group;
      this.counts[slot] = old.counts[s] ?? 0;
      this.used[this.length++] = slot;
    }
  }
}

/** Resolved settings. */
interface Config {
  dimensions: number;
  idfBuckets: number;
  weights: LocalFeatureWeights;
  charNgrams: [number, number];
}

function resolveConfig(options: LocalEmbedderOptions | undefined): Config {
  const dimensions = options?.dimensions ?? DEFAULT_DIMENSIONS;
  const idfBuckets = options?.idfBuckets ?? DEFAULT_IDF_BUCKETS;
  const [minN, maxN] = options?.charNgrams ?? DEFAULT_CHAR_NGRAMS;
  if (!Number.isInteger(dimensions) || dimensions < 8) {
    throw new Error(`dimensions must be an integer ≥ 8, got ${dimensions}`);
  }
  if (!Number.isInteger(idfBuckets) || idfBuckets < 2 || (idfBuckets & (idfBuckets - 1)) !== 0) {
    throw new Error(`idfBuckets must be a power of two, got ${idfBuckets}`);
  }
  if (!Number.isInteger(minN) || !Number.isInteger(maxN) || minN < 1 || maxN < minN || maxN > 16) {
    throw new Error(
      `charNgrams must be [min, max] with 1 ≤ min ≤ max ≤ 16, got [${minN}, ${maxN}]`,
    );
  }
  const weights = { ...DEFAULT_WEIGHTS, ...options?.weights };
  for (const [k, v] of Object.entries(weights)) {
    if (!Number.isFinite(v) || v < 0) throw new Error(`weight ${k} must be ≥ 0, got ${v}`);
  }
  return { dimensions, idfBuckets, weights, charNgrams: [minN, maxN] };
}

function isDefaultConfig(c: Config): boolean {
  return (
    c.idfBuckets === DEFAULT_IDF_BUCKETS &&
    c.charNgrams[0] === DEFAULT_CHAR_NGRAMS[0] &&
    c.charNgrams[1] === DEFAULT_CHAR_NGRAMS[1] &&
    c.weights.words === DEFAULT_WEIGHTS.words &&
    c.weights.bigrams === DEFAULT_WEIGHTS.bigrams &&
    c.weights.chars === DEFAULT_WEIGHTS.chars
  );
}

function configId(c: Config): string {
  const base = `${VERSION_TAG}/${c.dimensions}`;
  if (isDefaultConfig(c)) return base;
  const key = JSON.stringify([c.idfBuckets, c.charNgrams, c.weights]);
  return `${base}-${(fnvString(0x811c9dc5, key) >>> 0).toString(16).padStart(8, "0")}`;
}

/** Collects the hashed features of a text into `counter`. */
function extractFeatures(text: string, config: Config, counter: FeatureCounter): void {
  counter.reset();
  const { tokens, surfaces } = analyzeWithSurfaces(text);
  const [minN, maxN] = config.charNgrams;
  const useBigrams = config.weights.bigrams > 0;
  const useChars = config.weights.chars > 0;
  let prev = 0;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t] ?? "";
    const wordHash = fnvString(SEEDS[GROUP_WORDS], token);
    counter.add(wordHash, GROUP_WORDS);
    if (useBigrams && t > 0) {
      const h = fnvString(Math.imul(SEEDS[GROUP_BIGRAMS] ^ prev, FNV_PRIME) ^ BIGRAM_JOIN, token);
      counter.add(h, GROUP_BIGRAMS);
    }
    prev = wordHash;
    if (!useChars) continue;
    const surface = surfaces[t] ?? "";
    const len = surface.length + 2;
    for (let start = 0; start + minN <= len; start++) {
      let h: number = SEEDS[GROUP_CHARS];
      const stop = Math.min(len, start + maxN);
      for (let k = start; k < stop; k++) {
        const c =
          k === 0 ? BOUNDARY_START : k === len - 1 ? BOUNDARY_END : surface.charCodeAt(k - 1);
        h = Math.imul(h ^ c, FNV_PRIME);
        if (k - start + 1 >= minN) counter.add(h, GROUP_CHARS);
      }
    }
  }
}

/** A fitted IDF table, quantised to one byte per bucket: idf = 1 + byte × scale. */
interface FittedIdf {
  bytes: Uint8Array;
  scale: number;
  documents: number;
}

function quantizeIdf(idf: Float64Array, documents: number): FittedIdf {
  let max = 0;
  for (const v of idf) max = Math.max(max, v - 1);
  const scale = max > 0 ? max / 255 : 1;
  const bytes = new Uint8Array(idf.length);
  for (let i = 0; i < idf.length; i++) bytes[i] = Math.round(((idf[i] ?? 1) - 1) / scale);
  return { bytes, scale, documents };
}

function decodeIdf(
  encoded: NonNullable<LocalEmbedderState["idf"]>,
  buckets: number,
  documents: number,
): FittedIdf {
  if (encoded.encoding !== "u8-deflate-base64") {
    throw new Error(`unknown IDF encoding ${String(encoded.encoding)}`);
  }
  if (!(encoded.scale > 0)) throw new Error("IDF scale must be positive");
  const bytes = new Uint8Array(inflateRawSync(Buffer.from(encoded.data, "base64")));
  if (bytes.length !== buckets)
    throw new Error(`IDF table has ${bytes.length} buckets, expected ${buckets}`);
  return { bytes, scale: encoded.scale, documents };
}

function defaultQueryExpander(query: string): string {
  if (detectLanguage(query) !== "en") return query;
  const expanded = expandEnglishQuery(query);
  return expanded === "" ? query : expanded;
}

/**
 * The local hashed-feature embedder (see the module comment). Create it with
 * {@link fitLocalEmbedder} (IDF fitted on a corpus), `new LocalEmbedder()` (IDF = 1), or
 * {@link LocalEmbedder.fromJSON}.
 */
export class LocalEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  /** Number of texts the IDF was fitted on (0 when not fitted). */
  readonly documents: number;
  private readonly config: Config;
  private readonly idf: FittedIdf | null;
  /** idf value of each byte of the quantised table. */
  private readonly idfValues = new Float64Array(256);
  private readonly idfMask: number;
  private readonly queryExpander: ((query: string) => string) | null;
  private readonly counter = new FeatureCounter();
  private readonly groupVectors: Float32Array[];

  /**
   * An embedder with IDF = 1, or with a fitted table (as {@link fitLocalEmbedder} and
   * {@link LocalEmbedder.fromJSON} pass it).
   */
  constructor(options?: LocalEmbedderOptions, fitted?: FittedIdf) {
    this.config = resolveConfig(options);
    this.dimensions = this.config.dimensions;
    this.id = configId(this.config);
    this.idf = fitted ?? null;
    this.documents = fitted?.documents ?? 0;
    if (fitted && fitted.bytes.length !== this.config.idfBuckets) {
      throw new Error(
        `IDF table has ${fitted.bytes.length} buckets, expected ${this.config.idfBuckets}`,
      );
    }
    for (let q = 0; q < 256; q++) this.idfValues[q] = fitted ? 1 + q * fitted.scale : 1;
    this.idfMask = this.config.idfBuckets - 1;
    this.queryExpander =
      options?.queryExpander === undefined ? defaultQueryExpander : options.queryExpander;
    this.groupVectors = [0, 1, 2].map(() => new Float32Array(this.dimensions));
  }

  /** Feature group weights in use. */
  get weights(): Readonly<LocalFeatureWeights> {
    return this.config.weights;
  }

  /**
   * Embeds one text synchronously into `out` (a new array by default): the L2-normalised
   * vector, or all zeros for a text without terms.
   */
  embed(text: string, out: Float32Array = new Float32Array(this.dimensions)): Float32Array {
    const dims = this.dimensions;
    if (out.length !== dims) throw new Error(`output length ${out.length} ≠ ${dims}`);
    const counter = this.counter;
    extractFeatures(text, this.config, counter);
    const groups = this.groupVectors;
    for (const g of groups) g.fill(0);
    const idf = this.idf?.bytes;
    const idfValues = this.idfValues;
    const mask = this.idfMask;
    for (let i = 0; i < counter.length; i++) {
      const slot = counter.used[i] ?? 0;
      const key = counter.key(slot);
      const group = counter.group(slot);
      const h1 = fmix32(key ^ Math.imul(group + 1, 0x9e3779b9));
      const h2 = fmix32(h1 ^ 0x5bd1e995);
      let w = 1 + Math.log(counter.count(slot));
      if (idf) w *= idfValues[idf[h1 & mask] ?? 0] ?? 1;
      const vec = groups[group];
      if (!vec) continue;
      const dim = (h2 >>> 1) % dims;
      vec[dim] = (vec[dim] ?? 0) + (h2 & 1 ? w : -w);
    }
    out.fill(0);
    const weights = [
      this.config.weights.words,
      this.config.weights.bigrams,
      this.config.weights.chars,
    ];
    for (let g = 0; g < groups.length; g++) {
      const vec = groups[g];
      const weight = weights[g] ?? 0;
      if (!vec || weight === 0) continue;
      let norm = 0;
      for (let d = 0; d < dims; d++) norm += (vec[d] ?? 0) ** 2;
      if (norm === 0) continue;
      const f = weight / Math.sqrt(norm);
      for (let d = 0; d < dims; d++) out[d] = (out[d] ?? 0) + (vec[d] ?? 0) * f;
    }
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += (out[d] ?? 0) ** 2;
    if (norm > 0) {
      const f = 1 / Math.sqrt(norm);
      for (let d = 0; d < dims; d++) out[d] = (out[d] ?? 0) * f;
    }
    return out;
  }

  /** Embeds a query synchronously, after the query expander (English → Latvian terms). */
  embedQuerySync(query: string): Float32Array {
    return this.embed(this.queryExpander ? this.queryExpander(query) : query);
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => Array.from(this.embed(d)));
  }

  async embedQuery(document: string): Promise<number[]> {
    return Array.from(this.embedQuerySync(document));
  }

  /** The serialisable state (settings and the quantised IDF table); see {@link fromJSON}. */
  toJSON(): LocalEmbedderState {
    const state: LocalEmbedderState = {
      kind: "local-hash",
      version: 1,
      dimensions: this.config.dimensions,
      idfBuckets: this.config.idfBuckets,
      weights: { ...this.config.weights },
      charNgrams: [...this.config.charNgrams],
      documents: this.documents,
    };
    if (this.idf) {
      state.idf = {
        encoding: "u8-deflate-base64",
        scale: this.idf.scale,
        data: deflateRawSync(this.idf.bytes, { level: 9 }).toString("base64"),
      };
    }
    return state;
  }

  /**
   * Restores an embedder from {@link toJSON}'s output. `options` may supply what is not
   * serialised (the query expander). Throws on a malformed or foreign state.
   */
  static fromJSON(
    obj: unknown,
    options?: Pick<LocalEmbedderOptions, "queryExpander">,
  ): LocalEmbedder {
    const s = obj as Partial<LocalEmbedderState> | null;
    if (!s || typeof s !== "object" || s.kind !== "local-hash" || s.version !== 1) {
      throw new Error("not a local-hash v1 embedder state");
    }
    if (
      typeof s.dimensions !== "number" ||
      typeof s.idfBuckets !== "number" ||
      typeof s.documents !== "number" ||
      !s.weights ||
      !Array.isArray(s.charNgrams) ||
      s.charNgrams.length !== 2
    ) {
      throw new Error("malformed local-hash embedder state");
    }
    const opts: LocalEmbedderOptions = {
      dimensions: s.dimensions,
      idfBuckets: s.idfBuckets,
      weights: s.weights,
      charNgrams: [s.charNgrams[0], s.charNgrams[1]],
      ...(options?.queryExpander !== undefined ? { queryExpander: options.queryExpander } : {}),
    };
    if (!s.idf) return new LocalEmbedder(opts);
    return new LocalEmbedder(opts, decodeIdf(s.idf, s.idfBuckets, s.documents));
  }
}

/**
 * Fits the IDF table on a corpus and returns the embedder:
 * idf(bucket) = ln((1 + N) / (1 + df(bucket))) + 1, where df counts the texts having a
 * feature that hashes to the bucket. The table is quantised to a byte per bucket (steps of
 * about 0.05) right away, so a restored embedder gives exactly the same vectors.
 */
export function fitLocalEmbedder(
  texts: Iterable<string>,
  options?: LocalEmbedderOptions,
): LocalEmbedder {
  const config = resolveConfig(options);
  const buckets = config.idfBuckets;
  const mask = buckets - 1;
  const df = new Uint32Array(buckets);
  const lastDoc = new Int32Array(buckets).fill(-1);
  const counter = new FeatureCounter();
  let n = 0;
  for (const text of texts) {
    extractFeatures(text, config, counter);
    for (let i = 0; i < counter.length; i++) {
      const slot = counter.used[i] ?? 0;
      const key = counter.key(slot);
      const group = counter.group(slot);
      const b = fmix32(key ^ Math.imul(group + 1, 0x9e3779b9)) & mask;
      if (lastDoc[b] !== n) {
        lastDoc[b] = n;
        df[b] = (df[b] ?? 0) + 1;
      }
    }
    n++;
  }
  const idf = new Float64Array(buckets);
  for (let b = 0; b < buckets; b++) idf[b] = Math.log((1 + n) / (1 + (df[b] ?? 0))) + 1;
  return new LocalEmbedder(options, quantizeIdf(idf, n));
}
