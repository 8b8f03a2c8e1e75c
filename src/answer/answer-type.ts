/**
 * Expected answer types: what kind of value a question asks for ("Cik maksā …?" → an amount of
 * money, "Kad …?" → a date), and whether the retrieved passages hold such a value next to the
 * question's own topic words. A question whose words occur in the materials while the value it
 * asks for does not ("Kāds ir maksimālais de minimis apjoms?" over a passage that only says a
 * maximum exists) is then declined instead of answered with a sentence that does not answer it.
 *
 * Pure functions over text: question forms and value patterns are matched on lower-case,
 * diacritic-folded text, so "cik maksa" and "cik maksā" are the same question.
 */
import { analyze, analyzeWord } from "../text/analyze.js";
import { foldDiacritics } from "../text/normalize.js";
import { splitSentences } from "../text/sentences.js";

/**
 * The kind of value a question asks for:
 * - `money`: a sum of money ("cik maksā", "cik eiro", "kāda ir cena", "how much does … cost");
 * - `percent`: a percentage or share ("cik procentu", "kāda daļa", "what percentage");
 * - `amount`: a size that may be money, a percentage or a figure ("cik liels", "kāds ir apjoms /
 *   limits / likme", "kādā apmērā", "how much");
 * - `count`: a number of things ("cik darbinieku", "cik daudz", "how many");
 * - `duration`: a length of time ("cik ilgi", "cik ilgā laikā", "how long");
 * - `date`: a point in time ("kad", "kurā gadā", "līdz kuram datumam", "when", "what year");
 * - `frequency`: how often ("cik bieži", "how often");
 * - `winner`: who won ("kas uzvarēja", "who won") — answered only by a sentence that names a win;
 * - `phone`, `email`, `address`: a contact detail asked for by name ("telefona numurs",
 *   "e-pasts", "adrese", "phone number"), and `contact` for more than one of them ("e-pasts vai
 *   telefons") — answered only by a sentence that holds one.
 */
export type AnswerType =
  | "money"
  | "percent"
  | "amount"
  | "count"
  | "duration"
  | "date"
  | "frequency"
  | "winner"
  | "phone"
  | "email"
  | "address"
  | "contact";

/** The contact details among the answer types: they are not the values a sentence "holds". */
const CONTACT_TYPES: ReadonlySet<AnswerType> = new Set(["phone", "email", "address", "contact"]);

/** Lower-case, diacritics folded, typographic dashes and spaces made plain. */
function fold(text: string): string {
  return foldDiacritics(text.normalize("NFC").toLowerCase())
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/[\u00A0\u2007\u202F]/g, " ");
}

/** Greetings and chat openers before the question proper ("sveiki, kad …", "klau, cik …"). */
const OPENER =
  /^(?:[\s,.:;!?-]*(?:sveik\w*|labdien|labvakar|labrit|cau|klau|ei|hei|nu|a|jautajum\w*|ludzu|tatad|hi|hello|hey|please|so)\b)+[\s,.:;!?-]*/;

/** Where a clause starts: the question's start, a sentence end, or "un"/"bet"/"and". */
const CLAUSE = String.raw`(?:^|[.?!;]\s*|\b(?:un|bet|a|and|but)\s+)`;

// ---------------------------------------------------------------- question forms (Latvian)

/** "cik" with what follows it decides the type; checked in this order. */
const LV_CIK: [RegExp, AnswerType][] = [
  [/\bcik\s+(?:\w+\s+)?procent/, "percent"],
  [/\bcik\s+liel\w*\s+(?:\w+\s+)?dal/, "percent"],
  [/\bcik\s+(?:\w+\s+)?(?:maks|izmaks|eiro|euro|eur\b|naud|darg|let\w*\b)/, "money"],
  [/\bcik\s+ilg\w*/, "duration"],
  [/\bcik\s+(?:dien|darbdien|nedel|menes|stund|minut)\w*/, "duration"],
  [/\bcik\s+biezi\b/, "frequency"],
  [/\bcik\s+(?:liel|augst|zem)\w*/, "amount"],
  [/\bcik\b/, "count"],
];

