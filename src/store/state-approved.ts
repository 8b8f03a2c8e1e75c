/**
 * App-state area: the coordinators' approved answers (FAQ) with the search data of their
 * questions, and a revision number that changes with every change, so that each replica knows
 * when to reload them.
 */
import type { ApprovedAnswerInput, ApprovedAnswerRow, AppState } from "./app-state.js";
import type { SqlClient } from "./sql.js";
import { type AreaContext, nowIso, parseJsonArray } from "./state-area.js";

interface ApprovedRow {
  id: number;
  question: string;
  answer: string;
  approved_at: string;
  approved_by: string | null;
  updated_at: string;
  source_reply_id: number | null;
  tokens: string;
  vector: Buffer | null;
  embedder_id: string | null;
  wordings: string;
}

function toApproved(row: ApprovedRow | undefined): ApprovedAnswerRow | undefined {
  if (!row) return undefined;
  const vector = row.vector
    ? new Float32Array(
        row.vector.buffer.slice(row.vector.byteOffset, row.vector.byteOffset + row.vector.length),
      )
    : undefined;
  return {
    id: row.id,
    question: row.question,
    answer: row.answer,
    approvedAt: row.approved_at,
    approvedBy: row.approved_by ?? undefined,
    updatedAt: row.updated_at,
    tokens: parseJsonArray<string>(row.tokens),
    vector,
    embedderId: row.embedder_id ?? undefined,
    sourceReplyId: row.source_reply_id ?? undefined,
    wordings: parseJsonArray<string>(row.wordings),
  };
}

type ApprovedArea = Pick<
  AppState,
  | "listApproved"
  | "getApproved"
  | "saveApproved"
  | "saveApprovedMany"
  | "updateApproved"
  | "setApprovedWordings"
  | "deleteApproved"
  | "setApprovedIndex"
  | "approvedRevision"
>;

const bumpRevision = (tx: SqlClient) =>
  tx.run(
    `UPDATE settings SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
    WHERE key = 'approved_revision'`,
  );

const selectApproved = (sql: SqlClient, id: number) =>
  sql.get<ApprovedRow>("SELECT * FROM approved_answers WHERE id = @id", { id });

async function saveOne(tx: SqlClient, input: ApprovedAnswerInput): Promise<number> {
  const now = nowIso();
  const params = {
    question: input.question,
    answer: input.answer,
    approvedAt: input.approvedAt ?? now,
    approvedBy: input.approvedBy ?? null,
    updatedAt: now,
    sourceReplyId: input.sourceReplyId ?? null,
    wordings: input.wordings ? JSON.stringify(input.wordings) : null,
  };
  let id: number;
  if (input.id === undefined) {
    const row = await tx.get<{ id: number }>(
      `INSERT INTO approved_answers (question, answer, approved_at, approved_by, updated_at,
        source_reply_id, wordings)
      VALUES (@question, @answer, @approvedAt, @approvedBy, @updatedAt, @sourceReplyId,
        coalesce(CAST(@wordings AS TEXT), '[]'))
      RETURNING id`,
      params,
    );
    id = (row as { id: number }).id;
  } else {
    await tx.run(
      `INSERT INTO approved_answers (id, question, answer, approved_at, approved_by, updated_at,
        source_reply_id, wordings)
      VALUES (@id, @question, @answer, @approvedAt, @approvedBy, @updatedAt, @sourceReplyId,
        coalesce(CAST(@wordings AS TEXT), '[]'))
      ON CONFLICT (id) DO UPDATE SET question = excluded.question, answer = excluded.answer,
        approved_at = excluded.approved_at, approved_by = excluded.approved_by,
        updated_at = excluded.updated_at,
        wordings = CASE WHEN CAST(@wordings AS TEXT) IS NULL
          THEN approved_answers.wordings ELSE excluded.wordings END,
        tokens = CASE WHEN approved_answers.question = excluded.question
          THEN approved_answers.tokens ELSE '[]' END,
        vector = CASE WHEN approved_answers.question = excluded.question
          THEN approved_answers.vector ELSE NULL END,
        embedder_id = CASE WHEN approved_answers.question = excluded.question
          THEN approved_answers.embedder_id ELSE NULL END`,
      { id: input.id, ...params },
    );
    id = input.id;
    if (tx.dialect === "postgres") {
      // An id given explicitly does not move the identity sequence: move it past the largest.
      await tx.run(
        `SELECT setval(pg_get_serial_sequence('approved_answers', 'id'),
          GREATEST((SELECT max(id) FROM approved_answers), 1))`,
      );
    }
  }
  await bumpRevision(tx);
  return id;
}

export function approvedArea(ctx: AreaContext): ApprovedArea {
  const { sql } = ctx;
  return {
    listApproved: async () =>
      (await sql.all<ApprovedRow>("SELECT * FROM approved_answers ORDER BY id")).map(
        (r) => toApproved(r) as ApprovedAnswerRow,
      ),
    getApproved: async (id) => toApproved(await selectApproved(sql, id)),
    saveApproved: (input) => sql.transaction((tx) => saveOne(tx, input)),
    saveApprovedMany: (inputs) =>
      sql.transaction(async (tx) => {
        let added = 0;
        let replaced = 0;
        for (const input of inputs) {
          if (input.id !== undefined && (await selectApproved(tx, input.id))) replaced++;
          else added++;
          await saveOne(tx, input);
        }
        return { added, replaced };
      }),
    updateApproved: (id, fields) =>
      sql.transaction(async (tx) => {
        const changed =
          (await tx.run(
            `UPDATE approved_answers SET answer = coalesce(CAST(@answer AS TEXT), answer),
              updated_at = @updatedAt, approved_at = @updatedAt,
              tokens = CASE WHEN CAST(@question AS TEXT) IS NULL OR @question = question
                THEN tokens ELSE '[]' END,
              vector = CASE WHEN CAST(@question AS TEXT) IS NULL OR @question = question
                THEN vector ELSE NULL END,
              embedder_id = CASE WHEN CAST(@question AS TEXT) IS NULL OR @question = question
                THEN embedder_id ELSE NULL END,
              question = coalesce(CAST(@question AS TEXT), question)
            WHERE id = @id`,
            {
              id,
              question: fields.question ?? null,
              answer: fields.answer ?? null,
              updatedAt: nowIso(),
            },
          )) === 1;
        if (changed) await bumpRevision(tx);
        return changed;
      }),
    setApprovedWordings: (id, wordings) =>
      sql.transaction(async (tx) => {
        const changed =
          (await tx.run(
            `UPDATE approved_answers SET wordings = @wordings, updated_at = @updatedAt
            WHERE id = @id`,
            { id, wordings: JSON.stringify(wordings), updatedAt: nowIso() },
          )) === 1;
        if (changed) await bumpRevision(tx);
        return changed;
      }),
    deleteApproved: (id) =>
      sql.transaction(async (tx) => {
        const changed = (await tx.run("DELETE FROM approved_answers WHERE id = @id", { id })) === 1;
        if (changed) await bumpRevision(tx);
        return changed;
      }),
    async setApprovedIndex(id, tokens, vector, embedderId) {
      await sql.run(
        `UPDATE approved_answers SET tokens = @tokens, vector = @vector, embedder_id = @embedderId
        WHERE id = @id`,
        {
          id,
          tokens: JSON.stringify(tokens),
          vector: Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
          embedderId,
        },
      );
    },
    approvedRevision: async () =>
      Number(
        (
          await sql.get<{ v: number }>(
            "SELECT CAST(value AS INTEGER) AS v FROM settings WHERE key = 'approved_revision'",
          )
        )?.v ?? 0,
      ),
  };
}
