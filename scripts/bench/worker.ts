/**
 * One benchmark phase in its own process, so peak RSS is the phase's own:
 * `node --import tsx scripts/bench/worker.ts '<json task>'` writes the result as JSON to `task.out`.
 */
import { writeFile } from "node:fs/promises";
import { benchConfig, measureIngest, measureServing } from "./core.js";
import { type EngineName, measureEngine } from "./engines.js";

/** A phase to run in a child process. */
export type PhaseTask =
  | { phase: "ingest"; corpusDir: string; dataDir: string; force?: boolean }
  | { phase: "serve"; corpusDir: string; dataDir: string; rounds: number; truthPath?: string }
  | {
      phase: "engine";
      engine: EngineName;
      vectorsPath: string;
      codesPath: string;
      truthPath: string;
      workDir: string;
    };

/** A phase and the file its result is written to. */
export type WorkerTask = PhaseTask & { out: string };

export async function runTask(task: PhaseTask): Promise<unknown> {
  if (task.phase === "engine") return measureEngine(task);
  const config = benchConfig(task.dataDir, task.corpusDir);
  if (task.phase === "ingest") return measureIngest({ config, force: task.force });
  return measureServing({ config, rounds: task.rounds, truthPath: task.truthPath });
}

const invokedDirectly = process.argv[1] && /worker\.[tj]s$/.test(process.argv[1]);
if (invokedDirectly) {
  const task = JSON.parse(process.argv[2] ?? "{}") as WorkerTask;
  runTask(task)
    .then((result) => writeFile(task.out, JSON.stringify(result)))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 1;
    });
}