/** Nouns that name a value ("kāds ir … apjoms"), with the type of that value. */
const LV_VALUE_NOUNS: [RegExp, AnswerType][] = [
  [/\b(?:procent\w*|procentuala\w*)\b/, "percent"],
  [/\bdal(?:a|u|as)\b/, "percent"],
  [/\b(?:cen(?:a|u|as)|maks(?:a|u)|izmaks(?:a|as|u)|nodev(?:a|u|as)|alg(?:a|u|as))\b/, "money"],
  [/\b(?:summ|apjom|apmer|limit|likm|sliesn|griest)\w*/, "amount"],
  [/\b(?:maksimal|minimal|videj)\w*/, "amount"],
  [/\bskait(?:s|u|a)\b/, "count"],
  [/\bilgum\w*/, "duration"],
  [/\b(?:termin|datum)\w*/, "date"],
];

/** "kāds/kāda/… (ir)" opening a clause: a question about a property, maybe a value. */
const LV_WHICH = new RegExp(`${CLAUSE}kad(?:s|a|i|as|u)\\b`);

/** Interrogative words: a question with none of them is a bare noun phrase ("granta summa"). */
const LV_INTERROGATIVE =
  /\b(?:kas|ko|kam|ka|kur|kurp|kapec|kadel|kads|kada|kadi|kadas|kadu|kurs|kura|kuri|kuras|kuru|kuros|kuram|kuriem|vai|cik|kad)\b/;

const LV_DATE: RegExp[] = [
  new RegExp(`${CLAUSE}kad\\b`),
  /\bkura\s+(?:gada|datuma|menesi|dienai?)\b/,
  /\blidz\s+kur(?:am|ai)\s+(?:datumam|laikam|brid\w*|dienai|gadam|menesim)\b/,
  /\b(?:no|kops)\s+kur(?:a|iem)\s+(?:laika|gada|datuma|brid\w*|briz\w*|bris\w*)\b/,
  /\bkura\s+laika\b(?!\s+posm)/,
];

/** "kas uzvarēja …", "kurš bija uzvarētājs", "kas ieguva balvu". */
const LV_WINNER =
  /\b(?:kas|kurs|kura|kuri|kuras)\s+(?:\w+\s+){0,2}?(?:uzvar(?:eja|es|ejis|ejusi|ejusas|eti)?|uzvaretaj(?:s|a|i|as)|ieguv(?:a|is|usi|usas)\s+(?:\w+\s+)?balv\w*)\b/;

// ---------------------------------------------------------------- question forms (English)

const EN_FORMS: [RegExp, AnswerType][] = [
  [
    /\b(?:who|which\s+\w+)\s+(?:\w+\s+)?won\b|\bwho\s+(?:was|were|is|are)\s+the\s+winners?\b/,
    "winner",
  ],
  [/\b(?:what|which)\s+(?:percentage|percent|share|proportion|fraction|part)\b/, "percent"],
  [/\bhow\s+(?:big|large)\s+(?:a\s+)?(?:share|part|proportion)\b/, "percent"],
  [/\bhow\s+much\b.*\b(?:cost|costs|pay|price|fee|fees|charge|charges)\b/, "money"],
  [/\bhow\s+much\b/, "amount"],
  [/\bhow\s+many\b/, "count"],
  [/\bhow\s+long\b/, "duration"],
  [/\bhow\s+often\b/, "frequency"],
  [new RegExp(`${CLAUSE}when\\b`), "date"],
  [
    /\b(?:what|which)\s+(?:year|date|day|month)\b|\bby\s+when\b|\bwhat\s+(?:is|was)\s+the\s+deadline\b/,
    "date",
  ],
  [
    /\bwhat\s+(?:is|was|are|were)\s+the\s+(?:\w+\s+){0,3}?(?:price|cost|fee|salary|wage)s?\b/,
    "money",
  ],
  [
    /\bwhat\s+(?:is|was|are|were)\s+the\s+(?:\w+\s+){0,3}?(?:amount|sum|rate|limit|threshold|minimum|maximum|size)s?\b/,
    "amount",
  ],
];

