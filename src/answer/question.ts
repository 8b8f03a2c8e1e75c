/** Longest question accepted, in characters. */
export const MAX_QUESTION_LENGTH = 2000;

/** Why a question was not accepted. */
export type QuestionProblem = "empty" | "too-long" | "control-characters" | "no-words" | "secrets";

const CONTROL = /[\p{Cc}\p{Cf}]/u;
/** Harmless characters removed before the control-character check (line breaks, emoji joiners). */
const ALLOWED = /\t|\n|\r|\u00AD|\u200D|\uFE0F/g;
const SECRETS =
  /(?<![\p{L}\p{N}])(system[\s_-]*prompt|api[\s_-]*key|openai[\s_-]*(api[\s_-]*)?key|bot[\s_-]*token|telegram[\s_-]*(bot[\s_-]*)?token|access[\s_-]*token|sistēmas\s*(uzvedn|instrukcij)|sistemas\s*(uzvedn|instrukcij)|cit(i|u|iem|ie)\s+lietotāj|cit(i|u|iem|ie)\s+lietotaj|other\s+users?['’]?\s*(data|questions|messages))/iu;

/**
 * Checks a question before any search: empty, over {@link MAX_QUESTION_LENGTH}, control
 * characters, no letters or digits at all (e.g. only emoji), or a request for secrets or other
 * users' data. Returns the problem, or `undefined` when the question is fine.
 */
export function checkQuestion(question: string): QuestionProblem | undefined {
  const q = question.trim();
  if (!q) return "empty";
  if (q.length > MAX_QUESTION_LENGTH) return "too-long";
  if (CONTROL.test(q.replace(ALLOWED, ""))) return "control-characters";
  if (!/[\p{L}\p{N}]/u.test(q)) return "no-words";
  if (SECRETS.test(q)) return "secrets";
  return undefined;
}

const messages: Record<QuestionProblem, { lv: string; en: string }> = {
  empty: {
    lv: "Jautājums ir tukšs. Uzrakstiet, ko vēlaties uzzināt par sociālo uzņēmējdarbību, piemēram: “Kā iegūt sociālā uzņēmuma statusu?”",
    en: "The question is empty. Write what you would like to know about social entrepreneurship, e.g. “How do I get social enterprise status?”",
  },
  "too-long": {
    lv: `Jautājums ir par garu (vairāk nekā ${MAX_QUESTION_LENGTH} zīmes). Lūdzu, uzrakstiet to īsāk — vienu jautājumu vienā ziņā.`,
    en: `The question is too long (over ${MAX_QUESTION_LENGTH} characters). Please ask it more briefly — one question per message.`,
  },
  "control-characters": {
    lv: "Jautājumā ir neredzamas vadības rakstzīmes. Lūdzu, uzrakstiet to vēlreiz ar parastu tekstu.",
    en: "The question contains invisible control characters. Please type it again as plain text.",
  },
  "no-words": {
    lv: "Es saprotu tikai tekstu ar vārdiem. Uzrakstiet jautājumu, piemēram: “Kādi granti pieejami sociālajiem uzņēmumiem?”",
    en: "I can only read questions written in words. Try e.g. “What grants are available to social enterprises?”",
  },
  secrets: {
    lv: "Uz to es neatbildu: sistēmas iestatījumi, atslēgas un citu lietotāju dati netiek izpausti. Jautājiet par sociālo uzņēmējdarbību!",
    en: "I can't help with that: system settings, keys and other users' data are never disclosed. Ask me about social entrepreneurship!",
  },
};

/** The message shown for a question problem, in the user's language. */
export function questionProblemMessage(problem: QuestionProblem, language: "lv" | "en"): string {
  return messages[problem][language];
}
