/** The lecture catalogue and the handbook: for everyone. */
import type { WebDocument, WebHandbookHit, WebLecture, WebPassage } from "../api-types.js";
import { clock, debounce, h, mount } from "./dom.js";
import type { Shell } from "./shell.js";

function linkButton(shell: Shell, label: string, url: string): HTMLAnchorElement {
  return h(
    "a",
    {
      class: "button",
      href: url,
      target: "_blank",
      rel: "noopener noreferrer",
      onclick: (e: Event) => {
        e.preventDefault();
        shell.openLink(url);
      },
    },
    label,
  );
}

function lectureMeta(shell: Shell, l: WebLecture): string {
  return [l.lecturer, l.durationSec ? shell.t.minutes(Math.round(l.durationSec / 60)) : undefined]
    .filter(Boolean)
    .join(" · ");
}

/** The passage at a moment: the video link when there is one, else the passage text. */
function momentBox(shell: Shell, passage: WebPassage): HTMLElement {
  const t = shell.t;
  const at = clock(passage.startSec);
  return h(
    "section",
    { class: "moment card", "data-start": passage.startSec },
    h("div", { class: "moment-time" }, t.atMoment(at)),
    passage.url
      ? linkButton(shell, t.watchAt(at), passage.url)
      : [h("p", { class: "hint" }, t.noVideo), h("blockquote", null, passage.text)],
  );
}

/** One lecture, opened at a moment (from search, a key moment or an answer's button). */
export function lectureScreen(shell: Shell, lecture: WebLecture, at?: WebPassage) {
  return async (root: HTMLElement) => {
    const t = shell.t;
    const momentSlot = h("div", null, at ? momentBox(shell, at) : null);
    const showMoment = async (startSec: number) => {
      try {
        const p = await shell.api.get<WebPassage>(
          `lectures/${encodeURIComponent(lecture.id)}/at?t=${startSec}`,
        );
        mount(momentSlot, momentBox(shell, p));
        momentSlot.scrollIntoView({ block: "nearest" });
      } catch (error) {
        shell.showError(momentSlot, error);
      }
    };
    mount(
      root,
      h(
        "article",
        { class: "lecture-detail", "data-view": "lecture", "data-lecture": lecture.id },
        h("h1", null, lecture.title),
        h("p", { class: "meta" }, lectureMeta(shell, lecture)),
        momentSlot,
        lecture.summary ? h("p", null, lecture.summary) : null,
        lecture.topics.length
          ? h(
              "p",
              { class: "topics" },
              ...lecture.topics.map((x) => h("span", { class: "tag" }, x)),
            )
          : null,
        lecture.url && !at ? linkButton(shell, t.watch, lecture.url) : null,
        lecture.moments.length ? h("h2", null, t.keyMoments) : null,
        h(
          "ol",
          { class: "moments" },
          ...lecture.moments.map((m) =>
            h(
              "li",
              null,
              h(
                "button",
                {
                  class: "link",
                  type: "button",
                  onclick: () => (m.url ? shell.openLink(m.url) : void showMoment(m.startSec)),
                },
                h("span", { class: "time" }, clock(m.startSec)),
                ` ${m.title}`,
              ),
            ),
          ),
        ),
      ),
    );
  };
}

/** Options of {@link searchBox}. */
interface SearchBoxOptions<T> {
  name: string;
  placeholder: string;
  /** API path; the query goes in `q`. */
  path: string;
  /** Where the hits are shown. */
  results: HTMLElement;
  /** What is shown instead while there is no query (hidden during a search). */
  browse: HTMLElement;
  item: (hit: T) => HTMLElement;
}

/** A search field: from two characters on, asks `path` (debounced) and lists the hits. */
function searchBox<T>(shell: Shell, o: SearchBoxOptions<T>): HTMLElement {
  const search = debounce(async (q: string) => {
    if (q.trim().length < 2) {
      mount(o.results);
      o.browse.hidden = false;
      return;
    }
    try {
      const hits = await shell.api.get<T[]>(`${o.path}?q=${encodeURIComponent(q)}`);
      o.browse.hidden = true;
      mount(
        o.results,
        hits.length
          ? h("ul", { class: "list hits" }, ...hits.map(o.item))
          : h("p", { class: "hint" }, shell.t.noResults),
      );
    } catch (error) {
      shell.showError(o.results, error);
    }
  }, 250);
  return h("input", {
    type: "search",
    class: "search",
    name: o.name,
    placeholder: o.placeholder,
    "aria-label": o.placeholder,
    oninput: (e: Event) => search((e.target as HTMLInputElement).value),
  });
}

