/**
 * Question understanding, done once per question: the language, the clause that asks (the
 * focus) and the rest of the message (context), what kind of answer is expected, and whether the
 * question leans on the previous turn. Pure: text in, data out.
 */
import { analyze } from "../text/analyze.js";
import { detectLanguage } from "../text/language.js";
import { foldDiacritics } from "../text/normalize.js";
import { type AnswerType, expectedAnswerType, VALUE_CUE_TOKENS } from "./answer-type.js";
import fitted from "./weights.json" with { type: "json" };

/** What kind of answer a question expects. */
export type Expectation =
  | "definition"
  | "value"
  | "yesno"
  | "list"
  | "steps"
  | "reason"
  | "lecture"
  | "contact"
  | "fact";

/** Whether the answer expected is a list or steps: the whole list, numbered. */
export function asksForList(expects: Expectation | undefined): boolean {
  return expects === "list" || expects === "steps";
}

/** How a question relates to the previous turn of the conversation. */
export type FollowUp =
  /** It stands alone. */
  | "none"
  /** "kāpēc?", "un tālāk?": go on from the previous answer's passage. */
  | "continue"
  /** "un cik tas maksā?": it needs the previous question to be understood. */
  | "elliptic"
  /** "un kur dabūt telpas?": a new sub-topic of the same conversation, searched on its own. */
  | "subtopic";

/** The understanding of one question. */
export interface QuestionIntent {
  language: "lv" | "en";
  /** The whole message, normalised (NFC, trimmed, trailing noise removed). */
  text: string;
  /** The clause(s) that ask. */
  focus: string;
  /** The rest of the message: greetings, who is asking, their situation. */
  context: string;
  expects: Expectation;
  /** For `value`: the type of value asked for. */
  valueType?: AnswerType;
  followUp: FollowUp;
  /** True when a follow-up has nothing to follow ("un cik tas maksā?" as a first message). */
  bare: boolean;
}

const fold = (s: string): string => foldDiacritics(s.normalize("NFC").toLowerCase());

