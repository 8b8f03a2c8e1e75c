/**
 * The Mini App's API without a browser: every call needs Telegram's signed launch data (401
 * otherwise), the desk answers coordinators only (403 for everyone else, on every call), the
 * catalogue answers everyone, and every answer carries the security headers.
 */

import type { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.js";
import type { OpenItem, WebDocument, WebLecture, WebPassage } from "../../src/webapp/api-types.js";
import { createCoordinatorCheck } from "../../src/webapp/auth.js";
import { inertCell } from "../../src/webapp/csv-export.js";
import { CONTENT_SECURITY_POLICY } from "../../src/webapp/server.js";
import {
  ADMIN,
  handedOffQuestion,
  launchData,
  type MiniAppE2e,
  startMiniApp,
  VIDEO_URL,
} from "./harness.js";

let e2e: MiniAppE2e;
const STRANGER = { id: 900, first_name: "Jānis", language_code: "lv" };
const COORDINATOR = { id: ADMIN, first_name: "Inese", language_code: "lv" };

async function call(
  path: string,
  initData: string | undefined,
  init: { method?: string; body?: unknown; raw?: string } = {},
) {
  return fetch(new URL(path, e2e.url), {
    method: init.method ?? "GET",
    headers: {
      ...(initData === undefined ? {} : { Authorization: `tma ${initData}` }),
      ...(init.body !== undefined || init.raw ? { "Content-Type": "application/json" } : {}),
    },
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
}

/** Every desk call, with a body where it takes one. */
const DESK_CALLS: { method: string; path: string; body?: unknown }[] = [
  { method: "GET", path: "api/desk/open" },
  { method: "POST", path: "api/desk/open/1/reply", body: { text: "Labdien!", saveApproved: true } },
  { method: "POST", path: "api/desk/open/1/approve", body: { answer: "Atbilde." } },
  { method: "GET", path: "api/desk/approved" },
  { method: "PUT", path: "api/desk/approved/1", body: { answer: "Cita atbilde." } },
  { method: "DELETE", path: "api/desk/approved/1" },
  { method: "DELETE", path: "api/desk/approved/1/wordings/1" },
  { method: "POST", path: "api/desk/preview", body: { answer: "Priekšskatījums." } },
  { method: "GET", path: "api/desk/report?days=7" },
  { method: "GET", path: "api/desk/report.csv?days=7" },
];

beforeAll(async () => {
  e2e = await startMiniApp({ distDir: "/nonexistent/padoms-webapp" });
}, 180_000);

afterAll(async () => {
  await e2e?.close();
});

describe("launch data (initData)", () => {
  it("a call without it, or with a forged, altered or expired one, gets 401", async () => {
    const good = launchData(STRANGER);
    const forged = launchData(STRANGER, { token: "100000017:someone-elses-token-abcdef" });
    const altered = good.replace(encodeURIComponent('"id":900'), encodeURIComponent('"id":7'));
    expect(altered).not.toBe(good);
    const expired = launchData(COORDINATOR, {
      authDate: new Date(Date.now() - (e2e.config.WEBAPP_AUTH_MAX_AGE + 60) * 1000),
    });
    const cases: [string, string | undefined][] = [
      ["none", undefined],
      ["garbage", "hello"],
      ["forged", forged],
      ["altered", altered],
      ["expired", expired],
    ];
    for (const [name, initData] of cases) {
      for (const path of ["api/me", "api/lectures", "api/desk/open"]) {
        const res = await call(path, initData);
        expect({ name, path, status: res.status }).toEqual({ name, path, status: 401 });
      }
    }
    const res = await call("api/me", expired);
    expect(await res.json()).toMatchObject({ error: "expired" });
    expect((await call("api/me", good)).status).toBe(200);
  });
});

describe("the desk", () => {
  it("refuses every call of a user who is neither admin nor coordinators' chat member (403), and changes nothing", async () => {
    const saved = await e2e.app.approved?.add({ question: "Vai drīkst?", answer: "Drīkst." });
    const initData = launchData(STRANGER);
    const me = await (await call("api/me", initData)).json();
    expect(me).toEqual({ firstName: "Jānis", lang: "lv", coordinator: false });
    for (const c of DESK_CALLS) {
      const res = await call(c.path, initData, c);
      expect({ call: `${c.method} ${c.path}`, status: res.status }).toEqual({
        call: `${c.method} ${c.path}`,
        status: 403,
      });
      expect(await res.json()).toMatchObject({ error: "not-coordinator" });
    }
    expect((await e2e.appDb.getApproved(saved?.id as number))?.answer).toBe("Drīkst.");
    await e2e.app.approved?.remove(saved?.id as number);
  });

  it("answers an admin; the preview is the bot's own HTML, user text escaped", async () => {
    const initData = launchData(COORDINATOR);
    expect(await (await call("api/me", initData)).json()).toMatchObject({ coordinator: true });
    expect((await call("api/desk/open", initData)).status).toBe(200);
    const preview = await call("api/desk/preview", initData, {
      method: "POST",
      body: { answer: "Sīkāk: <script>alert(1)</script>" },
    });
    const { html } = (await preview.json()) as { html: string };
    expect(html).toContain("Koordinatoru apstiprināta atbilde");
    expect(html).toContain("&lt;script&gt;");
    expect(html).not.toContain("<script>");
  });

  it("lists a 👎 answer that was not handed off; it cannot be replied to, but an approved answer can be saved", async () => {
    const question = "Cik ilgi jāgaida uz komisijas lēmumu par statusu?";
    const id = await e2e.appDb.recordInteraction({
      question,
      answer: "Komisija lemj mēneša laikā [1].",
      language: "lv",
      mode: "extractive",
      answered: true,
      citations: [
        {
          n: 1,
          kind: "handbook",
          title: "Rokasgrāmata",
          path: "handbook/rokasgramata.pdf",
          page: 9,
          section: "3. Statuss",
          chunkId: "c1",
          text: "Komisija izskata pieteikumu.",
        },
      ],
      channel: "private",
      userId: 902,
    });
    await e2e.appDb.recordFeedback({ interactionId: id, userId: 902, value: -1 });
    const initData = launchData(COORDINATOR);
    const open = (await (await call("api/desk/open", initData)).json()) as OpenItem[];
    const item = open.find((o) => o.interactionId === id);
    expect(item).toMatchObject({
      question,
      language: "lv",
      reasons: ["disliked"],
      canReply: false,
      citations: [{ n: 1, page: 9, section: "3. Statuss", text: "Komisija izskata pieteikumu." }],
    });
    expect(JSON.stringify(open)).not.toMatch(/userHash|user_hash|"userId"|902/);
    const reply = await call(`api/desk/open/${id}/reply`, initData, {
      method: "POST",
      body: { text: "Atbilde." },
    });
    expect(reply.status).toBe(409);
    const saved = await call(`api/desk/open/${id}/approve`, initData, {
      method: "POST",
      body: { answer: "Parasti mēneša laikā pēc pieteikuma." },
    });
    const approved = (await saved.json()) as { id: number };
    expect(await e2e.appDb.getApproved(approved.id)).toMatchObject({
      question,
      answer: "Parasti mēneša laikā pēc pieteikuma.",
      approvedBy: "Inese",
    });
    await e2e.app.approved?.remove(approved.id);
  });

  it("a handed-off question shows the closest approved answer; replying with its text attaches the question to it", async () => {
    const approved = e2e.app.approved;
    if (!approved) throw new Error("approved answers are off");
    const entry = await approved.add({
      question: "Vai biedrība var nomāt telpas no pagasta pārvaldes par simbolisku maksu?",
      answer: "Jā, ja pašvaldība tā lemj; jautājiet pagasta pārvaldē.",
      approvedBy: "Inese",
    });
    const question = "kur lēti dabūt telpas no pašvaldības mūsu biedrībai";
    const id = await handedOffQuestion(e2e.appDb, question, 903);
    const initData = launchData(COORDINATOR);
    const open = (await (await call("api/desk/open", initData)).json()) as OpenItem[];
    const item = open.find((o) => o.interactionId === id);
    expect(item?.canReply).toBe(true);
    expect(item?.suggestion).toEqual({
      id: entry.id,
      question: entry.question,
      answer: entry.answer,
    });

    // An edited reply is the coordinator's own: no wording is attached.
    const edited = await call(`api/desk/open/${id}/reply`, initData, {
      method: "POST",
      body: { text: `${entry.answer} Un vēl kas.`, fromApproved: entry.id },
    });
    expect(await edited.json()).not.toHaveProperty("wordingOf");
    expect((await e2e.appDb.getApproved(entry.id))?.wordings).toEqual([]);

    const reply = await call(`api/desk/open/${id}/reply`, initData, {
      method: "POST",
      body: { text: entry.answer, fromApproved: entry.id },
    });
    expect(await reply.json()).toMatchObject({ delivered: true, wordingOf: entry.id });
    expect((await e2e.appDb.getApproved(entry.id))?.wordings).toEqual([question]);
    const listed = (await (await call("api/desk/approved", initData)).json()) as {
      id: number;
      wordings?: string[];
    }[];
    expect(listed.find((a) => a.id === entry.id)?.wordings).toEqual([question]);
    // Detached from the desk; a wording that is not there is 404.
    const gone = await call(`api/desk/approved/${entry.id}/wordings/2`, initData, {
      method: "DELETE",
    });
    expect(gone.status).toBe(404);
    const detached = await call(`api/desk/approved/${entry.id}/wordings/1`, initData, {
      method: "DELETE",
    });
    expect(await detached.json()).not.toHaveProperty("wordings");
    expect((await e2e.appDb.getApproved(entry.id))?.wordings).toEqual([]);
    await approved.remove(entry.id);
  });

  it("refuses bad input with a reason: empty text 400, no such item 404, too large 413", async () => {
    const initData = launchData(COORDINATOR);
    const empty = await call("api/desk/open/1/reply", initData, {
      method: "POST",
      body: { text: " " },
    });
    expect(empty.status).toBe(400);
    const gone = await call("api/desk/approved/99999", initData, {
      method: "PUT",
      body: { answer: "x" },
    });
    expect(gone.status).toBe(404);
    const big = await call("api/desk/preview", initData, {
      method: "POST",
      raw: JSON.stringify({ answer: "a".repeat(70_000) }),
    });
    expect(big.status).toBe(413);
    expect((await call("api/desk/nothing", initData)).status).toBe(404);
  });

  it("the CSV export writes user texts that look like formulas as plain text", async () => {
    const id = await e2e.appDb.recordInteraction({
      question: '=HYPERLINK("http://example.invalid","klikšķiniet")',
      answer: "",
      language: "lv",
      mode: "extractive",
      answered: false,
      declineReason: "no-match",
      citations: [],
      channel: "private",
      userId: 901,
    });
    expect(id).toBeGreaterThan(0);
    const res = await call("api/desk/report.csv?days=1", launchData(COORDINATOR));
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const csv = await res.text();
    expect(csv).toContain(`"'=HYPERLINK(""http://example.invalid"",""klikšķiniet"")"`);
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(inertCell("+1")).toBe("'+1");
    expect(inertCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(inertCell("-2")).toBe("'-2");
    expect(inertCell("Kā iegūt statusu?")).toBe("Kā iegūt statusu?");
  });
});

describe("the catalogue (everyone)", () => {
  it("lists the lectures with key moments; the video opens at each moment", async () => {
    const res = await call("api/lectures", launchData(STRANGER));
    const lectures = (await res.json()) as WebLecture[];
    expect(lectures.map((l) => l.id)).toEqual(e2e.app.live.current().lectures.map((l) => l.id));
    const l03 = lectures.find((l) => l.id === "l03") as WebLecture;
    expect(l03.moments.length).toBeGreaterThan(0);
    for (const m of l03.moments) {
      const url = new URL(m.url as string);
      expect(url.toString().startsWith(VIDEO_URL)).toBe(true);
      if (m.startSec > 0) expect(url.searchParams.get("t")).toBe(`${Math.floor(m.startSec)}s`);
    }
    const other = lectures.find((l) => l.id !== "l03") as WebLecture;
    expect(other.url).toBeUndefined();
    expect(other.moments.every((m) => m.url === undefined)).toBe(true);
  });

  it("transcript search returns the moment, and a lecture's passage at a time is the one spoken then", async () => {
    const initData = launchData(STRANGER);
    const passages = e2e.app.live.current().retriever.lecturePassages("l02");
    const target = passages[Math.floor(passages.length / 2)];
    const words = (target?.text ?? "").split(/\s+/).slice(3, 15).join(" ");
    const hits = (await (
      await call(`api/lectures/search?q=${encodeURIComponent(words)}`, initData)
    ).json()) as WebPassage[];
    expect(hits[0]).toMatchObject({ lectureId: "l02", startSec: target?.startSec });
    expect(hits[0]?.url).toBeUndefined();
    const at = (target?.startSec ?? 0) + 1;
    const passage = (await (
      await call(`api/lectures/l02/at?t=${at}`, initData)
    ).json()) as WebPassage;
    expect(passage.startSec).toBe(target?.startSec);
    expect(passage.text).toBe(target?.text);
    expect((await call("api/lectures/nope/at?t=1", initData)).status).toBe(404);
  });

  it("the handbook's chapters carry pages, and its search shows the cited page", async () => {
    const initData = launchData(STRANGER);
    const docs = (await (await call("api/handbook", initData)).json()) as WebDocument[];
    const handbook = docs.find((d) => d.path.endsWith(".pdf")) as WebDocument;
    expect(handbook.chapters.length).toBeGreaterThan(3);
    expect(handbook.chapters.every((c) => typeof c.page === "number")).toBe(true);
    const chunk = e2e.app.live
      .current()
      .index.db.chunksOfFile(handbook.path)
      .map((x) => x.chunk)
      .find((c) => c.page !== undefined && c.page > 5 && c.text.length > 200);
    const words = (chunk?.text ?? "").split(/\s+/).slice(0, 12).join(" ");
    const hits = (await (
      await call(`api/handbook/search?q=${encodeURIComponent(words)}`, initData)
    ).json()) as { page?: number; section?: string }[];
    expect(hits[0]).toMatchObject({ page: chunk?.page, section: chunk?.section });
  });
});

describe("serving", () => {
  it("every answer has a strict CSP and no cookies; a missing build names the fix", async () => {
    const page = await fetch(e2e.url);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("npm run build:webapp");
    for (const res of [
      page,
      await call("api/me", launchData(STRANGER)),
      await call("api/me", "x"),
    ]) {
      expect(res.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe");
    expect((await fetch(new URL("assets/..%2F..%2Fpackage.json", e2e.url))).status).toBe(404);
    expect((await fetch(new URL("/healthz", e2e.url))).status).toBe(200);
  });
});

describe("coordinators' chat membership", () => {
  const fakeApi = (status: string | Error) =>
    ({
      getChatMember: async () => {
        if (status instanceof Error) throw status;
        return { status, is_member: status === "restricted" };
      },
    }) as unknown as Pick<Api, "getChatMember">;
  const check = (status: string | Error) =>
    createCoordinatorCheck({
      adminIds: [1],
      coordinatorChatId: -100,
      api: fakeApi(status),
      logger: silentLogger,
    });

  it("admins always; members, administrators and the creator of the chat; not those who left", async () => {
    expect(await check("left")(1)).toBe(true);
    for (const s of ["member", "administrator", "creator", "restricted"])
      expect(await check(s)(2)).toBe(true);
    for (const s of ["left", "kicked"]) expect(await check(s)(2)).toBe(false);
    expect(await check(new Error("Bad Request: user not found"))(2)).toBe(false);
  });
});
