/**
 * The question bank and how answers are judged: shared by `npm run eval`, `npm run fit` and the
 * eval regression test. Answers are judged by what the user reads: the answer keys (regular
 * expressions written with each question) must match the answer text itself.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AnswerUnit, unitText } from "../src/answer/units.js";
import { type App, createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { ingestCorpus } from "../src/ingest/ingest.js";
import { foldDiacritics } from "../src/text/normalize.js";
import { splitSentences } from "../src/text/sentences.js";
import type { Answer, Chunk, Citation } from "../src/types.js";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The seed of the bank's one train/dev/test split. */
export const SPLIT_SEED = "padoms-bank-2026-12";
/** Shares of the split, per style. */
export const SPLIT_SHARES = { train: 0.6, dev: 0.2, test: 0.2 } as const;

/** An expected source of a question. */
export type ExpectedSource =
  | { kind: "handbook"; pages: [number, number] }
  | { kind: "lecture"; lecture: string; from: number; to: number }
  /** An article of a law ("149" for "149.pants"), found in a passage's section path. */
  | { kind: "document"; article: string };

/** One question of the bank (`tests/eval/bank.json`), written without reading `src/`. */
export interface BankQuestion {
  id: string;
  question: string;
  style: "colloquial" | "long" | "english" | "steps" | "lecture" | "unanswerable" | "plain";
  lang: "lv" | "en";
  /** Regular expressions (over folded text) that must all match the answer text. */
  keys: string[];
  gold: ExpectedSource[];
  /** Lecture questions: the lecture to point to, and the moment [from, to] in seconds. */
  lecture?: string;
  moment?: [number, number];
  writer?: string;
}

export type Split = "train" | "dev" | "test";

/**
 * The split of each item: within each group, items ordered by a seeded hash of their id, the
 * first 60 % train, the next 20 % dev, the rest test. Fixed for a fixed set of ids.
 */
function stratifiedSplit<T extends { id: string }>(
  items: readonly T[],
  groupOf: (item: T) => string,
): Map<string, Split> {
  const hash = (id: string) => createHash("sha1").update(`${SPLIT_SEED}:${id}`).digest("hex");
  const split = new Map<string, Split>();
  for (const group of new Set(items.map(groupOf))) {
    const ids = items
      .filter((x) => groupOf(x) === group)
      .map((x) => x.id)
      .sort((a, b) => hash(a).localeCompare(hash(b)));
    const train = Math.round(ids.length * SPLIT_SHARES.train);
    const dev = Math.round(ids.length * (SPLIT_SHARES.train + SPLIT_SHARES.dev));
    ids.forEach((id, i) => {
      split.set(id, i < train ? "train" : i < dev ? "dev" : "test");
    });
  }
  return split;
}

/** Loads the bank with each question's split (stratified by style, seeded, fixed). */
export function loadBank(
  path = join(root, "tests/eval/bank.json"),
): (BankQuestion & { split: Split })[] {
  const bank = JSON.parse(readFileSync(path, "utf8")) as BankQuestion[];
  const split = stratifiedSplit(bank, (q) => q.style);
  return bank.map((q) => ({ ...q, split: split.get(q.id) as Split }));
}

/**
 * The folder of the real public documents: env `REAL_DOCS_DIR`, else `../shared/data/real-docs`
 * beside the repository, else `/work/shared/data/real-docs` (where a clean clone finds it).
 */
export const REAL_DOCS_DIR =
  process.env.REAL_DOCS_DIR ??
  [join(root, "../shared/data/real-docs"), "/work/shared/data/real-docs"].find((d) =>
    existsSync(d),
  ) ??
  join(root, "../shared/data/real-docs");
/** The Latvian Labour Law in that folder: a real corpus the models were not written for. */
export const LABOUR_LAW_FILE = "darba-likums-2016-06-09.txt";

/** A real document of {@link REAL_DOCS_DIR} with questions written blind on it. */
export interface RealCorpus {
  /** How the report names it. */
  title: string;
  /** Its file in {@link REAL_DOCS_DIR}. */
  file: string;
  /** Its questions, in the bank's form. */
  questions: string;
}

/** The real documents the evaluation asks questions of (nothing is fitted on them). */
export const REAL_CORPORA: readonly RealCorpus[] = [
  {
    title: "the Latvian Labour Law alone",
    file: LABOUR_LAW_FILE,
    questions: "tests/eval/labour-law.json",
  },
  {
    title: "an English two-column research paper alone (tracemonkey-pldi-09.pdf)",
    file: "tracemonkey-pldi-09.pdf",
    questions: "tests/eval/english-paper.json",
  },
];

