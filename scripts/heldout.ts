import { FITTED_MODELS } from "../src/answer/create-engine.js";
import { FOCUS } from "../src/answer/intent.js";
import { createSentenceSimilarity } from "../src/embed/sentence-similarity.js";
import { analyseWith, composedOf, heldOutScored, withFoldPrecedents } from "./analysed.js";
import {
  type BankQuestion,
  firstSentence,
  foldOf,
  keysMatch,
  loadTrainAndDev,
  openEvalApp,
  unitHoldsKeys,
  writerFoldsOf,
} from "./quality.js";

interface Tally {
  n: number;
  top1: number;
  keyInText: number;
  keyInFirst: number;
  /** The same with a list's lead-in alone as its first sentence. */
  keyInFirstStrict: number;
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
  /**
   * Held-out answers with folds by `fold`: each train question answered by a ranker fitted on
   * the other folds, with their precedents; each dev question by the ranker fitted on all train.
   * `groups` names the rows a question counts in.
   */
  const heldOut = (
    fold: (q: BankQuestion) => number,
    groups: (q: BankQuestion, dev: boolean) => string[],
  ) => {
    const { trainA: fitted, devA: devWithLogs } = withFoldPrecedents(trainA, devA, fold, {
      retriever,
      setting: FITTED_MODELS.precedentPassages,
    });
    const tallies = new Map<string, Tally>();
    for (const { x, dev, analysis: a } of heldOutScored(fitted, devWithLogs, fold, l2)) {
      const { chosen, answer } = composedOf(a, FITTED_MODELS, retriever);
      let top1 = false;
      let keyInText = false;
      let keyInFirst = false;
      let keyInFirstStrict = false;
      if (chosen.lead && answer !== undefined) {
        top1 = unitHoldsKeys(chosen.lead.unit, x.q.keys);
        keyInText = keysMatch(x.q.keys, answer);
        keyInFirst = keysMatch(x.q.keys, firstSentence(answer));
        keyInFirstStrict = keysMatch(x.q.keys, firstSentence(answer, true));
      }
      const best = x.analysis.results[0]?.chunk.text;
      const passage = best !== undefined && keysMatch(x.q.keys, best);
      for (const key of groups(x.q, dev)) {
        const t = tallies.get(key) ?? {
          n: 0,
          top1: 0,
          keyInText: 0,
          keyInFirst: 0,
          keyInFirstStrict: 0,
          passage: 0,
        };
        t.passage += Number(passage);
        t.n++;
        t.top1 += Number(top1);
        t.keyInText += Number(keyInText);
        t.keyInFirst += Number(keyInFirst);
        t.keyInFirstStrict += Number(keyInFirstStrict);
        tallies.set(key, t);
      }
    }
    return tallies;
  };
  const print = (tallies: Map<string, Tally>) => {
    console.log(
      "                      n     best unit holds keys   key in text   key in 1st sentence (a list's lead-in alone)   baseline: best passage whole, key in text",
    );
    for (const [key, t] of tallies) {
      const f = (v: number) => (v / t.n).toFixed(3).padStart(7);
      console.log(
        `  ${key.padEnd(18)} ${String(t.n).padStart(5)}   ${f(t.top1)}                ${f(t.keyInText)}       ${f(t.keyInFirst)} (${f(t.keyInFirstStrict)})                     ${f(t.passage)}`,
      );
    }
  };

  console.log(
    `Held-out composed answers (answerable questions, lecture requests aside; linear ranker, l2 ${l2}, refitted per fold):`,
  );
  print(
    heldOut(
      (q) => foldOf(q.id),
      (q, dev) => ["all", dev ? "dev" : "train (5-fold)", `style: ${q.style}`],
    ),
  );
  // The same with folds by writer: no question is helped by its own writer's other questions
  // (their wording, or a fact asked twice), as a new user's question would not be.
  const byWriter = writerFoldsOf(train);
  console.log(
    "\nThe same, train questions held out by writer (each writer's questions in one fold: a new writer's view):",
  );
  print(
    new Map(
      [...heldOut(byWriter, (q, dev) => (dev ? [] : ["train (by writer)", q.writer ?? "?"]))].sort(
        ([a], [b]) =>
          Number(b.startsWith("train")) - Number(a.startsWith("train")) || a.localeCompare(b),
      ),
    ),
  );
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
