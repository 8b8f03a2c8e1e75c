import { formatSourceList } from "../answer/citations.js";
import type { Answer } from "../types.js";

/** The `ask --json` shape of an answer. */
export function answerToJson(a: Answer) {
  return {
    question: a.question,
    answered: a.answered,
    answer: a.answer,
    mode: a.mode,
    citations: a.citations.map((c) => ({
      n: c.n,
      kind: c.kind,
      title: c.title,
      path: c.path,
      ...(c.page !== undefined ? { page: c.page } : {}),
      ...(c.pageEnd !== undefined ? { pageEnd: c.pageEnd } : {}),
      ...(c.pageLabel !== undefined ? { pageLabel: c.pageLabel } : {}),
      ...(c.pageEndLabel !== undefined ? { pageEndLabel: c.pageEndLabel } : {}),
      ...(c.section ? { section: c.section } : {}),
      ...(c.startSec !== undefined ? { startSec: c.startSec } : {}),
      ...(c.endSec !== undefined ? { endSec: c.endSec } : {}),
      ...(c.url ? { url: c.url } : {}),
      chunkId: c.chunkId,
    })),
    ...(a.relatedLectures?.length ? { relatedLectures: a.relatedLectures } : {}),
    ...(a.faq ? { faq: a.faq } : {}),
    ...(a.offer ? { offer: a.offer } : {}),
    latencyMs: a.latencyMs,
  };
}

/** An answer as plain text for the terminal: the answer, then its sources. */
export function answerToText(a: Answer): string {
  const lines = [a.answer];
  if (a.mode === "fallback") {
    lines.push(
      a.language === "en"
        ? "\n(The AI model was unavailable; this is the offline answer.)"
        : "\n(MI modelis nebija pieejams; šī ir bezsaistes atbilde.)",
    );
  }
  if (a.mode === "faq" && a.faq) {
    lines.push(
      a.language === "en"
        ? `\n(Approved by coordinators, ${a.faq.approvedAt.slice(0, 10)})`
        : `\n(Koordinatoru apstiprināta atbilde, ${a.faq.approvedAt.slice(0, 10)})`,
    );
  }
  if (a.citations.length) {
    lines.push(
      `\n${a.language === "en" ? "Sources" : "Avoti"}:\n${formatSourceList(a.citations, a.language)}`,
    );
  }
  if (!a.answered && a.relatedLectures?.length) {
    lines.push(`\n${a.language === "en" ? "Related lectures" : "Saistītās lekcijas"}:`);
    for (const l of a.relatedLectures) lines.push(`- ${l.title}${l.url ? ` ${l.url}` : ""}`);
  }
  if (a.offer) {
    lines.push(
      a.language === "en"
        ? `\nCoordinators answered a similar question (FAQ #${a.offer.id}): “${a.offer.question}”`
        : `\nKoordinatori ir atbildējuši uz līdzīgu jautājumu (FAQ #${a.offer.id}): “${a.offer.question}”`,
    );
  }
  return lines.join("\n");
}
