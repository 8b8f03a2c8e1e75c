import { createApp } from "../app.js";
import { createLogger } from "../log.js";
import { formatClock as clock, formatPages } from "../place.js";
import type { SearchMode } from "../retrieval/search.js";
import type { Chunk, RetrievedChunk } from "../types.js";
import { parseCommand, UsageError } from "./args.js";
import { configFromFlags } from "./env.js";

export const searchUsage = `Usage: padoms search "question" [--k N] [--mode hybrid|keyword|vector] [--data DIR] [--json]

Shows the passages of the index that best match a question, with their sources.`;

/** The JSON shape of one search hit. */
export function hitToJson(h: RetrievedChunk) {
  const c = h.chunk;
  return {
    rank: h.rank,
    score: Number(h.score.toFixed(6)),
    chunkId: c.id,
    kind: c.kind,
    title: c.title,
    path: c.path,
    ...(c.page !== undefined ? { page: c.page } : {}),
    ...(c.pageEnd !== undefined && c.pageEnd !== c.page ? { pageEnd: c.pageEnd } : {}),
    ...(c.pageLabel !== undefined ? { pageLabel: c.pageLabel } : {}),
    ...(c.pageEndLabel !== undefined ? { pageEndLabel: c.pageEndLabel } : {}),
    ...(c.language ? { language: c.language } : {}),
    ...(c.section ? { section: c.section } : {}),
    ...(c.startSec !== undefined ? { startSec: c.startSec } : {}),
    ...(c.endSec !== undefined ? { endSec: c.endSec } : {}),
    ...(c.url ? { url: c.url } : {}),
    text: c.text,
  };
}

/** `padoms search`. */
export async function runSearch(argv: string[]): Promise<number> {
  const parsed = parseCommand(
    argv,
    { k: { type: "string" }, mode: { type: "string" } },
    searchUsage,
  );
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const query = positionals.join(" ").trim();
  if (!query) throw new UsageError(`Give a question to search for.\n\n${searchUsage}`);
  const k = values.k === undefined ? 5 : Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 100)
    throw new UsageError(`--k must be a whole number from 1 to 100.\n\n${searchUsage}`);
  const mode = (values.mode ?? "hybrid") as SearchMode;
  if (!["hybrid", "keyword", "vector"].includes(mode))
    throw new UsageError(`--mode must be hybrid, keyword or vector.\n\n${searchUsage}`);
  const config = configFromFlags(values);
  const app = await createApp({ config, logger: createLogger({ level: config.LOG_LEVEL }) });
  try {
    const hits = await app.live.current().retriever.search(query, { k, mode });
    if (values.json) {
      console.log(JSON.stringify(hits.map(hitToJson), null, 2));
      return 0;
    }
    if (hits.length === 0) console.log("No matching passages.");
    for (const h of hits) {
      const c = h.chunk;
      const where =
        c.kind === "lecture"
          ? `${c.title}, ${clock(c.startSec ?? 0)}–${clock(c.endSec ?? 0)}`
          : `${c.title}${pagesOf(c)}${c.section ? `, ${c.section}` : ""}`;
      console.log(
        `${h.rank}. [${c.kind}] ${where}\n   ${c.text.slice(0, 240).replace(/\s+/g, " ")}…\n`,
      );
    }
    return 0;
  } finally {
    await app.close();
  }
}

/** ", pp. 8–9" by printed labels when the PDF has them; "" for documents without pages. */
function pagesOf(c: Chunk): string {
  const pages = formatPages(c, "en");
  return pages ? `, ${pages}` : "";
}
