/**
 * Import hygiene: no cycle among the modules under src/, and the core folders (answer,
 * retrieval, text) import no adapter: only each other, the shared types, errors and formatters,
 * the logger interface and the ports named below.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { findCycles, importSpecifiers } from "../scripts/import-cycles.js";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** The core: pure code that adapters depend on, never the other way round. */
const CORE_FOLDERS = ["src/answer", "src/retrieval", "src/text"];

/** Files outside the core folders that a core file may import. */
const CORE_MAY_IMPORT_FILES = [
  "src/types.ts", // domain types
  "src/errors.ts", // PadomsError, ModelError
  "src/place.ts", // page and time formatting
  "src/html.ts", // escapeHtml
  "src/log.ts", // the Logger interface and the silent logger
  "src/embed/embedder.ts", // the Embedder port (an interface only)
];

/** Packages a core file may import (no driver, client or framework). */
const CORE_MAY_IMPORT_PACKAGES = [
  "stopword", // English stop words (text/stopwords.ts)
  "node:fs", // text/glossary.ts and text/synonyms.ts read the TSV files shipped beside them
];

/** Every import of a file under `folders` that the core may not make, as "file → module". */
function forbiddenImports(folders: readonly string[]): string[] {
  const allowedFiles = new Set(CORE_MAY_IMPORT_FILES);
  const inCore = (path: string) => folders.some((f) => path.startsWith(`${f}/`));
  return folders.flatMap(filesUnder).flatMap((file) =>
    importSpecifiers(file)
      .map((spec) => (spec.startsWith("/") ? relative(process.cwd(), spec) : spec))
      .filter((spec) =>
        spec.startsWith("src/") || spec.startsWith("tests/") || spec.startsWith("..")
          ? !inCore(spec) && !allowedFiles.has(spec)
          : !CORE_MAY_IMPORT_PACKAGES.includes(spec),
      )
      .map((spec) => `${file} → ${spec}`),
  );
}

describe("imports", () => {
  it("form no cycle", () => {
    const cycles = findCycles(filesUnder("src")).map((c) => c.map((f) => relative("src", f)));
    expect(cycles).toEqual([]);
  });

  it("finds a cycle when there is one", () => {
    const cycles = findCycles(["tests/fixtures/cycle/a.ts", "tests/fixtures/cycle/b.ts"]);
    expect(cycles.map((c) => c.map((f) => f.replace(/.*\//, "")).sort())).toEqual([
      ["a.ts", "b.ts"],
    ]);
  });

  it("of the core folders reach no adapter", () => {
    expect(forbiddenImports(CORE_FOLDERS)).toEqual([]);
  });

  it("of an adapter from a core file are found: static, export … from and dynamic", () => {
    const file = "tests/fixtures/boundary/leaky-core.ts";
    expect(forbiddenImports(["tests/fixtures/boundary"]).sort()).toEqual(
      [
        `${file} → openai`,
        `${file} → src/report/csv.ts`,
        `${file} → src/store/open-index.ts`,
      ].sort(),
    );
  });
});
