/**
 * App-state area: follow-up memory, the last few turns of each conversation, forgotten when the
 * newest one is older than the time-to-live (so a follow-up answered by another replica keeps
 * its context).
 */
import type { AppState } from "./app-state.js";
import type { AreaContext } from "./state-area.js";

type MemoryArea = Pick<AppState, "recentTurns" | "rememberTurn" | "forgetTurns">;

export function memoryArea(ctx: AreaContext): MemoryArea {
  const { sql } = ctx;
  const forget = (id: string) =>
    sql.run("DELETE FROM conversation_turns WHERE conversation_id = @id", { id });
  return {
    async recentTurns(id, { limit, ttlMs, now = Date.now() }) {
      const rows = await sql.all<{ at_ms: number; data: string }>(
        `SELECT at_ms, data FROM conversation_turns WHERE conversation_id = @id
        ORDER BY seq DESC LIMIT @limit`,
        { id, limit },
      );
      const newest = rows[0];
      if (!newest) return [];
      if (now - Number(newest.at_ms) > ttlMs) {
        await forget(id);
        return [];
      }
      return rows.reverse().map((r) => ({ at: Number(r.at_ms), data: r.data }));
    },
    async rememberTurn(id, turn, keep) {
      await sql.transaction(async (tx) => {
        await tx.run(
          "INSERT INTO conversation_turns (conversation_id, at_ms, data) VALUES (@id, @at, @data)",
          { id, at: turn.at, data: turn.data },
        );
        await tx.run(
          `DELETE FROM conversation_turns WHERE conversation_id = @id AND seq NOT IN
            (SELECT seq FROM conversation_turns WHERE conversation_id = @id
              ORDER BY seq DESC LIMIT @keep)`,
          { id, keep },
        );
      });
    },
    async forgetTurns(id) {
      await forget(id);
    },
  };
}
