import { Composer } from "grammy";
import type { AppDb } from "../../store/app-db.js";
import type { BotContext } from "../context.js";
import { callbackPatterns, pressMatches, pressOf } from "../keyboards.js";
import { quietly } from "../send.js";
import type { Handoffs } from "./coordinators.js";

/** Options of {@link feedbackFeature}. */
export interface FeedbackOptions {
  appDb: Pick<AppDb, "getInteraction" | "recordFeedback" | "pseudonymise">;
  handoffs: Pick<Handoffs, "offerCoordinator">;
}

/**
 * 👍 / 👎 under an answer: stored once per answer and user, only where the answer was sent; a
 * second press says so. After a 👎,
 * "🙋 Ask a coordinator" is added under the answer (when the coordinators' chat is set).
 */
export function feedbackFeature({ appDb, handoffs }: FeedbackOptions): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(callbackPatterns.feedback, async (ctx) => {
    const interactionId = Number(ctx.match[1]);
    const value = ctx.match[2] === "u" ? 1 : -1;
    const interaction = await appDb.getInteraction(interactionId);
    // A vote counts only where the answer was sent (callback data can be forged).
    const result =
      interaction && pressMatches(interaction, pressOf(ctx), appDb.pseudonymise)
        ? await appDb.recordFeedback({ interactionId, userId: ctx.from.id, value })
        : "unknown-interaction";
    const t = ctx.t;
    const offered =
      result === "recorded" && value < 0 && (await handoffs.offerCoordinator(ctx, interactionId));
    const text =
      result === "recorded"
        ? value > 0
          ? t.feedbackUp
          : offered
            ? t.coordinators.feedbackDownOffer
            : t.feedbackDown
        : result === "duplicate"
          ? t.feedbackAlready
          : t.interactionGone;
    ctx.log.info("feedback", { interactionId, value, result });
    await quietly(ctx, "answerCallbackQuery", () => ctx.answerCallbackQuery({ text }));
  });
  return composer;
}
