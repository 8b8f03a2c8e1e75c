import { rm } from "node:fs/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAnswerEngine, FITTED_MODELS } from "../../src/answer/create-engine.js";
import { type App, createApp } from "../../src/app.js";
import { createOpenAIChatModel } from "../../src/openai/chat.js";
import { sampleCorpus, testConfig } from "../helpers/corpus.js";
import { type FakeOpenAIServer, startFakeOpenAI } from "../helpers/openai-server.js";
import { sampleIndexCopy } from "../helpers/sample-index.js";

let data: string;
let offline: App;
let server: FakeOpenAIServer;
let llm: App;
const TIMEOUT = 1500;

beforeAll(async () => {
  data = await sampleIndexCopy();
  const config = testConfig(data, sampleCorpus, { LOCAL_EMBEDDING_DIM: "768" });
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
  it("puts the value asked for in the answer, each [n] marker pointing to a citation", async () => {
    const a = await offline.engine.ask("Cik lielam jābūt SIA pamatkapitālam minimāli?");
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

  it("puts other sources under “See also”, not into the answer", async () => {
    const a = await offline.engine.ask("Cik lielam jābūt SIA pamatkapitālam minimāli?");
    const [body, also] = a.answer.split(/\n\nSkatiet arī:\n/);
    expect(body).toMatch(/\[1\]$/);
    expect(body).not.toMatch(/\[2\]/);
    // Each line is another source (named, with its own number) or another part of a passage
    // already cited above (the lead's [1], or a source named on an earlier line; not named twice).
    const named = new Set(["1"]);
    for (const line of also?.split("\n") ?? []) {
      const own = line.match(/^• (?!Turpat ).+ \[([2-9])\]: “/)?.[1];
      const again = line.match(/^• Turpat \[(\d)\]: “/)?.[1];
      expect(own ?? again, line).toBeDefined();
      if (again) expect(named.has(again), line).toBe(true);
      if (own) named.add(own);
    }
  });

  it("expands an abbreviation the materials define, on first use", async () => {
    let expanded = 0;
    for (const q of [
      "Kas piešķir statusu?",
      "Kam jāiesniedz pieteikums statusa iegūšanai?",
      "Kur publicē sociālo uzņēmumu sarakstu?",
    ]) {
      const body = (await offline.engine.ask(q)).answer.split("\n\n")[0] ?? "";
      const first = body.search(/(?<![\p{L}])LM(?![\p{L}])/u);
      if (first < 0) continue;
      // Its first use is expanded, unless the full name came before it.
      const named = body.slice(0, first).includes("Labklājības ministrij");
      expect(named || body.slice(first).startsWith("LM (Labklājības ministrija)")).toBe(true);
      if (!named) expanded++;
    }
    expect(expanded).toBeGreaterThan(0);
  });

  it("declines a question far from the topic plainly, with no lectures suggested", async () => {
    const a = await offline.engine.ask("Kāda ir labākā recepte sēņu zupai?");
    expect(a.answered).toBe(false);
    expect(a.declineReason).toBe("no-match");
    expect(a.citations).toEqual([]);
    expect(a.relatedLectures ?? []).toEqual([]);
    // It says what the answers come from, so the asker sees what to ask.
    expect(a.answer).toMatch(
      /^Materiālos par to nekā nav\. Es atbildu tikai no rokasgrāmatas „.+” un lekcijām/,
    );
    expect(a.answer).not.toMatch(/saistītajās lekcijās/);
    const en = await offline.engine.ask("What is the best recipe for mushroom soup?");
    expect(en.answered).toBe(false);
    expect(en.answer).toMatch(
      /^The materials say nothing about this\. I answer only from the handbook “.+” and the lectures/,
    );
  });

  it("names the place the materials come closest when it declines a question near them", async () => {
    // A decline threshold no answer reaches: the question is on the subject, but declined.
    const strict = createAnswerEngine({
      source: () => {
        const s = offline.live.current();
        return { retriever: s.retriever, lectures: s.lectures };
      },
      minRelevance: 0.9999,
    });
    const a = await strict.ask("Cik liels ir SIA minimālais pamatkapitāls?");
    expect(a.answered).toBe(false);
    expect(a.citations).toEqual([]);
    const closest = a.closest;
    expect(closest).toBeDefined();
    expect(closest?.text).toMatch(/2\s?800/);
    expect(closest?.kind).toBe("handbook");
    expect(a.answer).toContain(`Vistuvāk šim jautājumam materiālos ir ${closest?.title}, `);
    expect(a.answer).toMatch(/\d+\. lpp\./);
    // A lecture named as the closest is the first related lecture, from that moment.
    const told = await strict.ask("Kā darbnīcā palīdz jaunam darbiniekam iejusties?");
    expect(told.closest?.kind).toBe("lecture");
    expect(told.relatedLectures?.[0]).toMatchObject({
      title: told.closest?.title,
      startSec: told.closest?.startSec,
    });
    // Far from the subject, a decline points nowhere.
    const far = await strict.ask("Kāda ir labākā recepte sēņu zupai?");
    expect(far.closest).toBeUndefined();
    expect(far.answer).not.toMatch(/Vistuvāk/);
  });

  it("declines messages on other subjects by the fitted on-topic model, suggesting no lectures", async () => {
    expect(FITTED_MODELS.onTopic).toBeDefined();
    for (const q of [
      "Kurš futbola klubs uzvarēja čempionātā pagājušajā gadā?",
      "Kā audzēt tomātus siltumnīcā?",
      "Cik kalorijas ir banānā?",
      "How do I bake rye bread?",
    ]) {
      const a = await offline.engine.ask(q);
      expect(a.answered, q).toBe(false);
      expect(a.relatedLectures ?? [], q).toEqual([]);
    }
    // A question on the subject passes the same guard.
    expect((await offline.engine.ask("Cik liels ir SIA minimālais pamatkapitāls?")).answered).toBe(
      true,
    );
  });

  it("does not point a message on another subject to a lecture for saying 'video'", async () => {
    for (const q of [
      "Vakar noskatījos video par to, kā mazgāt kaķi vannā.",
      "Kur var noskatīties hokeja spēles ierakstu?",
    ]) {
      const a = await offline.engine.ask(q);
      expect(a.answered, q).toBe(false);
      expect(a.citations, q).toEqual([]);
    }
    // A lecture request on the subject still gets its lecture.
    const a = await offline.engine.ask("vai ir video par sociālās ietekmes mērīšanu?");
    expect(a.citations[0]?.kind).toBe("lecture");
  });

  // Known limitation: the on-topic model reads the words of the whole message, and "lekcijā" and
  // "stāsta" are the words of the subject's lecture requests. Reading a lecture request by its
  // topic alone declined this one, but on held-out lecture requests it declined 4 of 256 instead
  // of 1 and let more off-topic questions through (0.139 instead of 0.111; `npm run fit -- topic`).
  it.fails("does not point an off-topic request for a university lecture to a lecture", async () => {
    const a = await offline.engine.ask("Kurā lekcijā universitātē stāsta par kvantu fiziku?");
    expect(a.answered).toBe(false);
  });

  it("answers in English with an English line naming the source, then the quote", async () => {
    const a = await offline.engine.ask("How large must the share capital of an LLC be at least?");
    expect(a.language).toBe("en");
    expect(a.answered).toBe(true);
    // One opening sentence: the value first when the quote names one, then the Latvian quote.
    expect(a.answer).toMatch(
      /^The (handbook, pages? [\d–]+|lecture “.+”, [\d:–]+)(: [^\n]+\. In Latvian:| answers this, in Latvian:| says (yes|no)[^\n]*; in Latvian:)\n/,
    );
    expect(a.answer).not.toMatch(/The Latvian materials say/);
  });

  it("answers the same despite trailing noise after the question mark", async () => {
    const clean = await offline.engine.ask("Kas piešķir statusu?");
    const noisy = await offline.engine.ask("Kas piešķir statusu? #0");
    expect(noisy.answer).toBe(clean.answer);
  });

  it("continues in the same passage after “kāpēc?”, never repeating the answer", async () => {
    const first = await offline.engine.ask("Kas lemj par statusa piešķiršanu?", {
      conversationId: "why",
    });
    const why = await offline.engine.ask("kāpēc?", { conversationId: "why" });
    expect(why.answered).toBe(true);
    expect(why.answer).not.toBe(first.answer);
    const firstBody = first.answer.split("\n")[0]?.replace(/ \[\d+\]$/, "") ?? "";
    expect(why.answer).not.toContain(firstBody);
  });

  it("continues after a whole list on “kāpēc?”: no item again, one item per line", async () => {
    const first = await offline.engine.ask("kādi ierobežojumi ir mazkapitāla sabiedrībai?", {
      conversationId: "why-list",
    });
    const items = first.answer.split("\n").filter((l) => /^\d+\. /.test(l));
    expect(items.length).toBeGreaterThan(1);
    const why = await offline.engine.ask("kāpēc?", { conversationId: "why-list" });
    expect(why.answered).toBe(true);
    for (const item of items) {
      expect(why.answer).not.toContain(item.replace(/^\d+\. /, "").replace(/[;.]$/, ""));
    }
    expect(why.answer).not.toMatch(/\S[ \t]+•[ \t]/);
  });

  it("says the passage has nothing more rather than go on into another section", async () => {
    await offline.engine.ask("Kas piešķir statusu?", { conversationId: "why-end" });
    const why = await offline.engine.ask("kāpēc?", { conversationId: "why-end" });
    expect(why.answered).toBe(false);
    expect(why.answer).toMatch(/vairāk nekas nav teikts/);
  });

  it("answers what an abbreviation is with the sentence that introduces it", async () => {
    const a = await offline.engine.ask("ko nozīmē NĪN?");
    expect(a.answered).toBe(true);
    expect(a.answer.split("\n")[0]).toContain("nekustamā īpašuma nodokļa (NĪN)");
  });

  it("keeps a follow-up to a lecture answer with that lecture: the next one, its length, a moment", async () => {
    const first = await offline.engine.ask("kuru video man noskatīties kā pirmo?", {
      conversationId: "lec",
    });
    const firstId = first.citations[0]?.path;
    const next = await offline.engine.ask("un tālāk?", { conversationId: "lec" });
    expect(next.answered).toBe(true);
    expect(next.citations[0]?.kind).toBe("lecture");
    expect(next.citations[0]?.path).not.toBe(firstId);
    expect(next.answer).toMatch(/^Iesaku noskatīties lekciju “/);

    await offline.engine.ask("vai ir lekcija par ietekmes mērīšanu?", { conversationId: "len" });
    const length = await offline.engine.ask("cik ilga tā ir?", { conversationId: "len" });
    expect(length.answer).toMatch(/^Lekcija “.+” ir \d\d:\d\d gara \[1\]\.$/);

    await offline.engine.ask("kurā video stāsta par finansējuma avotiem?", { conversationId: "m" });
    const moment = await offline.engine.ask("un kur tur par LEADER?", { conversationId: "m" });
    const [c] = moment.citations;
    expect(c?.kind).toBe("lecture");
    // The key moment's own start (lectures.json), not its passage's.
    const meta = offline.engine.lectures().find((l) => c?.path.endsWith(l.file));
    const leader = meta?.moments?.find((x) => /LEADER/.test(x.title));
    expect(c?.startSec).toBe(leader?.startSec);
  });

  it("points a lecture request about 'that' to the lecture on the previous question's subject", async () => {
    const beginners = await offline.engine.ask("kuru video noskatīties kā pirmo?");
    for (const [id, first, then] of [
      ["ref-lv", "Kā sagatavoties sarunai ar mentoru?", "vai par to ir kāds video?"],
      ["ref-en", "How do I measure the social impact of a bakery?", "which lecture covers that?"],
    ] as const) {
      await offline.engine.ask(first, { conversationId: id });
      const a = await offline.engine.ask(then, { conversationId: id });
      expect(a.citations[0]?.kind, then).toBe("lecture");
      // Not the beginners' pick: the lecture and moment of the subject asked about.
      expect(a.citations[0]?.path, then).not.toBe(beginners.citations[0]?.path);
    }
    // "Where do I start?" after a question is still a beginner's request.
    await offline.engine.ask("Kā sagatavoties sarunai ar mentoru?", {
      conversationId: "ref-start",
    });
    const start = await offline.engine.ask("un kuru lekciju skatīties pirmo?", {
      conversationId: "ref-start",
    });
    expect(start.citations[0]?.path).toBe(beginners.citations[0]?.path);
  });

  it("reads a follow-up the merged search would decline as asked in the previous one's context", async () => {
    await offline.engine.ask("kas ir de minimis?", { conversationId: "ctx" });
    const a = await offline.engine.ask("un limits?", { conversationId: "ctx" });
    expect(a.answered).toBe(true);
    expect(a.answer.split("\n")[0]).toMatch(/de minimis/);
  });

  it("never gives the next message of a conversation the previous answer again", async () => {
    const asked = "kas lemj par to, vai uzņēmums kļūst sociāls?";
    const first = await offline.engine.ask(asked, { conversationId: "again" });
    const again = await offline.engine.ask(asked, { conversationId: "again" });
    expect(first.answered).toBe(true);
    const lead = (a: { answer: string }) => a.answer.split("\n")[0]?.replace(/ \[\d+\]$/, "");
    expect(lead(again)).not.toBe(lead(first));
    // Outside a conversation the same question gets the same answer.
    expect((await offline.engine.ask(asked)).answer).toBe(first.answer);
  });

  it("declines a message on another subject in the middle of a conversation", async () => {
    const first = await offline.engine.ask("Cik liels ir SIA minimālais pamatkapitāls?", {
      conversationId: "c-off",
    });
    expect(first.answered).toBe(true);
    const off = await offline.engine.ask("vai rīt snigs Valmierā?", { conversationId: "c-off" });
    expect(off.answered).toBe(false);
    expect(off.answer).toMatch(/^Materiālos par to nekā nav/);
    // A follow-up after it is read with the previous question again.
    const on = await offline.engine.ask("un mazkapitāla SIA pamatkapitāls?", {
      conversationId: "c-off",
    });
    expect(on.answered).toBe(true);
    offline.engine.forget("c-off");
  });

  it("uses the previous turn for a follow-up, and forgets it on request", async () => {
    const first = await offline.engine.ask("Kādus grantus piešķir ALTUM sociālajiem uzņēmumiem?", {
      conversationId: "c1",
    });
    expect(first.answered).toBe(true);
    const follow = await offline.engine.ask("un cik tas maksā?", { conversationId: "c1" });
    expect(follow.answer).not.toMatch(/Par ko tieši jautājat/);
    offline.engine.forget("c1");
    const alone = await offline.engine.ask("un cik tas maksā?", { conversationId: "c1" });
    expect(alone.answered).toBe(false);
    expect(alone.answer).toMatch(/Par ko tieši jautājat/);
  });

  it("points a lecture request to the lecture, the reason and the moment", async () => {
    const a = await offline.engine.ask("vai ir kāds video par sociālās ietekmes mērīšanu?");
    expect(a.answered).toBe(true);
    expect(a.answer).toMatch(/^Iesaku noskatīties lekciju “Kā izmērīt un parādīt sociālo ietekmi”/);
    expect(a.citations[0]?.kind).toBe("lecture");
    expect(a.citations[0]?.path).toMatch(/05-sociala-ietekme/);
    // The first line names the lecture and its moment [1]; what the lecture covers comes after.
    const [first, rest] = a.answer.split("\n\n");
    expect(first).toMatch(/\d\d:\d\d–\d\d:\d\d \[1\]/);
    expect(rest).toMatch(/^Par lekciju: /);
  });

  it("adds the approved answer the port offers, on declines too; a failed offer only means none", async () => {
    const source = () => {
      const s = offline.live.current();
      return { retriever: s.retriever, lectures: s.lectures };
    };
    const offered = {
      id: "7",
      question: "Vai kooperatīvs var būt sociālais uzņēmums?",
      score: 0.4,
    };
    const offering = createAnswerEngine({
      source,
      approved: { match: async () => undefined, offer: async () => offered },
    });
    const answered = await offering.ask("Cik liels ir SIA minimālais pamatkapitāls?");
    expect(answered.answered).toBe(true);
    expect(answered.offer).toEqual({ id: "7", question: offered.question });
    const declining = createAnswerEngine({
      source,
      minRelevance: 0.9999,
      approved: { match: async () => undefined, offer: async () => offered },
    });
    const declined = await declining.ask("Cik liels ir SIA minimālais pamatkapitāls?");
    expect(declined.answered).toBe(false);
    expect(declined.offer?.id).toBe("7");
    const failing = createAnswerEngine({
      source,
      approved: {
        match: async () => undefined,
        offer: async () => {
          throw new Error("the approved answers' store is unreachable");
        },
      },
    });
    const a = await failing.ask("Cik liels ir SIA minimālais pamatkapitāls?");
    expect(a.answered).toBe(true);
    expect(a.offer).toBeUndefined();
  });

  it("passes a lecture request the best lecture fits below lectureFrom on to the usual search", async () => {
    const source = () => {
      const s = offline.live.current();
      return { retriever: s.retriever, lectures: s.lectures };
    };
    const asked = "vai ir kāds video par sociālās ietekmes mērīšanu?";
    const any = createAnswerEngine({ source, models: { ...FITTED_MODELS, lectureFrom: 0 } });
    expect((await any.ask(asked)).answer).toMatch(/^Iesaku noskatīties lekciju/);
    // No lecture reaches a score above 1: the search answers from a passage or declines.
    const none = createAnswerEngine({ source, models: { ...FITTED_MODELS, lectureFrom: 1.01 } });
    const a = await none.ask(asked);
    expect(a.answer).not.toMatch(/^Iesaku noskatīties lekciju/);
    if (a.answered) expect(a.mode).toBe("extractive");
    // Declined, a lecture request is told that no lecture covers it.
    const invoices = await none.ask("Kurā lekcijā māca, kā noformēt rēķinus klientiem?");
    expect(invoices.answered).toBe(false);
    expect(invoices.answer).toMatch(/^Lekciju, kurā par to runātu, neatradu/);
    const english = await none.ask("Is there a video on how to hire a bookkeeper?");
    expect(english.answered).toBe(false);
    expect(english.answer).toMatch(/^None of the lectures covers this/);
  });

  it("gives a newcomer the first lecture of the series", async () => {
    const a = await offline.engine.ask("esmu iesācējs, ar kuru video sākt?");
    expect(a.answer).toMatch(/“Kas ir sociālais uzņēmums”/);
    expect(a.citations[0]?.startSec ?? 99).toBeLessThan(5);
  });

  it("gives a steps question the whole list, numbered", async () => {
    const a = await offline.engine.ask(
      "Kādi soļi jāveic jaunai SIA, lai kļūtu par sociālo uzņēmumu?",
    );
    expect(a.answered).toBe(true);
    const numbered = a.answer.split("\n").filter((l) => /^\d+\. /.test(l));
    expect(numbered.length).toBeGreaterThanOrEqual(4);
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
    // The passage the offline answer would have led with is named, not cited.
    expect(a.closest).toBeDefined();
    expect(a.answer).toContain(`Vistuvāk šim jautājumam materiālos ir ${a.closest?.title}`);
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
