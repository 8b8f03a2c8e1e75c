/**
 * `npm run glossary:report` — where the glossary (src/text/glossary.tsv) fails English
 * questions: over the English questions of the bank's train and dev splits (never test) and
 * the extra training questions, the words that neither the glossary nor the index knows, and
 * the glossary phrases none of whose Latvian terms the index holds whole, each with the number of
 * questions it occurs in. A list to extend the glossary from, with general words of the domain
 * (never one question's answer).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config.js";
import { ingestCorpus } from "../src/ingest/ingest.js";
import { bestTerm } from "../src/retrieval/query.js";
import { openIndex } from "../src/store/open-index.js";
import { analyze } from "../src/text/analyze.js";
import { segmentEnglishQuery } from "../src/text/glossary.js";
import { loadBank, loadExtraTrain, root } from "./quality.js";

/** Words and phrases an English question set leaves without an index token, by questions. */
export function untranslatedWords(
  questions: readonly string[],
  vocabulary: ReadonlyMap<string, number>,
): { unknown: Map<string, number>; untranslatable: Map<string, number> } {
  const unknown = new Map<string, number>();
  const untranslatable = new Map<string, number>();
  const inIndex = (text: string) => analyze(text).some((t) => vocabulary.has(t));
  for (const question of questions) {
    const seen = new Set<string>();
    for (const s of segmentEnglishQuery(question)) {
      const phrase = s.words.join(" ").toLowerCase();
      if (seen.has(phrase)) continue;
      seen.add(phrase);
      if (s.kind === "unknown" && !inIndex(phrase))
        unknown.set(phrase, (unknown.get(phrase) ?? 0) + 1);
      if (
        s.kind === "glossary" &&
        !bestTerm(s.latvian ?? [], vocabulary).length &&
        !inIndex(phrase)
      )
        untranslatable.set(phrase, (untranslatable.get(phrase) ?? 0) + 1);
    }
  }
  return { unknown, untranslatable };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), "padoms-glossary-"));
  try {
    const config = loadConfig({
      PADOMS_DATA_DIR: dataDir,
      PADOMS_CORPUS_DIR: join(root, "corpus"),
      LLM: "off",
    });
    await ingestCorpus({ config });
    const index = await openIndex(dataDir);
    const vocabulary = index.db.vocabulary();
    index.close();
    const questions = [...loadBank(), ...loadExtraTrain()]
      .filter((q) => q.lang === "en" && q.split !== "test")
      .map((q) => q.question);
    const { unknown, untranslatable } = untranslatedWords(questions, vocabulary);
    const list = (m: Map<string, number>) =>
      [...m]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([w, n]) => `  ${n}\t${w}`);
    console.log(`${questions.length} English questions (train and dev splits, extra training set)`);
    console.log("\n== Words neither the glossary nor the index knows (questions)");
    console.log(list(unknown).join("\n") || "  none");
    console.log(
      "\n== Glossary phrases none of whose Latvian terms the index holds whole (questions)",
    );
    console.log(list(untranslatable).join("\n") || "  none");
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && /scripts\/glossary-report\.ts$/.test(process.argv[1])) {
  main().catch((error) => {
    console.error(`glossary:report failed: ${(error as Error).message}`);
    process.exitCode = 1;
  });
}
