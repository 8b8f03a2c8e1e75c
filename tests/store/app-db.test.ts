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
  it("versions the schema, uses WAL and a busy timeout", () => {
    const path = tempFile();
    const db = openAppDb(path);
    expect(db.schemaVersion).toBe(2);
    db.close();
    const raw = new Database(path);
    expect(raw.pragma("user_version", { simple: true })).toBe(2);
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
  });

  it("refuses a database from a newer Padoms", () => {
    const path = tempFile();
    const raw = new Database(path);
    raw.pragma("user_version = 99");
    raw.close();
    expect(() => openAppDb(path)).toThrow(AppDbVersionError);
  });

  it("never stores the raw user id, and drops the chat id of private chats", () => {
    const path = tempFile();
    const db = openAppDb(path, { pseudonymSecret: "k1" });
    const id = db.recordInteraction(input);
    const group = db.recordInteraction({ ...input, channel: "supergroup", chatId: -100500 });
    expect(db.getInteraction(id)?.chatId).toBeUndefined();
    expect(db.getInteraction(group)?.chatId).toBe(-100500);
    expect(db.getInteraction(id)?.citations[0]?.page).toBe(3);
    db.close();
    const raw = new Database(path);
    const dump = JSON.stringify(raw.prepare("SELECT * FROM interactions").all());
    raw.close();
    expect(dump).not.toContain("123456789");
    expect(openAppDb(":memory:", { pseudonymSecret: "k2" }).pseudonymise(1)).not.toBe(
      openAppDb(":memory:", { pseudonymSecret: "k1" }).pseudonymise(1),
    );
  });

  it("keeps a generated pseudonym key across reopenings", () => {
    const path = tempFile();
    const a = openAppDb(path);
    const first = a.pseudonymise(42);
    a.close();
    const b = openAppDb(path);
    expect(b.pseudonymise(42)).toBe(first);
    b.close();
  });

  it("records feedback once per interaction and user", () => {
    const db = openAppDb(":memory:");
    const id = db.recordInteraction(input);
    expect(db.recordFeedback({ interactionId: id, userId: 1, value: 1 })).toBe("recorded");
    expect(db.recordFeedback({ interactionId: id, userId: 1, value: -1 })).toBe("duplicate");
    expect(db.recordFeedback({ interactionId: id, userId: 2, value: -1 })).toBe("recorded");
    expect(db.recordFeedback({ interactionId: 999, userId: 1, value: 1 })).toBe(
      "unknown-interaction",
    );
    expect(db.feedbackCounts(id)).toEqual({ up: 1, down: 1 });
  });

  it("purges old interactions with their feedback", () => {
    const db = openAppDb(":memory:");
    const id = db.recordInteraction(input);
    db.recordFeedback({ interactionId: id, userId: 1, value: 1 });
    expect(db.purgeOlderThan(30)).toBe(0);
    expect(db.purgeOlderThan(30, new Date(Date.now() + 31 * 86_400_000))).toBe(1);
    expect(db.getInteraction(id)).toBeUndefined();
    expect(db.feedbackCounts(id)).toEqual({ up: 0, down: 0 });
  });
});

const DAY = 86_400_000;

/** A question answered the durable way: pending, answered, replied. */
function ask(db: AppDb, userId: number, question = "Kā iegūt statusu?", answered = true): number {
  const id = db.recordQuestion({
    question,
    language: "lv",
    channel: "private",
    chatId: userId,
    userId,
    messageId: 7,
  });
  db.recordAnswer(id, { ...input, answered, answer: answered ? input.answer : "" });
  db.markReplied(id);
  return id;
}

function handOff(db: AppDb, interactionId: number, userId: number) {
  const h = db.createHandoff({
    interactionId,
    reason: "declined",
    chatId: userId,
    replyToMessageId: 7,
    language: "lv",
    userId,
    coordinatorChatId: -100,
  });
  if (!h) throw new Error("no hand-off");
  db.setHandoffMessage(h.id, 900 + h.id);
  return h;
}