/** Interrogative words that open a question clause (folded, Latvian and English). */
const INTERROGATIVE =
  /(?:^|[\s,;:(-])(kas|ko|kam|kur|kurp|kapec|kadel|kads|kada|kadi|kadas|kadu|kadam|kadiem|kurs|kura|kuri|kuras|kuru|kuros|kuram|kuriem|vai|cik|kad|ka|what|how|where|when|why|which|who|whom|whose|can|could|is|are|do|does|should|may|must|will|would)(?=[\s,?]|$)/;

/** Clauses that only greet, thank or introduce (folded; whole clause). */
const SMALL_TALK =
  /^(sveik\w*|labdien\w*|labvakar|labrit|cau|hei|ei|klau|paldies\w*|ludzu|hello|hi|hey|good (morning|afternoon|evening)|thanks?( you)?|please|dear \w+)[\s!,.]*$/;

const STARTS = {
  lecture:
    /\b(lekcij\w*|video\w*|videoierakst\w*|noskatit\w*|skatities|skatit (video|lekcij)|paklausit\w*|lectures?|videos?|recordings?|watch\w*)\b/,
  steps:
    /\b(sol(i|us|iem|is)|kartib\w*|procedur\w*|posm\w*|secib\w*|kas (man |mums )?(ir )?jadara|kas (man |mums )?(ir )?jaizdara|ka (lai )?(tiek|iegu[ts]|dabu[tj]|registre|pieteik|piesak|sak|uzsak|dibin|izveido|panak)\w*|steps?|process|procedure|how (do|can|should) (i|we|you|one) (get|apply|register|start|set up|obtain|become)|how to (get|apply|register|start|set up|obtain|become))\b/,
  list: /^(un )?(kadi|kadas|kuri|kuras) (ir|bija|ir tie|ir tas)\b|^(un )?(kadi|kadas|kuri|kuras)( [a-z]+)? [a-z]+(i|as|es)\b|^(and )?(what|which) are the (\w+ ){0,2}\w+s\b|\b(kadi|kadas|kuri|kuras|kadus|kuras)\b.{0,40}\b(veid\w*|kriterij\w*|nosacijum\w*|grup\w*|avot\w*|iespej\w*|atvieglojum\w*|prasib\w*|dokument\w*|pienakum\w*|prieksrocib\w*|prieksnoteikum\w*|pazim\w*|piemer\w*|jom\w*|programm\w*|konkurs\w*)\b|\buzskait\w*|\bsarakst\w*|\b(what|which) (are )?(the )?(types?|kinds?|criteria|requirements|conditions|options|sources|benefits|groups|obligations|examples|ways)\b|\blist\b/,
  definition:
    /^(un )?(kas (ir|tas ir|ta ir|ir tas|ir ta)|ko (nozime|nozimee|ar to saprot)|kas ir tads|kas ir tada|what (is|are|does) (a |an |the )?\w+( \w+){0,3}( mean)?\??$|what('s| is) meant by|define)(?:\b|$)/,
  reason: /\b(kapec|kadel|why|ar ko pamatots|what for)\b/,
  contact:
    /\b(kur (var )?(zvanit|rakstit|sazinat\w*|konsult\w*|griezties|versties)|telefon\w*|talrun\w*|e-?past\w*|kontakt\w*|phone|e-?mail|contact|who (do|should) i (call|ask|contact))\b/,
  yesno: /^(vai|can|could|is|are|do|does|should|may|must|will|would|am)\b/,
};

/** Words that continue the previous turn when a message starts with them. */
const CONTINUATION =
  /^(un|bet|vai ari|ka ar|un ka|un cik|tad|tatad|and|but|what about|how about|also)\b/;
/** Back-references to the previous turn's subject. */
const BACK_REFERENCE =
  /(?:^|[\s,])(tas|ta|to|tam|tai|tie|tas|sis|si|so|tur|taja|tajos|vins|vina|vini|vinu|vinam|vinai|viniem|vinas|it|that|this|those|they|them|there|he|she|him|her)(?=[\s,?!.]|$)/;
/** Messages that only ask to go on ("kāpēc?", "un tālāk?", "more?"). */
const GO_ON =
  /^(un )?(kapec|kadel|ka ta|ka tad|un tad|un talak|talak|vel|sikak|(paskaidro|izskaidro|pastasti)\w*( (vienkarsak|saprotamak|sikak|vairak|labak|vel))?|un pec tam|pec tam|un tad ko|why|why so|how so|more|tell me more|go on|and then|and after that|what next|what else|explain( (it|that))?( (simpler|more simply|more|better|in plain words))?)[\s?!.]*$/;

/** A message opening with a word that asks to go on ("kāpēc tik ilgi?", "sīkāk, lūdzu"). */
const GO_ON_OPENING =
  /^(un |bet )?(kapec|kadel|sikak|paskaidro|izskaidro|nesapratu|why|explain|how so)\b/;

/** How a message after a turn is read as a follow-up of the previous question. */
export interface FollowUpReading {
  /**
   * Topic words a message opening with a go-on word (`GO_ON_OPENING`) may add to the previous
   * question and still be read with it; more, and it is a question of its own (negative: never).
   */
  goOnFresh: number;
  /**
   * Most topic words of its own a message that leans on the previous one ("un …", "tas …",
   * "what about …") may have and be read as a new point of that topic (a subtopic).
   */
  subtopicWords: number;
}

/**
 * The follow-up reading in use, chosen on the blind follow-ups' train and dev splits
 * (`tests/eval/followups-blind.json`; `npm run eval` prints both sweeps): the smallest value
 * with the most keys in the answer text.
 */
export const FOLLOW_UP_READING: FollowUpReading = { goOnFresh: 3, subtopicWords: 3 };
export const GO_ON_FRESH_SWEEP = [-1, 0, 1, 2, 3, 5] as const;
export const SUBTOPIC_WORDS_SWEEP = [2, 3, 4, 5, 8] as const;

/** Removes trailing noise after the last question mark (hashtags, numbers, emoji, symbols). */
export function stripTrailingNoise(text: string): string {
  const q = text.lastIndexOf("?");
  if (q < 0) return text.trim();
  const tail = text.slice(q + 1);
  return /\p{L}{3,}/u.test(tail) ? text.trim() : text.slice(0, q + 1).trim();
}

/** Splits a message into clauses at sentence ends and line breaks, keeping their marks. */
export function clausesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+|\n+/)
    .map((c) => c.trim())
    .filter((c) => /[\p{L}\p{N}]/u.test(c));
}

/** Content words of a clause (analysed tokens without value-cue words). */
function topicTokens(text: string): string[] {
  return analyze(text).filter((t) => !VALUE_CUE_TOKENS.has(t));
}

/** How the focus of a long message is found (chosen by `npm run fit`, see `FOCUS_SWEEP`). */
export interface FocusSettings {
  /** The focus grows by the clause before it until it has this many content words. */
  minTopicTokens: number;
  /**
   * Whether an asking clause that points back ("vai tas ir iespējams?", "is that allowed?")
   * takes the clause before it too: its subject is there.
   */
  backReference: boolean;
}

/** The focus settings before any fit. */
export const DEFAULT_FOCUS: FocusSettings = { minTopicTokens: 3, backReference: false };

/** The focus settings in use: chosen by `npm run fit` (stored in `weights.json`). */
export const FOCUS: FocusSettings = (fitted as { focus?: FocusSettings }).focus ?? DEFAULT_FOCUS;

/** Focus and context of a message: the asking clause(s), and the rest. */
export function splitFocus(
  text: string,
  settings: FocusSettings = FOCUS,
): { focus: string; context: string } {
  const clauses = clausesOf(text).filter((c) => !SMALL_TALK.test(fold(c)));
  if (clauses.length <= 1) return { focus: clauses[0] ?? text, context: "" };
  const asks = (c: string) => c.endsWith("?") || INTERROGATIVE.test(fold(c).slice(0, 24));
  let at = -1;
  for (let i = clauses.length - 1; i >= 0; i--) {
    if (clauses[i]?.endsWith("?")) {
      at = i;
      break;
    }
  }
  if (at < 0) at = clauses.findIndex(asks);
  if (at < 0) at = clauses.length - 1;
  // A short asking clause ("kur mums sākt?") takes the clause before it as part of its focus.
  let from = at;
  while (
    from > 0 &&
    topicTokens(clauses.slice(from, at + 1).join(" ")).length < settings.minTopicTokens
  )
    from--;
  if (
    settings.backReference &&
    from === at &&
    from > 0 &&
    BACK_REFERENCE.test(fold(clauses[at] ?? ""))
  )
    from--;
  const focus = clauses.slice(from, at + 1).join(" ");
  const context = [...clauses.slice(0, from), ...clauses.slice(at + 1)].join(" ");
  return { focus, context };
}

/** The kind of answer a (focus) question expects. */
export function expectationOf(
  focus: string,
  language: "lv" | "en",
): { expects: Expectation; valueType?: AnswerType } {
  const f = fold(focus).replace(/\s+/g, " ").trim();
  if (STARTS.lecture.test(f)) return { expects: "lecture" };
  const valueType = expectedAnswerType(focus, language);
  if (STARTS.steps.test(f)) return { expects: "steps" };
  if (STARTS.list.test(f)) return { expects: "list" };
  if (valueType) return { expects: "value", valueType };
  if (STARTS.contact.test(f)) return { expects: "contact" };
  if (STARTS.definition.test(f)) return { expects: "definition" };
  if (STARTS.reason.test(f)) return { expects: "reason" };
  if (STARTS.yesno.test(f)) return { expects: "yesno" };
  return { expects: "fact" };
}

/** How a question relates to the previous one (`previous` undefined: a first question). */
export function followUpOf(
  text: string,
  previous: string | undefined,
  reading: FollowUpReading = FOLLOW_UP_READING,
): { followUp: FollowUp; bare: boolean } {
  const f = fold(text).trim();
  const own = new Set(topicTokens(text));
  const leans = CONTINUATION.test(f) || BACK_REFERENCE.test(f);
  if (GO_ON.test(f))
    return previous ? { followUp: "continue", bare: false } : { followUp: "none", bare: true };
  if (!previous) return { followUp: "none", bare: leans && own.size <= 1 };
  const before = new Set(topicTokens(previous));
  const fresh = [...own].filter((t) => !before.has(t));
  // "kāpēc tik maz?", "sīkāk lūdzu", "why not, if …?": a go-on word with a few words more asks
  // about what was just said; searched with the previous question, it is not read alone.
  if (GO_ON_OPENING.test(f) && fresh.length <= reading.goOnFresh)
    return { followUp: "elliptic", bare: false };
  if (own.size <= 1 && (leans || own.size === 0)) return { followUp: "elliptic", bare: false };
  if (leans && fresh.length >= 1 && own.size <= reading.subtopicWords)
    return { followUp: "subtopic", bare: false };
  if (leans && own.size <= 2) return { followUp: "elliptic", bare: false };
  return { followUp: "none", bare: false };
}

/** Words of a lecture request that say nothing about its topic ("kurā video runā par …"). */
const LECTURE_REQUEST =
  /(?<![\p{L}\p{N}])(lekcij\p{L}*|video\p{L}*|ierakst\p{L}*|(?:no)?skat[iī]t\p{L}*|paklaus[iī]t\p{L}*|lectures?|videos?|watch\p{L}*|recordings?|talks?|run[aā]|st[aā]st[aā]?|st[aā]sta|izskaidro\p{L}*|paskaidro\p{L}*|apskat\p{L}*|explains?|covers?|mentions?|shows?|discuss\p{L}*|goes through)(?![\p{L}\p{N}])/giu;

/** A request for the list of lectures ("kādas lekcijas ir?", "what lectures are there?"). */
const LECTURE_LIST =
  /\b(visas|visu|kadas|kuras|cik)\b.{0,20}\b(lekcij\w*|video\w*)|\b(lekcij\w*|video\w*)\b.{0,12}\b(sarakst\w*|katalog\w*|pieejam\w*)|\b(all|what|which|list( of)?|how many|show( me)?)( the)? (lectures|videos|talks|recordings)\b/;
/** Words such a request is made of besides the lecture words (folded). */
const LECTURE_LIST_WORDS = new Set(
  "visas visu kadas kuras kadi kuri cik ir tas tie un jums jus mums te seit pieejamas pieejams saraksts sarakstu katalogs paradi paradiet uzskaiti ludzu all what which list of how many are there is do you have available show me the please lectures videos".split(
    " ",
  ),
);

/**
 * Whether a message asks which lectures there are, with no subject: the whole list answers it
 * ("kādas lekcijas ir par cenām?" names a subject and is a lecture request like any other).
 */
export function asksForLectureList(focus: string): boolean {
  const f = fold(focus).replace(/\s+/g, " ").trim();
  if (!LECTURE_LIST.test(f)) return false;
  const rest = fold(lectureTopic(focus))
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !LECTURE_LIST_WORDS.has(w));
  return rest.length === 0;
}

