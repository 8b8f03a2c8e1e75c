import type { Chunk } from "../types.js";

/** One remembered turn of a conversation. */
export interface Turn {
  question: string;
  /** The standalone form of the question that was searched. */
  searched: string;
  answered: boolean;
  /**
   * The passage and sentence the answer led with, and the last sentence of the passage it
   * showed (`through`; absent in turns remembered before it existed): "kāpēc?" goes on after it.
   */
  lead?: { chunk: Chunk; position: number; through?: number };
  /** The lecture the answer pointed to (a lecture request's answer): follow-ups stay with it. */
  lectureId?: string;
  at: number;
}

/** Options of {@link createConversationMemory}. */
export interface MemoryOptions {
  /** Turns kept per conversation. Default 3. */
  turns?: number;
  /** Conversations kept (least recently used dropped). Default 10 000. */
  maxConversations?: number;
  /** A conversation idle this long is forgotten, in ms. Default 30 minutes. */
  ttlMs?: number;
  now?: () => number;
}

/**
 * Short per-conversation memory for follow-up questions: in process, or shared by replicas (the
 * app state's, whose methods are asynchronous).
 */
export interface ConversationMemory {
  recent(conversationId: string): Turn[] | Promise<Turn[]>;
  remember(conversationId: string, turn: Omit<Turn, "at">): void | Promise<void>;
  forget(conversationId: string): void | Promise<void>;
}

/** The in-process memory: every method answers at once. */
export interface LocalConversationMemory extends ConversationMemory {
  recent(conversationId: string): Turn[];
  remember(conversationId: string, turn: Omit<Turn, "at">): void;
  forget(conversationId: string): void;
}

/** In-memory, bounded conversation memory (LRU by conversation, newest turns kept). */
export function createConversationMemory(options: MemoryOptions = {}): LocalConversationMemory {
  const max = options.turns ?? 3;
  const maxConversations = options.maxConversations ?? 10_000;
  const ttl = options.ttlMs ?? 30 * 60_000;
  const now = options.now ?? Date.now;
  const store = new Map<string, Turn[]>();
  return {
    recent(id) {
      const turns = store.get(id);
      if (!turns) return [];
      const last = turns[turns.length - 1];
      if (last && now() - last.at > ttl) {
        store.delete(id);
        return [];
      }
      return [...turns];
    },
    remember(id, turn) {
      const turns = store.get(id) ?? [];
      store.delete(id);
      turns.push({ ...turn, at: now() });
      store.set(id, turns.slice(-max));
      if (store.size > maxConversations) {
        const oldest = store.keys().next().value;
        if (oldest !== undefined) store.delete(oldest);
      }
    },
    forget(id) {
      store.delete(id);
    },
  };
}
