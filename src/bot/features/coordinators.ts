/**
 * The coordinators' features, one module each under `coordinators/`:
 * - access: who the coordinators and admins are, `/chatid`;
 * - handoff: declined questions and "🙋 Ask a coordinator" posted to the coordinators' chat;
 * - relay: a coordinator's reply to such a post goes back to the user;
 * - faq: "Save as FAQ" stores a delivered reply as an approved answer; "Answer with #N" answers a
 *   hand-off with the approved answer suggested under it.
 * Off (and invisible) without `COORDINATOR_CHAT_ID`.
 */
import { Composer } from "grammy";
import type { ApprovedAnswerService } from "../../answer/approved.js";
import type { AppDb } from "../../store/app-db.js";
import type { BotContext } from "../context.js";
import { type CoordinatorAccess, chatIdFeature } from "./coordinators/access.js";
import { answerWithFaqFeature, saveFaqFeature } from "./coordinators/faq.js";
import { type Handoffs, handoffFeature } from "./coordinators/handoff.js";
import { relayFeature } from "./coordinators/relay.js";

export {
  type AccessConfig,
  COORDINATORS_LANG,
  type CoordinatorAccess,
  chatIdFeature,
  coordinatorAccess,
} from "./coordinators/access.js";
export {
  answerWithFaqFeature,
  type SaveReplyResult,
  saveFaqFeature,
  saveReplyAsApproved,
} from "./coordinators/faq.js";
export {
  createHandoffs,
  formatHandoffPost,
  type HandoffRequest,
  type HandoffResult,
  type Handoffs,
  handoffFeature,
  worthHandingOff,
} from "./coordinators/handoff.js";
export {
  answerHandoff,
  type HandoffAnswer,
  type ReplyServiceDeps,
  relayFeature,
} from "./coordinators/relay.js";

/** Options of {@link coordinatorsFeature}. */
export interface CoordinatorsFeatureOptions {
  access: CoordinatorAccess;
  appDb: AppDb;
  handoffs: Handoffs;
  /** Approved answers, for "Save as FAQ"; absent: the button is not shown. */
  approved?: ApprovedAnswerService;
}

/**
 * `/chatid` (anywhere); in the coordinators' chat, replies to hand-off posts are delivered to the
 * user and "Save as FAQ" stores a delivered reply; everywhere else "🙋 Ask a coordinator".
 */
export function coordinatorsFeature(options: CoordinatorsFeatureOptions): Composer<BotContext> {
  const { access, appDb, approved, handoffs } = options;
  return new Composer<BotContext>(
    chatIdFeature(),
    relayFeature({ access, appDb, saveAsFaq: approved !== undefined }),
    handoffFeature({ access, appDb, handoffs }),
    saveFaqFeature({ access, appDb, approved }),
    answerWithFaqFeature({ access, appDb, approved }),
  );
}
