import { rm } from "node:fs/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAnswerEngine } from "../../src/answer/create-engine.js";
import { createOpenAIChatModel } from "../../src/answer/openai-chat.js";
import { type App, createApp } from "../../src/app.js";
import { ingestCorpus } from "../../src/ingest/ingest.js";
import { sampleCorpus, tempDir, testConfig } from "../helpers/corpus.js";
import { type FakeOpenAIServer, startFakeOpenAI } from "../helpers/openai-server.js";

let data: string;
let offline: App;
let server: FakeOpenAIServer;
let llm: App;
const TIMEOUT = 1500;

beforeAll(async () => {
  data = await tempDir();
  const config = testConfig(data, sampleCorpus, { LOCAL_EMBEDDING_DIM: "768" });
  await ingestCorpus({ config });
  offline = await createApp({ config });
  server = await startFakeOpenAI();
  const llmConfig = testConfig(data, sampleCorpus, {
    LOCAL_EMBEDDING_DIM: "768",
    LLM: "auto",
    OPENAI_BASE_URL: server.baseURL,
    LLM_TIMEOUT_MS: String(TIMEOUT),
  });
  llm = await createApp({
    config: llmConfig,
    chat: createOpenAIChatModel({
      baseURL: server.baseURL,
      model: "test-model",
      timeoutMs: TIMEOUT,
    }),
  });
}, 120_000);

afterAll(async () => {
  offline?.close();
  llm?.close();
  await server?.close();
  await rm(data, { recursive: true, force: true });
});

beforeEach(() => {
  server.behaviour = { kind: "reply", text: "Statusu piešķir Labklājības ministrija [1]." };
  server.requests.length = 0;
});

