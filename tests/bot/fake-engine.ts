import type { AnswerEngine, AskOptions } from "../../src/answer/engine.js";
import type { Answer, Citation, LectureMeta } from "../../src/types.js";

/** Words in a question that switch the fake engine's behaviour. */
export const MARKERS = {
  /** Declines with `no-match` and related lectures. */
  decline: "DECLINE",
  /** Declines with `bad-input`. */
  badInput: "BADINPUT",
  /** Streams the answer through `onPartial` (LLM mode). */
  stream: "STREAM",
  /** Returns an answer of about 10,000 characters. */
  long: "LONG",
  /** Returns an LLM answer of 311 KB (a runaway model). */
  huge: "HUGE",
  /** Throws. */
  fail: "FAIL",
  /** Answers in fallback mode. */
  fallback: "FALLBACK",
  /** Answers from an approved FAQ entry. */
  faq: "FAQENTRY",
} as const;

/** Lectures of the fake corpus: one with a video url and key moments, one without a url. */
export const FAKE_LECTURES: LectureMeta[] = [
  {
    id: "lekcija-1",
    file: "lekcijas/statuss.vtt",
    title: "Sociālā uzņēmuma statuss <praksē>",
    lecturer: "mentore",
    date: "2023-04-05",
    durationSec: 2520,
    topics: ["statuss", "SIA", "komisija"],
    summary: "Kā SIA iegūst sociālā uzņēmuma statusu & ko vērtē komisija.",
    moments: [
      { startSec: 0, title: "Ievads" },
      { startSec: 195, title: "Statusa kritēriji" },
      { startSec: 3725, title: "Jautājumi" },
    ],
    url: "https://www.youtube.com/watch?v=abc123",
    language: "lv",
  },
  {
    id: "lekcija-2",
    file: "lekcijas/finanses.vtt",
    title: "Finansējums laukos",
    lecturer: "finanšu konsultants",
    durationSec: 1800,
    topics: ["ALTUM", "LEADER"],
    summary: "Granti un aizdevumi sociālajiem uzņēmumiem.",
    moments: [{ startSec: 60, title: "ALTUM granti" }],
  },
];

const CITATIONS: Citation[] = [
  {
    n: 1,
    kind: "handbook",
    title: "Sociālā uzņēmēja rokasgrāmata (paraugs)",
    path: "rokasgramata.pdf",
    page: 12,
    section: "4. Statuss › 4.2. Esošas SIA ceļš uz statusu",
    chunkId: "h-12",
    text: "Esoša SIA groza statūtus <script>alert(1)</script> & iesniedz pieteikumu LM.   ",
  },
  {
    n: 2,
    kind: "lecture",
    title: "Sociālā uzņēmuma statuss <praksē>",
    path: "lekcijas/statuss.vtt",
    startSec: 195,
    endSec: 260,
    url: "https://www.youtube.com/watch?v=abc123&t=195s",
    chunkId: "l-3",
    text: "Komisija skatās, vai peļņa netiek sadalīta, bet ieguldīta mērķos.",
  },
];

function language(question: string): "lv" | "en" {
  return /\b(how|what|where|which|does|the)\b/i.test(question) ? "en" : "lv";
}

function longAnswer(): string {
  const paragraphs: string[] = [];
  for (let p = 0; p < 24; p++) {
    const sentences: string[] = [];
    for (let s = 0; s < 6; s++) {
      sentences.push(
        `Rindkopa ${p + 1}, teikums ${s + 1}: sociālajam uzņēmumam <svarīgi> ir skaidri mērķi & pārskatāma peļņas izmantošana [${(s % 2) + 1}].`,
      );
    }
    paragraphs.push(sentences.join(" "));
  }
  return paragraphs.join("\n\n");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Options of {@link FakeAnswerEngine}. */
export interface FakeAnswerEngineOptions {
  lectures?: LectureMeta[];
  /** Delay before every answer, in ms. Default 0. */
  delayMs?: number;
  /** Pause between streamed pieces, in ms. Default 150. */
  streamStepMs?: number;
  /** Streamed pieces. Default 8. */
  streamSteps?: number;
}

/** A deterministic {@link AnswerEngine}: canned answers with citations, switched by {@link MARKERS}. */
export class FakeAnswerEngine implements AnswerEngine {
  readonly asked: { question: string; options: AskOptions | undefined }[] = [];
  readonly forgotten: string[] = [];
  constructor(private readonly options: FakeAnswerEngineOptions = {}) {}

  async ask(question: string, options?: AskOptions): Promise<Answer> {
    this.asked.push({ question, options });
    if (this.options.delayMs) await sleep(this.options.delayMs);
    const base = {
      question,
      language: language(question),
      latencyMs: 5,
    } as const;
    if (question.includes(MARKERS.fail))
      throw new Error("engine exploded at /srv/padoms/secret.ts:42");
    if (question.includes(MARKERS.decline) || question.includes(MARKERS.badInput)) {
      const bad = question.includes(MARKERS.badInput);
      return {
        ...base,
        answered: false,
        answer: "",
        mode: "extractive",
        citations: [],
        declineReason: bad ? "bad-input" : "no-match",
        relatedLectures: bad
          ? []
          : [{ id: "lekcija-2", title: "Finansējums laukos", startSec: 60 }],
      };
    }
    if (question.includes(MARKERS.huge)) {
      return {
        ...base,
        answered: true,
        answer: "Sociālais uzņēmums iegulda peļņu mērķos [1]. ".repeat(7000),
        mode: "llm",
        citations: CITATIONS,
      };
    }
    if (question.includes(MARKERS.long)) {
      return {
        ...base,
        answered: true,
        answer: longAnswer(),
        mode: "extractive",
        citations: CITATIONS,
      };
    }
    const text =
      base.language === "en"
        ? "The status is granted by the Ministry of Welfare [1]. Profit is <b>reinvested</b> & not shared [2]."
        : "Statusu piešķir Labklājības ministrija pēc komisijas atzinuma [1]. Peļņa netiek sadalīta, bet <b>ieguldīta</b> mērķos & darbiniekos [2].";
    if (question.includes(MARKERS.stream) && options?.onPartial) {
      const steps = this.options.streamSteps ?? 8;
      for (let i = 1; i <= steps; i++) {
        options.onPartial(text.slice(0, Math.ceil((text.length * i) / steps)));
        await sleep(this.options.streamStepMs ?? 150);
      }
    }
    const mode = question.includes(MARKERS.stream)
      ? "llm"
      : question.includes(MARKERS.fallback)
        ? "fallback"
        : question.includes(MARKERS.faq)
          ? "faq"
          : "extractive";
    return {
      ...base,
      answered: true,
      answer: text,
      mode,
      citations: mode === "faq" ? [] : CITATIONS,
      relatedLectures: [
        {
          id: "lekcija-1",
          title: "Sociālā uzņēmuma statuss <praksē>",
          startSec: 195,
          url: "https://www.youtube.com/watch?v=abc123&t=195s",
        },
      ],
      ...(mode === "faq" ? { faq: { id: "faq-1", approvedAt: "2024-05-01T10:00:00Z" } } : {}),
    };
  }

  forget(conversationId: string): void {
    this.forgotten.push(conversationId);
  }

  lectures(): LectureMeta[] {
    return this.options.lectures ?? FAKE_LECTURES;
  }
}