/** Contact details a question names (Latvian and English, folded). */
const CONTACT_FORMS: [RegExp, AnswerType][] = [
  [/\b(?:telefon\w*|talrun\w*|tel\.?\s*(?:nr|numur\w*)|phone)\b/, "phone"],
  [/\b(?:e-?past\w*|e-?mail\w*)\b/, "email"],
  [/\b(?:adres\w*|address\w*)\b/, "address"],
];

/**
 * The kind of value a question asks for, from its form, or `undefined` when it does not ask for
 * a value ("Kā …?", "Kāpēc …?", "Kas ir …?"). Several parts ("… un kad to dibināja?") give the
 * type of the first value asked for.
 */
export function expectedAnswerType(
  question: string,
  language: "lv" | "en",
): AnswerType | undefined {
  const q = fold(question).replace(OPENER, "").trim();
  if (!q) return undefined;
  const contacts = CONTACT_FORMS.filter(([form]) => form.test(q)).map(([, type]) => type);
  if (contacts.length) return contacts.length > 1 ? "contact" : contacts[0];
  if (language === "en") {
    for (const [form, type] of EN_FORMS) if (form.test(q)) return type;
    return undefined;
  }
  if (LV_WINNER.test(q)) return "winner";
  for (const [form, type] of LV_CIK) if (form.test(q)) return type;
  if (/\bkad(?:a|os)\s+apmer/.test(q)) return "amount";
  if (LV_DATE.some((form) => form.test(q))) return "date";
  // "Kāds ir … apjoms?", or a bare noun phrase "altum granta maksimālā summa".
  if (LV_WHICH.test(q) || !LV_INTERROGATIVE.test(q)) {
    for (const [noun, type] of LV_VALUE_NOUNS) if (noun.test(q)) return type;
  }
  return undefined;
}

// ---------------------------------------------------------------- values in sentences

/** Not inside a word or a number. */
const START = String.raw`(?<![\p{L}\p{N}.,])`;
const END = String.raw`(?![\p{L}\p{N}])`;
const DIGITS = String.raw`\d+(?:[ .]\d{3})*(?:[.,]\d+)?`;
/** Cardinal number words, Latvian (folded) and English, "one" excepted (it is also "a"). */
const NUMBER_WORD = String.raw`(?:(?:div|tri|cetr|piec|ses|septin|aston|devin)(?:padsmit|desmit)\p{L}*|div(?:i|as|u|iem|am|os|im)|tri(?:s|ju|jiem|jam|jos|jas)|cetr(?:i|as|u|iem|am|os)|piec(?:i|as|u|iem|am|os)|ses(?:i|as|u|iem|am|os)|septin(?:i|as|u|iem|am|os)|aston(?:i|as|u|iem|am|os)|devin(?:i|as|u|iem|am|os)|desmit\p{L}*|vienpadsmit\p{L}*|simt\p{L}*|tukst\p{L}*|miljon\p{L}*|duc\p{L}*|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|fifty|hundred|thousand|million)`;
const ONE = "(?:vien(?:s|a|u|am|ai|os|as)|one)";
const QUANTITY = `(?:${DIGITS}|${NUMBER_WORD}|${ONE})`;
const SCALE = String.raw`(?:\s+(?:${NUMBER_WORD}|milj\.?|mlj\.?|tukst\.?|mljrd\.?|mlrd\.?))*`;

