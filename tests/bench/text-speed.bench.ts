/**
 * Throughput of the two text hot paths, as a benchmark (not run by `npm test`):
 *
 *   npx vitest bench --run --project shared tests/bench/text-speed.bench.ts
 *
 * Targets: `analyze` well over 20k passages of 80 words per second on an idle core; the local
 * embedder well over 1,000 (measured ~4–7k on one busy core). These were timed unit tests
 * before; a speed floor in a unit test fails on a busy machine and says nothing about behaviour.
 */
import { bench, describe } from "vitest";
import { fitLocalEmbedder } from "../../src/embed/local.js";
import { analyze } from "../../src/text/analyze.js";

const WORDS =
  "Sociālais uzņēmums ir sabiedrība ar ierobežotu atbildību, kurai piešķirts sociālā uzņēmuma statuss un kura veic saimniecisko darbību, kas rada pozitīvu sociālo ietekmi, piemēram, nodrošina sociālos pakalpojumus, veido iekļaujošu pilsonisko sabiedrību, veicina izglītību, atbalsta zinātni, aizsargā un saglabā vidi, aizsargā dzīvniekus vai nodrošina kultūras daudzveidību 2018. gadā 14,92 EUR".split(
    " ",
  );

/** `count` passages of 80 words recombined from {@link WORDS}. */
function passages(count: number, step: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    Array.from({ length: 80 }, (_, j) => WORDS[(i * step + j * 13) % WORDS.length] ?? "").join(" "),
  );
}

const forAnalyze = passages(2000, 7);
const forEmbed = passages(1000, 11);
const embedder = fitLocalEmbedder(forEmbed.slice(0, 500));
const out = new Float32Array(embedder.dimensions);

describe("text speed (one op = 1,000 passages of 80 words)", () => {
  bench("analyze", () => {
    for (let i = 0; i < 1000; i++) analyze(forAnalyze[i] ?? "");
  });
  bench("local embedder", () => {
    for (const p of forEmbed) embedder.embed(p, out);
  });
});
