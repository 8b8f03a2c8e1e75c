/**
 * The follow-up memory kept in the app state, for replicas: a follow-up answered by another
 * replica than the question before it keeps its context. Same limits as the in-process memory:
 * the last few turns, forgotten after 30 idle minutes.
 */
import type { ConversationMemory, MemoryOptions, Turn } from "../answer/memory.js";
import type { Logger } from "../log.js";
import { silentLogger } from "../log.js";
import type { AppState } from "./app-state.js";

/** The follow-up memory over the app state's `conversation_turns`. */
export function createSharedMemory(
  state: Pick<AppState, "recentTurns" | "rememberTurn" | "forgetTurns">,
  options: Pick<MemoryOptions, "turns" | "ttlMs" | "now"> & { logger?: Logger } = {},
): ConversationMemory {
  const logger = options.logger ?? silentLogger;
  const keep = options.turns ?? 3;
  const ttlMs = options.ttlMs ?? 30 * 60_000;
  const now = options.now ?? Date.now;
  return {
    // A database failure costs the follow-up its context, never the answer.
    async recent(id) {
      try {
        const stored = await state.recentTurns(id, { limit: keep, ttlMs, now: now() });
        return stored.map((s) => ({ ...(JSON.parse(s.data) as Omit<Turn, "at">), at: s.at }));
      } catch (error) {
        logger.warn("could not read the follow-up memory", { error });
        return [];
      }
    },
    async remember(id, turn) {
      try {
        await state.rememberTurn(id, { at: now(), data: JSON.stringify(turn) }, keep);
      } catch (error) {
        logger.warn("could not store the follow-up memory", { error });
      }
    },
    forget: (id) => state.forgetTurns(id),
  };
}
