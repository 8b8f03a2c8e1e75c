/**
 * Every text the bot shows, in Latvian (default) and English. Pure data and small pure functions;
 * HTML in these strings is Telegram HTML and every interpolated value is escaped by the caller's
 * helpers (`esc`).
 */
import { escapeHtml } from "../html.js";

/** Languages the bot speaks. */
export type Lang = "lv" | "en";

/** Picks the user's language from Telegram's `language_code`: English for `en*`, else Latvian. */
export function langFromCode(code: string | undefined): Lang {
  return code?.toLowerCase().startsWith("en") ? "en" : "lv";
}

const esc = escapeHtml;

const lvPlural = new Intl.PluralRules("lv");

/** Latvian noun form after a number: singular for 1, 21, 31 … (not 11), plural otherwise. */
function lvCount(n: number, one: string, many: string): string {
  return `${n} ${lvPlural.select(n) === "one" ? one : many}`;
}

/** Kinds of non-question input the bot answers with a kind explanation. */
export type UnhandledKind =
  | "voice"
  | "photo"
  | "video"
  | "sticker"
  | "document"
  | "location"
  | "contact"
  | "poll"
  | "dice"
  | "forward"
  | "edited"
  | "emoji"
  | "command"
  | "other";

/** The shape of one language's texts. */
export interface Strings {
  commands: Record<"start" | "help" | "lectures" | "ask" | "new" | "about", string>;
  startIntro: string;
  startOutro: string;
  examplesPrompt: string;
  examples: readonly [string, string, string];
  help: (botUsername: string) => string;
  about: (retentionDays: number) => string;
  newConversation: string;
  askEmpty: string;
  mentionEmpty: (botUsername: string) => string;
  tooLong: (length: number, max: number) => string;
  unhandled: Record<UnhandledKind, string>;
  whatICanDo: string;
  greeting: string;
  thanks: string;
  apology: string;
  rateLimited: (perMinute: number) => string;
  groupIntro: (botUsername: string) => string;
  buttons: {
    sources: string;
    related: string;
    watch: string;
    openBot: string;
    /** An approved answer offered by its question (see `Answer.offer`); `question` is cut short. */
    offer: (question: string) => string;
  };
  /** Above an offered approved answer, opened: the question it answers (HTML-escaped). */
  offerOpened: (question: string) => string;
  /** An offered approved answer that was deleted since. */
  offerGone: string;
  feedbackUp: string;
  feedbackDown: string;
  feedbackAlready: string;
  interactionGone: string;
  buttonExpired: string;
  sourcesHeader: string;
  quotesHeader: string;
  handbook: string;
  faqSource: string;
  /** Page or page range by number or printed label ("8", "viii"). */
  quote: (text: string) => string;
  fallbackNote: string;
  faqLabel: (date: string) => string;
  noMatch: string;
  badInput: string;
  relatedHeader: string;
  tryRephrase: string;
  lecturesHeader: string;
  lecturesEmpty: string;
  lectureUnknown: string;
  keyMoments: string;
  topics: string;
  watchVideo: string;
  watchFrom: (time: string) => string;
  noVideoUrl: string;
  duration: (hours: number, minutes: number) => string;
  date: (iso: string) => string;
  inline: {
    hintTitle: string;
    hintDescription: string;
    hintMessage: (botUsername: string) => string;
    privateButton: string;
    declinedTitle: string;
    errorTitle: string;
    errorDescription: string;
    rateLimitedTitle: string;
  };
  coordinators: CoordinatorStrings;
}

/** Texts of the coordinators' features: hand-off, replies, approved answers, reports, /forget. */
export interface CoordinatorStrings {
  /** Under declined answers (groups) and after 👎. */
  askButton: string;
  saveFaqButton: string;
  /** To the user after a hand-off. */
  handedOff: string;
  handoffAlready: string;
  handoffNotYours: string;
  handoffFailed: string;
  /** Callback answer to 👎 when "Ask a coordinator" was added under the answer. */
  feedbackDownOffer: string;
  /** Header of a coordinator's answer delivered to the user. */
  answerHeader: (coordinatorName: string) => string;
  yourQuestion: (question: string) => string;
  restarted: (question: string) => string;
  forgetDone: (counts: { interactions: number; feedback: number; handoffs: number }) => string;
  forgetNothing: string;
  notAllowed: string;
  adminOnlyHere: string;
  featureOff: string;
  /** The hand-off message in the coordinators' chat (values already escaped). */
  post: {
    title: (id: number) => string;
    from: (name: string, where: string) => string;
    privateChat: string;
    groupChat: (title: string) => string;
    declined: string;
    requested: string;
    draft: string;
    noDraft: string;
    sources: string;
    hint: (name: string) => string;
    /** The closest approved answer, suggested under the question (`question`, `answer`: HTML). */
    suggestion: (id: number, question: string, answer: string) => string;
  };
  /** The button under a hand-off post that answers with the suggested approved answer. */
  answerWithFaqButton: (id: number) => string;
  /** Sent with the approved answer; the question is attached to the entry as another wording. */
  answeredWithFaq: (id: number, attached: boolean) => string;
  delivered: (coordinatorName: string, time: string) => string;
  undelivered: (reason: string) => string;
  blocked: string;
  alsoAnswered: (count: number) => string;
  textOnly: string;
  unknownHandoff: string;
  /** A reply, in the coordinators' chat, to a bot message that is not a hand-off. */
  notAHandoff: string;
  faqSaved: (id: number) => string;
  faqAlready: (id: number) => string;
  replyGone: string;
  faq: {
    usage: string;
    empty: string;
    listHeader: (count: number) => string;
    entry: (id: number, date: string, question: string, answer: string, by?: string) => string;
    notFound: (id: string) => string;
    edited: (id: number) => string;
    deleted: (id: number) => string;
    /** `/faq show`: the other wordings, numbered (each HTML). */
    wordings: (wordings: readonly string[]) => string;
    wordingAdded: (id: number) => string;
    wordingAlready: (id: number) => string;
    wordingsFull: (id: number, max: number) => string;
    wordingRemoved: (id: number) => string;
    wordingNotFound: (id: number, n: string) => string;
  };
  reportFailed: string;
  reportChartCaption: string;
  /** `/chatid`: the ids needed for COORDINATOR_CHAT_ID and ADMIN_USER_IDS. */
  chatIds: (chatId: number, userId: number) => string;
}

