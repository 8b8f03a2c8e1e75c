import type { Answer, LectureMeta } from "../types.js";

/** Options for one question. */
export interface AskOptions {
  /** Conversation key for follow-up memory (e.g. `tg:<chatId>` or `cli`). Absent: no memory. */
  conversationId?: string;
  /** Called with the growing answer text while an LLM streams (LLM mode only). */
  onPartial?: (text: string) => void;
  signal?: AbortSignal;
}

/** The answering engine that every front end (CLI, terminal chat, bot) uses. */
export interface AnswerEngine {
  ask(question: string, options?: AskOptions): Promise<Answer>;
  /** Forgets the follow-up memory of one conversation. */
  forget(conversationId: string): void | Promise<void>;
  /** Lectures known to the index, in corpus order. */
  lectures(): LectureMeta[];
}