const CURRENCY = String.raw`(?:eiro|euro|eur|latu|lati|latiem|usd|dolar\p{L}*)`;
const MONEY = new RegExp(
  String.raw`${START}${QUANTITY}${SCALE}\s*(?:${CURRENCY}${END}|€)|(?:€|${START}eur)\s*\d|${START}(?:bez\s+maksas|bezmaksas|free\s+of\s+charge)${END}`,
  "u",
);
const PERCENT = new RegExp(
  String.raw`${START}${QUANTITY}\s*(?:%|procent\p{L}*|percent\p{L}*)|${START}(?:puse|pusi|puses|pusei|tresdal\p{L}*|ceturtdal\p{L}*|piektdal\p{L}*|desmitdal\p{L}*|half|third|quarter)${END}`,
  "u",
);
const MONTH = String.raw`(?:janvar|februar|mart|april|maij|junij|julij|august|septembr|oktobr|novembr|decembr|january|february|march|june|july|september|october|november|december)\p{L}*`;
/** A year: 19xx or 20xx, not an amount ("2000 euro") and not part of a longer number. */
const YEAR = String.raw`${START}(?:19|20)\d\d(?![\p{N}]|[.,]\d|\s*(?:${CURRENCY}|€|%|procent))`;
const DATE = new RegExp(
  String.raw`${YEAR}|${START}\d{1,2}\.\s*${MONTH}|${START}${MONTH}${END}|${START}(?:pavasari|vasara|rudeni|ziema|spring|summer|autumn|winter)${END}|${START}\d{1,2}\.\d{1,2}\.\d{2,4}${END}`,
  "u",
);
const TIME_UNIT = `(?:(?:darb)?dien(?:a|as|u|ai|am|os|iem|i)?|nedel(?:a|as|u|ai|am|os|iem|i)?|menes(?:is|i|a|u|im|os|iem)?|gad(?:s|a|u|i|am|os|iem)?|stund(?:a|as|u|ai|am|os|iem)?|minut(?:e|es|u|em|ei)?|days?|weeks?|months?|years?|hours?)${END}`;
const DURATION = new RegExp(
  String.raw`${START}(?:\d+(?:[.,]\d+)?(?![\p{N}]|\.\s*\p{L})|${NUMBER_WORD}|${ONE}|pusotr\p{L}*)\s+(?:\p{L}+\s+)?${TIME_UNIT}|${START}(?:pusgad|pusmenes|pusstund)\p{L}*|${START}(?:menesa|gada|nedelas|dienas|dienu|darbdienu)\s+laika${END}|${START}within\s+(?:a|one)\s+(?:day|week|month|year)`,
  "u",
);
const FREQUENCY = new RegExp(
  String.raw`${START}(?:reizi|reizes|katru|katra|ik|ikgad\p{L}*|ikmenes\p{L}*|regular\p{L}*|every|annually|monthly|weekly|once|twice)${END}`,
  "u",
);
/** A figure written in digits that is not a year, an ordinal or a section number ("15. kārta", "6.3."). */
const DIGIT_FIGURE = new RegExp(
  String.raw`${START}(?!(?:19|20)\d\d(?![\p{N}]|[.,]\d|\s*(?:${CURRENCY}|€|%|procent)))\d+(?:[ .]\d{3})*(?:,\d+)?(?![\p{N}]|[.,]\d|\.\s*\p{L}|\.\s*\))`,
  "u",
);
const WORD_FIGURE = new RegExp(`${START}${NUMBER_WORD}${END}`, "u");
const WIN = new RegExp(
  String.raw`${START}(?:uzvar(?:eja|ejis|ejusi|ejusas|ejusie|eti|etaj\p{L}*|es)|laureat\p{L}*|ieguv\p{L}*\s+(?:\p{L}+\s+)?balv\p{L}*|won|winners?)${END}`,
  "u",
);

/** An e-mail address (the pattern's source: the English opener names the addresses it finds). */
export const EMAIL_SOURCE = String.raw`[\p{L}\p{N}_.%+-]+@[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)*\.\p{L}{2,}`;
const EMAIL = new RegExp(EMAIL_SOURCE, "u");
/** A Latvian phone number (eight digits, maybe grouped, maybe +371) said to be one. */
const PHONE = new RegExp(
  String.raw`(?:talr\p{L}*|tel\.|telefon\p{L}*|phone|zvan\p{L}*|\+371)[^.!?]{0,40}?(?:\+?371[\s-]?)?${START}[2-9]\d(?:[\s-]?\d){6}(?![\p{N}])`,
  "u",
);
/** A street address: a street and its number, or a postcode. */
const ADDRESS = new RegExp(
  String.raw`${START}(?:iela|iel\.|bulvaris|bulvari|prospekts|prospekta|street|avenue)\s+\d+|${START}lv-\d{4}${END}`,
  "u",
);

