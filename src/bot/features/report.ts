import { Composer, InputFile } from "grammy";
import { formatReport } from "../../report/format.js";
import { buildUsageReport, parsePeriod, reportPeriod } from "../../report/summary.js";
import type { AppDb } from "../../store/app-db.js";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { replyHtml, replyParams } from "../send.js";
import type { CoordinatorAccess } from "./coordinators.js";

/** Period of `/report` without an argument. */
const DEFAULT_PERIOD = "7d";

/**
 * `/report [7d|30d|…]` (admins, coordinators' chat or private): the usage summary as a short
 * message, then the chart of questions per day as a PNG. When the chart cannot be rendered or
 * sent (e.g. a Bot API server without `sendPhoto`), the failure is logged; the text has arrived.
 */
export function reportFeature({
  access,
  appDb,
}: {
  access: Pick<CoordinatorAccess, "checkAdmin">;
  appDb: Pick<AppDb, "reportRows">;
}): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("report", async (ctx) => {
    if (!(await access.checkAdmin(ctx))) return;
    const logger = ctx.log;
    const ms =
      parsePeriod(ctx.match.trim() || DEFAULT_PERIOD) ?? (parsePeriod(DEFAULT_PERIOD) as number);
    let report: ReturnType<typeof buildUsageReport>;
    try {
      const { from, to } = reportPeriod(new Date(), ms);
      report = buildUsageReport(await appDb.reportRows(from, to), { from, to });
    } catch (error) {
      logger.error("the report failed", { error });
      await replyHtml(ctx, escapeHtml(ctx.t.coordinators.reportFailed));
      return;
    }
    await replyHtml(ctx, formatReport(report, { lang: ctx.lang }));
    logger.info("report sent", { questions: report.totals.questions });
    try {
      const { renderReportPng } = await import("../../report/chart.js");
      const png = await renderReportPng(report, { lang: ctx.lang });
      await ctx.replyWithPhoto(new InputFile(png, "padoms-report.png"), {
        caption: ctx.t.coordinators.reportChartCaption,
        ...replyParams(ctx),
      });
    } catch (error) {
      logger.warn("the report chart could not be sent; the text summary was", { error });
    }
  });
  return composer;
}