const lvCoordinators: CoordinatorStrings = {
  askButton: "🙋 Jautāt koordinatoram",
  saveFaqButton: "💾 Saglabāt kā BUJ",
  handedOff:
    "🙋 Nodevu jūsu jautājumu Padoma koordinatoriem. Kad kāds no viņiem atbildēs, atbilde atnāks šeit.",
  handoffAlready: "Šis jautājums jau ir nodots koordinatoriem.",
  handoffNotYours: "Koordinatoriem var nodot tikai savu jautājumu.",
  handoffFailed: "Neizdevās sazināties ar koordinatoriem. Lūdzu, pamēģiniet vēlāk.",
  feedbackDownOffer:
    "Paldies, ka pateicāt! Ja vēlaties, lai atbild cilvēks, nospiediet «🙋 Jautāt koordinatoram».",
  answerHeader: (name) => `💬 <b>Padoma koordinatora atbilde</b> (${esc(name)})`,
  yourQuestion: (q) => `<i>Jūsu jautājums: «${esc(q)}»</i>`,
  restarted: (q) =>
    `😔 Atvainojiet, es tiku restartēts, kamēr gatavoju atbildi uz jūsu jautājumu «${esc(q)}». Lūdzu, uzdodiet to vēlreiz.`,
  forgetDone: (c) =>
    "🗑️ Dzēsu visu, ko Padoms par jums glabāja. " +
    `Jautājumi: ${c.interactions}, vērtējumi: ${c.feedback}, koordinatoriem nodotie jautājumi: ${c.handoffs}.`,
  forgetNothing: "🗑️ Padoms par jums neko neglabā — nav ko dzēst.",
  notAllowed: "🔒 Atvainojiet, šī komanda pieejama tikai Padoma administratoriem.",
  adminOnlyHere: "Šo komandu izmantojiet koordinatoru čatā vai privātā sarunā ar mani.",
  featureOff:
    "Koordinatoru funkcijas nav ieslēgtas: iestatiet COORDINATOR_CHAT_ID un ADMIN_USER_IDS (sk. docs/coordinators.md).",
  post: {
    title: (id) => `🙋 <b>Jautājums koordinatoriem</b> #${id}`,
    from: (name, where) => `No: <b>${name}</b> · ${where}`,
    privateChat: "privāta saruna",
    groupChat: (title) => `grupa «${title}»`,
    declined: "Padoms atbildi materiālos neatrada.",
    requested: "Lietotājs lūdz koordinatora atbildi.",
    draft: "🤖 <b>Padoma atbilde</b>",
    noDraft: "— (atbilde netika dota)",
    sources: "📚 <b>Avoti</b>",
    hint: (name) => `↩️ <i>Atbildiet uz šo ziņu (Reply) — atbildi nosūtīšu lietotājam ${name}.</i>`,
    suggestion: (id, q, a) =>
      `💡 <b>Tuvākā apstiprinātā atbilde #${id}</b> (vai jautājums ir tas pats?)\n❓ ${q}\n<blockquote>${a}</blockquote>`,
  },
  answerWithFaqButton: (id) => `✅ Atbildēt ar #${id}`,
  answeredWithFaq: (id, attached) =>
    attached
      ? `Nosūtīta apstiprinātā atbilde #${id}. Jautājums pievienots tai kā cits formulējums: tieši tādu pašu jautājumu turpmāk atbildēs uzreiz. Atvienot: /faq show ${id}`
      : `Nosūtīta apstiprinātā atbilde #${id}.`,
  delivered: (name, time) => `✅ Atbilde nosūtīta lietotājam (atbildēja ${esc(name)}, ${time}).`,
  undelivered: (reason) =>
    `⚠️ Atbildi neizdevās nosūtīt (${esc(reason)}). Tā saglabāta kā nenosūtīta.`,
  blocked:
    "⚠️ Atbildi nevarēja nosūtīt: lietotājs ir bloķējis Padomu vai dzēsis sarunu. Atbilde saglabāta kā nenosūtīta.",
  alsoAnswered: (n) => `ℹ️ Uz šo jautājumu jau atbildēts (${n}). Arī šī atbilde tiek nosūtīta.`,
  textOnly: "Lietotājam varu nosūtīt tikai teksta atbildi.",
  unknownHandoff: "Šo jautājumu vairs neatrodu (iespējams, dati jau dzēsti).",
  notAHandoff:
    "Šī ziņa nav lietotāja jautājums, tāpēc atbildi nevienam nenosūtu. Lai atbildētu lietotājam, atbildiet uz ziņu ar jautājumu (🙋). Lai pats jautātu Padomam: /ask jautājums.",
  faqSaved: (id) =>
    `💾 Saglabāts kā apstiprināta atbilde #${id}. Labot: /faq edit ${id} jaunais teksts`,
  faqAlready: (id) => `Šī atbilde jau ir saglabāta (#${id}).`,
  replyGone: "Šī atbilde vairs nav atrodama.",
  faq: {
    usage:
      "<b>Apstiprinātās atbildes (BUJ)</b>\n" +
      "/faq — saraksts\n" +
      "/faq show ID — viena atbilde\n" +
      "/faq edit ID jaunais atbildes teksts\n" +
      "/faq question ID jaunais jautājuma teksts\n" +
      "/faq delete ID — dzēst\n" +
      "/faq alias ID cits jautājuma formulējums — tas pats jautājums citiem vārdiem\n" +
      "/faq unalias ID NR — atvienot formulējumu\n" +
      "Eksports un imports: <code>padoms faq export|import FAILS</code>",
    empty:
      "Apstiprināto atbilžu vēl nav. Saglabājiet koordinatora atbildi ar pogu «💾 Saglabāt kā BUJ».",
    listHeader: (n) => `<b>Apstiprinātās atbildes</b> (${n})`,
    entry: (id, date, q, a, by) =>
      `<b>#${id}</b> · ${date}${by ? ` · ${esc(by)}` : ""}
❓ ${esc(q)}
💬 ${esc(a)}`,
    notFound: (id) => `Apstiprinātā atbilde #${esc(id)} nav atrasta. Saraksts: /faq`,
    edited: (id) => `✏️ Atbilde #${id} labota.`,
    deleted: (id) => `🗑️ Atbilde #${id} dzēsta.`,
    wordings: (ws) => `🔁 Citi formulējumi:\n${ws.map((w, i) => `${i + 1}. ${w}`).join("\n")}`,
    wordingAdded: (id) => `🔁 Formulējums pievienots atbildei #${id}.`,
    wordingAlready: (id) => `Atbildei #${id} šāds formulējums jau ir.`,
    wordingsFull: (id, max) =>
      `Atbildei #${id} jau ir ${max} formulējumi. Vispirms atvienojiet kādu: /faq unalias ${id} NR`,
    wordingRemoved: (id) => `🔁 Formulējums atvienots no atbildes #${id}.`,
    wordingNotFound: (id, n) =>
      `Atbildei #${id} nav formulējuma nr. ${esc(n)}. Formulējumi: /faq show ${id}`,
  },
  reportFailed: "😔 Pārskatu neizdevās sagatavot. Lūdzu, pamēģiniet vēlāk.",
  reportChartCaption: "Jautājumi pa dienām",
  chatIds: (chatId, userId) =>
    `🆔 Šī čata ID: <code>${chatId}</code>\nJūsu lietotāja ID: <code>${userId}</code>\n\n` +
    "Koordinatoru čatam iestatiet COORDINATOR_CHAT_ID uz čata ID, administratoriem — ADMIN_USER_IDS uz lietotāju ID (sk. docs/coordinators.md).",
};

