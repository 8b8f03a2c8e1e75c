import { createHmac } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import {
  APP_DB_FILE,
  type AppDb,
  AppDbVersionError,
  type InteractionInput,
  openAppDb,
  PSEUDONYM_KEY_FILE,
} from "../../src/store/app-db.js";

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "padoms-appdb-"));
  dirs.push(dir);
  return join(dir, "app.sqlite");
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const input: InteractionInput = {
  question: "Kā iegūt statusu?",
  answer: "Tā [1].",
  language: "lv",
  mode: "extractive",
  answered: true,
  citations: [
    { n: 1, kind: "handbook", title: "R", path: "r.pdf", page: 3, chunkId: "c", text: "t" },
  ],
  channel: "private",
  chatId: 123456789,
  userId: 123456789,
};

describe("app database", () => {
  it("versions the schema, uses WAL and a busy timeout", async () => {
    const path = tempFile();
    const db = openAppDb(path);
    expect(db.schemaVersion).toBe(4);
    await db.close();
    const raw = new Database(path);
    expect(raw.pragma("user_version", { simple: true })).toBe(4);
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
  });

  it("refuses a database from a newer Padoms", async () => {
    const path = tempFile();
    const raw = new Database(path);
    raw.pragma("user_version = 99");
    raw.close();
    expect(() => openAppDb(path)).toThrow(AppDbVersionError);
  });

  it("never stores the raw user id, and drops the chat id of private chats", async () => {
    const path = tempFile();
    const db = openAppDb(path, { pseudonymSecret: "k1" });
    const id = await db.recordInteraction(input);
    const group = await db.recordInteraction({ ...input, channel: "supergroup", chatId: -100500 });
    expect((await db.getInteraction(id))?.chatId).toBeUndefined();
    expect((await db.getInteraction(group))?.chatId).toBe(-100500);
    expect((await db.getInteraction(id))?.citations[0]?.page).toBe(3);
    await db.close();
    const raw = new Database(path);
    const dump = JSON.stringify(raw.prepare("SELECT * FROM interactions").all());
    raw.close();
    expect(dump).not.toContain("123456789");
    expect(openAppDb(":memory:", { pseudonymSecret: "k2" }).pseudonymise(1)).not.toBe(
      openAppDb(":memory:", { pseudonymSecret: "k1" }).pseudonymise(1),
    );
  });

  it("keeps a generated pseudonym key across reopenings", async () => {
    const path = tempFile();
    const a = openAppDb(path);
    const first = a.pseudonymise(42);
    await a.close();
    const b = openAppDb(path);
    expect(b.pseudonymise(42)).toBe(first);
    await b.close();
  });

  it("records feedback once per interaction and user", async () => {
    const db = openAppDb(":memory:");
    const id = await db.recordInteraction(input);
    expect(await db.recordFeedback({ interactionId: id, userId: 1, value: 1 })).toBe("recorded");
    expect(await db.recordFeedback({ interactionId: id, userId: 1, value: -1 })).toBe("duplicate");
    expect(await db.recordFeedback({ interactionId: id, userId: 2, value: -1 })).toBe("recorded");
    expect(await db.recordFeedback({ interactionId: 999, userId: 1, value: 1 })).toBe(
      "unknown-interaction",
    );
    expect(await db.feedbackCounts(id)).toEqual({ up: 1, down: 1 });
  });

  it("purges old interactions with their feedback", async () => {
    const db = openAppDb(":memory:");
    const id = await db.recordInteraction(input);
    await db.recordFeedback({ interactionId: id, userId: 1, value: 1 });
    expect(await db.purgeOlderThan(30)).toBe(0);
    expect(await db.purgeOlderThan(30, new Date(Date.now() + 31 * 86_400_000))).toBe(1);
    expect(await db.getInteraction(id)).toBeUndefined();
    expect(await db.feedbackCounts(id)).toEqual({ up: 0, down: 0 });
  });
});

const DAY = 86_400_000;

/** A question answered the durable way: pending, answered, replied. */
async function ask(
  db: AppDb,
  userId: number,
  question = "Kā iegūt statusu?",
  answered = true,
): Promise<number> {
  const id = await db.recordQuestion({
    question,
    language: "lv",
    channel: "private",
    chatId: userId,
    userId,
    messageId: 7,
  });
  await db.recordAnswer(id, { ...input, answered, answer: answered ? input.answer : "" });
  await db.markReplied(id);
  return id;
}

