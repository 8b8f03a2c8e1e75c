import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { parseCallbackData, pressMatches, pressOf } from "../keyboards.js";
import { quietly } from "../send.js";
import { offerCoordinator } from "./coordinators.js";

/**
 * 👍 / 👎 under an answer: stored once per answer and user, only where the answer was sent; a
 * second press says so. After a 👎,
 * "🙋 Ask a coordinator" is added under the answer (when the coordinators' chat is set).
 */
export function feedbackFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on("callback_query:data", async (ctx, next) => {
    const action = parseCallbackData(ctx.callbackQuery.data);
    if (action?.type !== "feedback") return next();
    const { appDb } = ctx.deps;
    const interaction = await appDb.getInteraction(action.interactionId);
    // A vote counts only where the answer was sent (callback data can be forged).
    const result =
      interaction && pressMatches(interaction, pressOf(ctx), appDb.pseudonymise)
        ? await appDb.recordFeedback({
            interactionId: action.interactionId,
            userId: ctx.from.id,
            value: action.value,
          })
        : "unknown-interaction";
    const t = ctx.t;
    const offered =
      result === "recorded" &&
      action.value < 0 &&
      (await offerCoordinator(ctx, action.interactionId));
    const text =
      result === "recorded"
        ? action.value > 0
          ? t.feedbackUp
          : offered
            ? t.coordinators.feedbackDownOffer
            : t.feedbackDown
        : result === "duplicate"
          ? t.feedbackAlready
          : t.interactionGone;
    ctx.deps.logger.info("feedback", {
      updateId: ctx.update.update_id,
      interactionId: action.interactionId,
      value: action.value,
      result,
    });
    await quietly(ctx, "answerCallbackQuery", () => ctx.answerCallbackQuery({ text }));
  });
  return composer;
}
