/**
 * Hot reload of the index under a running app: a re-ingest into the same data folder is noticed
 * by `live.watch()`, questions after the switch search the new build, and a question in flight
 * during the switch (held inside the chat model) finishes normally on the build it started on.
 * A new build that cannot be opened, or an ingest that is aborted, leaves the old build serving.
 */
import { mkdir, rm, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatMessage, ChatModel } from "../../src/answer/chat-model.js";
import { type App, createApp } from "../../src/app.js";
import type { Config } from "../../src/config.js";
import { ingestCorpus } from "../../src/ingest/ingest.js";
import { createLogger } from "../../src/log.js";
import { readManifest } from "../../src/store/manifest.js";
import { tempDir, testConfig } from "../helpers/corpus.js";

const STATUS_DOC = `# Sociālā uzņēmuma statuss

Sociālā uzņēmuma statusu piešķir Labklājības ministrija. Pieteikumu izskata Sociālo uzņēmumu komisija.
Statusu var iegūt sabiedrība ar ierobežotu atbildību, kuras mērķis ir pozitīva sociālā ietekme.

## Peļņa

Sociālais uzņēmums peļņu nesadala dalībniekiem, bet iegulda savos sociālajos mērķos.
`;

const FUNDING_DOC = `# Finansējums

ALTUM piedāvā grantus sociālajiem uzņēmumiem. LEADER programma atbalsta vietējās iniciatīvas laukos.
Vietējā rīcības grupa izvērtē projektu pieteikumus un iesaka tos finansēšanai.
`;

/** Content only the second corpus has. */
const HONEY_DOC = `# Bišu drava Ludzā

Sociālais uzņēmums “Medus pūce” Ludzas novadā audzē bites un ražo medu.
Dravā strādā septiņi cilvēki ar invaliditāti. Medus pūce pārdod medu vietējā tirgū un internetā.
`;

const HONEY_QUESTION = "Ko ražo Medus pūce Ludzas novadā?";
const STATUS_QUESTION = "Kas piešķir sociālā uzņēmuma statusu?";

