/**
 * Lists import cycles among the TypeScript files under a folder (default `src`): every static
 * `import … from "./x.js"` and `export … from`, type-only imports included. Exits 1 when there is
 * one. Usage: `tsx scripts/import-cycles.ts [DIR]`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Relative imports of a file, resolved to files. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+"(\.{1,2}\/[^"]+)"/gms)];
  return specs.map((m) => resolve(dirname(file), (m[1] as string).replace(/\.js$/, ".ts")));
}

/**
 * Every module a file imports, as written: static imports and `export … from` (type-only ones
 * included), side-effect imports (`import "x"`) and dynamic `import("x")` with a literal name.
 * Relative names are resolved to files (`.js` → `.ts`); package names are kept as they are.
 */
export function importSpecifiers(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s+["']([^"']+)["']/gms,
    /^\s*import\s+["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  const specs = patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[1] as string));
  return [...new Set(specs)].map((spec) =>
    spec.startsWith(".") ? resolve(dirname(file), spec.replace(/\.js$/, ".ts")) : spec,
  );
}

/** Every elementary cycle found by a depth-first search, each once, as a list of files. */
export function findCycles(files: readonly string[]): string[][] {
  const graph = new Map(files.map((f) => [resolve(f), importsOf(f)]));
  const cycles = new Map<string, string[]>();
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === "open") {
        const cycle = stack.slice(stack.indexOf(next));
        const key = [...cycle].sort().join("|");
        if (!cycles.has(key)) cycles.set(key, cycle);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return [...cycles.values()];
}

const invokedDirectly = process.argv[1] && /import-cycles\.[tj]s$/.test(process.argv[1]);
if (invokedDirectly) {
  const dir = process.argv[2] ?? "src";
  const cycles = findCycles(filesUnder(dir));
  for (const c of cycles)
    console.log([...c, c[0]].map((f) => relative(dir, f as string)).join(" → "));
  console.log(
    cycles.length ? `${cycles.length} import cycle(s) in ${dir}` : `No import cycle in ${dir}`,
  );
  process.exitCode = cycles.length ? 1 : 0;
}