async function handOff(db: AppDb, interactionId: number, userId: number) {
  const h = await db.createHandoff({
    interactionId,
    reason: "declined",
    chatId: userId,
    replyToMessageId: 7,
    language: "lv",
    userId,
    coordinatorChatId: -100,
  });
  if (!h) throw new Error("no hand-off");
  await db.setHandoffMessage(h.id, 900 + h.id);
  return h;
}

describe("app database: the coordinators' schema (v2)", () => {
  it("migrates a version 1 database, keeping its interactions and their outcome", async () => {
    const path = tempFile();
    const raw = new Database(path);
    raw.exec(`
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE interactions (id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        channel TEXT NOT NULL, chat_id INTEGER, user_hash TEXT, question TEXT NOT NULL,
        answer TEXT NOT NULL, language TEXT NOT NULL, mode TEXT NOT NULL, answered INTEGER NOT NULL,
        decline_reason TEXT, citations TEXT NOT NULL DEFAULT '[]',
        related_lectures TEXT NOT NULL DEFAULT '[]', latency_ms INTEGER);
      CREATE INDEX interactions_created_at ON interactions (created_at);
      CREATE TABLE feedback (interaction_id INTEGER NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
        user_hash TEXT NOT NULL, value INTEGER NOT NULL CHECK (value IN (1, -1)),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        PRIMARY KEY (interaction_id, user_hash));
      INSERT INTO interactions (channel, question, answer, language, mode, answered)
        VALUES ('private', 'a?', 'A', 'lv', 'extractive', 1), ('private', 'b?', '', 'lv', 'extractive', 0);
      PRAGMA user_version = 1;
    `);
    raw.close();
    const db = openAppDb(path);
    expect(db.schemaVersion).toBe(4);
    expect((await db.getInteraction(1))?.status).toBe("answered");
    expect((await db.getInteraction(2))?.status).toBe("declined");
    await db.close();
  });

  it("records a question as pending at once and marks it when the reply is sent", async () => {
    const db = openAppDb(":memory:");
    const id = await db.recordQuestion({
      question: "Kas ir LEADER?",
      language: "lv",
      channel: "private",
      chatId: 555,
      userId: 555,
      messageId: 12,
    });
    expect((await db.getInteraction(id))?.status).toBe("pending");
    expect((await db.getInteraction(id))?.chatId).toBeUndefined();
    const later = new Date(Date.now() + 120_000);
    expect(await db.pendingQuestions(later)).toEqual([
      expect.objectContaining({ id, chatId: 555, messageId: 12, language: "lv" }),
    ]);
    expect(await db.pendingQuestions(new Date(Date.now() - 60_000))).toEqual([]);
    await db.recordAnswer(id, { ...input, answered: false, answer: "" });
    expect((await db.getInteraction(id))?.status).toBe("pending");
    await db.markReplied(id);
    expect((await db.getInteraction(id))?.status).toBe("declined");
    expect(await db.pendingQuestions(later)).toEqual([]);
    const failed = await ask(db, 556);
    expect((await db.getInteraction(failed))?.status).toBe("answered");
    const other = await db.recordQuestion({
      question: "x?",
      language: "en",
      channel: "private",
      chatId: 1,
    });
    await db.markReplied(other, true);
    expect((await db.getInteraction(other))?.status).toBe("failed");
    const lost = await db.recordQuestion({
      question: "y?",
      language: "en",
      channel: "private",
      chatId: 2,
    });
    await db.markRestarted(lost);
    expect((await db.getInteraction(lost))?.status).toBe("restarted");
  });

  it("forgets the reply address of a private chat once replied (privacy)", async () => {
    const path = tempFile();
    const db = openAppDb(path, { pseudonymSecret: "k" });
    await ask(db, 987654321);
    await db.close();
    const raw = new Database(path);
    const dump = JSON.stringify(raw.prepare("SELECT * FROM interactions").all());
    raw.close();
    expect(dump).not.toContain("987654321");
  });

  it("keeps hand-offs with their replies; a reply is matched by the hand-off message or its confirmation", async () => {
    const db = openAppDb(":memory:");
    const q = await ask(db, 42, "Kā pieteikt suni izstādei?", false);
    const h = await handOff(db, q, 42);
    expect(h.status).toBe("open");
    expect(await db.createHandoff({ ...h, userId: 42 })).toBeUndefined();
    expect((await db.handoffByMessage(-100, 900 + h.id))?.id).toBe(h.id);
    expect(await db.handoffByMessage(-999, 900 + h.id)).toBeUndefined();
    const r1 = await db.recordReply({
      handoffId: h.id,
      coordinatorId: 7,
      coordinatorName: "Inese",
      text: "A",
    });
    await db.markReplyDelivered(r1);
    await db.setReplyConfirmation(r1, 5000);
    expect((await db.handoffByMessage(-100, 5000))?.id).toBe(h.id);
    expect((await db.getHandoff(h.id))?.status).toBe("answered");
    const r2 = await db.recordReply({
      handoffId: h.id,
      coordinatorId: 8,
      coordinatorName: "Jānis",
      text: "B",
    });
    await db.markReplyDelivered(r2, "403: Forbidden: bot was blocked by the user");
    expect((await db.getHandoff(h.id))?.status).toBe("answered");
    expect(
      (await db.repliesOf(h.id)).map((r) => [r.coordinatorName, Boolean(r.deliveredAt), r.error]),
    ).toEqual([
      ["Inese", true, undefined],
      ["Jānis", false, "403: Forbidden: bot was blocked by the user"],
    ]);
    const q2 = await ask(db, 43, "Cits?", false);
    const h2 = await handOff(db, q2, 43);
    const r3 = await db.recordReply({
      handoffId: h2.id,
      coordinatorId: 7,
      coordinatorName: "Inese",
      text: "C",
    });
    await db.markReplyDelivered(r3, "403: blocked");
    expect((await db.getHandoff(h2.id))?.status).toBe("undelivered");
  });

  it("retention: purging old interactions removes their feedback, hand-offs and replies but keeps approved answers", async () => {
    const db = openAppDb(":memory:");
    const q = await ask(db, 42, "Kā pieteikt suni izstādei?", false);
    await db.recordFeedback({ interactionId: q, userId: 42, value: -1 });
    const h = await handOff(db, q, 42);
    const r = await db.recordReply({
      handoffId: h.id,
      coordinatorId: 7,
      coordinatorName: "Inese",
      text: "A",
    });
    const faq = await db.saveApproved({
      question: "Kā pieteikt suni izstādei?",
      answer: "A",
      sourceReplyId: r,
    });
    expect(await db.purgeOlderThan(180, new Date(Date.now() + 179 * DAY))).toBe(0);
    expect(await db.purgeOlderThan(180, new Date(Date.now() + 181 * DAY))).toBe(1);
    expect(await db.getInteraction(q)).toBeUndefined();
    expect(await db.getHandoff(h.id)).toBeUndefined();
    expect(await db.getReply(r)).toBeUndefined();
    expect(await db.feedbackCounts(q)).toEqual({ up: 0, down: 0 });
    expect((await db.getApproved(faq))?.answer).toBe("A");
    expect((await db.getApproved(faq))?.sourceReplyId).toBeUndefined();
  });

  it("pseudonymises with a keyed hash: stable per key, different across keys and users", async () => {
    const a = openAppDb(":memory:", { pseudonymSecret: "secret-a" });
    const b = openAppDb(":memory:", { pseudonymSecret: "secret-b" });
    expect(a.pseudonymise(42)).toBe(a.pseudonymise(42));
    expect(a.pseudonymise(42)).not.toBe(a.pseudonymise(43));
    expect(a.pseudonymise(42)).not.toBe(b.pseudonymise(42));
    expect(a.pseudonymise(42)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.pseudonymise(42)).toBe(
      createHmac("sha256", "secret-a").update("tg:42").digest("base64url"),
    );
  });

  it("forgets one user: their interactions, feedback and hand-offs, nobody else's", async () => {
    const db = openAppDb(":memory:");
    const mine = await ask(db, 42, "Mans jautājums?", false);
    await handOff(db, mine, 42);
    const theirs = await ask(db, 43, "Cits jautājums?");
    await db.recordFeedback({ interactionId: theirs, userId: 42, value: 1 });
    await db.recordFeedback({ interactionId: theirs, userId: 43, value: 1 });
    expect(await db.forgetUser(42)).toEqual({ interactions: 1, feedback: 1, handoffs: 1 });
    expect(await db.getInteraction(mine)).toBeUndefined();
    expect(await db.handoffOfInteraction(mine)).toBeUndefined();
    expect(await db.getInteraction(theirs)).toBeDefined();
    expect(await db.feedbackCounts(theirs)).toEqual({ up: 1, down: 0 });
    expect(await db.forgetUser(42)).toEqual({ interactions: 0, feedback: 0, handoffs: 0 });
  });

  it("stores approved answers with their search data; a changed question drops it", async () => {
    const db = openAppDb(":memory:");
    const r0 = await db.approvedRevision();
    const id = await db.saveApproved({ question: "Q?", answer: "A", approvedBy: "Inese" });
    expect(await db.approvedRevision()).toBe(r0 + 1);
    await db.setApprovedIndex(id, ["q"], Float32Array.from([0.6, 0.8]), "emb-1");
    const row = await db.getApproved(id);
    expect(row?.tokens).toEqual(["q"]);
    expect([...(row?.vector ?? [])].map((x) => Number(x.toFixed(3)))).toEqual([0.6, 0.8]);
    expect(row?.embedderId).toBe("emb-1");
    expect(await db.updateApproved(id, { answer: "B" })).toBe(true);
    expect((await db.getApproved(id))?.vector).toBeDefined();
    expect(await db.updateApproved(id, { question: "Cits?" })).toBe(true);
    expect((await db.getApproved(id))?.vector).toBeUndefined();
    expect(await db.getApproved(id)).toMatchObject({ question: "Cits?", answer: "B", tokens: [] });
    expect(await db.updateApproved(999, { answer: "x" })).toBe(false);
    expect(
      await db.saveApprovedMany([
        { id, question: "Cits?", answer: "C" },
        { question: "Jauns?", answer: "D" },
      ]),
    ).toEqual({
      added: 1,
      replaced: 1,
    });
    expect((await db.listApproved()).map((r) => r.answer)).toEqual(["C", "D"]);
    expect(await db.deleteApproved(id)).toBe(true);
    expect(await db.deleteApproved(id)).toBe(false);
    expect(await db.approvedRevision()).toBeGreaterThan(r0 + 3);
  });

  it("gives the report its rows with hand-off status and feedback", async () => {
    const db = openAppDb(":memory:");
    const a = await ask(db, 1);
    await db.recordFeedback({ interactionId: a, userId: 1, value: 1 });
    const d = await ask(db, 2, "Suns?", false);
    await handOff(db, d, 2);
    await db.recordQuestion({
      question: "pending?",
      language: "lv",
      channel: "private",
      chatId: 3,
    });
    const rows = await db.reportRows(new Date(Date.now() - DAY), new Date(Date.now() + DAY));
    expect(rows.map((r) => [r.status, r.up, r.handoff?.status ?? null])).toEqual([
      ["answered", 1, null],
      ["declined", 0, "open"],
      ["pending", 0, null],
    ]);
    expect(await db.reportRows(new Date(Date.now() + DAY), new Date(Date.now() + 2 * DAY))).toEqual(
      [],
    );
  });
});

