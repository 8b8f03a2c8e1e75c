/**
 * The app-state port's one test suite, run against every adapter: SQLite (a file), PostgreSQL (a
 * real server started for this file from the `postgresql` package's binaries, skipped with the
 * reason when there is none), and PostgreSQL embedded (PGlite), which always runs. "Two handles"
 * are two replicas: two SQLite connections to one file, two pools on one database.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppState, InteractionInput } from "../../src/store/app-state.js";
import { StoreError } from "../../src/store/errors.js";
import {
  connectPostgres,
  loadMigrations,
  openPostgresState,
  postgresClient,
  postgresSchemaStatus,
} from "../../src/store/postgres-state.js";
import { openAppDb } from "../../src/store/sqlite-state.js";
import { openPgliteState, startPglite } from "../helpers/pglite.js";
import { type PostgresServer, startPostgresServer } from "../helpers/postgres-server.js";

interface Backend {
  name: string;
  /** Why this backend cannot run here (the suite is then skipped, saying so). */
  skipped?: () => string | undefined;
  /** A fresh, empty state; `twin` opens a second handle on the same storage. */
  open(options?: { secret?: string }): Promise<{
    state: AppState;
    twin?: (options?: { secret?: string }) => Promise<AppState>;
  }>;
  /** Separate connections: locks exclude the other handle. */
  exclusiveLocks: boolean;
}

const dirs: string[] = [];
let server: PostgresServer | undefined;
let serverSkip: string | undefined;
let databases = 0;
let pglite: PGlite | undefined;