describe("app database: the coordinators' schema (v2)", () => {
  it("migrates a version 1 database, keeping its interactions and their outcome", () => {
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
    expect(db.schemaVersion).toBe(2);
    expect(db.getInteraction(1)?.status).toBe("answered");
    expect(db.getInteraction(2)?.status).toBe("declined");
    db.close();
  });

  it("records a question as pending at once and marks it when the reply is sent", () => {
    const db = openAppDb(":memory:");
    const id = db.recordQuestion({
      question: "Kas ir LEADER?",
      language: "lv",
      channel: "private",
      chatId: 555,
      userId: 555,
      messageId: 12,
    });
    expect(db.getInteraction(id)?.status).toBe("pending");
    expect(db.getInteraction(id)?.chatId).toBeUndefined();
    const later = new Date(Date.now() + 120_000);
    expect(db.pendingQuestions(later)).toEqual([
      expect.objectContaining({ id, chatId: 555, messageId: 12, language: "lv" }),
    ]);
    expect(db.pendingQuestions(new Date(Date.now() - 60_000))).toEqual([]);
    db.recordAnswer(id, { ...input, answered: false, answer: "" });
    expect(db.getInteraction(id)?.status).toBe("pending");
    db.markReplied(id);
    expect(db.getInteraction(id)?.status).toBe("declined");
    expect(db.pendingQuestions(later)).toEqual([]);
    const failed = ask(db, 556);
    expect(db.getInteraction(failed)?.status).toBe("answered");
    const other = db.recordQuestion({
      question: "x?",
      language: "en",
      channel: "private",
      chatId: 1,
    });
    db.markReplied(other, true);
    expect(db.getInteraction(other)?.status).toBe("failed");
    const lost = db.recordQuestion({
      question: "y?",
      language: "en",
      channel: "private",
      chatId: 2,
    });
    db.markRestarted(lost);
    expect(db.getInteraction(lost)?.status).toBe("restarted");
  });

  it("forgets the reply address of a private chat once replied (privacy)", () => {
    const path = tempFile();
    const db = openAppDb(path, { pseudonymSecret: "k" });
    ask(db, 987654321);
    db.close();
    const raw = new Database(path);
    const dump = JSON.stringify(raw.prepare("SELECT * FROM interactions").all());
    raw.close();
    expect(dump).not.toContain("987654321");
  });

  it("keeps hand-offs with their replies; a reply is matched by the hand-off message or its confirmation", () => {
    const db = openAppDb(":memory:");
    const q = ask(db, 42, "Kā pieteikt suni izstādei?", false);
    const h = handOff(db, q, 42);
    expect(h.status).toBe("open");
    expect(db.createHandoff({ ...h, userId: 42 })).toBeUndefined();
    expect(db.handoffByMessage(-100, 900 + h.id)?.id).toBe(h.id);
    expect(db.handoffByMessage(-999, 900 + h.id)).toBeUndefined();
    const r1 = db.recordReply({
      handoffId: h.id,
      coordinatorId: 7,
      coordinatorName: "Inese",
      text: "A",
    });
    db.markReplyDelivered(r1);
    db.setReplyConfirmation(r1, 5000);
    expect(db.handoffByMessage(-100, 5000)?.id).toBe(h.id);
    expect(db.getHandoff(h.id)?.status).toBe("answered");
    const r2 = db.recordReply({
      handoffId: h.id,
      coordinatorId: 8,
      coordinatorName: "Jānis",
      text: "B",
    });
    db.markReplyDelivered(r2, "403: Forbidden: bot was blocked by the user");
    expect(db.getHandoff(h.id)?.status).toBe("answered");
    expect(
      db.repliesOf(h.id).map((r) => [r.coordinatorName, Boolean(r.deliveredAt), r.error]),
    ).toEqual([
      ["Inese", true, undefined],
      ["Jānis", false, "403: Forbidden: bot was blocked by the user"],
    ]);
    const q2 = ask(db, 43, "Cits?", false);
    const h2 = handOff(db, q2, 43);
    const r3 = db.recordReply({
      handoffId: h2.id,
      coordinatorId: 7,
      coordinatorName: "Inese",
      text: "C",
    });
    db.markReplyDelivered(r3, "403: blocked");
    expect(db.getHandoff(h2.id)?.status).toBe("undelivered");
  });

  it("retention: purging old interactions removes their feedback, hand-offs and replies but keeps approved answers", () => {
    const db = openAppDb(":memory:");
    const q = ask(db, 42, "Kā pieteikt suni izstādei?", false);
    db.recordFeedback({ interactionId: q, userId: 42, value: -1 });
    const h = handOff(db, q, 42);
    const r = db.recordReply({
      handoffId: h.id,
      coordinatorId: 7,
      coordinatorName: "Inese",
      text: "A",
    });
    const faq = db.saveApproved({
      question: "Kā pieteikt suni izstādei?",
      answer: "A",
      sourceReplyId: r,
    });
    expect(db.purgeOlderThan(180, new Date(Date.now() + 179 * DAY))).toBe(0);
    expect(db.purgeOlderThan(180, new Date(Date.now() + 181 * DAY))).toBe(1);
    expect(db.getInteraction(q)).toBeUndefined();
    expect(db.getHandoff(h.id)).toBeUndefined();
    expect(db.getReply(r)).toBeUndefined();
    expect(db.feedbackCounts(q)).toEqual({ up: 0, down: 0 });
    expect(db.getApproved(faq)?.answer).toBe("A");
    expect(db.getApproved(faq)?.sourceReplyId).toBeUndefined();
  });

  it("pseudonymises with a keyed hash: stable per key, different across keys and users", () => {
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

  it("forgets one user: their interactions, feedback and hand-offs, nobody else's", () => {
    const db = openAppDb(":memory:");
    const mine = ask(db, 42, "Mans jautājums?", false);
    handOff(db, mine, 42);
    const theirs = ask(db, 43, "Cits jautājums?");
    db.recordFeedback({ interactionId: theirs, userId: 42, value: 1 });
    db.recordFeedback({ interactionId: theirs, userId: 43, value: 1 });
    expect(db.forgetUser(42)).toEqual({ interactions: 1, feedback: 1, handoffs: 1 });
    expect(db.getInteraction(mine)).toBeUndefined();
    expect(db.handoffOfInteraction(mine)).toBeUndefined();
    expect(db.getInteraction(theirs)).toBeDefined();
    expect(db.feedbackCounts(theirs)).toEqual({ up: 1, down: 0 });
    expect(db.forgetUser(42)).toEqual({ interactions: 0, feedback: 0, handoffs: 0 });
  });

  it("stores approved answers with their search data; a changed question drops it", () => {
    const db = openAppDb(":memory:");
    const r0 = db.approvedRevision();
    const id = db.saveApproved({ question: "Q?", answer: "A", approvedBy: "Inese" });
    expect(db.approvedRevision()).toBe(r0 + 1);
    db.setApprovedIndex(id, ["q"], Float32Array.from([0.6, 0.8]), "emb-1");
    const row = db.getApproved(id);
    expect(row?.tokens).toEqual(["q"]);
    expect([...(row?.vector ?? [])].map((x) => Number(x.toFixed(3)))).toEqual([0.6, 0.8]);
    expect(row?.embedderId).toBe("emb-1");
    expect(db.updateApproved(id, { answer: "B" })).toBe(true);
    expect(db.getApproved(id)?.vector).toBeDefined();
    expect(db.updateApproved(id, { question: "Cits?" })).toBe(true);
    expect(db.getApproved(id)?.vector).toBeUndefined();
    expect(db.getApproved(id)).toMatchObject({ question: "Cits?", answer: "B", tokens: [] });
    expect(db.updateApproved(999, { answer: "x" })).toBe(false);
    expect(
      db.saveApprovedMany([
        { id, question: "Cits?", answer: "C" },
        { question: "Jauns?", answer: "D" },
      ]),
    ).toEqual({
      added: 1,
      replaced: 1,
    });
    expect(db.listApproved().map((r) => r.answer)).toEqual(["C", "D"]);
    expect(db.deleteApproved(id)).toBe(true);
    expect(db.deleteApproved(id)).toBe(false);
    expect(db.approvedRevision()).toBeGreaterThan(r0 + 3);
  });

  it("gives the report its rows with hand-off status and feedback", () => {
    const db = openAppDb(":memory:");
    const a = ask(db, 1);
    db.recordFeedback({ interactionId: a, userId: 1, value: 1 });
    const d = ask(db, 2, "Suns?", false);
    handOff(db, d, 2);
    db.recordQuestion({ question: "pending?", language: "lv", channel: "private", chatId: 3 });
    const rows = db.reportRows(new Date(Date.now() - DAY), new Date(Date.now() + DAY));
    expect(rows.map((r) => [r.status, r.up, r.handoff?.status ?? null])).toEqual([
      ["answered", 1, null],
      ["declined", 0, "open"],
      ["pending", 0, null],
    ]);
    expect(db.reportRows(new Date(Date.now() + DAY), new Date(Date.now() + 2 * DAY))).toEqual([]);
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

  function store(db: AppDb, userId: number): number {
    const id = db.recordInteraction({
      ...input,
      question: SECRET_TEXT,
      answer: ANSWER_TEXT,
      userId,
    });
    const handoff = db.createHandoff({
      interactionId: id,
      reason: "declined",
      chatId: userId,
      language: "lv",
      userId,
      coordinatorChatId: -100,
    });
    const reply = db.recordReply({
      handoffId: handoff?.id as number,
      coordinatorId: 7,
      coordinatorName: NAME,
      text: REPLY_TEXT,
    });
    db.markReplyDelivered(reply);
    return id;
  }

  it("/forget leaves no question, answer, reply or name readable in the database file", () => {
    const path = tempFile();
    const db = openAppDb(path, { pseudonymSecret: "k" });
    store(db, 42);
    expect(readable(fileBytes(path)).length).toBeGreaterThan(0);
    expect(db.forgetUser(42).interactions).toBe(1);
    db.close();
    expect(readable(fileBytes(path))).toEqual([]);
  });

  it("the retention purge leaves nothing readable either", () => {
    const path = tempFile();
    const db = openAppDb(path, { pseudonymSecret: "k" });
    store(db, 43);
    expect(db.purgeOlderThan(1, new Date(Date.now() + 2 * DAY))).toBe(1);
    db.close();
    expect(readable(fileBytes(path))).toEqual([]);
  });

  it("keeps a generated key in a 0600 file beside the database, never in it", () => {
    const path = tempFile();
    const db = openAppDb(path);
    const hash = db.pseudonymise(42);
    db.recordInteraction({ ...input, userId: 42 });
    db.close();
    const keyFile = join(dirname(path), PSEUDONYM_KEY_FILE);
    const key = readFileSync(keyFile, "utf8").trim();
    expect(key.length).toBeGreaterThanOrEqual(32);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fileBytes(path)).not.toContain(key);
    expect(createHmac("sha256", key).update("tg:42").digest("base64url")).toBe(hash);
  });

  it("moves a key an older version kept in the database out to the key file", () => {
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
    expect(db.forgetUser(42).interactions).toBe(1);
    db.close();
    expect(fileBytes(path)).not.toContain(legacyKey);
  });

  it("refuses another key with a message naming PSEUDONYM_SECRET, instead of losing the records", () => {
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
    expect(again.forgetUser(42).interactions).toBe(1);
    again.close();

    const envPath = tempFile();
    openAppDb(envPath, { pseudonymSecret: "k1" }).close();
    expect(() => openAppDb(envPath, { pseudonymSecret: "k2" })).toThrow(
      /PSEUDONYM_SECRET is not the key/,
    );
    // PSEUDONYM_SECRET removed later: no key file was ever written, so no key is guessed.
    expect(() => openAppDb(envPath)).toThrow(/Set PSEUDONYM_SECRET to the key used before/);
    openAppDb(envPath, { pseudonymSecret: "k1" }).close();
  });

  it("makes the data folder 0700 and the database files 0600 whatever the umask", () => {
    const previous = process.umask(0o022);
    try {
      const dir = mkdtempSync(join(tmpdir(), "padoms-perm-"));
      dirs.push(dir);
      chmodSync(dir, 0o755);
      const path = join(dir, "data", APP_DB_FILE);
      const db = openAppDb(path);
      db.recordInteraction(input);
      const mode = (p: string) => statSync(p).mode & 0o777;
      expect(mode(dirname(path))).toBe(0o700);
      for (const p of [path, `${path}-wal`, `${path}-shm`, join(dirname(path), PSEUDONYM_KEY_FILE)])
        expect(mode(p), p).toBe(0o600);
      db.close();
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
