/**
 * `npm run bench` — speed and scale of Padoms: ingest, index size, search and ask latency, peak
 * RSS, and the vector engines side by side (the exact int8 scan Padoms uses, hnswlib-node's graph
 * with the settings used before index format 2, hnswlib's brute force, usearch's exact float32
 * search) on the sample corpus and on synthetic corpora of 1k, 10k and 100k passages recombined
 * from real Latvian sentences. Prints a table with the targets and writes the numbers to
 * `bench/results/<timestamp>.json`.
 *
 *   npm run bench                          # sample corpus + 1k, 10k, 100k
 *   npm run bench -- --with-300k           # … and 300k (slow: the hnswlib build alone is minutes)
 *   npm run bench -- --sizes 1000,10000    # fewer sizes
 *   npm run bench -- --seed 7 --rounds 2 --no-sample --keep --no-engines
 *
 * Every ingest, serving and engine phase runs in its own child process, so peak RSS is its own.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { AnnMetrics, IngestMetrics, ServeMetrics } from "./bench/core.js";
import { ENGINES, type EngineMetrics } from "./bench/engines.js";
import {
  type BenchResult,
  evaluateTargets,
  type ReadyRun,
  renderTable,
  type SampleResult,
  type SizeResult,
} from "./bench/report.js";
import { percentile } from "./bench/stats.js";
import { loadSentencePool, writeSyntheticCorpus } from "./bench/synth.js";
import type { PhaseTask, WorkerTask } from "./bench/worker.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const workerPath = join(root, "scripts/bench/worker.ts");
const tsxBin = join(root, "node_modules/.bin/tsx");
const READY_QUESTION = "Kam var piešķirt sociālā uzņēmuma statusu?";
const CHILD_TIMEOUT_MS = 20 * 60_000;

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

function label(n: number): string {
  return n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

/** Runs one phase in a child process; returns its result and the child's wall time. */
async function runChild<T>(task: PhaseTask, tmp: string): Promise<{ result: T; wallMs: number }> {
  const out = join(tmp, `result-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const full: WorkerTask = { ...task, out };
  const started = performance.now();
  let stderrTail = "";
  const code = await new Promise<number | null>((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", workerPath, JSON.stringify(full)], {
      cwd: root,
      stdio: ["ignore", "inherit", "pipe"],
    });
    child.stderr.on("data", (d: Buffer) => {
      process.stderr.write(d);
      stderrTail = (stderrTail + d.toString()).slice(-1500);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
    child.on("error", reject);
    child.on("exit", (c) => {
      clearTimeout(timer);
      resolvePromise(c);
    });
  });
  const wallMs = Math.round(performance.now() - started);
  if (code !== 0) {
    const reason = stderrTail.trim().split("\n")[0] ?? "";
    throw new Error(`phase ${task.phase} failed (exit ${code}): ${reason}`);
  }
  const result = JSON.parse(await readFile(out, "utf8")) as T;
  await rm(out, { force: true });
  return { result, wallMs };
}

/** Runs the CLI (`tsx src/cli/main.ts …`) as a user would, offline; times first output and exit. */
function timeCli(args: string[], dataDir: string): Promise<ReadyRun> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    let firstOutputMs = -1;
    const child = spawn(tsxBin, ["src/cli/main.ts", ...args, "--data", dataDir], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        LLM: "off",
        LOG_LEVEL: "warn",
        PROGRESS: "false",
        PADOMS_ENV_FILE: join(dataDir, "no-such.env"),
      },
    });
    let stderr = "";
    child.stdout.on("data", () => {
      if (firstOutputMs < 0) firstOutputMs = performance.now() - started;
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (exitCode) => {
      const exitMs = performance.now() - started;
      if (exitCode !== 0)
        log(`padoms ${args[0]} exited with ${exitCode}: ${stderr.trim().slice(0, 500)}`);
      resolvePromise({
        firstOutputMs: Math.round(firstOutputMs < 0 ? exitMs : firstOutputMs),
        exitMs: Math.round(exitMs),
        exitCode,
      });
    });
  });
}

async function measureCorpus(options: {
  label: string;
  corpusDir: string;
  dataDir: string;
  rounds: number;
  tmp: string;
  /** Measure the vector engines side by side on this corpus. */
  engines?: boolean;
}): Promise<Omit<SizeResult, "requested" | "corpus">> {
  const { corpusDir, dataDir, rounds, tmp } = options;
  log(`${options.label}: ingest`);
  const ingest = await runChild<IngestMetrics>(
    { phase: "ingest", corpusDir, dataDir, force: true },
    tmp,
  );
  log(
    `${options.label}: ${ingest.result.passages} passages in ${(ingest.result.durationMs / 1000).toFixed(1)} s; serving`,
  );
  const truthPath = join(tmp, `truth-${options.label}.json`);
  const served = await runChild<{ serve: ServeMetrics; ann: AnnMetrics }>(
    { phase: "serve", corpusDir, dataDir, rounds, truthPath },
    tmp,
  );
  const engines: EngineMetrics[] = [];
  if (options.engines) {
    const manifest = JSON.parse(await readFile(join(dataDir, "manifest.json"), "utf8")) as {
      build: string;
      vectors: { file: string };
      codes: { file: string };
    };
    const buildDir = join(dataDir, "builds", manifest.build);
    for (const engine of ENGINES) {
      log(`${options.label}: vector engine ${engine}`);
      const run = await runChild<EngineMetrics>(
        {
          phase: "engine",
          engine,
          vectorsPath: join(buildDir, manifest.vectors.file),
          codesPath: join(buildDir, manifest.codes.file),
          truthPath,
          workDir: join(tmp, `engine-${options.label}-${engine}`),
        },
        tmp,
      );
      engines.push(run.result);
    }
  }
  await rm(truthPath, { force: true });
  return {
    label: options.label,
    ingest: ingest.result,
    ingestWallMs: ingest.wallMs,
    serve: served.result.serve,
    ann: served.result.ann,
    engines,
  };
}

/**
 * `npm run bench -- bot [options]`: the bot load benchmark, in its own process; with
 * `--replicas`, one process on SQLite against two replicas on PostgreSQL (scripts/bench/replicas.ts).
 */
function runBotBenchCommand(argv: string[]): Promise<number> {
  const replicas = argv.includes("--replicas");
  const script = replicas ? "scripts/bench/replicas.ts" : "scripts/bench/bot-load.ts";
  const args = argv.filter((a) => a !== "--replicas");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      stdio: "inherit",
    });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "bot") return runBotBenchCommand(argv.slice(1));
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: "string", default: "1000,10000,100000" },
      seed: { type: "string", default: "20240917" },
      rounds: { type: "string", default: "3" },
      "with-300k": { type: "boolean", default: false },
      "no-engines": { type: "boolean", default: false },
      sib200: { type: "string" },
      "no-sample": { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    console.log(
      "Usage: npm run bench -- [--sizes 1000,10000,100000] [--with-300k] [--no-engines] [--seed N] [--rounds N] [--no-sample] [--sib200 DIR] [--keep] [--out FILE]\n       npm run bench -- bot [--users N] [--questions N] [--soak-minutes M]\n       npm run bench -- bot --replicas [--users 200] [--questions 5]",
    );
    return 0;
  }
  const sizes = values.sizes
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
  if (values["with-300k"] && !sizes.includes(300_000)) sizes.push(300_000);
  if (sizes.some((n) => !Number.isInteger(n))) {
    console.error(`--sizes takes whole numbers of passages, e.g. 1000,10000 (got ${values.sizes})`);
    return 2;
  }
  const seed = Number(values.seed);
  const rounds = Math.max(1, Number(values.rounds));
  const runSample = !values["no-sample"];
  const startedAt = new Date();
  const started = performance.now();
  const loadStart = loadavg()[0] ?? 0;
  const tmp = await mkdtemp(join(tmpdir(), "padoms-bench-"));
  const outPath =
    values.out ??
    join(root, "bench/results", `${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  log(`temporary folder ${tmp}`);

  const sib200Dir = resolve(root, values.sib200 ?? "../shared/data/sib200-lv");
  const pool = await loadSentencePool({ corpusDir: join(root, "corpus"), sib200Dir });
  log(
    `sentence pool: ${pool.sentences.length} sentences (sample corpus ${pool.sources.sampleCorpus}, SIB-200 ${pool.sources.sib200Available ? pool.sources.sib200 : "absent — sample corpus only"})`,
  );
  const cpuList = cpus();
  const result: BenchResult = {
    startedAt: startedAt.toISOString(),
    complete: false,
    durationMs: 0,
    machine: {
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model ?? "unknown",
      totalMemMb: Math.round(totalmem() / 1024 / 1024),
      loadAvg: { start: Math.round(loadStart * 100) / 100, end: 0 },
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    options: { sizes, seed, rounds, sample: runSample, engines: !values["no-engines"] },
    pool: { ...pool.sources, sentences: pool.sentences.length },
    sizes: [],
    failures: [],
    targets: [],
  };
  /** Writes what is measured so far, so a failure later does not lose it. */
  const save = async () => {
    result.durationMs = Math.round(performance.now() - started);
    result.machine.loadAvg.end = Math.round((loadavg()[0] ?? 0) * 100) / 100;
    result.targets = evaluateTargets(result.sizes, result.sample);
    await mkdir(dirname(outPath), { recursive: true });
    await writeFile(outPath, `${JSON.stringify(result, null, 2)}\n`);
  };
  const fail = async (labelName: string, error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    log(`${labelName}: FAILED — ${message}`);
    result.failures.push({ label: labelName, message });
    await save();
  };

  try {
    if (runSample) {
      try {
        result.sample = await measureSample(tmp, rounds);
      } catch (error) {
        await fail("sample", error);
      }
      await save();
    }

    for (const size of sizes) {
      const name = label(size);
      const corpusDir = join(tmp, `corpus-${name}`);
      const dataDir = join(tmp, `data-${name}`);
      try {
        log(`${name}: writing the synthetic corpus`);
        const t = performance.now();
        const { dir: _dir, ...info } = await writeSyntheticCorpus({
          dir: corpusDir,
          pool: pool.sentences,
          passages: size,
          seed,
        });
        const generateMs = Math.round(performance.now() - t);
        const measured = await measureCorpus({
          label: name,
          corpusDir,
          dataDir,
          rounds,
          tmp,
          engines: !values["no-engines"],
        });
        result.sizes.push({ ...measured, requested: size, corpus: { ...info, generateMs } });
      } catch (error) {
        await fail(name, error);
      } finally {
        if (!values.keep) {
          await rm(corpusDir, { recursive: true, force: true });
          await rm(dataDir, { recursive: true, force: true });
        }
      }
      await save();
    }

    result.complete = result.failures.length === 0;
    await save();
    console.log(renderTable(result));
    console.log(`\nResults: ${outPath} (${(result.durationMs / 1000).toFixed(0)} s)`);
    return result.failures.length === 0 ? 0 : 1;
  } finally {
    if (values.keep) log(`kept ${tmp}`);
    else if (existsSync(tmp)) await rm(tmp, { recursive: true, force: true });
  }
}

/** The sample corpus: ingest + serving in child processes, then the CLI as a user runs it. */
async function measureSample(tmp: string, rounds: number): Promise<SampleResult> {
  const dataDir = join(tmp, "data-sample");
  const corpusDir = join(root, "corpus");
  const row = await measureCorpus({ label: "sample", corpusDir, dataDir, rounds, tmp });
  log("sample: re-ingest with nothing changed");
  const again = await runChild<IngestMetrics>({ phase: "ingest", corpusDir, dataDir }, tmp);
  if (again.result.status !== "up-to-date") {
    log(`warning: re-ingest of the unchanged sample corpus reported "${again.result.status}"`);
  }
  log("sample: the CLI — `ingest --force`, `ingest` (unchanged), 3 × `ask`");
  const cliDataDir = join(tmp, "data-sample-cli");
  const cliFull = await timeCli(["ingest", "--force", "--corpus", corpusDir], cliDataDir);
  const cliAgain = await timeCli(["ingest", "--corpus", corpusDir], cliDataDir);
  const runs: ReadyRun[] = [];
  for (let i = 0; i < 3; i++) runs.push(await timeCli(["ask", READY_QUESTION], cliDataDir));
  return {
    row,
    reingest: again.result,
    reingestWallMs: again.wallMs,
    cli: { fullIngest: cliFull, reingest: cliAgain },
    botReady: {
      method:
        "spawn `tsx src/cli/main.ts ask …` on the built sample index, time to the first byte of the answer on stdout; median of 3 cold starts",
      runs,
      medianFirstOutputMs: percentile(
        runs.map((r) => r.firstOutputMs),
        50,
      ),
    },
  };
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  },
);