/**
 * A point in time: a year, a day of a month, or both ("2022. gada 26. septembrī"). Two of them in
 * one sentence ("no 2015. līdz 2022. gadam", "iesniegts 16. augustā, lēmums 26. septembrī")
 * give a span, which answers "how long".
 */
const TIME_POINT = new RegExp(
  String.raw`${YEAR}(?:\.?\s*gad\p{L}*\s+\d{1,2}\.\s*${MONTH})?|${START}\d{1,2}\.\s*${MONTH}`,
  "gu",
);

function hasTimeSpan(s: string): boolean {
  return (s.match(TIME_POINT)?.length ?? 0) >= 2;
}

/**
 * Cheap tests that a value pattern may match at all (the patterns themselves, with their
 * look-behinds and number words, are slow to run over every sentence).
 */
const MAY_HAVE_NUMBER =
  /\d|div|tri|cetr|piec|ses|septin|aston|devin|desmit|simt|tukst|milj|duc|vien|pus|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|fifty|hundred|thousand|million|one|within/;
const MAY_HAVE: Record<AnswerType, RegExp> = {
  money: /eir|eur|€|lat|usd|dolar|maks|free/,
  percent: /%|procent|percent|pus|dal|half|third|quarter/,
  amount: /\d/,
  count: MAY_HAVE_NUMBER,
  duration: new RegExp(`${MAY_HAVE_NUMBER.source}|laika`),
  date: /\d|janvar|februar|mart|april|maij|junij|julij|august|septembr|oktobr|novembr|decembr|january|february|march|june|july|september|october|november|december|pavasari|vasara|rudeni|ziema|spring|summer|autumn|winter|laika|within/,
  frequency: /reiz|katr|ik|regular|every|annual|monthly|weekly|once|twice|\d/,
  winner: /uzvar|laureat|balv|won|winner/,
  phone: /\d/,
  email: /@/,
  address: /iel|bulvar|prospekt|lv-|street|avenue/,
  contact: /@|\d/,
};

const IS: Record<AnswerType, (s: string) => boolean> = {
  money: (s) => MONEY.test(s),
  percent: (s) => PERCENT.test(s),
  amount: (s) => MONEY.test(s) || PERCENT.test(s) || DIGIT_FIGURE.test(s),
  count: (s) => DIGIT_FIGURE.test(s) || WORD_FIGURE.test(s) || PERCENT.test(s) || MONEY.test(s),
  duration: (s) => DURATION.test(s) || hasTimeSpan(s),
  date: (s) => DATE.test(s) || DURATION.test(s) || hasTimeSpan(s),
  frequency: (s) => FREQUENCY.test(s) || DURATION.test(s) || hasTimeSpan(s),
  winner: (s) => WIN.test(s),
  phone: (s) => PHONE.test(s),
  email: (s) => EMAIL.test(s),
  address: (s) => ADDRESS.test(s),
  contact: (s) => PHONE.test(s) || EMAIL.test(s),
};

function holds(type: AnswerType, folded: string): boolean {
  return MAY_HAVE[type].test(folded) && IS[type](folded);
}

/**
 * Which kinds of value a piece of text contains; words whose token is in `given` (the question's
 * own words) do not count as values.
 */
export function valuesIn(text: string, given?: ReadonlySet<string>): Set<AnswerType> {
  const s = given?.size ? maskGiven(fold(text), given) : fold(text);
  return new Set(
    (Object.keys(IS) as AnswerType[]).filter((type) => !CONTACT_TYPES.has(type) && holds(type, s)),
  );
}

/**
 * Whether the text contains a value of the type ("2800 euro" for `money`, "2018. gadā" for
 * `date`); words whose token is in `given` (the question's own words) do not count.
 */
export function hasValueOf(type: AnswerType, text: string, given?: ReadonlySet<string>): boolean {
  const folded = fold(text);
  if (!holds(type, folded)) return false;
  // Masking analyses every word: only worth it when there is a value to begin with.
  return !given?.size || holds(type, maskGiven(folded, given));
}