/**
 * Questions written blind on a real document (`tests/eval/labour-law.json`: the Latvian Labour
 * Law, gold by article; `tests/eval/english-paper.json`: an English paper, gold by page), in the
 * bank's form, split like the bank by a fixed seed; `[]` without the file.
 */
export function loadRealCorpusSet(path: string): (BankQuestion & { split: Split })[] {
  if (!existsSync(path)) return [];
  const set = JSON.parse(readFileSync(path, "utf8")) as BankQuestion[];
  const split = stratifiedSplit(set, (q) => q.style);
  return set.map((q) => ({ ...q, split: split.get(q.id) as Split }));
}

/** The Labour Law's questions (see {@link loadRealCorpusSet}). */
export function loadLabourLawSet(
  path = join(root, "tests/eval/labour-law.json"),
): (BankQuestion & { split: Split })[] {
  return loadRealCorpusSet(path);
}

/**
 * A file of {@link REAL_DOCS_DIR} indexed alone in a temporary folder, with the app over it (LLM
 * off); `undefined` when the file is not there.
 */
export async function openRealDocApp(
  file: string,
): Promise<{ app: App; close: () => Promise<void> } | undefined> {
  const path = join(REAL_DOCS_DIR, file);
  if (!existsSync(path)) return undefined;
  const corpus = await mkdtemp(join(tmpdir(), "padoms-real-doc-"));
  await copyFile(path, join(corpus, file));
  const opened = await openEvalApp(corpus);
  return {
    app: opened.app,
    close: async () => {
      await opened.close();
      await rm(corpus, { recursive: true, force: true });
    },
  };
}

/** The Labour Law indexed alone (see {@link openRealDocApp}). */
export function openLabourLawApp(): Promise<{ app: App; close: () => Promise<void> } | undefined> {
  return openRealDocApp(LABOUR_LAW_FILE);
}

/**
 * A second handbook on the sample's subject (`tests/eval/other-handbook/`), written in Markdown by
 * four writers from the same facts file without seeing the sample corpus, the code or the
 * questions: the bank's questions asked of it measure what the real handbook would get, whose
 * passages no precedent knows.
 */
export const OTHER_HANDBOOK_DIR = join(root, "tests/eval/other-handbook");

/**
 * More training questions (`tests/eval/bank-train-extra.json`), written later by other blind
 * writers in the same form: they only ever go to the train split, so the dev and test splits of
 * the bank stay as they were.
 */
export function loadExtraTrain(
  path = join(root, "tests/eval/bank-train-extra.json"),
): (BankQuestion & { split: Split })[] {
  if (!existsSync(path)) return [];
  const extra = JSON.parse(readFileSync(path, "utf8")) as BankQuestion[];
  return extra.map((q) => ({ ...q, split: "train" as const }));
}

/**
 * The questions the models may learn from and be chosen on: the bank's train split with the extra
 * train questions, and its dev split. The test split is not returned.
 */
export function loadTrainAndDev(): {
  train: (BankQuestion & { split: Split })[];
  dev: (BankQuestion & { split: Split })[];
} {
  const bank = loadBank();
  return {
    train: [...bank.filter((q) => q.split === "train"), ...loadExtraTrain()],
    dev: bank.filter((q) => q.split === "dev"),
  };
}

/** Text as keys see it: lower case, no diacritics, one space. */
export function foldForKeys(text: string): string {
  return foldDiacritics(text.normalize("NFC").toLowerCase())
    .replace(/\u00ad/g, "")
    .replace(/\s+/g, " ");
}

/** Whether all keys match the text. */
export function keysMatch(keys: readonly string[], text: string): boolean {
  const t = foldForKeys(text);
  return keys.length > 0 && keys.every((k) => new RegExp(k, "u").test(t));
}

/** Whether one of the passages holds all the keys (the question is answerable from them). */
export function holdsKeys(passages: readonly { text: string }[], keys: readonly string[]): boolean {
  return passages.some((p) => keysMatch(keys, p.text));
}

/**
 * The first sentence the user reads (an English frame line "… In Latvian:" goes with it). A
 * lead-in that ends in a colon reads on into the numbered list under it ("Soļi ir šādi:" and its
 * steps are one sentence, as in print), so its items count with it; `strict` counts the lead-in
 * alone.
 */
