import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Config, loadConfig } from "../../src/config.js";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const fixtures = join(repoRoot, "tests/fixtures");
export const sampleCorpus = join(repoRoot, "corpus");

/** A fresh temporary folder. */
export function tempDir(prefix = "padoms-test-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Copies the named fixtures into a new corpus folder; returns its path. */
export async function fixtureCorpus(files: string[]): Promise<string> {
  const dir = await tempDir("padoms-corpus-");
  for (const f of files) await cp(join(fixtures, f), join(dir, f));
  return dir;
}

/** Writes `count` small Latvian Markdown documents into a corpus folder. */
export async function writeMarkdownCorpus(dir: string, count: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const body = Array.from(
      { length: 12 },
      (_, j) =>
        `Dokumenta ${i} rindkopa ${j} stāsta par sociālo uzņēmumu, vietējo rīcības grupu un grantu pieteikumu numur ${i * 31 + j}.`,
    ).join(" ");
    await writeFile(
      join(dir, `doc-${String(i).padStart(4, "0")}.md`),
      `# Nodaļa ${i}\n\n${body}\n\n## Apakšnodaļa\n\n${body}\n`,
    );
  }
}

/** A validated offline config over the given folders. */
export function testConfig(
  dataDir: string,
  corpusDir: string,
  extra: Record<string, string> = {},
): Config {
  return loadConfig({
    PADOMS_DATA_DIR: dataDir,
    PADOMS_CORPUS_DIR: corpusDir,
    LLM: "off",
    LOCAL_EMBEDDING_DIM: "256",
    ...extra,
  });
}
