/**
 * The SQLite client of the app-state areas: a transaction that awaits between its statements
 * keeps other callers' statements and transactions out of it.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { sqliteClient, toPositional } from "../../src/store/sql.js";

describe("sqliteClient", () => {
  it("runs concurrent transactions one after another, and statements between them", async () => {
    const db = new Database(":memory:");
    db.exec("CREATE TABLE t (n INTEGER NOT NULL, tx INTEGER)");
    const sql = sqliteClient(db);
    const inTransaction = (tx: number) =>
      sql.transaction(async (inner) => {
        for (let i = 0; i < 3; i++) {
          await inner.run("INSERT INTO t (n, tx) VALUES (@n, @tx)", { n: i, tx });
          await new Promise((r) => setTimeout(r, 1));
        }
        if (tx === 2) throw new Error("rolled back on purpose");
      });
    const results = await Promise.allSettled([
      inTransaction(1),
      sql.run("INSERT INTO t (n, tx) VALUES (9, NULL)"),
      inTransaction(2),
      inTransaction(3),
      sql.run("INSERT INTO t (n, tx) VALUES (8, NULL)"),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    // Transaction 2 rolled back alone: the plain inserts and the other transactions stayed.
    const rows = await sql.all<{ n: number; tx: number | null }>("SELECT n, tx FROM t");
    expect(rows.filter((r) => r.tx === 1)).toHaveLength(3);
    expect(rows.filter((r) => r.tx === 2)).toHaveLength(0);
    expect(rows.filter((r) => r.tx === 3)).toHaveLength(3);
    expect(
      rows
        .filter((r) => r.tx === null)
        .map((r) => r.n)
        .sort(),
    ).toEqual([8, 9]);
    db.close();
  });

  it("numbers named parameters for PostgreSQL, once per name, outside quotes", () => {
    expect(toPositional("SELECT @a, @b, @a, '@c', 'it''s @d'")).toEqual({
      text: "SELECT $1, $2, $1, '@c', 'it''s @d'",
      names: ["a", "b"],
    });
  });
});