/**
 * Blanks out the words and numbers whose analysed token is among `given` (the question's own
 * words): a value the question already states ("… 2023. gadā?", "… vairāk par 10 darbiniekiem")
 * is a condition of the question, not its answer.
 */
function maskGiven(folded: string, given: ReadonlySet<string>): string {
  return folded.replace(/[\p{L}\p{N}]+(?:[.,]\d+)*/gu, (word) =>
    given.has(tokenOf(word)) ? "_" : word,
  );
}

/** Analysed tokens of single words, remembered (sentences repeat the same words). */
const wordTokens = new Map<string, string>();

function tokenOf(word: string): string {
  let token = wordTokens.get(word);
  if (token === undefined) {
    if (wordTokens.size >= 20_000) wordTokens.clear();
    token = analyzeWord(word);
    wordTokens.set(word, token);
  }
  return token;
}

// ---------------------------------------------------------------- topic coverage

/**
 * Analysed tokens of the words that make a question a value question ("cik", "maksā", "apjoms",
 * "procentu", "ilgi" …): they say what kind of value is wanted, not what it is about, so they do
 * not count as the question's topic.
 */
export const VALUE_CUE_TOKENS: ReadonlySet<string> = new Set(
  analyze(
    [
      "cik daudz liels liela lieli lielas lielu lielus lielā augsts augsta zems ilgi ilgs ilga ilgā ilgu laikā laiks bieži",
      "maksā maksa maksu izmaksā izmaksas dārgi lēti eiro euro eur naudas procentu procenti procentiem procentos procentuāli daļa daļu",
      "summa summu apjoms apjomu apmērs apmērā likme likmi limits limitu slieksnis griesti cena cenu",
      "maksimālais maksimālā maksimālo minimālais minimālā minimālo vidējais vidējā skaits skaitu ilgums termiņš termiņu",
      "datums datumu datumā gads gadā gadu gadi mēnesis mēnesī mēneši mēnešu nedēļa nedēļu diena dienas dienu",
      "uzvarēja uzvarētājs uzvarēt",
      "telefons telefona telefonu tālrunis tālruņa tālruni numurs numuru e-pasts e-pasta e-pastu adrese adresi",
      "phone number email e-mail address",
    ].join(" "),
  ),
);

/** A line that starts with a web address: an entry of a list of sources. */
const SOURCE_LINE = /^\W*(?:https?:\/\/|www\.)/i;

/** Input of {@link findTypedAnswer}. */
export interface TypedAnswerInput {
  type: AnswerType;
  /** Analysed question tokens (value cue words among them are left out of the topic). */
  tokens: readonly string[];
  /** Tokens that were guessed: half credit, as in the relevance score. */
  approximate?: readonly string[];
  /** Words nobody could translate: they count against coverage at half weight. */
  unknown?: readonly string[];
  /** Weight of a token (its capped IDF). */
  weight: (token: string) => number;
  /** Passages to search, best first. */
  passages: readonly { text: string; section?: string }[];
  /**
   * Credit of a topic word found only in the sentence before (which often names what an
   * elliptic or anaphoric sentence is about: "Tajā 34 projekti …"). Default 0.75.
   */
  previousCredit?: number;
  /** Credit of a topic word found only in the sentence after. Default 0.25. */
  nextCredit?: number;
  /** Credit of a topic word found only in the passage's section heading. Default 0.5. */
  sectionCredit?: number;
}

/** The best sentence holding a value of the asked-for type. */
export interface TypedAnswer {
  /** Index into the passages given. */
  passage: number;
  /** Position of the sentence in its passage ({@link splitSentences} order). */
  position: number;
  text: string;
  /** IDF-weighted share of the question's topic words found around the value, in [0, 1]. */
  coverage: number;
}

