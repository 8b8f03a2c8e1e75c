/**
 * The lecture catalogue and the handbook's chapters, read from the live index (not from the app
 * state): lectures with their key moments, search over the transcripts that lands on the moment,
 * the chapters of each handbook and search that shows the cited page. Open to every user.
 */

import { videoLinkAt } from "../answer/links.js";
import type { SearchStack } from "../live-index.js";
import type { Chunk, LectureMeta } from "../types.js";
import type { WebDocument, WebHandbookHit, WebLecture, WebPassage } from "./api-types.js";

/** Candidates searched before keeping one kind of passage. */
const SEARCH_DEPTH = 40;
/** Hits returned by a search. */
const MAX_HITS = 8;
/** Longest query accepted, in characters. */
export const MAX_QUERY_CHARS = 300;

/** The catalogue over the index a long-running process currently serves. */
export interface Catalogue {
  lectures(): WebLecture[];
  searchTranscripts(query: string): Promise<WebPassage[]>;
  /** The passage of a lecture at a moment; `undefined` for an unknown lecture. */
  passageAt(lectureId: string, atSec: number): WebPassage | undefined;
  documents(): WebDocument[];
  searchHandbook(query: string): Promise<WebHandbookHit[]>;
}

function toWebLecture(l: LectureMeta): WebLecture {
  return {
    id: l.id,
    title: l.title,
    ...(l.lecturer ? { lecturer: l.lecturer } : {}),
    ...(l.durationSec !== undefined ? { durationSec: l.durationSec } : {}),
    ...(l.summary ? { summary: l.summary } : {}),
    topics: l.topics ?? [],
    ...(l.level ? { level: l.level } : {}),
    ...(videoLinkAt(l.url, 0) ? { url: videoLinkAt(l.url, 0) } : {}),
    moments: (l.moments ?? []).map((m) => ({
      startSec: m.startSec,
      title: m.title,
      ...(videoLinkAt(l.url, m.startSec) ? { url: videoLinkAt(l.url, m.startSec) } : {}),
    })),
  };
}

function toPassage(chunk: Chunk, lectures: readonly LectureMeta[]): WebPassage {
  const lecture = lectures.find((l) => l.id === chunk.lectureId);
  const startSec = chunk.startSec ?? 0;
  const url = videoLinkAt(lecture?.url ?? chunk.url, startSec);
  return {
    lectureId: chunk.lectureId ?? lecture?.id ?? chunk.path,
    lectureTitle: lecture?.title ?? chunk.title,
    startSec,
    ...(chunk.endSec !== undefined ? { endSec: chunk.endSec } : {}),
    text: chunk.text,
    ...(url ? { url } : {}),
  };
}

function chaptersOf(title: string, path: string, chunks: readonly Chunk[]): WebDocument {
  const chapters: WebDocument["chapters"] = [];
  for (const chunk of chunks) {
    const parts = (chunk.section ?? "")
      .split(" › ")
      .map((s) => s.trim())
      .filter(Boolean);
    const top = parts[0];
    if (!top) continue;
    let chapter = chapters.find((c) => c.section === top);
    if (!chapter) {
      chapter = { title, section: top, ...(chunk.page ? { page: chunk.page } : {}), children: [] };
      chapters.push(chapter);
    }
    const sub = parts[1];
    if (sub && !chapter.children.some((c) => c.section === sub)) {
      chapter.children.push({ section: sub, ...(chunk.page ? { page: chunk.page } : {}) });
    }
  }
  return { title, path, chapters };
}

/** Creates the catalogue over `current()`, the index being served (it may be swapped). */
export function createCatalogue(current: () => SearchStack): Catalogue {
  let documents: { build: string; list: WebDocument[] } | undefined;
  return {
    lectures: () => current().lectures.map(toWebLecture),

    async searchTranscripts(query) {
      const stack = current();
      const hits = await stack.retriever.search(query.slice(0, MAX_QUERY_CHARS), {
        k: SEARCH_DEPTH,
      });
      return hits
        .filter((h) => h.chunk.kind === "lecture")
        .slice(0, MAX_HITS)
        .map((h) => toPassage(h.chunk, stack.lectures));
    },

    passageAt(lectureId, atSec) {
      const stack = current();
      if (!stack.lectures.some((l) => l.id === lectureId)) return undefined;
      const passages = stack.retriever.lecturePassages(lectureId);
      const at =
        passages.filter((p) => (p.startSec ?? 0) <= atSec).at(-1) ?? passages[0] ?? undefined;
      return at ? toPassage(at, stack.lectures) : undefined;
    },

    documents() {
      const stack = current();
      const build = stack.index.manifest.build;
      if (documents?.build !== build) {
        const list = stack.index.db
          .files()
          .filter((f) => f.kind === "handbook" || f.kind === "document")
          .map((f) =>
            chaptersOf(
              f.title,
              f.path,
              stack.index.db.chunksOfFile(f.path).map((x) => x.chunk),
            ),
          );
        documents = { build, list };
      }
      return documents.list;
    },

    async searchHandbook(query) {
      const hits = await current().retriever.search(query.slice(0, MAX_QUERY_CHARS), {
        k: SEARCH_DEPTH,
      });
      return hits
        .filter((h) => h.chunk.kind === "handbook" || h.chunk.kind === "document")
        .slice(0, MAX_HITS)
        .map(({ chunk }) => ({
          title: chunk.title,
          ...(chunk.section ? { section: chunk.section } : {}),
          ...(chunk.page !== undefined ? { page: chunk.page } : {}),
          ...(chunk.pageEnd !== undefined ? { pageEnd: chunk.pageEnd } : {}),
          text: chunk.text,
        }));
    },
  };
}
