/**
 * The earlier evaluation sets, kept in `npm run eval` as more data: retrieval and answer quality, side by side with baselines, on the gold (dev)
 * set, which the engine was calibrated on, and on the held-out set (tests/eval/holdout.json).
 * `npm run eval -- embeddings` — the local embedder on SIB-200 (Latvian topic classification).
 *
 * The corpus is indexed into a temporary folder first, so the run is self-contained.
 */

import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import MiniSearch from "minisearch";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { ingestCorpus } from "../src/ingest/ingest.js";
import type { Chunk, RetrievedChunk } from "../src/types.js";
import { percentile } from "./bench/stats.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** An expected source of a gold question. */
export type ExpectedSource =
  | { kind: "handbook"; pages: [number, number] }
  | { kind: "lecture"; lecture: string; from: number; to: number };

/** One gold question. */
export interface GoldQuestion {
  id: string;
  question: string;
  style: string;
  /** Acceptable sources; empty for questions the corpus cannot answer. */
  expected: ExpectedSource[];
}

/** Whether a chunk is one of the expected sources. */
export function matchesExpected(
  chunk: Pick<Chunk, "kind" | "page" | "pageEnd" | "lectureId" | "startSec" | "endSec">,
  expected: readonly ExpectedSource[],
): boolean {
  return expected.some((e) => {
    if (e.kind === "handbook") {
      if (chunk.kind !== "handbook" || chunk.page === undefined) return false;
      const end = chunk.pageEnd ?? chunk.page;
      return chunk.page <= e.pages[1] && end >= e.pages[0];
    }
    if (chunk.kind !== "lecture" || chunk.lectureId !== e.lecture) return false;
    return (chunk.startSec ?? 0) <= e.to && (chunk.endSec ?? 0) >= e.from;
  });
}

interface RetrievalScore {
  hit1: number;
  hit5: number;
  mrr: number;
}

function scoreRankings(rankings: Chunk[][], gold: GoldQuestion[]): RetrievalScore {
  let hit1 = 0;
  let hit5 = 0;
  let mrr = 0;
  rankings.forEach((ranked, i) => {
    const expected = gold[i]?.expected ?? [];
    const rank = ranked.slice(0, 10).findIndex((c) => matchesExpected(c, expected));
    if (rank === 0) hit1++;
    if (rank >= 0 && rank < 5) hit5++;
    if (rank >= 0) mrr += 1 / (rank + 1);
  });
  const n = rankings.length || 1;
  return { hit1: hit1 / n, hit5: hit5 / n, mrr: mrr / n };
}

const f = (x: number) => x.toFixed(3);

/** Retrieval and answer metrics of one question set. */
export interface SetResult {
  questions: { total: number; answerable: number; unanswerable: number };
  retrieval: {
    padoms: RetrievalScore;
    keywordOnly: RetrievalScore;
    vectorOnly: RetrievalScore;
    plainBm25: RetrievalScore;
  };
  answers: {
    citationsIncludeExpected: number;
    unanswerableDeclined: number;
    answerableWronglyDeclined: number;
    latencyP50Ms: number;
    latencyP95Ms: number;
  };
  misses: string[];
}

type App = Awaited<ReturnType<typeof createApp>>;

/** What {@link evaluateSet} needs from the indexed corpus. */
interface EvalContext {
  app: App;
  stack: ReturnType<App["live"]["current"]>;
  chunks: Map<number, Chunk>;
  mini: MiniSearch<{ id: number; text: string }>;
}

