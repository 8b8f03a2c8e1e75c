/**
 * HTML and Markdown in questions, in the corpus (documents, lecture transcripts, lectures.json)
 * and in an LLM's answer must never break or inject formatting: every message the real bot sends
 * (answers, streamed edits, sources, lecture cards, the lecture list, inline articles) parses as
 * valid Telegram HTML with only allowed tags and safe links, and shows the text escaped.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.js";
import { ingestCorpus } from "../../src/ingest/ingest.js";
import {
  type ApiCall,
  callback,
  command,
  createTestBot,
  inlineQuery,
  message,
  type TestBot,
} from "../bot/harness.js";
import { tempDir, testConfig } from "../helpers/corpus.js";
import { type FakeOpenAIServer, startFakeOpenAI } from "../helpers/openai-server.js";
import { linkTargets, telegramHtmlProblems, visibleText } from "./telegram-html.js";

const APPLICATION_TXT = `Sociālā uzņēmuma statusa pieteikums

Pieteikumu sociālā uzņēmuma statusam iesniedz Labklājības ministrijā <b>divos eksemplāros</b> & pievieno statūtus.
Veidlapa: <a href="javascript:alert(1)">spied šeit</a> lai lejupielādētu </i> pieteikuma *bold* paraugu [x](http://evil.example/phish).
Komisija pieteikumu izskata <script>alert("xss")</script> viena mēneša laikā & paziņo lēmumu &amp; &lt;pamatojumu&gt;.
`;

/** Markdown: tags and links are stripped by the loader, but entities decode into raw characters. */
const TAXES_MD = `# Nodokļi &lt;i&gt;un&lt;/i&gt; atlaides

## Atvieglojumi &lt;/b&gt; pašvaldībā

Sociālais uzņēmums var saņemt uzņēmumu ienākuma nodokļa atvieglojumu &amp; nekustamā īpašuma nodokļa atlaidi &lt;a href="javascript:alert(1)"&gt;pašvaldībā&lt;/a&gt;.
`;

const LECTURE_TXT = `[00:00] Sveiki! Šodien runāsim par finansējumu <b>sociālajiem</b> uzņēmumiem & grantiem.
[00:30] ALTUM grants sociālajiem uzņēmumiem ir līdz <i>200 000 eiro</i> </code> un *jāpiesakās* laikus [klikšķini](javascript:alert(1)).
[01:10] Granta pieteikumam vajag biznesa plānu </blockquote> un budžetu.
`;

const LECTURES_JSON = JSON.stringify({
  lectures: [
    {
      id: "lek1",
      file: "finansejums.txt",
      title: "Finansējums <script>alert(1)</script> & granti",
      lecturer: "<b>lektors</b>",
      topics: ["<i>granti</i>", "ALTUM & LEADER"],
      summary: 'Par </blockquote> grantiem <a href="javascript:alert(2)">šeit</a>.',
      moments: [{ startSec: 30, title: "ALTUM <u>granti</u> & </i>" }],
      url: "javascript:alert(3)",
    },
  ],
});

const QUESTIONS = [
  "Kur iesniedz sociālā uzņēmuma statusa pieteikumu?",
  "Kādus nodokļu atvieglojumus var saņemt sociālais uzņēmums?",
  "Kurā lekcijā stāsta, cik eiro ir ALTUM grants?",
  'Kā <b>iesniegt</b> pieteikumu & <a href="javascript:alert(1)">statūtus</a>? *steidzami* [x](http://evil.example) </i>',
];

let corpus: string;
let data: string;
let app: App;

beforeAll(async () => {
  corpus = await tempDir("padoms-html-corpus-");
  data = await tempDir("padoms-html-data-");
  await mkdir(corpus, { recursive: true });
  await writeFile(join(corpus, "pieteikums.txt"), APPLICATION_TXT);
  await writeFile(join(corpus, "nodokli.md"), TAXES_MD);
  await writeFile(join(corpus, "finansejums.txt"), LECTURE_TXT);
  await writeFile(join(corpus, "lectures.json"), LECTURES_JSON);
  const config = testConfig(data, corpus);
  const summary = await ingestCorpus({ config });
  expect(summary.failures).toEqual([]);
  app = await createApp({ config });
}, 60_000);