beforeAll(async () => {
  const [started, embedded] = await Promise.all([startPostgresServer(), startPglite()]);
  pglite = embedded;
  if ("server" in started) server = started.server;
  else {
    serverSkip = started.skipped;
    console.warn(`PostgreSQL server tests skipped: ${serverSkip}`);
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await pglite?.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const backends: Backend[] = [
  {
    name: "SQLite",
    exclusiveLocks: false,
    async open(options = {}) {
      const dir = mkdtempSync(join(tmpdir(), "padoms-state-"));
      dirs.push(dir);
      const path = join(dir, "padoms.sqlite");
      return {
        state: openAppDb(path, { pseudonymSecret: options.secret }),
        twin: async (o = {}) => openAppDb(path, { pseudonymSecret: o.secret }),
      };
    },
  },
  {
    name: "PostgreSQL server",
    exclusiveLocks: true,
    skipped: () => serverSkip,
    async open(options = {}) {
      const url = await (server as PostgresServer).createDatabase(`padoms_${++databases}`);
      return {
        state: await openPostgresState(url, { pseudonymSecret: options.secret, poolSize: 4 }),
        twin: (o = {}) => openPostgresState(url, { pseudonymSecret: o.secret, poolSize: 4 }),
      };
    },
  },
  {
    name: "PostgreSQL embedded (PGlite)",
    exclusiveLocks: false,
    async open(options = {}) {
      return {
        state: await openPgliteState(pglite as PGlite, { pseudonymSecret: options.secret }),
      };
    },
  },
];

const input: InteractionInput = {
  question: "Kur reģistrēt biedrību?",
  answer: "Uzņēmumu reģistrā [1].",
  language: "lv",
  mode: "extractive",
  answered: true,
  citations: [
    { n: 1, kind: "handbook", title: "R", path: "r.pdf", page: 3, chunkId: "c", text: "t" },
  ],
  channel: "private",
  chatId: 5_000_000_001,
  userId: 5_000_000_001,
};

describe.each(backends)("app state on $name", (backend) => {
  const open: Backend["open"] = async (options) => {
    const opened = await backend.open(options);
    states.push(opened.state);
    return opened;
  };
  const states: AppState[] = [];
  const twinOf = async (twin: ((o?: { secret?: string }) => Promise<AppState>) | undefined) => {
    if (!twin) return undefined;
    const s = await twin();
    states.push(s);
    return s;
  };
  afterAll(async () => {
    for (const s of states.splice(0)) await s.close();
  });
  const skip = () => backend.skipped?.();

  it("records a question as it arrives, its answer, and the reply", async (t) => {
    if (skip()) return t.skip(skip());
    const { state } = await open();
    const id = await state.recordQuestion({
      question: input.question,
      language: "lv",
      channel: "private",
      chatId: 77,
      userId: 77,
      messageId: 9,
    });
    expect((await state.getInteraction(id))?.status).toBe("pending");
    await state.recordAnswer(id, { ...input });
    await state.markReplied(id);
    const stored = await state.getInteraction(id);
    expect(stored).toMatchObject({
      id,
      question: input.question,
      answer: input.answer,
      answered: true,
      status: "answered",
      citations: input.citations,
      channel: "private",
      userHash: state.pseudonymise(77),
      messageId: 9,
    });
    expect(stored?.chatId).toBeUndefined();
    expect(stored?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const group = await state.recordInteraction({ ...input, channel: "supergroup" });
    expect((await state.getInteraction(group))?.chatId).toBe(input.chatId);
    expect(await state.getInteraction(999_999)).toBeUndefined();
  });

  it("counts one vote per user and interaction, also through another handle", async (t) => {
    if (skip()) return t.skip(skip());
    const { state, twin } = await open();
    const other = (await twinOf(twin)) ?? state;
    const id = await state.recordInteraction(input);
    expect(await state.recordFeedback({ interactionId: id, userId: 1, value: 1 })).toBe("recorded");
    expect(await other.recordFeedback({ interactionId: id, userId: 1, value: -1 })).toBe(
      "duplicate",
    );
    expect(await other.recordFeedback({ interactionId: id, userId: 2, value: -1 })).toBe(
      "recorded",
    );
    expect(await state.recordFeedback({ interactionId: 424_242, userId: 1, value: 1 })).toBe(
      "unknown-interaction",
    );
    expect(await state.feedbackCounts(id)).toEqual({ up: 1, down: 1 });
    expect(await state.feedbackCounts(424_242)).toEqual({ up: 0, down: 0 });
  });

  it("hands a pending question to exactly one recovering handle", async (t) => {
    if (skip()) return t.skip(skip());
    const { state, twin } = await open();
    const other = (await twinOf(twin)) ?? state;
    const id = await state.recordQuestion({
      question: "Vai var?",
      language: "lv",
      channel: "private",
      chatId: 3,
      messageId: 4,
    });
    const later = new Date(Date.now() + 60_000);
    expect(await other.pendingQuestions(later)).toEqual([
      expect.objectContaining({ id, question: "Vai var?", chatId: 3, messageId: 4 }),
    ]);
    expect(await other.pendingQuestions(new Date(Date.now() - 60_000))).toEqual([]);
    const claims = await Promise.all([state.markRestarted(id), other.markRestarted(id)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await state.pendingQuestions(later)).toEqual([]);
    expect((await state.getInteraction(id))?.status).toBe("restarted");
  });

  it("keeps one hand-off per interaction, its replies and their delivery", async (t) => {
    if (skip()) return t.skip(skip());
    const { state } = await open();
    const id = await state.recordInteraction({ ...input, answered: false });
    const handoff = await state.createHandoff({
      interactionId: id,
      reason: "declined",
      chatId: 5_000_000_001,
      replyToMessageId: 7,
      language: "lv",
      userId: 5_000_000_001,
      coordinatorChatId: -1_001_234_567_890,
    });
    expect(handoff).toMatchObject({ interactionId: id, status: "open", chatId: 5_000_000_001 });
    if (!handoff) throw new Error("no hand-off");
    expect(
      await state.createHandoff({
        interactionId: id,
        reason: "requested",
        chatId: 1,
        language: "lv",
        coordinatorChatId: -1,
      }),
    ).toBeUndefined();
    await state.setHandoffMessage(handoff.id, 501);
    expect((await state.handoffByMessage(-1_001_234_567_890, 501))?.id).toBe(handoff.id);
    expect((await state.handoffOfInteraction(id))?.coordinatorMessageId).toBe(501);
    const failed = await state.recordReply({
      handoffId: handoff.id,
      coordinatorId: 6_000_000_000,
      coordinatorName: "Ilze",
      text: "Pirmā atbilde",
    });
    await state.markReplyDelivered(failed, "403: blocked");
    expect((await state.getHandoff(handoff.id))?.status).toBe("undelivered");
    const reply = await state.recordReply({
      handoffId: handoff.id,
      coordinatorId: 6_000_000_000,
      coordinatorName: "Ilze",
      text: "Otrā atbilde",
    });
    await state.markReplyDelivered(reply);
    await state.setReplyConfirmation(reply, 502);
    expect((await state.getHandoff(handoff.id))?.status).toBe("answered");
    expect((await state.handoffByMessage(-1_001_234_567_890, 502))?.id).toBe(handoff.id);
    expect(await state.handoffByMessage(-1_001_234_567_890, 503)).toBeUndefined();
    const replies = await state.repliesOf(handoff.id);
    expect(replies.map((r) => [r.text, r.error ?? null, r.deliveredAt !== undefined])).toEqual([
      ["Pirmā atbilde", "403: blocked", false],
      ["Otrā atbilde", null, true],
    ]);
    expect((await state.getReply(reply))?.confirmationMessageId).toBe(502);
    await state.deleteHandoff(handoff.id);
    expect(await state.getHandoff(handoff.id)).toBeUndefined();
  });

  it("stores approved answers with their search data; a change is seen through the revision", async (t) => {
    if (skip()) return t.skip(skip());
    const { state, twin } = await open();
    const other = (await twinOf(twin)) ?? state;
    const r0 = await other.approvedRevision();
    const id = await state.saveApproved({ question: "Kas ir LEADER?", answer: "Programma." });
    expect(await other.approvedRevision()).not.toBe(r0);
    const vector = Float32Array.from([0.25, -0.5, 1]);
    await state.setApprovedIndex(id, ["leader"], vector, "local:3");
    expect(await other.getApproved(id)).toMatchObject({
      question: "Kas ir LEADER?",
      tokens: ["leader"],
      embedderId: "local:3",
    });
    expect(Array.from((await other.getApproved(id))?.vector ?? [])).toEqual([0.25, -0.5, 1]);
    // A new answer text keeps the search data; a new question clears it.
    expect(await state.updateApproved(id, { answer: "Eiropas programma." })).toBe(true);
    expect((await state.getApproved(id))?.embedderId).toBe("local:3");
    expect(await state.updateApproved(id, { question: "Kas ir LEADER pieeja?" })).toBe(true);
    expect(await state.getApproved(id)).toMatchObject({
      question: "Kas ir LEADER pieeja?",
      answer: "Eiropas programma.",
      tokens: [],
      vector: undefined,
    });
    expect(await state.updateApproved(424_242, { answer: "x" })).toBe(false);
    // An import keeps given ids, and a later new answer does not collide with them.
    expect(
      await state.saveApprovedMany([
        { id: 40, question: "Q40", answer: "A40" },
        { id, question: "Kas ir LEADER pieeja?", answer: "Aizstāta." },
      ]),
    ).toEqual({ added: 1, replaced: 1 });
    const next = await state.saveApproved({ question: "Q41", answer: "A41" });
    expect(next).toBeGreaterThan(40);
    expect((await other.listApproved()).map((r) => r.id)).toEqual([id, 40, next]);
    expect(await state.deleteApproved(40)).toBe(true);
    expect(await state.deleteApproved(40)).toBe(false);
  });

  it("keeps the other wordings of an approved answer: set, kept by edits and imports without them", async (t) => {
    if (skip()) return t.skip(skip());
    const { state, twin } = await open();
    const other = (await twinOf(twin)) ?? state;
    const id = await state.saveApproved({ question: "Kur nomāt telpas?", answer: "Pagastā." });
    expect((await state.getApproved(id))?.wordings).toEqual([]);
    const r0 = await other.approvedRevision();
    expect(await state.setApprovedWordings(id, ["kur dabut telpas", "telpas lēti?"])).toBe(true);
    expect(await other.approvedRevision()).not.toBe(r0);
    expect((await other.getApproved(id))?.wordings).toEqual(["kur dabut telpas", "telpas lēti?"]);
    expect(await state.setApprovedWordings(424_242, ["x"])).toBe(false);
    await state.updateApproved(id, { answer: "Pagasta pārvaldē." });
    await state.saveApprovedMany([{ id, question: "Kur nomāt telpas?", answer: "Pārvaldē." }]);
    expect((await state.getApproved(id))?.wordings).toHaveLength(2);
    await state.saveApprovedMany([{ id, question: "Kur?", answer: "Tur.", wordings: [] }]);
    expect((await state.getApproved(id))?.wordings).toEqual([]);
    const withThem = await state.saveApproved({ question: "Q", answer: "A", wordings: ["q"] });
    expect((await state.getApproved(withThem))?.wordings).toEqual(["q"]);
  });

  it("imports approved answers all or none", async (t) => {
    if (skip()) return t.skip(skip());
    const { state } = await open();
    const before = await state.approvedRevision();
    await expect(
      state.saveApprovedMany([
        { question: "Labs", answer: "Ieraksts" },
        // Refers to a coordinator's reply that does not exist: the foreign key refuses it.
        { question: "Slikts", answer: "Ieraksts", sourceReplyId: 987_654 },
      ]),
    ).rejects.toThrow();
    expect(await state.listApproved()).toEqual([]);
    expect(await state.approvedRevision()).toBe(before);
    // The state is usable after the rollback.
    expect(await state.saveApproved({ question: "Vēlāk", answer: "Jā" })).toBeGreaterThan(0);
  });

  it("remembers the last turns of a conversation, shared, until they expire", async (t) => {
    if (skip()) return t.skip(skip());
    const { state, twin } = await open();
    const other = (await twinOf(twin)) ?? state;
    const now = Date.now();
    for (let i = 1; i <= 4; i++) {
      await state.rememberTurn("tg:1", { at: now - 1000 + i, data: `{"n":${i}}` }, 3);
    }
    await state.rememberTurn("tg:2", { at: now, data: "{}" }, 3);
    const turns = await other.recentTurns("tg:1", { limit: 3, ttlMs: 60_000, now });
    expect(turns.map((x) => x.data)).toEqual(['{"n":2}', '{"n":3}', '{"n":4}']);
    expect(turns[2]?.at).toBe(now - 996);
    expect(
      await other.recentTurns("tg:1", { limit: 3, ttlMs: 60_000, now: now + 120_000 }),
    ).toEqual([]);
    // Expired turns are gone, not only hidden.
    expect(await state.recentTurns("tg:1", { limit: 3, ttlMs: 60_000, now })).toEqual([]);
    await other.forgetTurns("tg:2");
    expect(await state.recentTurns("tg:2", { limit: 3, ttlMs: 60_000, now })).toEqual([]);
  });

  it("counts rate-limit hits per window across handles", async (t) => {
    if (skip()) return t.skip(skip());
    const { state, twin } = await open();
    const other = (await twinOf(twin)) ?? state;
    const t0 = 1_800_000_000_000;
    const hits = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? other : state).hitRateLimit("messages:u1", 60_000, t0 + i),
      ),
    );
    expect([...hits].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await state.hitRateLimit("messages:u2", 60_000, t0)).toBe(1);
    expect(await other.hitRateLimit("messages:u1", 60_000, t0 + 60_000)).toBe(1);
  });

  it("reports interactions with hand-offs and votes; purges old ones; forgets a user", async (t) => {
    if (skip()) return t.skip(skip());
    const { state } = await open();
    const a = await state.recordInteraction({ ...input, userId: 11 });
    const b = await state.recordInteraction({ ...input, answered: false, userId: 12 });
    await state.recordFeedback({ interactionId: a, userId: 13, value: 1 });
    await state.recordFeedback({ interactionId: a, userId: 12, value: -1 });
    await state.createHandoff({
      interactionId: b,
      reason: "declined",
      chatId: 12,
      language: "lv",
      userId: 12,
      coordinatorChatId: -5,
    });
    const day = 86_400_000;
    const rows = await state.reportRows(new Date(Date.now() - day), new Date());
    expect(rows.map((r) => [r.id, r.answered, r.up, r.down, r.handoff?.status ?? null])).toEqual([
      [a, true, 1, 1, null],
      [b, false, 0, 0, "open"],
    ]);
    expect(await state.forgetUser(12)).toEqual({ interactions: 1, feedback: 1, handoffs: 1 });
    expect(await state.getInteraction(b)).toBeUndefined();
    expect(await state.feedbackCounts(a)).toEqual({ up: 1, down: 0 });
    await state.rememberTurn("tg:11", { at: Date.now() - 2 * day, data: "{}" }, 3);
    expect(await state.purgeOlderThan(30)).toBe(0);
    expect(await state.purgeOlderThan(1, new Date(Date.now() + 2 * day))).toBe(1);
    expect(await state.getInteraction(a)).toBeUndefined();
    expect(
      await state.recentTurns("tg:11", { limit: 3, ttlMs: 10 * day, now: Date.now() }),
    ).toEqual([]);
  });

  it("gives the same pseudonym on every handle, and refuses another key", async (t) => {
    if (skip()) return t.skip(skip());
    const { state, twin } = await open({ secret: "first-key" });
    const other = twin && (await twin({ secret: "first-key" }));
    if (other) {
      states.push(other);
      expect(other.pseudonymise(42)).toBe(state.pseudonymise(42));
    }
    expect(state.pseudonymise(42)).not.toBe(state.pseudonymise(43));
    if (twin) {
      const wrong = twin({ secret: "another-key" });
      await expect(wrong).rejects.toBeInstanceOf(StoreError);
      await expect(wrong).rejects.toMatchObject({ code: "pseudonym-key" });
    }
  });

  it("grants leadership to one handle at a time", async (t) => {
    if (skip()) return t.skip(skip());
    const { state, twin } = await open();
    const other = await twinOf(twin);
    const mine = await state.acquireLeadership("webhook");
    expect(mine).toBeDefined();
    if (backend.exclusiveLocks && other) {
      expect(await other.acquireLeadership("webhook")).toBeUndefined();
      expect(await other.acquireLeadership("something-else")).toBeDefined();
      await mine?.release();
      expect(await other.acquireLeadership("webhook")).toBeDefined();
    }
    await expect(state.ping()).resolves.toBeUndefined();
  });
});

describe("PostgreSQL only: migrations and the purge's advisory lock", () => {
  it("applies the migration files once and reports the schema", async (t) => {
    if (serverSkip || !server) return t.skip(serverSkip);
    const url = await server.createDatabase("padoms_migrations");
    const pool = await connectPostgres(url, 2);
    try {
      const sql = postgresClient(pool);
      const migrations = loadMigrations();
      expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
      expect(await postgresSchemaStatus(sql)).toMatchObject({
        current: 0,
        pending: migrations.map((m) => m.name),
      });
      await expect(openPostgresState(url, { migrate: false })).rejects.toMatchObject({
        code: "old-version",
      });
      // Two replicas starting together: the lock makes the second wait, then find nothing to do.
      const [a, b] = await Promise.all([openPostgresState(url), openPostgresState(url)]);
      expect([a.schemaVersion, b.schemaVersion]).toEqual([migrations.length, migrations.length]);
      await Promise.all([a.close(), b.close()]);
      expect(await postgresSchemaStatus(sql)).toMatchObject({
        current: migrations.length,
        latest: migrations.length,
        pending: [],
      });
      expect((await pool.query("SELECT count(*)::int AS n FROM schema_migrations")).rows[0].n).toBe(
        migrations.length,
      );
    } finally {
      await pool.end();
    }
  });

  it("purges on one replica at a time: a held lock makes the purge a no-op", async (t) => {
    if (serverSkip || !server) return t.skip(serverSkip);
    const url = await server.createDatabase("padoms_purge_lock");
    const state = await openPostgresState(url);
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await state.recordInteraction(input);
      const future = new Date(Date.now() + 3 * 86_400_000);
      await holder.query("SELECT pg_advisory_lock(hashtext('padoms:' || $1))", ["retention-purge"]);
      expect(await state.purgeOlderThan(1, future)).toBe(0);
      await holder.query("SELECT pg_advisory_unlock_all()");
      expect(await state.purgeOlderThan(1, future)).toBe(1);
    } finally {
      await holder.end();
      await state.close();
    }
  });

  it("names the server and the fix when it cannot connect", async () => {
    await expect(
      openPostgresState("postgres://padoms:secret-password@127.0.0.1:1/padoms"),
    ).rejects.toSatisfy(
      (error: Error) =>
        error instanceof StoreError &&
        error.code === "database" &&
        error.message.includes("127.0.0.1:1/padoms") &&
        error.message.includes("DATABASE_URL") &&
        !error.message.includes("secret-password"),
    );
  });
});
