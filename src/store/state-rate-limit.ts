/**
 * App-state area: rate-limit counters in fixed windows, one row per key (an atomic upsert, so
 * the count holds across replicas).
 */
import type { AppState } from "./app-state.js";
import type { AreaContext } from "./state-area.js";

type RateLimitArea = Pick<AppState, "hitRateLimit">;

export function rateLimitArea(ctx: AreaContext): RateLimitArea {
  const { sql } = ctx;
  return {
    async hitRateLimit(key, windowMs, now = Date.now()) {
      const window = Math.floor(now / windowMs) * windowMs;
      const row = await sql.get<{ hits: number }>(
        `INSERT INTO rate_limits (bucket, window_start, hits) VALUES (@key, @window, 1)
        ON CONFLICT (bucket) DO UPDATE SET
          hits = CASE WHEN rate_limits.window_start = excluded.window_start
            THEN rate_limits.hits + 1 ELSE 1 END,
          window_start = excluded.window_start
        RETURNING hits`,
        { key, window },
      );
      return Number(row?.hits ?? 1);
    },
  };
}