/** Scores retrieval (Padoms and baselines) and offline answers on one question set. */
async function evaluateSet(ctx: EvalContext, gold: GoldQuestion[]): Promise<SetResult> {
  const { app, stack, chunks, mini } = ctx;
  const answerable = gold.filter((g) => g.expected.length > 0);
  const unanswerable = gold.filter((g) => g.expected.length === 0);

  // Retrieval: Padoms hybrid, vector-only, and plain BM25 (minisearch, default tokenizer).
  const hybrid: Chunk[][] = [];
  const keywordOnly: Chunk[][] = [];
  const vectorOnly: Chunk[][] = [];
  const plainBm25: Chunk[][] = [];
  const toChunks = (r: RetrievedChunk[]) => r.map((x) => x.chunk);
  for (const g of answerable) {
    hybrid.push(toChunks(await stack.retriever.search(g.question, { k: 10 })));
    keywordOnly.push(
      toChunks(
        await stack.retriever.search(g.question, { k: 10, mode: "keyword", diversify: false }),
      ),
    );
    vectorOnly.push(
      toChunks(
        await stack.retriever.search(g.question, { k: 10, mode: "vector", diversify: false }),
      ),
    );
    plainBm25.push(
      mini
        .search(g.question)
        .slice(0, 10)
        .map((h) => chunks.get(h.id as number) as Chunk),
    );
  }
  const retrieval = {
    padoms: scoreRankings(hybrid, answerable),
    keywordOnly: scoreRankings(keywordOnly, answerable),
    vectorOnly: scoreRankings(vectorOnly, answerable),
    plainBm25: scoreRankings(plainBm25, answerable),
  };

  // Answers (offline, extractive).
  const latencies: number[] = [];
  let answeredWithSource = 0;
  let answeredCount = 0;
  let wronglyDeclined = 0;
  let declinedUnanswerable = 0;
  const misses: string[] = [];
  for (const g of gold) {
    const t = performance.now();
    const a = await app.engine.ask(g.question);
    latencies.push(performance.now() - t);
    if (g.expected.length === 0) {
      if (!a.answered) declinedUnanswerable++;
      else misses.push(`answered unanswerable ${g.id}: ${g.question}`);
      continue;
    }
    if (!a.answered) {
      wronglyDeclined++;
      misses.push(
        `declined ${g.id} (relevance ${a.relevance?.toFixed(2) ?? "n/a"}): ${g.question}`,
      );
      continue;
    }
    answeredCount++;
    const cited = a.citations.some((c) =>
      matchesExpected(
        {
          kind: c.kind,
          page: c.page,
          pageEnd: c.pageEnd,
          startSec: c.startSec,
          endSec: c.endSec,
          lectureId: chunkLecture(chunks, c.chunkId),
        },
        g.expected,
      ),
    );
    if (cited) answeredWithSource++;
    else misses.push(`citation miss ${g.id}: ${g.question}`);
  }
  const answers = {
    citationsIncludeExpected: answeredCount ? answeredWithSource / answeredCount : 0,
    unanswerableDeclined: unanswerable.length ? declinedUnanswerable / unanswerable.length : 0,
    answerableWronglyDeclined: answerable.length ? wronglyDeclined / answerable.length : 0,
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
  };
  return {
    questions: {
      total: gold.length,
      answerable: answerable.length,
      unanswerable: unanswerable.length,
    },
    retrieval,
    answers,
    misses,
  };
}

const DEV_COLUMN = "dev (gold.json, used for calibration)";
const HELD_OUT_COLUMN = "held-out (holdout.json)";

/** Prints the dev and held-out results side by side (held-out columns only when present). */
function printTable(dev: SetResult, heldOut: SetResult | undefined, passages: number) {
  const describe = (s: SetResult) =>
    `${s.questions.total} questions (${s.questions.answerable} answerable, ${s.questions.unanswerable} not)`;
  console.log(
    `Gold set: ${describe(dev)}${heldOut ? `; held-out set: ${describe(heldOut)}` : ""}; corpus: ${passages} passages.\n`,
  );

  const scores = (s: RetrievalScore) => `${f(s.hit1)}   ${f(s.hit5)}   ${f(s.mrr)}`;
  const group = 41;
  console.log(
    `${"Retrieval (answerable questions)".padEnd(38)}${heldOut ? `${DEV_COLUMN.padEnd(group)}${HELD_OUT_COLUMN}` : ""}`,
  );
  const metricHeads = "hit@1   hit@5   MRR";
  console.log(
    `${"".padEnd(38)}${heldOut ? `${metricHeads.padEnd(group)}${metricHeads}` : metricHeads}`,
  );
  const row = (name: string, pick: (s: SetResult) => RetrievalScore) =>
    console.log(
      `  ${name.padEnd(36)}${heldOut ? `${scores(pick(dev)).padEnd(group)}${scores(pick(heldOut))}` : scores(pick(dev))}`,
    );
  row("Padoms hybrid (Latvian analysis)", (s) => s.retrieval.padoms);
  row("  keyword only (FTS5, Latvian)", (s) => s.retrieval.keywordOnly);
  row("baseline: vector only", (s) => s.retrieval.vectorOnly);
  row("baseline: plain BM25 (minisearch)", (s) => s.retrieval.plainBm25);

  const answerGroup = 40;
  const valueCols = (d: string, h: string | undefined) =>
    h === undefined ? `${d}   ` : `${d.padEnd(answerGroup)}${h.padEnd(HELD_OUT_COLUMN.length + 3)}`;
  console.log(
    `\n${"Answers (offline, extractive)".padEnd(46)}${valueCols(heldOut ? DEV_COLUMN : "value", heldOut ? HELD_OUT_COLUMN : undefined)}${heldOut ? "target (dev)" : "target"}`,
  );
  const answerRow = (label: string, pick: (s: SetResult) => string, target: string) =>
    console.log(
      `  ${label.padEnd(44)}${valueCols(pick(dev), heldOut ? pick(heldOut) : undefined)}${target}`,
    );
  answerRow(
    "citations include the expected source",
    (s) => f(s.answers.citationsIncludeExpected),
    "≥ 0.85",
  );
  answerRow("unanswerable questions declined", (s) => f(s.answers.unanswerableDeclined), "≥ 0.85");
  answerRow(
    "answerable questions wrongly declined",
    (s) => f(s.answers.answerableWronglyDeclined),
    "≤ 0.10",
  );
  answerRow(
    "ask latency p50 / p95 (ms)",
    (s) => `${s.answers.latencyP50Ms.toFixed(1)} / ${s.answers.latencyP95Ms.toFixed(1)}`,
    "p95 ≤ 50",
  );
  if (dev.misses.length) console.log(`\nMisses:\n  ${dev.misses.join("\n  ")}`);
  if (heldOut?.misses.length) {
    console.log(`\nMisses (held-out):\n  ${heldOut.misses.join("\n  ")}`);
  }
}

