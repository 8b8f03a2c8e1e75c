import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { IngestErrorCode } from "../../src/ingest/errors.js";
import { IngestError } from "../../src/ingest/errors.js";

/** Absolute path of a file in `tests/fixtures/`. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

export function fixtureText(name: string): string {
  return readFileSync(fixturePath(name), "utf8");
}

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(name)));
}

/** Runs `fn` and checks it fails with an IngestError of `code` whose message names `path`. */
export async function expectIngestError(
  fn: () => unknown,
  code: IngestErrorCode,
  path: string,
): Promise<IngestError> {
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(IngestError);
  const error = caught as IngestError;
  expect(error.name).toBe("IngestError");
  expect(error.code).toBe(code);
  expect(error.path).toBe(path);
  expect(error.message).toContain(path);
  return error;
}

/**
 * The folder of real public documents (`../shared/data/real-docs` beside the repository, else
 * `/work/shared/data/real-docs`), or `undefined` when neither exists.
 */
export function realDocsDir(): string | undefined {
  const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
  return [join(repoRoot, "../shared/data/real-docs"), "/work/shared/data/real-docs"].find((d) =>
    existsSync(d),
  );
}

/** Why tests over real documents are skipped, for the test name. */
export const NO_REAL_DOCS =
  "skipped: ../shared/data/real-docs (or /work/shared/data/real-docs) is missing";
