/** One remembered turn of a conversation. */
export interface Turn {
  question: string;
  /** The standalone form of the question that was searched. */
  searched: string;
  answered: boolean;
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

/** Short per-conversation memory for follow-up questions. */
export interface ConversationMemory {
  recent(conversationId: string): Turn[];
  remember(conversationId: string, turn: Omit<Turn, "at">): void;
  forget(conversationId: string): void;
}

/** In-memory, bounded conversation memory (LRU by conversation, newest turns kept). */
export function createConversationMemory(options: MemoryOptions = {}): ConversationMemory {
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

const FOLLOW_UP_START =
  /^(un|bet|vai\s+arī|kā\s+ar|ka\s+ar|un\s+kā|un\s+cik|tad|tātad|tatad|and|but|what\s+about|how\s+about|also)\b/i;
const PRONOUN =
  /\b(tas|tā|ta|to|tam|tai|tie|tās|tas|šis|šī|šo|sis|si|so|tur|tajā|taja|tie|it|that|this|those|they|them|there)\b/i;

/**
 * Whether a question leans on the previous turn: it starts like a continuation ("un cik…",
 * "what about…"), refers back with a pronoun, or is too short to stand alone.
 */
export function looksLikeFollowUp(question: string, contentTokens: number): boolean {
  const q = question.trim();
  return FOLLOW_UP_START.test(q) || (PRONOUN.test(q) && contentTokens <= 4) || contentTokens <= 1;
}
