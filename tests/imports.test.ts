/** Import hygiene: no cycle among the modules under src/. */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { findCycles } from "../scripts/import-cycles.js";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return name.endsWith(".ts") ? [path] : [];
  });
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
});
