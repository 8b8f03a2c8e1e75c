/** The coordinators' desk: open questions, approved answers, the report. */
import type {
  OpenItem,
  PreviewResponse,
  ReplyResponse,
  WebApproved,
  WebReport,
} from "../api-types.js";
import { clock, debounce, h, mount, telegramHtml } from "./dom.js";
import type { Shell } from "./shell.js";

function when(shell: Shell, iso: string): string {
  return new Date(iso).toLocaleString(shell.lang === "en" ? "en-GB" : "lv-LV", {
    timeZone: "Europe/Riga",
    day: "2-digit",
    month: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  });
}

function status(el: HTMLElement, text: string, ok = true) {
  mount(el, h("p", { class: ok ? "status ok" : "status error", role: "status" }, text));
}

function openCard(shell: Shell, item: OpenItem, reload: () => void): HTMLElement {
  const t = shell.t;
  const out = h("div");
  const box = h("textarea", {
    name: "reply",
    rows: 4,
    maxlength: 4000,
    placeholder: item.canReply ? t.replyPlaceholder : t.approvedPlaceholder,
    "aria-label": item.canReply ? t.replyPlaceholder : t.approvedPlaceholder,
  });
  const save = h("input", { type: "checkbox", name: "save-approved" });
  const suggestion = item.canReply ? item.suggestion : undefined;
  const submit = async (button: HTMLButtonElement) => {
    const text = box.value.trim();
    if (!text) return;
    button.disabled = true;
    try {
      if (item.canReply) {
        // The suggestion's text, unedited: the question is attached to it as another wording.
        const fromApproved =
          suggestion && text === suggestion.answer.trim() ? suggestion.id : undefined;
        const r = await shell.api.send<ReplyResponse>(
          "POST",
          `desk/open/${item.interactionId}/reply`,
          { text, saveApproved: save.checked, ...(fromApproved ? { fromApproved } : {}) },
        );
        status(
          out,
          [
            r.delivered ? t.sent : t.notSent(r.error ?? ""),
            r.approvedId ? t.savedApproved(r.approvedId) : "",
            r.wordingOf ? t.wordingAttached(r.wordingOf) : "",
          ]
            .filter(Boolean)
            .join(" "),
          r.delivered,
        );
        if (r.delivered) setTimeout(reload, 1200);
      } else {
        const a = await shell.api.send<WebApproved>(
          "POST",
          `desk/open/${item.interactionId}/approve`,
          { answer: text },
        );
        status(out, t.savedApproved(a.id));
      }
    } catch (error) {
      shell.showError(out, error);
    } finally {
      button.disabled = false;
    }
  };
  return h(
    "li",
    { class: "card open-item", "data-interaction": item.interactionId },
    h(
      "div",
      { class: "meta" },
      `${when(shell, item.createdAt)} · ${t.lang[item.language]} · `,
      ...item.reasons.map((r) => h("span", { class: `tag reason-${r}` }, t.reasons[r])),
    ),
    h("p", { class: "question" }, item.question),
    item.answer
      ? h(
          "details",
          null,
          h("summary", null, t.padomsAnswer),
          h("p", { class: "answer" }, item.answer),
        )
      : null,
    item.citations.length
      ? h(
          "details",
          { class: "passages" },
          h("summary", null, `${t.passages} (${item.citations.length})`),
          ...item.citations.map((c) =>
            h(
              "div",
              { class: "passage" },
              h(
                "div",
                { class: "meta" },
                `[${c.n}] ${c.title}`,
                c.section ? ` › ${c.section}` : "",
                c.page !== undefined ? ` · ${t.page(String(c.page))}` : "",
                c.startSec !== undefined ? ` · ${clock(c.startSec)}` : "",
              ),
              h("blockquote", null, c.text),
            ),
          ),
        )
      : null,
    item.canReply ? null : h("p", { class: "hint" }, t.noReplyPossible),
    suggestion
      ? h(
          "div",
          { class: "suggestion", "data-approved": suggestion.id },
          h("div", { class: "meta" }, t.closestApproved(suggestion.id)),
          h("p", { class: "question" }, suggestion.question),
          h("p", { class: "answer" }, suggestion.answer),
          h(
            "button",
            {
              type: "button",
              class: "button",
              onclick: () => {
                box.value = suggestion.answer;
                box.focus();
              },
            },
            t.useApproved(suggestion.id),
          ),
        )
      : null,
    box,
    item.canReply ? h("label", { class: "check" }, save, ` ${t.saveApproved}`) : null,
    h(
      "button",
      {
        type: "button",
        class: "button primary",
        onclick: (e: Event) => void submit(e.currentTarget as HTMLButtonElement),
      },
      item.canReply ? t.send : t.saveAnswer,
    ),
    out,
  );
}