const enCoordinators: CoordinatorStrings = {
  askButton: "🙋 Ask a coordinator",
  saveFaqButton: "💾 Save as FAQ",
  handedOff:
    "🙋 I've passed your question to the Padoms coordinators. When one of them answers, the answer will arrive here.",
  handoffAlready: "This question has already been passed to the coordinators.",
  handoffNotYours: "Only the person who asked can pass a question to the coordinators.",
  handoffFailed: "I couldn't reach the coordinators. Please try again later.",
  feedbackDownOffer:
    "Thanks for telling me! If you'd like a person to answer, press “🙋 Ask a coordinator”.",
  answerHeader: (name) => `💬 <b>Answer from a Padoms coordinator</b> (${esc(name)})`,
  yourQuestion: (q) => `<i>Your question: “${esc(q)}”</i>`,
  restarted: (q) =>
    `😔 Sorry, I was restarted while preparing the answer to your question “${esc(q)}”. Please ask it again.`,
  forgetDone: (c) =>
    "🗑️ I deleted everything Padoms stored about you. " +
    `Questions: ${c.interactions}, ratings: ${c.feedback}, questions passed to coordinators: ${c.handoffs}.`,
  forgetNothing: "🗑️ Padoms stores nothing about you — there is nothing to delete.",
  notAllowed: "🔒 Sorry, this command is only for Padoms administrators.",
  adminOnlyHere: "Use this command in the coordinators' chat or in a private chat with me.",
  featureOff:
    "The coordinators' features are off: set COORDINATOR_CHAT_ID and ADMIN_USER_IDS (see docs/coordinators.md).",
  post: {
    title: (id) => `🙋 <b>Question for the coordinators</b> #${id}`,
    from: (name, where) => `From: <b>${name}</b> · ${where}`,
    privateChat: "private chat",
    groupChat: (title) => `group “${title}”`,
    declined: "Padoms found no answer in the materials.",
    requested: "The user asks for a coordinator's answer.",
    draft: "🤖 <b>Padoms' answer</b>",
    noDraft: "— (no answer given)",
    sources: "📚 <b>Sources</b>",
    hint: (name) => `↩️ <i>Reply to this message — I'll send your reply to ${name}.</i>`,
    suggestion: (id, q, a) =>
      `💡 <b>Closest approved answer #${id}</b> (is it the same question?)\n❓ ${q}\n<blockquote>${a}</blockquote>`,
  },
  answerWithFaqButton: (id) => `✅ Answer with #${id}`,
  answeredWithFaq: (id, attached) =>
    attached
      ? `Approved answer #${id} sent. The question is attached to it as another wording: the same question will be answered at once from now on. To detach: /faq show ${id}`
      : `Approved answer #${id} sent.`,
  delivered: (name, time) => `✅ Answer sent to the user (answered by ${esc(name)}, ${time}).`,
  undelivered: (reason) =>
    `⚠️ The answer could not be sent (${esc(reason)}). It is kept as undelivered.`,
  blocked:
    "⚠️ The answer could not be sent: the user has blocked Padoms or deleted the chat. It is kept as undelivered.",
  alsoAnswered: (n) => `ℹ️ This question already has ${n} answer(s). This one is sent as well.`,
  textOnly: "I can only send a text answer to the user.",
  unknownHandoff: "I can't find this question any more (its data may have been deleted).",
  notAHandoff:
    "This message is not a user's question, so your reply goes to no one. To answer a user, reply to the message with their question (🙋). To ask Padoms yourself: /ask question.",
  faqSaved: (id) => `💾 Saved as approved answer #${id}. To edit: /faq edit ${id} new text`,
  faqAlready: (id) => `This answer is already saved (#${id}).`,
  replyGone: "This answer can no longer be found.",
  faq: {
    usage:
      "<b>Approved answers (FAQ)</b>\n" +
      "/faq — list\n" +
      "/faq show ID — one answer\n" +
      "/faq edit ID new answer text\n" +
      "/faq question ID new question text\n" +
      "/faq delete ID — delete\n" +
      "/faq alias ID another wording of the question — the same question in other words\n" +
      "/faq unalias ID N — detach a wording\n" +
      "Export and import: <code>padoms faq export|import FILE</code>",
    empty: "No approved answers yet. Save a coordinator's answer with “💾 Save as FAQ”.",
    listHeader: (n) => `<b>Approved answers</b> (${n})`,
    entry: (id, date, q, a, by) =>
      `<b>#${id}</b> · ${date}${by ? ` · ${esc(by)}` : ""}
❓ ${esc(q)}
💬 ${esc(a)}`,
    notFound: (id) => `Approved answer #${esc(id)} not found. List: /faq`,
    edited: (id) => `✏️ Answer #${id} updated.`,
    deleted: (id) => `🗑️ Answer #${id} deleted.`,
    wordings: (ws) => `🔁 Other wordings:\n${ws.map((w, i) => `${i + 1}. ${w}`).join("\n")}`,
    wordingAdded: (id) => `🔁 Wording attached to answer #${id}.`,
    wordingAlready: (id) => `Answer #${id} already has this wording.`,
    wordingsFull: (id, max) =>
      `Answer #${id} already has ${max} wordings. Detach one first: /faq unalias ${id} N`,
    wordingRemoved: (id) => `🔁 Wording detached from answer #${id}.`,
    wordingNotFound: (id, n) =>
      `Answer #${id} has no wording no. ${esc(n)}. Wordings: /faq show ${id}`,
  },
  reportFailed: "😔 I couldn't prepare the report. Please try again later.",
  reportChartCaption: "Questions per day",
  chatIds: (chatId, userId) =>
    `🆔 This chat's id: <code>${chatId}</code>\nYour user id: <code>${userId}</code>\n\n` +
    "For the coordinators' chat set COORDINATOR_CHAT_ID to the chat id; for admins set ADMIN_USER_IDS to their user ids (see docs/coordinators.md).",
};

