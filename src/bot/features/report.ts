import { Composer, InputFile } from "grammy";
import { formatReport } from "../../report/format.js";
import { buildUsageReport, parsePeriod, reportPeriod } from "../../report/summary.js";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { replyHtml, replyParams } from "../send.js";
import { checkAdmin } from "./coordinators.js";

/** Period of `/report` without an argument. */
const DEFAULT_PERIOD = "7d";

/**
 * `/report [7d|30d|…]` (admins, coordinators' chat or private): the usage summary as a short
 * message, then the chart of questions per day as a PNG. When the chart cannot be rendered or
 * sent (e.g. a Bot API server without `sendPhoto`), the failure is logged; the text has arrived.
 */
export function reportFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("report", async (ctx) => {
    if (!(await checkAdmin(ctx))) return;
    const { appDb, logger } = ctx.deps;
    const ms =
      parsePeriod(ctx.match.trim() || DEFAULT_PERIOD) ?? (parsePeriod(DEFAULT_PERIOD) as number);
    let report: ReturnType<typeof buildUsageReport>;
    try {
      const { from, to } = reportPeriod(new Date(), ms);
      report = buildUsageReport(await appDb.reportRows(from, to), { from, to });
    } catch (error) {
      logger.error("the report failed", { updateId: ctx.update.update_id, error });
      await replyHtml(ctx, escapeHtml(ctx.t.coordinators.reportFailed));
      return;
    }
    await replyHtml(ctx, formatReport(report, { lang: ctx.lang }));
    logger.info("report sent", {
      updateId: ctx.update.update_id,
      questions: report.totals.questions,
    });
    try {
      const { renderReportPng } = await import("../../report/chart.js");
      const png = await renderReportPng(report, { lang: ctx.lang });
      await ctx.replyWithPhoto(new InputFile(png, "padoms-report.png"), {
        caption: ctx.t.coordinators.reportChartCaption,
        ...replyParams(ctx),
      });
    } catch (error) {
      logger.warn("the report chart could not be sent; the text summary was", {
        updateId: ctx.update.update_id,
        error,
      });
    }
  });
  return composer;
}
