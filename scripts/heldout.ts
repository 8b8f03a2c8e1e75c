import { FITTED_MODELS } from "../src/answer/create-engine.js";
import { UNIT_FEATURES } from "../src/answer/features.js";
import { FOCUS } from "../src/answer/intent.js";
import { fitRanker, predict, type ScoringModel } from "../src/answer/model.js";
import { createSentenceSimilarity } from "../src/embed/sentence-similarity.js";
import { analyseWith, composedOf, unitGroupsOf, withFoldPrecedents } from "./analysed.js";
import {
  CV_FOLDS,
  firstSentence,
  foldOf,
  keysMatch,
  loadTrainAndDev,
  openEvalApp,
  unitHoldsKeys,
} from "./quality.js";

interface Tally {
  n: number;
  top1: number;
  keyInText: number;
  keyInFirst: number;
  /** The baseline: the search's best passage shown whole. */
  passage: number;
}

const { train, dev } = loadTrainAndDev();
const { app, close } = await openEvalApp();
try {
  const retriever = app.live.current().retriever;
  const similarity = createSentenceSimilarity();
  const { precedents: _committed, ...models } = FITTED_MODELS;
  const l2 = chosenL2();
  const trainA = await analyseWith(similarity, retriever, train, models, FOCUS);
  const devA = await analyseWith(similarity, retriever, dev, models, FOCUS);
  const { trainA: fitted, devA: devWithLogs } = withFoldPrecedents(trainA, devA);
  const withLogs = [
    ...fitted.map((x) => ({ ...x, dev: false })),
    ...devWithLogs.map((x) => ({ ...x, dev: true })),
  ];
  const byFold: ScoringModel[] = Array.from({ length: CV_FOLDS }, (_, f) =>
    fitRanker(UNIT_FEATURES, unitGroupsOf(fitted.filter((x) => foldOf(x.q.id) !== f)), { l2 }),
  );
  const full = fitRanker(UNIT_FEATURES, unitGroupsOf(fitted), { l2 });

  const tallies = new Map<string, Tally>();
  for (const x of withLogs) {
    if (x.q.style === "unanswerable") continue;
    const model = x.dev ? full : (byFold[foldOf(x.q.id)] as ScoringModel);
    const scores = x.analysis.candidates.map((c) => predict(model, c.features));
    const a = { ...x.analysis, scores };
    const { chosen, answer } = composedOf(a, FITTED_MODELS, retriever);
    let top1 = false;
    let keyInText = false;
    let keyInFirst = false;
    if (chosen.lead && answer !== undefined) {
      top1 = unitHoldsKeys(chosen.lead.unit, x.q.keys);
      keyInText = keysMatch(x.q.keys, answer);
      keyInFirst = keysMatch(x.q.keys, firstSentence(answer));
    }
    const best = x.analysis.results[0]?.chunk.text;
    const passage = best !== undefined && keysMatch(x.q.keys, best);
    for (const key of ["all", x.dev ? "dev" : "train (5-fold)", `style: ${x.q.style}`]) {
      const t = tallies.get(key) ?? { n: 0, top1: 0, keyInText: 0, keyInFirst: 0, passage: 0 };
      t.passage += Number(passage);
      t.n++;
      t.top1 += Number(top1);
      t.keyInText += Number(keyInText);
      t.keyInFirst += Number(keyInFirst);
      tallies.set(key, t);
    }
  }
  console.log(
    `Held-out composed answers (answerable questions, lecture requests aside; linear ranker, l2 ${l2}, refitted per fold):`,
  );
  console.log(
    "                      n     best unit holds keys   key in text   key in 1st sentence   baseline: best passage whole, key in text",
  );
  for (const [key, t] of tallies) {
    const f = (v: number) => (v / t.n).toFixed(3).padStart(7);
    console.log(
      `  ${key.padEnd(18)} ${String(t.n).padStart(5)}   ${f(t.top1)}                ${f(t.keyInText)}       ${f(t.keyInFirst)}               ${f(t.passage)}`,
    );
  }
} finally {
  await close();
}

/** The ranker penalty the last fit chose (its sweep is in `weights.json`). */
function chosenL2(): number {
  const sweeps = (FITTED_MODELS as unknown as { sweeps?: Record<string, unknown[]> }).sweeps;
  const row = (sweeps?.unitRanker ?? []).find(
    (r): r is { l2: number } => (r as { chosen?: boolean }).chosen === true,
  );
  return row?.l2 ?? 10;
}