async function lecturesTab(shell: Shell, panel: HTMLElement, lectures: WebLecture[]) {
  const t = shell.t;
  const results = h("div", { class: "results" });
  const list = h(
    "ul",
    { class: "list" },
    ...lectures.map((l) =>
      h(
        "li",
        { class: "lecture card", "data-lecture": l.id },
        h(
          "button",
          { class: "row", type: "button", onclick: () => shell.push(lectureScreen(shell, l)) },
          h("strong", null, l.title),
          h("span", { class: "meta" }, lectureMeta(shell, l)),
          l.summary ? h("span", { class: "summary" }, l.summary) : null,
        ),
      ),
    ),
  );
  const search = searchBox<WebPassage>(shell, {
    name: "lecture-search",
    placeholder: t.searchLectures,
    path: "lectures/search",
    results,
    browse: list,
    item: (p) =>
      h(
        "li",
        { class: "hit card" },
        h(
          "button",
          {
            class: "row",
            type: "button",
            onclick: () => {
              const l = lectures.find((x) => x.id === p.lectureId);
              if (l) shell.push(lectureScreen(shell, l, p));
            },
          },
          h("strong", null, p.lectureTitle),
          h("span", { class: "time" }, clock(p.startSec)),
          h("span", { class: "summary" }, snippet(p.text)),
        ),
      ),
  });
  mount(panel, search, results, list);
}

function snippet(text: string, max = 220): string {
  return text.length > max ? `${text.slice(0, max).replace(/\s+\S*$/, "")}…` : text;
}

function pages(shell: Shell, hit: WebHandbookHit): string {
  if (hit.page === undefined) return "";
  const p = hit.pageEnd && hit.pageEnd !== hit.page ? `${hit.page}–${hit.pageEnd}` : `${hit.page}`;
  return shell.t.page(p);
}

async function handbookTab(shell: Shell, panel: HTMLElement) {
  const t = shell.t;
  const results = h("div", { class: "results" });
  const chapters = h("div", { class: "chapters" }, t.loading);
  const search = searchBox<WebHandbookHit>(shell, {
    name: "handbook-search",
    placeholder: t.searchHandbook,
    path: "handbook/search",
    results,
    browse: chapters,
    item: (hit) =>
      h(
        "li",
        { class: "hit card" },
        h("strong", null, hit.section ?? hit.title),
        h("div", { class: "meta page" }, pages(shell, hit)),
        h("blockquote", null, snippet(hit.text, 400)),
      ),
  });
  mount(panel, search, results, chapters);
  try {
    const docs = await shell.api.get<WebDocument[]>("handbook");
    mount(
      chapters,
      ...docs.map((d) =>
        h(
          "section",
          { class: "card" },
          h("h2", null, d.title),
          h(
            "ul",
            { class: "toc" },
            ...d.chapters.map((c) =>
              h(
                "li",
                null,
                h("span", null, c.section),
                c.page ? h("span", { class: "page" }, t.page(String(c.page))) : null,
                c.children.length
                  ? h(
                      "ul",
                      null,
                      ...c.children.map((s) =>
                        h(
                          "li",
                          null,
                          h("span", null, s.section),
                          s.page ? h("span", { class: "page" }, t.page(String(s.page))) : null,
                        ),
                      ),
                    )
                  : null,
              ),
            ),
          ),
        ),
      ),
    );
  } catch (error) {
    shell.showError(chapters, error);
  }
}

/** The catalogue: lectures (first) and the handbook, each with its search. */
export function catalogueScreen(shell: Shell) {
  return async (root: HTMLElement) => {
    const t = shell.t;
    const panel = h("div", { class: "panel" }, t.loading);
    let lectures: WebLecture[] = [];
    const tabs = h(
      "nav",
      { class: "subtabs", role: "tablist" },
      h(
        "button",
        { type: "button", role: "tab", "aria-selected": "true", onclick: () => select(0) },
        t.lectures,
      ),
      h(
        "button",
        { type: "button", role: "tab", "aria-selected": "false", onclick: () => select(1) },
        t.handbook,
      ),
    );
    const select = (i: number) => {
      tabs.querySelectorAll("button").forEach((b, k) => {
        b.setAttribute("aria-selected", String(k === i));
      });
      void (i === 0 ? lecturesTab(shell, panel, lectures) : handbookTab(shell, panel));
    };
    mount(root, h("div", { "data-view": "lectures" }, tabs, panel));
    try {
      lectures = await shell.api.get<WebLecture[]>("lectures");
      await lecturesTab(shell, panel, lectures);
      performance.mark("padoms:first-render");
    } catch (error) {
      shell.showError(panel, error);
    }
  };
}

/** Opens a lecture at a moment straight from a link (`?view=lectures&lecture=ID&t=SEC`). */
export async function openLectureAt(shell: Shell, lectureId: string, t: number) {
  const lectures = await shell.api.get<WebLecture[]>("lectures");
  const lecture = lectures.find((l) => l.id === lectureId);
  if (!lecture) return;
  const passage = await shell.api
    .get<WebPassage>(`lectures/${encodeURIComponent(lecture.id)}/at?t=${t}`)
    .catch(() => undefined);
  shell.push(lectureScreen(shell, lecture, passage));
}