const lv: Strings = {
  commands: {
    start: "Sākums un jautājumu piemēri",
    help: "Kā lietot Padomu",
    lectures: "Video lekciju saraksts",
    ask: "Uzdot jautājumu (arī grupās)",
    new: "Sākt jaunu sarunu",
    about: "Par materiāliem un privātumu",
  },
  startIntro:
    "👋 Sveiki! Esmu <b>Padoms</b> — palīgs sociālās uzņēmējdarbības jautājumos Latvijā.\n\n" +
    "Atbildu par sociālā uzņēmuma dibināšanu un vadīšanu: statusu, likumu, nodokļu atvieglojumiem, " +
    "finansējumu, LEADER projektiem un ikdienas darbu. Katrai atbildei pievienoju avotus — " +
    "rokasgrāmatas lappusi un sadaļu vai lekcijas fragmentu ar laiku.\n\n" +
    "Rakstiet jautājumu saviem vārdiem — var arī bez garumzīmēm.",
  startOutro: "Video lekcijas: /lectures · Palīdzība: /help · Par Padomu: /about",
  examplesPrompt: "Vai izmēģiniet kādu no piemēriem:",
  examples: [
    "Kā iegūt sociālā uzņēmuma statusu?",
    "Kādi nodokļu atvieglojumi pienākas sociālajam uzņēmumam?",
    "Kur laukos meklēt finansējumu sociālajam uzņēmumam?",
  ],
  help: (bot) =>
    "<b>Kā lietot Padomu</b>\n\n" +
    "✍️ Uzrakstiet jautājumu parastā ziņā, piemēram: «Cik darbinieku jābūt no mērķa grupām?» " +
    "Garumzīmes nav obligātas.\n" +
    "🔁 Varat uzdot papildjautājumus — sarunas kontekstu atceros. Lai sāktu no jauna, rakstiet /new.\n" +
    "📚 Zem atbildes: 👍/👎 novērtē atbildi, «Avoti» parāda citētos fragmentus, " +
    "«Saistītā lekcija» atver lekciju īstajā brīdī.\n" +
    `👥 Grupā: pieminiet mani (@${esc(bot)} jautājums), atbildiet uz manu ziņu vai rakstiet /ask jautājums.\n` +
    `💬 Jebkurā sarunā: ierakstiet @${esc(bot)} un jautājumu, lai nosūtītu atbildi citiem.\n\n` +
    "<b>Komandas</b>\n" +
    "/start — sākums un jautājumu piemēri\n" +
    "/lectures — video lekciju saraksts\n" +
    "/ask — uzdot jautājumu (noder grupās)\n" +
    "/new — sākt jaunu sarunu\n" +
    "/about — par materiāliem un privātumu\n" +
    "/forget — dzēst visu, ko Padoms par jums glabā\n" +
    "/help — šī palīdzība",
  about: (days) =>
    "<b>Par Padomu</b>\n\n" +
    "Padoms atbild, balstoties uz rokasgrāmatu un video lekcijām par sociālo uzņēmējdarbību. " +
    "Pašlaik tie ir <b>parauga materiāli</b>: komanda tos uzrakstīja no publiski pieejamiem faktiem " +
    "(likumi, ministrijas un atbalsta programmu lapas), un tie aizstāj LEADER sadarbības projekta " +
    "«Veiksmīgs sociālais uzņēmējs lauku teritorijā» rokasgrāmatu un lekcijas. Lektori norādīti pēc lomas " +
    "(piemēram, «mentore»), nevis kā reālas personas.\n\n" +
    "Katrā atbildē ir avoti: rokasgrāmatas lappuse un sadaļa vai lekcija un laika posms. Padoms nav " +
    "juridiska konsultācija — svarīgus lēmumus pārbaudiet Labklājības ministrijā, Uzņēmumu reģistrā " +
    "vai pie savas vietējās rīcības grupas konsultanta.\n\n" +
    "<b>Privātums.</b> Lai uzlabotu atbildes, saglabājam jautājumus, atbildes un 👍/👎 vērtējumus. " +
    "Jūsu Telegram ID netiek glabāts — tikai no tā ar slepenu atslēgu aprēķināts pseidonīms; " +
    `ieraksti tiek dzēsti pēc ${lvCount(days, "dienas", "dienām")}. Lūdzu, nerakstiet jautājumos ` +
    "personas kodus, tālruņa numurus vai citus sensitīvus datus. Jautājumus, uz kuriem Padoms " +
    "neatrod atbildi, kopā ar jūsu vārdu var redzēt projekta koordinatori, lai atbildētu paši. " +
    "Visu, kas par jums saglabāts, varat dzēst ar /forget.",
  newConversation: "🧹 Sāksim no jauna! Iepriekšējo sarunu vairs neņemšu vērā.",
  askEmpty: "Uzrakstiet jautājumu aiz komandas, piemēram: /ask Kā iegūt sociālā uzņēmuma statusu?",
  mentionEmpty: (bot) =>
    `Esmu šeit! Uzrakstiet jautājumu aiz mana vārda, piemēram: @${bot} kā iegūt sociālā uzņēmuma statusu?`,
  tooLong: (length, max) =>
    `📏 Ziņa ir pārāk gara (${lvCount(length, "rakstzīme", "rakstzīmes")}). Lūdzu, uzdodiet īsāku jautājumu — līdz ${max} rakstzīmēm.`,
  unhandled: {
    voice: "🎙️ Balss un audio ziņas es vēl nesaprotu.",
    photo: "🖼️ Attēlus es vēl neredzu.",
    video: "🎞️ Video es vēl nevaru noskatīties.",
    sticker: "😊 Jauka uzlīme!",
    document: "📄 Failus es neatveru.",
    location: "📍 Paldies par atrašanās vietu, bet es atbildu tikai uz jautājumiem tekstā.",
    contact: "📇 Kontaktus es neizmantoju.",
    poll: "📊 Aptaujās es nepiedalos.",
    dice: "🎲 Spēlēt es nemāku.",
    forward: "↪️ Pārsūtītas ziņas es neapstrādāju — lūdzu, uzrakstiet jautājumu savā ziņā.",
    edited:
      "✏️ Redzu, ka labojāt ziņu. Labojumus es neapstrādāju — lūdzu, nosūtiet precizēto jautājumu kā jaunu ziņu.",
    emoji: "🙂 Šajā ziņā neatradu vārdu, uz ko atbildēt.",
    command: "🤔 Šādu komandu nezinu.",
    other: "🤔 Šādu ziņu es neprotu apstrādāt.",
  },
  whatICanDo:
    "Uzrakstiet jautājumu tekstā, piemēram: «Kā iegūt sociālā uzņēmuma statusu?» — un es atbildēšu " +
    "ar atsaucēm uz rokasgrāmatu un lekcijām. Palīdzība: /help",
  greeting:
    "Sveiki! 👋 Uzrakstiet savu jautājumu par sociālo uzņēmējdarbību, un es atbildēšu ar avotiem. " +
    "Piemērus redzēsiet /start.",
  thanks: "Lūdzu! Ja rodas vēl kāds jautājums, rakstiet. 🙂",
  apology: "😔 Atvainojiet, kaut kas nogāja greizi. Lūdzu, pamēģiniet vēlreiz pēc brīža.",
  rateLimited: (n) =>
    `⏳ Jūs rakstāt ļoti ātri. Lūdzu, pagaidiet minūti, tad varēsiet turpināt (ne vairāk kā ${lvCount(n, "ziņa", "ziņas")} minūtē).`,
  groupIntro: (bot) =>
    "👋 Paldies, ka pievienojāt! Esmu <b>Padoms</b> — atbildu uz jautājumiem par sociālo " +
    "uzņēmējdarbību Latvijā un norādu avotus.\n" +
    `Grupā rakstiet /ask jautājums, pieminiet mani (@${esc(bot)} …) vai atbildiet uz manu ziņu.`,
  buttons: {
    sources: "📚 Avoti",
    related: "🎬 Saistītā lekcija",
    watch: "▶️ Skatīties",
    openBot: "💬 Jautāt Padomam",
    offer: (q) => `📌 Koordinatori ir atbildējuši: ${q}`,
  },
  offerOpened: (q) => `📌 Koordinatoru atbilde uz jautājumu <i>${q}</i>`,
  offerGone: "Šī koordinatoru atbilde vairs nav pieejama.",
  feedbackUp: "Paldies! Prieks, ka noderēja.",
  feedbackDown: "Paldies, ka pateicāt — tas palīdzēs uzlabot atbildes.",
  feedbackAlready: "Jūsu vērtējums jau ir saglabāts.",
  interactionGone: "Šī atbilde vairs nav pieejama.",
  buttonExpired: "Šī poga vairs nedarbojas.",
  sourcesHeader: "📚 <b>Avoti</b>",
  quotesHeader: "📚 <b>Citētie fragmenti</b>",
  handbook: "Rokasgrāmata",
  faqSource: "Koordinatoru atbilde",
  quote: (text) => `«${text}»`,
  fallbackNote:
    "ℹ️ <i>AI modelis šobrīd nav pieejams, tāpēc atbilde salikta no materiālu fragmentiem.</i>",
  faqLabel: (date) => `✅ <i>Koordinatoru apstiprināta atbilde (${date})</i>`,
  noMatch: "🤷 Materiālos atbildi uz šo jautājumu neatradu.",
  badInput: "🤷 Nesapratu jautājumu. Lūdzu, uzrakstiet to pilnā teikumā.",
  relatedHeader: "Varbūt noderēs šīs lekcijas:",
  tryRephrase: "Pamēģiniet jautāt citiem vārdiem vai apskatiet lekciju sarakstu: /lectures",
  lecturesHeader:
    "🎬 <b>Video lekcijas</b>\nIzvēlieties lekciju, lai redzētu kopsavilkumu un galvenos brīžus.",
  lecturesEmpty: "Lekciju saraksts pagaidām ir tukšs.",
  lectureUnknown: "Šo lekciju vairs neatradu. Aktuālais saraksts: /lectures",
  keyMoments: "Galvenie brīži",
  topics: "Tēmas",
  watchVideo: "▶️ Skatīties video",
  watchFrom: (time) => `▶️ Skatīties no ${time}`,
  noVideoUrl: "Video saite pagaidām nav zināma.",
  duration: (h, m) => (h > 0 ? `${h} st. ${m} min` : `${m} min`),
  date: (iso) => {
    const [y, m, d] = iso.slice(0, 10).split("-");
    return y && m && d ? `${d}.${m}.${y}.` : iso;
  },
  inline: {
    hintTitle: "Uzrakstiet jautājumu…",
    hintDescription: "Piemēram: Kā iegūt sociālā uzņēmuma statusu?",
    hintMessage: (bot) =>
      "<b>Padoms</b> atbild uz jautājumiem par sociālo uzņēmējdarbību Latvijā un norāda avotus. " +
      `Pajautājiet jebkurā sarunā: @${esc(bot)} jūsu jautājums`,
    privateButton: "Jautāt Padomam privāti",
    declinedTitle: "Materiālos atbildi neatradu",
    errorTitle: "Šobrīd neizdevās atbildēt",
    errorDescription: "Pamēģiniet vēlreiz vai jautājiet privātā sarunā.",
    rateLimitedTitle: "Pārāk daudz jautājumu — pagaidiet minūti",
  },
  coordinators: lvCoordinators,
};