export function firstSentence(answer: string, strict = false): string {
  const body = (answer.split(/\n\n(?:Skatiet arī|See also):/)[0] ?? answer).replace(
    /\s\[\d+\]/g,
    "",
  );
  const sentences = splitSentences(body);
  const first = sentences[0] ?? "";
  const opening = /in Latvian:$/i.test(first) ? `${first} ${sentences[1] ?? ""}` : first;
  if (strict || !/:$/.test(opening.trim())) return opening;
  const lines = body.split("\n").map((l) => l.trim());
  const start = lines.findIndex((l) => /^\d+\.\s/.test(l));
  // The list must follow the opening's own colon, not one further down.
  const leadIn = foldForKeys(lines[start - 1] ?? "").slice(-12);
  if (start < 1 || !foldForKeys(opening.trim()).endsWith(leadIn)) return opening;
  const items: string[] = [];
  for (let i = start; /^\d+\.\s/.test(lines[i] ?? ""); i++) items.push(lines[i] as string);
  return `${opening} ${items.join(" ")}`;
}

/** Whether a source is one of the expected ones. */
export function matchesExpected(
  c: Pick<Chunk, "kind" | "page" | "pageEnd" | "lectureId" | "startSec" | "endSec"> & {
    path?: string;
    section?: string;
  },
  expected: readonly ExpectedSource[],
): boolean {
  const lectureId = c.lectureId ?? c.path?.match(/(\d\d)-/)?.[1]?.replace(/^/, "l");
  return expected.some((e) => {
    if (e.kind === "document") {
      return new RegExp(`(^|[^0-9])${e.article}\\.\\s?pants`, "u").test(c.section ?? "");
    }
    if (e.kind === "handbook") {
      if (c.kind !== "handbook" || c.page === undefined) return false;
      const end = c.pageEnd ?? c.page;
      return c.page <= e.pages[1] && end >= e.pages[0];
    }
    if (c.kind !== "lecture" || lectureId !== e.lecture) return false;
    return (c.startSec ?? 0) <= e.to && (c.endSec ?? 0) >= e.from;
  });
}

/** What one engine (or baseline) gave for one question. */
export interface Given {
  answered: boolean;
  answer: string;
  citations: Pick<
    Citation,
    "kind" | "path" | "page" | "pageEnd" | "startSec" | "endSec" | "section"
  >[];
}

/** Per-question judgement. */
export interface Judged {
  id: string;
  style: string;
  answerable: boolean;
  answered: boolean;
  keyInText: boolean;
  keyInFirst: boolean;
  /** The same with a list's lead-in alone as its first sentence. */
  keyInFirstStrict: boolean;
  rightCitation: boolean;
  rightLecture?: boolean;
  rightMoment?: boolean;
}

/** Judges what was given for a question. */
export function judge(q: BankQuestion, given: Given): Judged {
  const answerable = q.style !== "unanswerable";
  const text = given.answered ? given.answer : "";
  const j: Judged = {
    id: q.id,
    style: q.style,
    answerable,
    answered: given.answered,
    keyInText: answerable && given.answered && keysMatch(q.keys, text),
    keyInFirst: answerable && given.answered && keysMatch(q.keys, firstSentence(text)),
    keyInFirstStrict: answerable && given.answered && keysMatch(q.keys, firstSentence(text, true)),
    rightCitation:
      answerable && given.answered && given.citations.some((c) => matchesExpected(c, q.gold)),
  };
  if (q.style === "lecture" && q.lecture) {
    const lectureOf = (c: Given["citations"][number]) => {
      const m = c.path.match(/(?:^|\/)(\d\d)-[^/]*$/);
      return m ? `l${m[1]}` : undefined;
    };
    const first = given.citations.find((c) => c.kind === "lecture");
    j.rightLecture = given.answered && (first ? lectureOf(first) === q.lecture : false);
    const [from, to] = q.moment ?? [0, 0];
    j.rightMoment =
      j.rightLecture &&
      first !== undefined &&
      (first.startSec ?? 0) <= to &&
      (first.endSec ?? first.startSec ?? 0) >= from;
  }
  return j;
}

/** The figures of a set of judgements. */
export interface Figures {
  n: number;
  answerable: number;
  keyInText: number;
  keyInFirst: number;
  keyInFirstStrict: number;
  wronglyDeclined: number;
  unanswerableDeclined: number;
  rightCitation: number;
  rightLecture?: number;
  rightMoment?: number;
}

const share = (xs: readonly boolean[]) =>
  xs.length ? xs.filter(Boolean).length / xs.length : Number.NaN;

