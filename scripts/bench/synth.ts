/**
 * Synthetic corpora for the benchmark: real Latvian sentences (the sample corpus and SIB-200)
 * recombined by a seeded PRNG into passages of 60–150 words, under numbered headings, about 100
 * passages per Markdown file. The same pool and seed always give the same files.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { chunkDocument } from "../../src/ingest/chunk.js";
import { loadSourceFile } from "../../src/ingest/load-file.js";
import { countWords } from "../../src/ingest/text-utils.js";
import { listCorpusFiles } from "../../src/ingest/walk.js";
import { splitSentences } from "../../src/text/sentences.js";
import { createPrng } from "./prng.js";

/** Real sentences to recombine, and where they came from. */
export interface SentencePool {
  sentences: string[];
  sources: {
    sampleCorpus: number;
    sib200: number;
    /** False when `../shared/data/sib200-lv` was not found: the pool is the sample corpus only. */
    sib200Available: boolean;
  };
}

const MIN_SENTENCE_WORDS = 4;
const MAX_SENTENCE_WORDS = 45;

function usable(sentence: string): boolean {
  const words = countWords(sentence);
  return words >= MIN_SENTENCE_WORDS && words <= MAX_SENTENCE_WORDS && /\p{L}/u.test(sentence);
}

/**
 * Sentences of the sample corpus, read with the project's loaders and chunker (the same text
 * the index holds), split with the project's sentence splitter, deduplicated, in corpus order.
 */
export async function sampleCorpusSentences(corpusDir: string): Promise<string[]> {
  const seen = new Set<string>();
  for (const f of await listCorpusFiles(corpusDir)) {
    let chunks: { text: string }[];
    try {
      chunks = chunkDocument(await loadSourceFile(f.absPath, f.relPath));
    } catch {
      continue; // an unreadable file only makes the pool smaller
    }
    for (const c of chunks) {
      for (const s of splitSentences(c.text.replace(/\s+/g, " "), {
        normalize: false,
        dropBullets: false,
      })) {
        if (usable(s)) seen.add(s.trim());
      }
    }
  }
  return [...seen];
}

/** The `text` column of every `*.tsv` in the SIB-200 folder; empty when the folder is absent. */
export async function sib200Sentences(dir: string): Promise<string[] | undefined> {
  if (!existsSync(dir)) return undefined;
  const out: string[] = [];
  for (const name of ["train.tsv", "dev.tsv", "test.tsv"]) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    const [header, ...rows] = (await readFile(path, "utf8")).split(/\r?\n/);
    const col = (header ?? "").split("\t").indexOf("text");
    if (col < 0) continue;
    for (const row of rows) {
      const text = row.split("\t")[col]?.trim();
      if (text && usable(text)) out.push(text);
    }
  }
  return out;
}

/** Builds the pool from the sample corpus and, when present, SIB-200. */
export async function loadSentencePool(options: {
  corpusDir: string;
  sib200Dir: string;
}): Promise<SentencePool> {
  const sample = await sampleCorpusSentences(options.corpusDir);
  const sib = await sib200Sentences(options.sib200Dir);
  const sentences = [...new Set([...sample, ...(sib ?? [])])];
  if (sentences.length < 20) {
    throw new Error(
      `Only ${sentences.length} usable sentences in ${options.corpusDir} and ${options.sib200Dir}; the benchmark needs at least 20.`,
    );
  }
  return {
    sentences,
    sources: {
      sampleCorpus: sample.length,
      sib200: sib?.length ?? 0,
      sib200Available: sib !== undefined,
    },
  };
}

/** What {@link writeSyntheticCorpus} wrote. */
export interface SyntheticCorpus {
  dir: string;
  files: number;
  passages: number;
  words: number;
  bytes: number;
}

const TOPICS = [
  "Sociālā uzņēmuma statuss",
  "Finansējuma avoti",
  "Sociālā ietekme",
  "Biznesa idejas pārbaude",
  "Nodokļi un atvieglojumi",
  "Pašvaldību atbalsts",
  "Darbinieki un mērķa grupas",
  "Pieredzes stāsti",
  "Pārskati un uzraudzība",
  "Sadarbība un tīklošanās",
];

/** Heading text from the first words of the passage's first sentence (short, capitalised). */
function headingOf(sentence: string): string {
  const words = sentence
    .replace(/[.,;:!?…"'„“”()«»[\]]/g, "")
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 5)
    .join(" ");
  const h = words.charAt(0).toUpperCase() + words.slice(1);
  return h || "Sadaļa";
}

/**
 * Writes `passages` passages into `dir` as Markdown files of `perFile` passages: `# title`, then
 * for each passage a `## N.M. Heading` and one paragraph of 60–150 words (sentences drawn with
 * replacement). With the default chunk size (180 words) each passage becomes one chunk.
 */
export async function writeSyntheticCorpus(options: {
  dir: string;
  pool: readonly string[];
  passages: number;
  seed: number;
  perFile?: number;
}): Promise<SyntheticCorpus> {
  const { dir, pool, passages, seed } = options;
  const perFile = options.perFile ?? 100;
  const rnd = createPrng(seed ^ passages);
  await mkdir(dir, { recursive: true });
  let written = 0;
  let words = 0;
  let bytes = 0;
  let files = 0;
  while (written < passages) {
    const fileNo = files + 1;
    const count = Math.min(perFile, passages - written);
    const topic = TOPICS[files % TOPICS.length] as string;
    const parts = [`# ${fileNo}. ${topic}`, ""];
    for (let p = 0; p < count; p++) {
      const target = rnd.int(60, 150);
      const sentences: string[] = [];
      let n = 0;
      while (n < target) {
        const s = rnd.pick(pool);
        const w = countWords(s);
        if (n > 0 && n + w > 150) {
          if (n >= 60) break;
          continue;
        }
        sentences.push(s);
        n += w;
      }
      words += n;
      parts.push(
        `## ${fileNo}.${p + 1}. ${headingOf(sentences[0] ?? "")}`,
        "",
        sentences.join(" "),
        "",
      );
    }
    const text = parts.join("\n");
    const name = `fails-${String(fileNo).padStart(5, "0")}.md`;
    await writeFile(join(dir, name), text);
    bytes += Buffer.byteLength(text);
    written += count;
    files++;
  }
  return { dir, files, passages: written, words, bytes };
}