/**
 * Runs the evaluation on the gold (dev) set and on the held-out set and prints them side by
 * side; returns the numbers. The dev set is what the engine's threshold and weights were
 * calibrated on, so its numbers are optimistic; the held-out set was written without looking at
 * the engine's behaviour. Targets apply to the dev set. `holdoutPath: null` skips the held-out
 * set, as does a missing file.
 */
export async function evalAnswers(
  options: {
    goldPath?: string;
    holdoutPath?: string | null;
    corpusDir?: string;
    json?: boolean;
  } = {},
) {
  const goldPath = options.goldPath ?? join(root, "tests/eval/gold.json");
  const gold = JSON.parse(await readFile(goldPath, "utf8")) as GoldQuestion[];
  const holdoutPath =
    options.holdoutPath === null
      ? undefined
      : (options.holdoutPath ?? join(root, "tests/eval/holdout.json"));
  const holdout =
    holdoutPath && existsSync(holdoutPath)
      ? (JSON.parse(await readFile(holdoutPath, "utf8")) as GoldQuestion[])
      : undefined;
  const dataDir = await mkdtemp(join(tmpdir(), "padoms-eval-"));
  try {
    const config = loadConfig({
      PADOMS_DATA_DIR: dataDir,
      PADOMS_CORPUS_DIR: options.corpusDir ?? join(root, "corpus"),
      LLM: "off",
    });
    const ingest = await ingestCorpus({ config });
    const app = await createApp({ config });
    try {
      const stack = app.live.current();
      const chunks = stack.index.db.getChunks(stack.index.db.allLabels());
      const mini = new MiniSearch<{ id: number; text: string }>({
        fields: ["text"],
        storeFields: [],
      });
      mini.addAll(
        [...chunks.entries()].map(([id, c]) => ({
          id,
          text: `${c.title} ${c.section ?? ""} ${c.text}`,
        })),
      );
      const ctx: EvalContext = { app, stack, chunks, mini };

      for (const g of gold.slice(0, 5)) await app.engine.ask(g.question); // warm-up
      const dev = await evaluateSet(ctx, gold);
      const heldOut = holdout ? await evaluateSet(ctx, holdout) : undefined;

      const result = {
        ...dev,
        corpus: { chunks: ingest.chunks, files: ingest.files.total },
        ...(heldOut ? { heldOut } : {}),
      };
      if (options.json) {
        console.log(JSON.stringify(result, null, 2));
        return result;
      }
      printTable(dev, heldOut, ingest.chunks);
      return result;
    } finally {
      app.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

function chunkLecture(chunks: Map<number, Chunk>, chunkId: string): string | undefined {
  for (const c of chunks.values()) if (c.id === chunkId) return c.lectureId;
  return undefined;
}