/** Figures over judgements (shares over the answerable or unanswerable ones, as fits). */
export function figuresOf(judged: readonly Judged[]): Figures {
  const ans = judged.filter((j) => j.answerable);
  const unans = judged.filter((j) => !j.answerable);
  const lectures = judged.filter((j) => j.rightLecture !== undefined);
  return {
    n: judged.length,
    answerable: ans.length,
    keyInText: share(ans.map((j) => j.keyInText)),
    keyInFirst: share(ans.map((j) => j.keyInFirst)),
    keyInFirstStrict: share(ans.map((j) => j.keyInFirstStrict)),
    wronglyDeclined: share(ans.map((j) => !j.answered)),
    unanswerableDeclined: share(unans.map((j) => !j.answered)),
    rightCitation: share(ans.map((j) => j.rightCitation)),
    ...(lectures.length
      ? {
          rightLecture: share(lectures.map((j) => j.rightLecture === true)),
          rightMoment: share(lectures.map((j) => j.rightMoment === true)),
        }
      : {}),
  };
}

/** Figures overall and per style group. */
export function figuresByStyle(judged: readonly Judged[]): Record<string, Figures> {
  const out: Record<string, Figures> = { overall: figuresOf(judged) };
  for (const style of [...new Set(judged.map((j) => j.style))].sort()) {
    out[style] = figuresOf(judged.filter((j) => j.style === style));
  }
  return out;
}

/** An answer as {@link Given}. */
export function givenOf(a: Answer): Given {
  return { answered: a.answered, answer: a.answer, citations: a.citations };
}