async function openTab(shell: Shell, panel: HTMLElement) {
  const shown = panel.dataset.shown;
  /** Reloads the list, unless another tab has been opened meanwhile. */
  const reload = () => {
    if (panel.dataset.shown === shown) void openTab(shell, panel);
  };
  mount(panel, shell.t.loading);
  try {
    const items = await shell.api.get<OpenItem[]>("desk/open");
    mount(
      panel,
      items.length
        ? h("ul", { class: "list" }, ...items.map((i) => openCard(shell, i, reload)))
        : h("p", { class: "hint" }, shell.t.noOpen),
    );
  } catch (error) {
    shell.showError(panel, error);
  }
}

function approvedCard(shell: Shell, a: WebApproved, reload: () => void): HTMLElement {
  const t = shell.t;
  const card = h("li", { class: "card approved-item", "data-approved": a.id });
  const view = () =>
    mount(
      card,
      h(
        "div",
        { class: "meta" },
        `#${a.id} · ${when(shell, a.approvedAt)}${a.approvedBy ? ` · ${a.approvedBy}` : ""} · ${t.uses(a.uses)} · 👍 ${a.up} · 👎 ${a.down}`,
      ),
      h("p", { class: "question" }, a.question),
      a.wordings?.length
        ? h(
            "details",
            { class: "wordings" },
            h("summary", null, `${t.otherWordings} (${a.wordings.length})`),
            h(
              "ul",
              null,
              ...a.wordings.map((w, i) =>
                h(
                  "li",
                  null,
                  `${w} `,
                  h(
                    "button",
                    {
                      type: "button",
                      class: "button small",
                      "aria-label": t.detachWording,
                      title: t.detachWording,
                      onclick: async () => {
                        try {
                          a = await shell.api.send<WebApproved>(
                            "DELETE",
                            `desk/approved/${a.id}/wordings/${i + 1}`,
                          );
                          view();
                        } catch (error) {
                          shell.showError(card, error);
                        }
                      },
                    },
                    "✕",
                  ),
                ),
              ),
            ),
          )
        : null,
      h("p", { class: "answer" }, a.answer),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "button", onclick: edit }, t.edit),
        h(
          "button",
          {
            type: "button",
            class: "button danger",
            onclick: async () => {
              if (!confirm(t.confirmDelete)) return;
              try {
                await shell.api.send("DELETE", `desk/approved/${a.id}`);
                reload();
              } catch (error) {
                shell.showError(card, error);
              }
            },
          },
          t.del,
        ),
      ),
    );
  const edit = () => {
    const question = h("textarea", {
      name: "question",
      rows: 2,
      maxlength: 4000,
      value: a.question,
    });
    const answer = h("textarea", { name: "answer", rows: 5, maxlength: 4000, value: a.answer });
    const preview = h("div", { class: "preview" });
    const out = h("div");
    const refresh = debounce(async () => {
      if (!answer.value.trim()) return;
      try {
        const p = await shell.api.send<PreviewResponse>("POST", "desk/preview", {
          answer: answer.value,
          lang: shell.lang,
        });
        mount(preview, h("div", { class: "bubble" }, telegramHtml(p.html)));
      } catch (error) {
        shell.showError(preview, error);
      }
    }, 300);
    answer.addEventListener("input", refresh);
    mount(
      card,
      h("label", null, t.question, question),
      h("label", null, t.answer, answer),
      h("div", { class: "hint" }, t.preview),
      preview,
      h(
        "div",
        { class: "actions" },
        h(
          "button",
          {
            type: "button",
            class: "button primary",
            onclick: async () => {
              try {
                const changed: { question?: string; answer?: string } = {};
                if (question.value.trim() !== a.question) changed.question = question.value;
                if (answer.value.trim() !== a.answer) changed.answer = answer.value;
                if (changed.question || changed.answer) {
                  a = await shell.api.send<WebApproved>("PUT", `desk/approved/${a.id}`, changed);
                }
                view();
              } catch (error) {
                shell.showError(out, error);
              }
            },
          },
          t.save,
        ),
        h("button", { type: "button", class: "button", onclick: view }, t.cancel),
      ),
      out,
    );
    refresh();
  };
  view();
  return card;
}