/** A chat model that answers "[1]" at once, or holds every answer until released. */
class GatedChatModel implements ChatModel {
  readonly id = "gated-test-model";
  calls: ChatMessage[][] = [];
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  hold(): void {
    this.gate = new Promise((resolve) => {
      this.open = resolve;
    });
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  async complete(messages: ChatMessage[]): Promise<string> {
    this.calls.push(messages);
    if (this.gate) await this.gate;
    return "Atbilde no dotajiem fragmentiem [1].";
  }
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const cleanup: string[] = [];
afterAll(async () => {
  for (const d of cleanup) await rm(d, { recursive: true, force: true });
});

/** A corpus of the two base documents indexed into a fresh data folder. */
async function baseIndex(): Promise<{ corpus: string; data: string; config: Config }> {
  const corpus = await tempDir("padoms-reload-corpus-");
  const data = await tempDir("padoms-reload-data-");
  cleanup.push(corpus, data);
  await mkdir(corpus, { recursive: true });
  await writeFile(join(corpus, "statuss.md"), STATUS_DOC);
  await writeFile(join(corpus, "finanses.md"), FUNDING_DOC);
  const config = testConfig(data, corpus, { LLM_TIMEOUT_MS: "30000" });
  const summary = await ingestCorpus({ config });
  expect(summary.status).toBe("built");
  return { corpus, data, config };
}

describe("hot reload while answering", () => {
  let app: App;
  let chat: GatedChatModel;
  let corpus: string;
  let config: Config;
  const logs: string[] = [];

  beforeAll(async () => {
    ({ corpus, config } = await baseIndex());
    chat = new GatedChatModel();
    app = await createApp({
      config,
      chat,
      logger: createLogger({ level: "debug", write: (l) => logs.push(l) }),
    });
    app.live.watch(200);
  }, 60_000);

  afterAll(() => app?.close());

  it("switches to a newly completed build between questions; the question in flight finishes", async () => {
    const oldBuild = app.live.current().index.manifest.build;
    const oldChunks = app.live.current().index.manifest.chunkCount;

    const before = await app.engine.ask(HONEY_QUESTION);
    expect(before.answered).toBe(false);
    expect(before.citations.some((c) => c.path.endsWith("medus.md"))).toBe(false);

    // A question reaches the chat model on the old build and is held there.
    chat.hold();
    const callsBefore = chat.calls.length;
    const inFlight = app.engine.ask(STATUS_QUESTION, { conversationId: "in-flight" });
    await until(
      () => chat.calls.length > callsBefore,
      10_000,
      "the held question reached the model",
    );

    // Meanwhile a new corpus is ingested into the same data folder, and the app switches.
    await writeFile(join(corpus, "medus.md"), HONEY_DOC);
    const summary = await ingestCorpus({ config });
    expect(summary.status).toBe("built");
    expect(summary.build).not.toBe(oldBuild);
    await until(
      () => app.live.current().index.manifest.build === summary.build,
      10_000,
      "the app switched to the new build",
    );
    expect(logs.some((l) => l.includes("switched to a new index"))).toBe(true);

    // The held question completes normally (not a fallback, not an error).
    chat.release();
    const held = await inFlight;
    expect(held.answered).toBe(true);
    expect(held.mode).toBe("llm");
    expect(held.citations[0]?.path).toBe("statuss.md");

    // The next question searches the new build and finds what only it has.
    const after = await app.engine.ask(HONEY_QUESTION);
    expect(after.answered).toBe(true);
    expect(after.citations[0]?.path).toBe("medus.md");
    expect(app.live.current().index.manifest.chunkCount).toBeGreaterThan(oldChunks);
    expect(logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});

describe("a new build that cannot be switched to", () => {
  it("a damaged new build is refused and the previous one keeps answering", async () => {
    const { corpus, data, config } = await baseIndex();
    const logs: string[] = [];
    const app = await createApp({
      config,
      logger: createLogger({ level: "debug", write: (l) => logs.push(l) }),
    });
    try {
      const oldBuild = app.live.current().index.manifest.build;
      await writeFile(join(corpus, "medus.md"), HONEY_DOC);
      const summary = await ingestCorpus({ config });
      const manifest = await readManifest(data);
      await truncate(join(data, "builds", manifest?.build ?? "", manifest?.vectors.file ?? ""), 64);

      expect(await app.live.refresh()).toBe(false);
      expect(app.live.current().index.manifest.build).toBe(oldBuild);
      expect(summary.build).not.toBe(oldBuild);
      expect(logs.some((l) => l.includes("a new index could not be opened"))).toBe(true);

      // The old build's files are already deleted by the ingest; the open build still answers.
      const a = await app.engine.ask(STATUS_QUESTION);
      expect(a.answered).toBe(true);
      expect(a.citations[0]?.path).toBe("statuss.md");

      // Re-ingesting repairs it, and the next refresh switches.
      expect((await ingestCorpus({ config, force: true })).status).toBe("built");
      expect(await app.live.refresh()).toBe(true);
      expect((await app.engine.ask(HONEY_QUESTION)).citations[0]?.path).toBe("medus.md");
    } finally {
      app.close();
    }
  });

  it("an aborted ingest changes nothing: no switch, answers as before", async () => {
    const { corpus, config } = await baseIndex();
    const app = await createApp({ config });
    try {
      const oldBuild = app.live.current().index.manifest.build;
      await writeFile(join(corpus, "medus.md"), HONEY_DOC);
      const controller = new AbortController();
      const outcome = await ingestCorpus({
        config,
        signal: controller.signal,
        onProgress: (stage) => {
          if (stage === "embed") controller.abort();
        },
      }).catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(Error);
      expect((outcome as Error).message).toContain("previous index is still in place");
      expect(await app.live.refresh()).toBe(false);
      expect(app.live.current().index.manifest.build).toBe(oldBuild);
      const a = await app.engine.ask(HONEY_QUESTION);
      expect(a.citations.some((c) => c.path.endsWith("medus.md"))).toBe(false);
      expect((await app.engine.ask(STATUS_QUESTION)).answered).toBe(true);
    } finally {
      app.close();
    }
  });
});