/** The question's topic words (value cue words left out) with their weights. */
export function topicWeights(
  input: Pick<TypedAnswerInput, "tokens" | "approximate" | "weight">,
): Map<string, number> {
  const approximate = new Set(input.approximate ?? []);
  const topic = new Map<string, number>();
  for (const t of new Set(input.tokens)) {
    if (VALUE_CUE_TOKENS.has(t)) continue;
    topic.set(t, input.weight(t) * (approximate.has(t) ? 0.5 : 1));
  }
  return topic;
}

/**
 * Finds the sentence of the passages that holds a value of the asked-for type and best covers
 * the question's topic words (IDF-weighted; words in the sentence count fully, words only in
 * the sentence before or after it or in the section heading at a discount). `undefined` when no
 * sentence holds such a value.
 */
export function findTypedAnswer(input: TypedAnswerInput): TypedAnswer | undefined {
  const previousCredit = input.previousCredit ?? 0.75;
  const nextCredit = input.nextCredit ?? 0.25;
  const sectionCredit = input.sectionCredit ?? 0.5;
  const topic = topicWeights(input);
  const years = [...topic.keys()].filter((t) => /^(?:19|20)\d\d$/.test(t));
  const given = new Set(topic.keys());
  const missing = (input.unknown ?? []).reduce((a, t) => a + 0.5 * input.weight(t), 0);
  const total = [...topic.values()].reduce((a, b) => a + b, 0) + missing;
  let best: TypedAnswer | undefined;
  input.passages.forEach((p, passage) => {
    const sentences = splitSentences(p.text);
    const analysed: (Set<string> | undefined)[] = [];
    const tokens = (i: number): Set<string> | undefined => {
      const text = sentences[i];
      if (text === undefined) return undefined;
      analysed[i] ??= new Set(analyze(text));
      return analysed[i];
    };
    let headingTokens: Set<string> | undefined;
    sentences.forEach((text, position) => {
      // A line of a source list ("https://… – what the site covers") names a topic, not a fact.
      if (SOURCE_LINE.test(text) || !hasValueOf(input.type, text, given)) return;
      const own = tokens(position) as Set<string>;
      const before = tokens(position - 1);
      const after = tokens(position + 1);
      headingTokens ??= new Set(analyze(p.section ?? ""));
      const heading = headingTokens;
      const near = [before, after].filter((x): x is Set<string> => x !== undefined);
      // A year the question names must be around the value: "… 2026. gadā?" is not answered
      // by a figure for another year.
      if (years.some((y) => !own.has(y) && !near.some((n) => n.has(y)) && !heading.has(y))) return;
      // A question just before the sentence (an FAQ entry) names what the sentence answers.
      const asked = sentences[position - 1]?.trim().endsWith("?") ? before : undefined;
      let covered = 0;
      for (const [t, w] of topic) {
        const credit = Math.max(
          matchCredit(t, own),
          asked ? matchCredit(t, asked) : 0,
          before ? previousCredit * matchCredit(t, before) : 0,
          after ? nextCredit * matchCredit(t, after) : 0,
          sectionCredit * matchCredit(t, heading),
        );
        covered += credit * w;
      }
      const coverage = total > 0 ? covered / total : 1;
      if (!best || coverage > best.coverage) best = { passage, position, text, coverage };
    });
  });
  return best;
}

/**
 * 1 when the token is among the tokens; 0.75 when a derived form is (one token a prefix of the
 * other, both at least 5 letters: "registret" and "registr", verb and noun of one stem); else 0.
 */
function matchCredit(token: string, tokens: ReadonlySet<string>): number {
  if (tokens.has(token)) return 1;
  if (token.length < 5 || /\d/.test(token)) return 0;
  for (const t of tokens) {
    if (t.length < 5) continue;
    if (t.startsWith(token) || token.startsWith(t)) return 0.75;
  }
  return 0;
}

/**
 * Whether the passages answer a value question: some sentence holds a value of the type and,
 * with its neighbours, covers at least `minCoverage` of the question's weighted topic words.
 */
export function hasTypedAnswer(input: TypedAnswerInput, minCoverage: number): boolean {
  const found = findTypedAnswer(input);
  return found !== undefined && found.coverage >= minCoverage;
}