const en: Strings = {
  commands: {
    start: "Start and example questions",
    help: "How to use Padoms",
    lectures: "List of video lectures",
    ask: "Ask a question (also in groups)",
    new: "Start a new conversation",
    about: "About the materials and privacy",
  },
  startIntro:
    "👋 Hello! I'm <b>Padoms</b>, an assistant for social entrepreneurship in Latvia.\n\n" +
    "I answer questions about starting and running a social enterprise: the status, the law, tax " +
    "reliefs, funding, LEADER projects and everyday work. Every answer cites its sources — the " +
    "handbook page and section, or a lecture with the time.\n\n" +
    "Type your question in your own words.",
  startOutro: "Video lectures: /lectures · Help: /help · About: /about",
  examplesPrompt: "Or try one of these:",
  examples: [
    "How does a company get social enterprise status?",
    "Which tax reliefs can a social enterprise get?",
    "Where can a rural social enterprise find funding?",
  ],
  help: (bot) =>
    "<b>How to use Padoms</b>\n\n" +
    "✍️ Type your question as a normal message, e.g. “How many employees must come from target groups?”\n" +
    "🔁 Ask follow-up questions — I remember the conversation. To start over, send /new.\n" +
    "📚 Under an answer: 👍/👎 rate it, “Sources” shows the quoted passages, " +
    "“Related lecture” opens the lecture at the right moment.\n" +
    `👥 In a group: mention me (@${esc(bot)} question), reply to my message, or send /ask question.\n` +
    `💬 In any chat: type @${esc(bot)} and a question to share an answer.\n\n` +
    "<b>Commands</b>\n" +
    "/start — start and example questions\n" +
    "/lectures — list of video lectures\n" +
    "/ask — ask a question (handy in groups)\n" +
    "/new — start a new conversation\n" +
    "/about — about the materials and privacy\n" +
    "/forget — delete everything Padoms stores about you\n" +
    "/help — this help",
  about: (days) =>
    "<b>About Padoms</b>\n\n" +
    "Padoms answers from a handbook and video lectures on social entrepreneurship. For now these are " +
    "<b>sample materials</b>: the team wrote them from public facts (laws, pages of the ministry and of " +
    "support programmes), standing in for the handbook and lectures of the LEADER cooperation project " +
    "“Veiksmīgs sociālais uzņēmējs lauku teritorijā”. Lecturers are named by role, not as real people.\n\n" +
    "Every answer cites its sources: the handbook page and section, or the lecture and time range. " +
    "Padoms is not legal advice — check important decisions with the Ministry of Welfare, the " +
    "Enterprise Register or your local action group's consultant.\n\n" +
    "<b>Privacy.</b> To improve the answers we keep questions, answers and 👍/👎 ratings. Your " +
    "Telegram ID is not stored — only a pseudonym computed from it with a secret key; records are " +
    `deleted after ${days} day${days === 1 ? "" : "s"}. Please don't put personal codes, phone ` +
    "numbers or other sensitive data into questions. Questions Padoms cannot answer may be shown, " +
    "with your first name, to the project's coordinators so that they can answer them. To delete " +
    "everything stored about you, send /forget.",
  newConversation:
    "🧹 Let's start over! I'll no longer take the previous conversation into account.",
  askEmpty:
    "Type your question after the command, e.g. /ask How does a company get social enterprise status?",
  mentionEmpty: (bot) =>
    `I'm here! Type your question after my name, e.g. @${bot} how does a company get social enterprise status?`,
  tooLong: (length, max) =>
    `📏 That message is too long (${length} characters). Please ask a shorter question — up to ${max} characters.`,
  unhandled: {
    voice: "🎙️ I can't understand voice or audio messages yet.",
    photo: "🖼️ I can't see pictures yet.",
    video: "🎞️ I can't watch videos yet.",
    sticker: "😊 Nice sticker!",
    document: "📄 I don't open files.",
    location: "📍 Thanks for the location, but I only answer questions typed as text.",
    contact: "📇 I don't use contacts.",
    poll: "📊 I don't take part in polls.",
    dice: "🎲 I don't know how to play.",
    forward: "↪️ I don't process forwarded messages — please type the question yourself.",
    edited:
      "✏️ I see you edited a message. I don't process edits — please send the corrected question as a new message.",
    emoji: "🙂 I found no words to answer in that message.",
    command: "🤔 I don't know that command.",
    other: "🤔 I can't handle this kind of message.",
  },
  whatICanDo:
    "Type a question, e.g. “How does a company get social enterprise status?”, and I'll answer with " +
    "references to the handbook and lectures. Help: /help",
  greeting:
    "Hello! 👋 Type your question about social entrepreneurship and I'll answer with sources. " +
    "Examples: /start",
  thanks: "You're welcome! If you have another question, just ask. 🙂",
  apology: "😔 Sorry, something went wrong. Please try again in a moment.",
  rateLimited: (n) =>
    `⏳ You're writing very fast. Please wait a minute, then carry on (at most ${n} message${n === 1 ? "" : "s"} a minute).`,
  groupIntro: (bot) =>
    "👋 Thanks for adding me! I'm <b>Padoms</b>: I answer questions about social entrepreneurship " +
    "in Latvia and cite my sources.\n" +
    `In this group send /ask question, mention me (@${esc(bot)} …) or reply to my message.`,
  buttons: {
    sources: "📚 Sources",
    related: "🎬 Related lecture",
    watch: "▶️ Watch",
    openBot: "💬 Ask Padoms",
    offer: (q) => `📌 Coordinators answered: ${q}`,
  },
  offerOpened: (q) => `📌 The coordinators' answer to <i>${q}</i>`,
  offerGone: "That coordinators' answer is no longer available.",
  feedbackUp: "Thank you! Glad it helped.",
  feedbackDown: "Thanks for telling me — it helps improve the answers.",
  feedbackAlready: "Your rating is already recorded.",
  interactionGone: "This answer is no longer available.",
  buttonExpired: "This button no longer works.",
  sourcesHeader: "📚 <b>Sources</b>",
  quotesHeader: "📚 <b>Quoted passages</b>",
  handbook: "Handbook",
  faqSource: "Coordinators' answer",
  quote: (text) => `“${text}”`,
  fallbackNote:
    "ℹ️ <i>The AI model is unavailable right now, so this answer is put together from passages of the materials.</i>",
  faqLabel: (date) => `✅ <i>Approved by coordinators (${date})</i>`,
  noMatch: "🤷 I couldn't find an answer to this in the materials.",
  badInput: "🤷 I didn't understand the question. Please write it as a full sentence.",
  relatedHeader: "These lectures may help:",
  tryRephrase: "Try asking in other words, or look at the list of lectures: /lectures",
  lecturesHeader: "🎬 <b>Video lectures</b>\nChoose a lecture to see its summary and key moments.",
  lecturesEmpty: "The list of lectures is empty for now.",
  lectureUnknown: "I can't find this lecture any more. Current list: /lectures",
  keyMoments: "Key moments",
  topics: "Topics",
  watchVideo: "▶️ Watch the video",
  watchFrom: (time) => `▶️ Watch from ${time}`,
  noVideoUrl: "The video link isn't known yet.",
  duration: (h, m) => (h > 0 ? `${h} h ${m} min` : `${m} min`),
  date: (iso) => iso.slice(0, 10),
  inline: {
    hintTitle: "Type a question…",
    hintDescription: "E.g. How does a company get social enterprise status?",
    hintMessage: (bot) =>
      "<b>Padoms</b> answers questions about social entrepreneurship in Latvia and cites its sources. " +
      `Ask in any chat: @${esc(bot)} your question`,
    privateButton: "Ask Padoms privately",
    declinedTitle: "No answer found in the materials",
    errorTitle: "Couldn't answer right now",
    errorDescription: "Try again, or ask in a private chat.",
    rateLimitedTitle: "Too many questions — please wait a minute",
  },
  coordinators: enCoordinators,
};

const all: Record<Lang, Strings> = { lv, en };

/** The texts of one language. */
export function strings(lang: Lang): Strings {
  return all[lang];
}
