import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { AppDbVersionError, type InteractionInput, openAppDb } from "../../src/store/app-db.js";

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
    expect(db.schemaVersion).toBe(1);
    db.close();
    const raw = new Database(path);
    expect(raw.pragma("user_version", { simple: true })).toBe(1);
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