describe("offline (extractive) answers", () => {
  it("answers with sentences from the materials, each marked with a citation that exists", async () => {
    const a = await offline.engine.ask("Kāds ir minimālais pamatkapitāls SIA?");
    expect(a.answered).toBe(true);
    expect(a.mode).toBe("extractive");
    expect(a.answer).toMatch(/2\s?800/);
    const markers = [...a.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    expect(markers.length).toBeGreaterThan(0);
    for (const n of markers) expect(a.citations.some((c) => c.n === n)).toBe(true);
    for (const c of a.citations) {
      if (c.kind === "handbook") expect(c.page).toBeGreaterThan(0);
      if (c.kind === "lecture") expect(c.endSec).toBeGreaterThan(c.startSec ?? 0);
    }
  });

  it("answers 'what is …' with the sentence that says what it is, not the lecture's small talk", async () => {
    const lv = await offline.engine.ask("Kas ir sociālais uzņēmums?");
    expect(lv.answered).toBe(true);
    expect(lv.answer).toContain("sociālais uzņēmums ir sabiedrība ar ierobežotu atbildību");
    expect(lv.answer).not.toMatch(/parunāsim|pārpratums/i);
    const en = await offline.engine.ask("What is LEADER?");
    expect(en.answer).toContain("LEADER ir Eiropas Savienības pieeja lauku attīstībai");
    // A lead-in that announces a list is no small talk: it brings the list.
    const how = await offline.engine.ask("Kā iegūt sociālā uzņēmuma statusu?");
    expect(how.answer).toContain("kritēriji ir šādi");
    expect(how.answer).toContain("Uzņēmuma statūtos jābūt ierakstītiem mērķiem");
  });

  it("matches questions typed without diacritics", async () => {
    const a = await offline.engine.ask("kas var iegut socialo uznemuma statusu");
    expect(a.answered).toBe(true);
    expect(a.answer.toLowerCase()).toMatch(/sia|sabiedrīb/);
  });

  it("declines an off-topic question plainly, making nothing up", async () => {
    const a = await offline.engine.ask("Kāds laiks būs rīt Liepājā un vai līs?");
    expect(a.answered).toBe(false);
    expect(a.declineReason).toBe("no-match");
    expect(a.citations).toEqual([]);
    expect(a.answer).toMatch(/neatradu/);
  });

  it("answers an English question with an English frame", async () => {
    const a = await offline.engine.ask(
      "What is the minimum share capital of a limited liability company?",
    );
    expect(a.language).toBe("en");
    expect(a.answered).toBe(true);
    expect(a.answer).toMatch(/^The Latvian materials say/);
  });

  it("uses the previous turn for a follow-up, and forgets it on request", async () => {
    const first = await offline.engine.ask("Kādus grantus piešķir ALTUM sociālajiem uzņēmumiem?", {
      conversationId: "c1",
    });
    expect(first.answered).toBe(true);
    const follow = await offline.engine.ask("un cik tas maksā?", { conversationId: "c1" });
    expect(follow.answered).toBe(true);
    expect(follow.answer).toMatch(/ALTUM|grant|eiro|€/i);
    offline.engine.forget("c1");
    const alone = await offline.engine.ask("un cik tas maksā?", { conversationId: "c1" });
    expect(alone.answered).toBe(false);
    expect(alone.answer).toMatch(/Par ko tieši jautājat/);
  });

  it("declines a question asking for a value that no passage gives", async () => {
    const q = "Cik eiro ir minimālā mēnešalga Latvijā?";
    const a = await offline.engine.ask(q);
    expect(a.answered).toBe(false);
    expect(a.declineReason).toBe("no-match");
    expect(a.citations).toEqual([]);
    expect(a.answer).toMatch(/neatradu/);
    // The words match well enough; it is the missing value that declines it.
    const lenient = createAnswerEngine({
      source: () => ({
        retriever: offline.live.current().retriever,
        lectures: offline.live.current().lectures,
      }),
      minValueCoverage: 0,
    });
    expect((await lenient.ask(q)).answered).toBe(true);
  });

  it("answers a value question with the sentence that holds the value", async () => {
    const a = await offline.engine.ask("Cik liels ir parastas SIA minimālais pamatkapitāls?");
    expect(a.answered).toBe(true);
    expect(a.answer).toMatch(/2\s?800 euro/);
    const when = await offline.engine.ask("Kad stājās spēkā Sociālā uzņēmuma likums?");
    expect(when.answered).toBe(true);
    expect(when.answer).toMatch(/2018\. gada 1\. aprīlī/);
  });

  it("does not take a standalone question with its own topic for a bare follow-up", async () => {
    const a = await offline.engine.ask(
      "vai tas ir normāli, ja sociālais uzņēmums dzīvo tikai no grantiem?",
      { conversationId: "fresh" },
    );
    expect(a.answer).not.toMatch(/Par ko tieši jautājat/);
  });

  it("gives a clear message for bad input", async () => {
    for (const q of ["", "x".repeat(2001), "🙂🙂🙂", "Kas\u0000 ir SIA?"]) {
      const a = await offline.engine.ask(q);
      expect(a.answered).toBe(false);
      expect(a.declineReason).toBe("bad-input");
      expect(a.answer.length).toBeGreaterThan(20);
    }
  });
});

describe("LLM answers through an OpenAI-compatible server", () => {
  it("sends the numbered passages and keeps valid citations", async () => {
    const a = await llm.engine.ask("Kas piešķir sociālā uzņēmuma statusu?");
    expect(a.mode).toBe("llm");
    expect(a.answer).toBe("Statusu piešķir Labklājības ministrija [1].");
    expect(a.citations).toHaveLength(1);
    const prompt = JSON.stringify(server.requests.at(-1)?.body);
    expect(prompt).toContain("[1]");
    expect(prompt).toContain("NO_ANSWER");
  });

  it("repairs a reply that cites a passage that was not given", async () => {
    server.behaviour = {
      kind: "reply",
      text: "Komisija sniedz atzinumu [2]. Lēmumu pieņem ministrija [7].",
    };
    const a = await llm.engine.ask("Kas piešķir sociālā uzņēmuma statusu?");
    expect(a.answer).toBe("Komisija sniedz atzinumu [1]. Lēmumu pieņem ministrija.");
    expect(a.citations.map((c) => c.n)).toEqual([1]);
  });

  it("declines when the model says the passages do not hold the answer", async () => {
    server.behaviour = { kind: "reply", text: "NO_ANSWER" };
    const a = await llm.engine.ask("Kas piešķir sociālā uzņēmuma statusu?");
    expect(a.answered).toBe(false);
    expect(a.citations).toEqual([]);
  });

  it("streams partial text", async () => {
    server.behaviour = {
      kind: "stream",
      pieces: ["Statusu ", "piešķir ", "LM [1]", "."],
      delayMs: 5,
    };
    const partials: string[] = [];
    const a = await llm.engine.ask("Kas piešķir sociālā uzņēmuma statusu?", {
      onPartial: (t) => partials.push(t),
    });
    expect(a.answer).toBe("Statusu piešķir LM [1].");
    expect(partials.length).toBeGreaterThan(1);
    expect(partials.at(-1)).toBe("Statusu piešķir LM [1].");
  });

  it("condenses a follow-up into a standalone question", async () => {
    server.behaviour = {
      kind: "reply",
      text: (prompt) =>
        prompt.includes("standalone")
          ? "Cik lielu grantu var saņemt no ALTUM?"
          : "Līdz 200 000 eiro [1].",
    };
    await llm.engine.ask("Kādus grantus piešķir ALTUM?", { conversationId: "c2" });
    const a = await llm.engine.ask("un cik tas ir?", { conversationId: "c2" });
    expect(a.answered).toBe(true);
    expect(server.requests.some((r) => JSON.stringify(r.body).includes("standalone"))).toBe(true);
  });

  const faults = [
    ["returns 500", { kind: "status", status: 500 }],
    ["returns malformed JSON", { kind: "malformed" }],
    ["never answers", { kind: "hang" }],
    ["streams and stalls", { kind: "stall", pieces: ["Statusu "] as string[] }],
  ] as const;
  for (const [name, behaviour] of faults) {
    it(`falls back to the offline answer when the endpoint ${name}`, async () => {
      server.behaviour = behaviour;
      const started = Date.now();
      const a = await llm.engine.ask("Kāds ir minimālais pamatkapitāls SIA?", {
        onPartial: () => {},
      });
      expect(a.mode).toBe("fallback");
      expect(a.answered).toBe(true);
      expect(a.citations.length).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(TIMEOUT + 3000);
    });
  }

  it("falls back when the endpoint is down", async () => {
    const down = await createApp({
      config: testConfig(data, sampleCorpus, { LOCAL_EMBEDDING_DIM: "768" }),
      chat: createOpenAIChatModel({ baseURL: "http://127.0.0.1:9/v1", timeoutMs: TIMEOUT }),
    });
    try {
      const a = await down.engine.ask("Kāds ir minimālais pamatkapitāls SIA?");
      expect(a.mode).toBe("fallback");
      expect(a.answered).toBe(true);
    } finally {
      down.close();
    }
  });
});