afterAll(async () => {
  app?.close();
  await rm(corpus, { recursive: true, force: true });
  await rm(data, { recursive: true, force: true });
});

/** HTML texts of every message the bot sent or edited, and of inline articles. */
function htmlOut(calls: readonly ApiCall[]): { method: string; html: string }[] {
  const out: { method: string; html: string }[] = [];
  for (const c of calls) {
    if (c.method === "sendMessage" || c.method === "editMessageText") {
      expect(c.payload.parse_mode, `${c.method} without parse_mode`).toBe("HTML");
      out.push({ method: c.method, html: String(c.payload.text) });
    }
    if (c.method === "answerInlineQuery") {
      for (const r of c.payload.results as {
        input_message_content?: { message_text?: string; parse_mode?: string };
      }[]) {
        const content = r.input_message_content;
        if (content?.message_text) {
          expect(content.parse_mode).toBe("HTML");
          out.push({ method: "inline", html: content.message_text });
        }
      }
    }
  }
  return out;
}

function expectSafe(calls: readonly ApiCall[]): string {
  const out = htmlOut(calls);
  expect(out.length).toBeGreaterThan(0);
  for (const { method, html } of out) {
    expect(telegramHtmlProblems(html), `${method}: ${html}`).toEqual([]);
    for (const href of linkTargets(html)) {
      expect(href).toMatch(/^https?:\/\//);
      expect(href).not.toContain("evil.example");
    }
  }
  return out.map((o) => visibleText(o.html)).join("\n");
}

function buttons(calls: readonly ApiCall[]): string[] {
  return calls.flatMap((c) => {
    const kb = c.payload.reply_markup as
      | { inline_keyboard?: { callback_data?: string; url?: string }[][] }
      | undefined;
    return (kb?.inline_keyboard ?? []).flat().flatMap((b) => {
      if (b.url) expect(b.url).toMatch(/^https?:\/\//);
      return b.callback_data ? [b.callback_data] : [];
    });
  });
}

describe("offline answers over a corpus full of markup", () => {
  let t: TestBot;
  beforeAll(() => {
    t = createTestBot({ engine: app.engine });
  });
  afterAll(async () => {
    await t.padoms.stop();
    t.appDb.close();
  });

  it("answers, sources and related lectures are valid Telegram HTML with the corpus text escaped", async () => {
    const shown: string[] = [];
    for (const q of QUESTIONS) {
      t.clear();
      await t.send(message(q));
      const answerCalls = [...t.calls];
      shown.push(expectSafe(answerCalls));
      for (const data of buttons(answerCalls).filter((d) => /^(src|rel):/.test(d))) {
        t.clear();
        await t.send(callback(data, { messageId: 1 }));
        shown.push(expectSafe(t.calls));
      }
    }
    const visible = shown.join("\n");
    // The corpus's markup reached the user as text, not as formatting.
    expect(visible).toContain('<a href="javascript:alert(1)">spied šeit</a>');
    expect(visible).toContain('<script>alert("xss")</script>');
    expect(visible).toContain("<b>divos eksemplāros</b> & pievieno");
    expect(visible).toContain("*bold*");
    expect(visible).toContain("[x](http://evil.example/phish)");
    expect(visible).toContain("</i>");
    expect(visible).toContain("<i>200 000 eiro</i> </code>");
    // Entities in a text file are text: shown as written.
    expect(visible).toContain("&amp; &lt;pamatojumu&gt;");
    // Entities in Markdown decode to characters at ingest; they are escaped again on the way out.
    expect(visible).toContain('<a href="javascript:alert(1)">pašvaldībā</a>');
  });

  it("the lecture list and the lecture card escape lectures.json, and never link to javascript:", async () => {
    t.clear();
    await t.send(command("/lectures"));
    const listVisible = expectSafe(t.calls);
    expect(listVisible).toContain("Finansējums <script>alert(1)</script> & granti");
    const lecture = buttons(t.calls).find((d) => d.startsWith("lec"));
    expect(lecture).toBeDefined();
    t.clear();
    await t.send(callback(lecture as string, { messageId: 1 }));
    const cardVisible = expectSafe(t.calls);
    expect(cardVisible).toContain("<b>lektors</b>");
    expect(cardVisible).toContain('<a href="javascript:alert(2)">šeit</a>');
    expect(cardVisible).toContain("ALTUM <u>granti</u> & </i>");
    const html = htmlOut(t.calls)
      .map((o) => o.html)
      .join("\n");
    expect(html).not.toMatch(/href="javascript/i);
  });

  it("inline answers are valid Telegram HTML", async () => {
    t.clear();
    await t.send(inlineQuery("Kur iesniedz sociālā uzņēmuma statusa pieteikumu? <b>&</b>"));
    const visible = expectSafe(t.calls);
    expect(visible.length).toBeGreaterThan(20);
  });
});

describe("an LLM answer full of markup", () => {
  let server: FakeOpenAIServer;
  let llmApp: App;
  let t: TestBot;
  const INJECTED =
    'Pieteikumu iesniedz <b>ministrijā</b> <a href="javascript:alert(1)">klikšķini</a> </i> & *bold* [x](http://evil.example) **svarīgi** <tg-spoiler>x</tg-spoiler> [1].';

  beforeAll(async () => {
    // The bot asks for a streamed answer; the first test gets it in one piece.
    server = await startFakeOpenAI({ kind: "stream", pieces: [INJECTED] });
    llmApp = await createApp({
      config: testConfig(data, corpus, {
        LLM: "auto",
        OPENAI_BASE_URL: server.baseURL,
        OPENAI_API_KEY: "sk-test-html-injection-0123456789",
        LLM_TIMEOUT_MS: "5000",
      }),
    });
    t = createTestBot({ engine: llmApp.engine });
  });

  afterAll(async () => {
    await t?.padoms.stop();
    t?.appDb.close();
    llmApp?.close();
    await server?.close();
  });

  it("is escaped; only the engine's own **bold** becomes a tag", async () => {
    t.clear();
    await t.send(message(QUESTIONS[0] as string));
    const visible = expectSafe(t.calls);
    expect(visible).toContain('<a href="javascript:alert(1)">klikšķini</a> </i> & *bold*');
    expect(visible).toContain("[x](http://evil.example)");
    expect(visible).toContain("<tg-spoiler>x</tg-spoiler>");
    const html = htmlOut(t.calls)
      .map((o) => o.html)
      .join("\n");
    expect(html).toContain("<b>svarīgi</b>");
    expect(html).not.toContain("<tg-spoiler>");
  });

  it("streamed partial answers (edits) are valid too", async () => {
    server.behaviour = {
      kind: "stream",
      pieces: INJECTED.match(/.{1,9}/gsu) ?? [INJECTED],
      delayMs: 120,
    };
    t.clear();
    await t.send(message(QUESTIONS[0] as string));
    expect(t.calls.filter((c) => c.method === "sendMessage").length).toBeGreaterThan(0);
    expect(t.calls.some((c) => c.method === "editMessageText")).toBe(true);
    expectSafe(t.calls);
  });
});

describe("the Telegram HTML checker itself", () => {
  it("accepts what Telegram accepts", () => {
    expect(
      telegramHtmlProblems(
        '<b>a</b> &amp; <i>b <u>c</u></i> <a href="https://x.lv/?a=1&amp;b=2">l</a> <blockquote expandable>q</blockquote> <span class="tg-spoiler">s</span> &#128512; &lt;&gt;&quot;',
      ),
    ).toEqual([]);
  });

  it.each([
    ["<b>open", "never closed"],
    ["<b><i>x</b></i>", "closes"],
    ["<script>x</script>", "not Telegram HTML"],
    ["a & b", 'raw "&"'],
    ["1 < 2", 'raw "<"'],
    ["2 > 1", 'raw ">"'],
    ['<a href="javascript:alert(1)">x</a>', "forbidden address"],
    ['<b onclick="x">y</b>', "not allowed"],
    ['<span class="x">y</span>', "span class"],
  ])("rejects %s", (html, problem) => {
    expect(telegramHtmlProblems(html).join("; ")).toContain(problem);
  });
});
