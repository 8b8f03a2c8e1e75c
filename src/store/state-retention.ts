/**
 * App-state area: what is deleted — interactions past the retention period (with their
 * feedback, hand-offs and replies), stale follow-up turns and rate-limit windows, and everything
 * about one user on request (`/forget`).
 */
import type { AppState } from "./app-state.js";
import type { AreaContext } from "./state-area.js";

type RetentionArea = Pick<AppState, "purgeOlderThan" | "forgetUser">;

/** Follow-up turns and rate-limit windows older than this are deleted by the purge, in ms. */
const SHORT_LIVED_MS = 24 * 3600_000;

export function retentionArea(ctx: AreaContext): RetentionArea {
  const { sql } = ctx;
  return {
    async purgeOlderThan(days, now = new Date()) {
      const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
      const shortCutoff = now.getTime() - SHORT_LIVED_MS;
      const purged = await sql.transaction(async (tx) => {
        if (!(await ctx.tryTransactionLock(tx, "retention-purge"))) return 0;
        const n = await tx.run("DELETE FROM interactions WHERE created_at < @cutoff", { cutoff });
        const turns = await tx.run("DELETE FROM conversation_turns WHERE at_ms < @cutoff", {
          cutoff: shortCutoff,
        });
        await tx.run("DELETE FROM rate_limits WHERE window_start < @cutoff", {
          cutoff: shortCutoff,
        });
        return { n, turns };
      });
      if (typeof purged === "number") return purged;
      if (purged.n + purged.turns > 0) await ctx.scrub();
      return purged.n;
    },
    async forgetUser(userId) {
      const hash = ctx.pseudonymise(userId);
      const result = await sql.transaction(async (tx) => {
        const row = await tx.get<{ n: number }>(
          `SELECT count(*) AS n FROM handoffs WHERE user_hash = @hash
            OR interaction_id IN (SELECT id FROM interactions WHERE user_hash = @hash)`,
          { hash },
        );
        await tx.run("DELETE FROM handoffs WHERE user_hash = @hash", { hash });
        const feedback = await tx.run("DELETE FROM feedback WHERE user_hash = @hash", { hash });
        const interactions = await tx.run("DELETE FROM interactions WHERE user_hash = @hash", {
          hash,
        });
        return { interactions, feedback, handoffs: Number(row?.n ?? 0) };
      });
      if (result.interactions + result.feedback + result.handoffs > 0) await ctx.scrub();
      return result;
    },
  };
}