/** The topic of a lecture request: the focus without the words that ask for a lecture. */
export function lectureTopic(focus: string): string {
  return focus.replace(LECTURE_REQUEST, " ").replace(/\s+/g, " ").trim();
}

/** Understands a question, with the previous question of the conversation if there is one. */
export function understand(
  question: string,
  previous?: string,
  focusSettings: FocusSettings = FOCUS,
  reading: FollowUpReading = FOLLOW_UP_READING,
): QuestionIntent {
  const text = stripTrailingNoise(question.normalize("NFC").trim());
  const language = detectLanguage(text || "?");
  const { focus, context } = splitFocus(text, focusSettings);
  const asked = expectationOf(focus, language);
  // "ar ko sākt? kuru video skatīties", "… ? Uzskaiti visus.": a request for a lecture anywhere
  // in the message, or for a list or steps next to a plain question, shapes the answer too; so
  // does one next to a question that only seems to ask for a value ("kādas izmaksas …? Uzskaiti").
  const whole = expectationOf(text, language).expects;
  const { expects, valueType } =
    asked.expects !== "lecture" && whole === "lecture"
      ? { expects: "lecture" as const, valueType: undefined }
      : (asked.expects === "fact" || asked.expects === "yesno" || asked.expects === "value") &&
          asksForList(whole)
        ? { expects: whole, valueType: undefined }
        : asked;
  const { followUp, bare } = followUpOf(text, previous, reading);
  return {
    language,
    text,
    focus,
    context,
    expects,
    ...(valueType ? { valueType } : {}),
    followUp,
    bare,
  };
}
