/** The app state's data areas over one adapter's context: what both adapters serve. */
import { approvedArea } from "./state-approved.js";
import type { AreaContext } from "./state-area.js";
import { handoffsArea } from "./state-handoffs.js";
import { interactionsArea } from "./state-interactions.js";
import { memoryArea } from "./state-memory.js";
import { rateLimitArea } from "./state-rate-limit.js";
import { retentionArea } from "./state-retention.js";

/** Every data area (interactions, hand-offs, approved answers, memory, rate limits, retention). */
export function stateAreas(ctx: AreaContext) {
  return {
    ...interactionsArea(ctx),
    ...handoffsArea(ctx),
    ...approvedArea(ctx),
    ...memoryArea(ctx),
    ...rateLimitArea(ctx),
    ...retentionArea(ctx),
  };
}