async function approvedTab(shell: Shell, panel: HTMLElement) {
  const t = shell.t;
  const list = h("div", null, t.loading);
  const load = async (q = "") => {
    try {
      const rows = await shell.api.get<WebApproved[]>(`desk/approved?q=${encodeURIComponent(q)}`);
      mount(
        list,
        rows.length
          ? h(
              "ul",
              { class: "list" },
              ...rows.map((a) => approvedCard(shell, a, () => void load(q))),
            )
          : h("p", { class: "hint" }, q ? t.noResults : t.noApproved),
      );
    } catch (error) {
      shell.showError(list, error);
    }
  };
  const search = debounce((q: string) => void load(q), 250);
  mount(
    panel,
    h("input", {
      type: "search",
      class: "search",
      name: "approved-search",
      placeholder: t.searchApproved,
      "aria-label": t.searchApproved,
      oninput: (e: Event) => search((e.target as HTMLInputElement).value),
    }),
    list,
  );
  await load();
}

async function reportTab(shell: Shell, panel: HTMLElement) {
  const t = shell.t;
  let days = 7;
  const body = h("div", null, t.loading);
  const load = async () => {
    mount(body, t.loading);
    try {
      const report = await shell.api.get<WebReport>(`desk/report?days=${days}`);
      const { totals } = report;
      const charts = h("div", { class: "charts" });
      mount(
        body,
        h(
          "dl",
          { class: "totals" },
          h("dt", null, t.questions),
          h("dd", null, String(totals.questions)),
          h("dt", null, t.answered),
          h("dd", null, String(totals.answered)),
          h("dt", null, `· ${t.fromFaq}`),
          h("dd", null, String(totals.fromFaq)),
          h("dt", null, t.declined),
          h("dd", null, String(totals.declined)),
          h("dt", null, t.handedOff),
          h("dd", null, String(totals.handedOff)),
          h("dt", null, "👍 / 👎"),
          h("dd", null, `${totals.up} / ${totals.down}`),
        ),
        charts,
        report.open.length ? h("h2", null, t.openQuestions) : null,
        h(
          "ul",
          { class: "list compact" },
          ...report.open.map((o) =>
            h("li", null, h("span", { class: "meta" }, when(shell, o.createdAt)), ` ${o.question}`),
          ),
        ),
      );
      const { renderCharts } = await import("./chart.js");
      await renderCharts(charts, report, t);
    } catch (error) {
      shell.showError(body, error);
    }
  };
  const csv = async () => {
    try {
      const text = await shell.api.text(`desk/report.csv?days=${days}`);
      const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
      const a = h("a", { href: url, download: `padoms-report-${days}d.csv` });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      shell.showError(body, error);
    }
  };
  mount(
    panel,
    h(
      "div",
      { class: "toolbar" },
      h(
        "select",
        {
          name: "days",
          "aria-label": t.period,
          onchange: (e: Event) => {
            days = Number((e.target as HTMLSelectElement).value);
            void load();
          },
        },
        ...[7, 30, 90].map((n) => h("option", { value: n }, t.days(n))),
      ),
      h("button", { type: "button", class: "button", onclick: () => void csv() }, t.csv),
    ),
    body,
  );
  await load();
}

/** The desk with its three tabs. */
export function deskScreen(shell: Shell) {
  return async (root: HTMLElement) => {
    const t = shell.t;
    const panel = h("div", { class: "panel" });
    const tabs = [t.open, t.approved, t.report];
    const nav = h(
      "nav",
      { class: "subtabs", role: "tablist" },
      ...tabs.map((label, i) =>
        h(
          "button",
          {
            type: "button",
            role: "tab",
            "aria-selected": String(i === 0),
            onclick: () => select(i),
          },
          label,
        ),
      ),
    );
    const select = (i: number) => {
      nav.querySelectorAll("button").forEach((b, k) => {
        b.setAttribute("aria-selected", String(k === i));
      });
      panel.dataset.shown = String(Number(panel.dataset.shown ?? 0) + 1);
      void [openTab, approvedTab, reportTab][i]?.(shell, panel);
    };
    mount(root, h("div", { "data-view": "desk" }, nav, panel));
    await openTab(shell, panel);
  };
}