describe("stored data is protected (issue 13, items 10–12)", () => {
  const SECRET_TEXT = "ZEBRA-QUESTION-4242 par manu parādu";
  const ANSWER_TEXT = "ZEBRA-ANSWER-7373";
  const REPLY_TEXT = "ZEBRA-REPLY-5151 no koordinatora";
  const NAME = "ZEBRA-NAME-Kristīne";

  /** The bytes of the database and its WAL, as anyone reading the files would see them. */
  function fileBytes(path: string): string {
    return [path, `${path}-wal`]
      .filter((p) => existsSync(p))
      .map((p) => readFileSync(p).toString("latin1"))
      .join("\n");
  }
  const readable = (bytes: string) =>
    [SECRET_TEXT, ANSWER_TEXT, REPLY_TEXT, NAME]
      .map((t) => Buffer.from(t).toString("latin1"))
      .filter((t) => bytes.includes(t));

  async function store(db: AppDb, userId: number): Promise<number> {
    const id = await db.recordInteraction({
      ...input,
      question: SECRET_TEXT,
      answer: ANSWER_TEXT,
      userId,
    });
    const handoff = await db.createHandoff({
      interactionId: id,
      reason: "declined",
      chatId: userId,
      language: "lv",
      userId,
      coordinatorChatId: -100,
    });
    const reply = await db.recordReply({
      handoffId: handoff?.id as number,
      coordinatorId: 7,
      coordinatorName: NAME,
      text: REPLY_TEXT,
    });
    await db.markReplyDelivered(reply);
    return id;
  }

  it("/forget leaves no question, answer, reply or name readable in the database file", async () => {
    const path = tempFile();
    const db = openAppDb(path, { pseudonymSecret: "k" });
    await store(db, 42);
    expect(readable(fileBytes(path)).length).toBeGreaterThan(0);
    expect((await db.forgetUser(42)).interactions).toBe(1);
    await db.close();
    expect(readable(fileBytes(path))).toEqual([]);
  });

  it("the retention purge leaves nothing readable either", async () => {
    const path = tempFile();
    const db = openAppDb(path, { pseudonymSecret: "k" });
    await store(db, 43);
    expect(await db.purgeOlderThan(1, new Date(Date.now() + 2 * DAY))).toBe(1);
    await db.close();
    expect(readable(fileBytes(path))).toEqual([]);
  });

  it("keeps a generated key in a 0600 file beside the database, never in it", async () => {
    const path = tempFile();
    const db = openAppDb(path);
    const hash = db.pseudonymise(42);
    await db.recordInteraction({ ...input, userId: 42 });
    await db.close();
    const keyFile = join(dirname(path), PSEUDONYM_KEY_FILE);
    const key = readFileSync(keyFile, "utf8").trim();
    expect(key.length).toBeGreaterThanOrEqual(32);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fileBytes(path)).not.toContain(key);
    expect(createHmac("sha256", key).update("tg:42").digest("base64url")).toBe(hash);
  });

  it("moves a key an older version kept in the database out to the key file", async () => {
    const path = tempFile();
    openAppDb(path).close();
    rmSync(join(dirname(path), PSEUDONYM_KEY_FILE));
    const legacyKey = "legacy-key-0123456789abcdef0123456789";
    const legacyHash = createHmac("sha256", legacyKey).update("tg:42").digest("base64url");
    const raw = new Database(path);
    raw.exec("DELETE FROM settings WHERE key = 'pseudonym_key_check'");
    raw.prepare("INSERT INTO settings (key, value) VALUES ('pseudonym_secret', ?)").run(legacyKey);
    raw
      .prepare(
        "INSERT INTO interactions (channel, user_hash, question, answer, language, mode, answered) VALUES ('private', ?, 'q', 'a', 'lv', 'extractive', 1)",
      )
      .run(legacyHash);
    raw.close();

    const db = openAppDb(path);
    expect(db.pseudonymise(42)).toBe(legacyHash);
    expect(readFileSync(join(dirname(path), PSEUDONYM_KEY_FILE), "utf8").trim()).toBe(legacyKey);
    expect((await db.forgetUser(42)).interactions).toBe(1);
    await db.close();
    expect(fileBytes(path)).not.toContain(legacyKey);
  });

  it("refuses another key with a message naming PSEUDONYM_SECRET, instead of losing the records", async () => {
    const path = tempFile();
    const first = openAppDb(path);
    first.recordInteraction({ ...input, userId: 42 });
    first.close();
    // PSEUDONYM_SECRET set after the first run.
    expect(() => openAppDb(path, { pseudonymSecret: "new-key" })).toThrowError(
      expect.objectContaining({
        name: "StoreError",
        code: "pseudonym-key",
        message: expect.stringMatching(
          /PSEUDONYM_SECRET.*unset it to use the key in .*pseudonym\.key/s,
        ),
      }),
    );
    // The generated key still works, and finds the records.
    const again = openAppDb(path);
    expect((await again.forgetUser(42)).interactions).toBe(1);
    await again.close();

    const envPath = tempFile();
    openAppDb(envPath, { pseudonymSecret: "k1" }).close();
    expect(() => openAppDb(envPath, { pseudonymSecret: "k2" })).toThrow(
      /PSEUDONYM_SECRET is not the key/,
    );
    // PSEUDONYM_SECRET removed later: no key file was ever written, so no key is guessed.
    expect(() => openAppDb(envPath)).toThrow(/Set PSEUDONYM_SECRET to the key used before/);
    openAppDb(envPath, { pseudonymSecret: "k1" }).close();
  });

  it("makes the data folder 0700 and the database files 0600 whatever the umask", async () => {
    const previous = process.umask(0o022);
    try {
      const dir = mkdtempSync(join(tmpdir(), "padoms-perm-"));
      dirs.push(dir);
      chmodSync(dir, 0o755);
      const path = join(dir, "data", APP_DB_FILE);
      const db = openAppDb(path);
      await db.recordInteraction(input);
      const mode = (p: string) => statSync(p).mode & 0o777;
      expect(mode(dirname(path))).toBe(0o700);
      for (const p of [path, `${path}-wal`, `${path}-shm`, join(dirname(path), PSEUDONYM_KEY_FILE)])
        expect(mode(p), p).toBe(0o600);
      await db.close();
      // An existing folder and database made under a loose umask are tightened on open.
      chmodSync(dirname(path), 0o755);
      chmodSync(path, 0o644);
      openAppDb(path).close();
      expect(mode(dirname(path))).toBe(0o700);
      expect(mode(path)).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });
});