/** Indexes the sample corpus into a temporary folder and opens the app over it (LLM off). */
export async function openEvalApp(
  corpusDir = join(root, "corpus"),
): Promise<{ app: App; close: () => Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), "padoms-eval-"));
  const config = loadConfig({ PADOMS_DATA_DIR: dataDir, PADOMS_CORPUS_DIR: corpusDir, LLM: "off" });
  await ingestCorpus({ config });
  const app = await createApp({ config });
  return {
    app,
    close: async () => {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Whether a unit, shown as an answer leads with it, holds the question's keys. */
export function unitHoldsKeys(unit: AnswerUnit, keys: readonly string[]): boolean {
  const leadHasOne = unit.kind === "list" || keys.some((k) => keysMatch([k], unit.lead));
  return leadHasOne && keysMatch(keys, unitText(unit));
}

/** The approved-answers set (`tests/eval/approved.json`), written without reading `src/`. */
export interface ApprovedSet {
  approved: { id: string; question: string; answer: string }[];
  probes: { id: string; approved: string | null; kind: string; question: string; split: Split }[];
}

/** Loads the approved-answers set with each probe's split (stratified by kind, seeded). */
export function loadApprovedSet(path = join(root, "tests/eval/approved.json")): ApprovedSet {
  const set = JSON.parse(readFileSync(path, "utf8")) as {
    approved: ApprovedSet["approved"];
    probes: Omit<ApprovedSet["probes"][number], "split">[];
  };
  const split = stratifiedSplit(set.probes, (p) => p.kind);
  return {
    approved: set.approved,
    probes: set.probes.map((p) => ({ ...p, split: split.get(p.id) as Split })),
  };
}

/**
 * More approved entries with their probes (`tests/eval/approved-train-extra.json`), written later
 * by other blind writers, one set per writer: all train. They teach the matcher only; `npm run
 * eval` keeps to the 30 entries of `approved.json`, so its dev and test probes meet the same
 * entries as before. Each set is matched on its own: writers who never saw each other's files
 * approved some of the same questions, and a probe that finds another writer's copy of its entry
 * is not wrong.
 */
export function loadApprovedTrainExtra(
  path = join(root, "tests/eval/approved-train-extra.json"),
): ApprovedSet[] {
  if (!existsSync(path)) return [];
  const sets = JSON.parse(readFileSync(path, "utf8")) as {
    approved: ApprovedSet["approved"];
    probes: Omit<ApprovedSet["probes"][number], "split">[];
  }[];
  return sets.map((set) => ({
    approved: set.approved,
    probes: set.probes.map((p) => ({ ...p, split: "train" as const })),
  }));
}

/** Folds of the train split for held-out (cross-validated) predictions. */
export const CV_FOLDS = 5;

/** A train question's fold: a fixed hash of its id (FNV-1a), so folds never change. */
export function foldOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h % CV_FOLDS;
}

/**
 * Folds by writer: each writer's questions in one fold, writers dealt round-robin in name order
 * (a question without a writer goes by its id, as {@link foldOf}). Held out this way, a question
 * is answered with nothing its own writer wrote, as a new user's would be.
 */
export function writerFoldsOf(
  questions: readonly Pick<BankQuestion, "id" | "writer">[],
): (q: Pick<BankQuestion, "id" | "writer">) => number {
  const writers = [
    ...new Set(questions.map((q) => q.writer).filter((w) => w !== undefined)),
  ].sort();
  const fold = new Map(writers.map((w, i) => [w, i % CV_FOLDS]));
  return (q) => (q.writer !== undefined ? (fold.get(q.writer) ?? foldOf(q.id)) : foldOf(q.id));
}

/**
 * Where the SIB-200 Latvian sentences are (real sentences on travel, sports, science, politics …,
 * none about this project's subject): `SIB200_DIR`, or the workplace's shared data folder.
 */
export const SIB200_DIR = process.env.SIB200_DIR ?? join(root, "..", "shared", "data", "sib200-lv");

/**
 * One split of SIB-200 as off-topic messages, each with an id for folds; `undefined` when the data
 * is not on this machine (the figures that need it are then left out and say so).
 */
export function loadOffTopic(
  split: "train" | "dev" | "test",
  dir = SIB200_DIR,
): { id: string; text: string }[] | undefined {
  const file = join(dir, `${split}.tsv`);
  if (!existsSync(file)) return undefined;
  return readFileSync(file, "utf8")
    .split("\n")
    .slice(1)
    .map((line) => line.split("\t"))
    .filter((cols) => cols.length >= 3 && cols[2]?.trim())
    .map((cols) => ({ id: `sib-${cols[0]}`, text: (cols[2] as string).trim() }));
}

/** A message on another subject, written blind as people would send it to the bot. */
export interface OffTopicQuestion {
  id: string;
  question: string;
  /** `far`: everyday life; `adjacent`: work, money or business outside the materials. */
  kind: "far" | "adjacent";
  lang: "lv" | "en";
  form: "colloquial" | "standard" | "english" | "long";
  writer: string;
  split: Split;
}

/**
 * Questions on other subjects (`tests/eval/offtopic.json`), written by helpers who had not read
 * `src/` and checked against the corpus that the materials do not answer them; split like the
 * bank (seeded, by kind and form). `[]` without the file.
 */
export function loadOffTopicQuestions(
  path = join(root, "tests/eval/offtopic.json"),
): OffTopicQuestion[] {
  if (!existsSync(path)) return [];
  const set = JSON.parse(readFileSync(path, "utf8")) as Omit<OffTopicQuestion, "split">[];
  const split = stratifiedSplit(set, (q) => `${q.kind}/${q.form}`);
  return set.map((q) => ({ ...q, split: split.get(q.id) as Split }));
}

/**
 * A conversation from the blind user tests (`tests/eval/followups.json`): the messages up to a
 * follow-up, and what the answer to the last one must hold (`keys`), or that it is declined.
 * Round 1's conversations are the "tune" split, round 2's (after the first fixes) "test".
 */
export interface FollowUpItem {
  id: string;
  split: "tune" | Split;
  source: string;
  turns: string[];
  keys?: string[];
  decline?: boolean;
  note?: string;
}

/** Loads the follow-up conversations (none when the file is absent). */
export function loadFollowUps(path = join(root, "tests/eval/followups.json")): FollowUpItem[] {
  if (!existsSync(path)) return [];
  return (JSON.parse(readFileSync(path, "utf8")) as { items: FollowUpItem[] }).items;
}

/** A follow-up conversation written blind from the materials, with the kind of its last message. */
export interface BlindFollowUp extends FollowUpItem {
  /** elliptic-covered, elliptic-uncovered, off-subject, why, subtopic, reference or lecture. */
  kind: string;
  writer: string;
}

/**
 * Follow-up conversations written from the materials by writers who had not read `src/`
 * (`tests/eval/followups-blind.json`): the last message's answer must hold `keys`, or be a
 * decline. Split once by the fixed seed, per kind (train 60 % / dev 20 % / test 20 %).
 */
export function loadBlindFollowUps(
  path = join(root, "tests/eval/followups-blind.json"),
): BlindFollowUp[] {
  if (!existsSync(path)) return [];
  const set = (
    JSON.parse(readFileSync(path, "utf8")) as { items: Omit<BlindFollowUp, "split" | "source">[] }
  ).items;
  const split = stratifiedSplit(set, (q) => q.kind);
  return set.map((q) => ({ ...q, source: q.writer, split: split.get(q.id) as Split }));
}
