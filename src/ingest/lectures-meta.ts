import { z } from "zod";
import type { LectureMeta } from "../types.js";
import { IngestError } from "./errors.js";

const optionalText = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === "" ? undefined : s.trim()));

const lectureSchema = z.object({
  id: z.string().trim().min(1, "must be a non-empty string"),
  file: z
    .string()
    .trim()
    .min(1, "must be a non-empty file name")
    .refine((f) => !f.startsWith("/") && !f.split(/[\\/]/).includes(".."), {
      message: "must be a path relative to the folder of lectures.json",
    }),
  title: z.string().trim().min(1, "must be a non-empty string"),
  lecturer: optionalText,
  date: z
    .union([
      z.literal(""),
      z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be an ISO date (YYYY-MM-DD)"),
    ])
    .optional()
    .transform((s) => s || undefined),
  durationSec: z.number().nonnegative().optional(),
  topics: z.array(z.string()).optional(),
  summary: optionalText,
  moments: z
    .array(z.object({ startSec: z.number().nonnegative(), title: z.string().trim().min(1) }))
    .optional(),
  url: optionalText,
  language: optionalText,
  /** Where a newcomer should start: "beginner", "intermediate" or "advanced". */
  level: z.enum(["beginner", "intermediate", "advanced"]).optional(),
  /** Suggested viewing order (1 = first). */
  order: z.number().int().positive().optional(),
});

const fileSchema = z.object({ lectures: z.array(lectureSchema) });

function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`))
    .join("");
}

/**
 * Parses and validates a `lectures.json` file:
 * `{ "lectures": [ { id, file, title, lecturer?, date?, durationSec?, topics?, summary?, moments?, url?, language? } ] }`.
 * Empty optional strings (e.g. `"url": ""`) become absent. Ids must be unique.
 *
 * @param text - The file contents.
 * @param path - Path of the file, for error messages.
 * @throws {@link IngestError} `"corrupt"` naming the offending field (e.g. `lectures[2].title`).
 */
export function parseLecturesJson(text: string, path: string): LectureMeta[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new IngestError(
      "corrupt",
      `${path}: not valid JSON (${error instanceof Error ? error.message : String(error)}). Fix the syntax, e.g. a missing comma or quote.`,
      path,
      { cause: error },
    );
  }
  const result = fileSchema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 3)
      .map((issue) => `${fieldPath(issue.path) || "(top level)"}: ${issue.message}`)
      .join("; ");
    throw new IngestError(
      "corrupt",
      `${path}: invalid lecture metadata — ${issues}. Fix these fields (expected { "lectures": [ { "id", "file", "title", … } ] }).`,
      path,
      { cause: result.error },
    );
  }
  const seen = new Set<string>();
  return result.data.lectures.map((l, i) => {
    if (seen.has(l.id)) {
      throw new IngestError(
        "corrupt",
        `${path}: lectures[${i}].id: duplicate id "${l.id}". Give every lecture its own id.`,
        path,
      );
    }
    seen.add(l.id);
    const meta: LectureMeta = { id: l.id, file: l.file.replace(/\\/g, "/"), title: l.title };
    if (l.lecturer !== undefined) meta.lecturer = l.lecturer;
    if (l.date !== undefined) meta.date = l.date;
    if (l.durationSec !== undefined) meta.durationSec = l.durationSec;
    if (l.topics !== undefined) meta.topics = l.topics;
    if (l.summary !== undefined) meta.summary = l.summary;
    if (l.moments !== undefined) meta.moments = l.moments;
    if (l.url !== undefined) meta.url = l.url;
    if (l.language !== undefined) meta.language = l.language;
    if (l.level !== undefined) meta.level = l.level;
    if (l.order !== undefined) meta.order = l.order;
    return meta;
  });
}

/**
 * Keys lecture metadata by the corpus-relative path of each lecture file
 * (`lectures.json` at `lectures/lectures.json` with `file: "a.vtt"` → `lectures/a.vtt`).
 *
 * @param jsonRelPath - Corpus-relative path of the `lectures.json` file.
 * @param lectures - Its parsed entries.
 * @param into - Map to add to (a new one by default).
 */
export function indexLectures(
  jsonRelPath: string,
  lectures: readonly LectureMeta[],
  into: Map<string, LectureMeta> = new Map(),
): Map<string, LectureMeta> {
  const rel = jsonRelPath.replace(/\\/g, "/");
  const dir = rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/") + 1) : "";
  for (const l of lectures) into.set(`${dir}${l.file.replace(/^\.\//, "")}`, l);
  return into;
}
