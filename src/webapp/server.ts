/**
 * The Mini App's HTTP handler: the page and its assets (built by Vite into a folder), and the
 * JSON API under `<WEBAPP_URL path>api/`. Every API call must carry Telegram's `initData`
 * (`Authorization: tma …`), checked on every call (401); desk calls are for coordinators only,
 * checked on every call (403). No cookies are read or set, so there is nothing to forge across
 * sites; every answer carries a strict Content-Security-Policy (no inline script, nothing from
 * another origin).
 */
import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Api } from "grammy";
import type { ApprovedAnswerService } from "../answer/approved.js";
import { formatAnswerHtml } from "../bot/format.js";
import { langFromCode } from "../bot/i18n.js";
import { type Config, webAppBase } from "../config.js";
import { PadomsError } from "../errors.js";
import type { Logger } from "../log.js";
import type { AppDb } from "../store/app-db.js";
import type { ApiError, MeResponse, PreviewResponse } from "./api-types.js";
import { authenticate, createCoordinatorCheck, initDataOf, WebAppAuthError } from "./auth.js";
import { type Catalogue, MAX_QUERY_CHARS } from "./catalogue.js";
import { deskCsv } from "./csv-export.js";
import { createDeskServices, DeskError } from "./services.js";

/** Handles a request when it is the Mini App's; resolves false when it is not. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Where `npm run build:webapp` (and `npm start`) put the built page. */
export const DEFAULT_WEBAPP_DIST = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../dist/webapp",
);

/** The Content-Security-Policy of every answer: only this origin, no inline script. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors https://web.telegram.org https://*.telegram.org",
].join("; ");

const SECURITY_HEADERS = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
} as const;

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".json": "application/json",
};

/** Largest JSON body accepted, in bytes. */
const MAX_BODY_BYTES = 64 * 1024;
/** Longest reply or approved answer, in characters (Telegram's limit per message is 4,096). */
const MAX_TEXT_CHARS = 4000;

/** What {@link createWebAppHandler} needs. */
export interface WebAppHandlerOptions {
  config: Config;
  /** The bot's API: replies are sent and membership asked through it. */
  api: Pick<Api, "sendMessage" | "getChatMember">;
  appDb: AppDb;
  approved?: ApprovedAnswerService;
  catalogue: Catalogue;
  logger: Logger;
  /** Folder of the built page. Default {@link DEFAULT_WEBAPP_DIST}. */
  distDir?: string;
  /** Current time (tests). */
  now?: () => Date;
}

/** A request the API refuses: `status` 400, 404 or 413 with a message. */
export class HttpError extends PadomsError<
  "too-large" | "bad-json" | "bad-field" | "too-long" | "not-found"
> {
  override readonly name = "HttpError";
  constructor(
    readonly status: 400 | 404 | 413,
    code: "too-large" | "bad-json" | "bad-field" | "too-long" | "not-found",
    message: string,
  ) {
    super(code, message);
  }
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, "Content-Type": type, "Cache-Control": "no-store" });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), "application/json; charset=utf-8");
}

function sendError(res: ServerResponse, status: number, error: string, message: string): void {
  sendJson(res, status, { error, message } satisfies ApiError);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "too-large", "The request is too large.");
    chunks.push(chunk);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as unknown;
    if (value && typeof value === "object" && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HttpError(400, "bad-json", "The request body must be a JSON object.");
}

function text(body: Record<string, unknown>, field: string, required = true): string | undefined {
  const v = body[field];
  if (v === undefined && !required) return undefined;
  if (typeof v !== "string" || !v.trim())
    throw new HttpError(400, "bad-field", `"${field}" must be a non-empty text.`);
  if (v.length > MAX_TEXT_CHARS)
    throw new HttpError(400, "too-long", `"${field}" is longer than ${MAX_TEXT_CHARS} characters.`);
  return v.trim();
}

function idOf(s: string | undefined): number {
  if (!s || !/^\d{1,12}$/.test(s)) throw new HttpError(404, "not-found", "No such item.");
  return Number(s);
}

function query(url: URL, name: string): string {
  return (url.searchParams.get(name) ?? "").trim().slice(0, MAX_QUERY_CHARS);
}

/**
 * Creates the handler of the Mini App's page and API, under the path of `config.WEBAPP_URL`.
 */
export function createWebAppHandler(options: WebAppHandlerOptions): HttpHandler {
  const { config, logger, catalogue } = options;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!config.WEBAPP_URL || !token)
    throw new Error("The Mini App needs WEBAPP_URL and a bot token.");
  const base = webAppBase(config.WEBAPP_URL);
  const dist = options.distDir ?? DEFAULT_WEBAPP_DIST;
  const now = options.now ?? (() => new Date());
  const isCoordinator = createCoordinatorCheck({
    adminIds: config.ADMIN_USER_IDS,
    coordinatorChatId: config.COORDINATOR_CHAT_ID,
    api: options.api,
    logger,
  });
  const desk = createDeskServices({
    config,
    appDb: options.appDb,
    approved: options.approved,
    api: options.api,
    logger,
  });

  async function serveFile(res: ServerResponse, name: string): Promise<void> {
    const path = join(dist, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) {
      if (name === "index.html") {
        send(
          res,
          503,
          "The Mini App is not built: run `npm run build:webapp`, then restart Padoms.",
          "text/plain; charset=utf-8",
        );
        return;
      }
      sendError(res, 404, "not-found", "No such file.");
      return;
    }
    const body = await readFile(path);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      "Content-Type": MIME[extname(name)] ?? "application/octet-stream",
      // Assets have content hashes in their names; the page itself is always asked again.
      "Cache-Control": name.startsWith("assets/")
        ? "public, max-age=31536000, immutable"
        : "no-cache",
    });
    res.end(body);
  }

  async function api(req: IncomingMessage, res: ServerResponse, route: string, url: URL) {
    const user = authenticate(
      initDataOf(req.headers.authorization),
      token as string,
      config.WEBAPP_AUTH_MAX_AGE,
    );
    const method = req.method ?? "GET";
    const parts = route.split("/").filter(Boolean);
    const [area, name, id, action] = parts;

    if (route === "me" && method === "GET") {
      const body: MeResponse = {
        firstName: user.firstName,
        lang: langFromCode(user.languageCode),
        coordinator: await isCoordinator(user.id),
      };
      return sendJson(res, 200, body);
    }
    if (area === "lectures" && method === "GET") {
      if (!name) return sendJson(res, 200, catalogue.lectures());
      if (name === "search")
        return sendJson(res, 200, await catalogue.searchTranscripts(query(url, "q")));
      if (id === "at") {
        const passage = catalogue.passageAt(decodeURIComponent(name), Number(query(url, "t")) || 0);
        if (!passage) throw new HttpError(404, "not-found", "No such lecture.");
        return sendJson(res, 200, passage);
      }
    }
    if (area === "handbook" && method === "GET") {
      if (!name) return sendJson(res, 200, catalogue.documents());
      if (name === "search")
        return sendJson(res, 200, await catalogue.searchHandbook(query(url, "q")));
    }
    if (area !== "desk") throw new HttpError(404, "not-found", "No such API call.");

    // The desk: coordinators only, asked on every call.
    if (!(await isCoordinator(user.id))) {
      throw new WebAppAuthError(
        403,
        "not-coordinator",
        "The desk is for Padoms coordinators only.",
      );
    }
    const coordinator = { id: user.id, name: user.firstName || String(user.id) };
    if (name === "open" && !id && method === "GET")
      return sendJson(res, 200, await desk.openQuestions(now()));
    if (name === "open" && action === "reply" && method === "POST") {
      const body = await readJson(req);
      const reply = await desk.reply(
        idOf(id),
        coordinator,
        text(body, "text") as string,
        body.saveApproved === true,
        typeof body.fromApproved === "number" && Number.isInteger(body.fromApproved)
          ? body.fromApproved
          : undefined,
      );
      return sendJson(res, 200, reply);
    }
    if (name === "open" && action === "approve" && method === "POST") {
      const body = await readJson(req);
      return sendJson(
        res,
        200,
        await desk.approve(idOf(id), text(body, "answer") as string, coordinator.name),
      );
    }
    if (name === "approved" && !id && method === "GET")
      return sendJson(res, 200, await desk.approvedAnswers(query(url, "q"), now()));
    if (name === "approved" && id && method === "PUT") {
      const body = await readJson(req);
      const fields = {
        question: text(body, "question", false),
        answer: text(body, "answer", false),
      };
      if (!fields.question && !fields.answer)
        throw new HttpError(400, "bad-field", 'Give "question" or "answer".');
      return sendJson(res, 200, await desk.editApproved(idOf(id), fields));
    }
    if (name === "approved" && id && action === "wordings" && method === "DELETE") {
      return sendJson(res, 200, await desk.removeWording(idOf(id), idOf(parts[4])));
    }
    if (name === "approved" && id && method === "DELETE") {
      await desk.deleteApproved(idOf(id));
      return sendJson(res, 200, { deleted: true });
    }
    if (name === "preview" && method === "POST") {
      const body = await readJson(req);
      const lang = body.lang === "en" ? "en" : "lv";
      const html = formatAnswerHtml(
        {
          question: "",
          language: lang,
          answered: true,
          answer: text(body, "answer") as string,
          mode: "faq",
          citations: [],
          faq: { id: "preview", approvedAt: now().toISOString() },
          latencyMs: 0,
        },
        lang,
      );
      return sendJson(res, 200, { html } satisfies PreviewResponse);
    }
    if ((name === "report" || name === "report.csv") && method === "GET") {
      const days = Math.min(365, Math.max(1, Number(query(url, "days")) || 7));
      const report = await desk.report(days, now());
      if (name === "report") return sendJson(res, 200, report);
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="padoms-report-${days}d.csv"`,
        "Cache-Control": "no-store",
      });
      res.end(deskCsv(report));
      return;
    }
    throw new HttpError(404, "not-found", "No such API call.");
  }

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const { pathname } = url;
    if (pathname === base.slice(0, -1)) {
      res.writeHead(308, { ...SECURITY_HEADERS, Location: `${base}${url.search}` }).end();
      return true;
    }
    if (!pathname.startsWith(base)) return false;
    const rest = pathname.slice(base.length);
    try {
      if (rest.startsWith("api/")) {
        await api(req, res, rest.slice(4), url);
        return true;
      }
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { ...SECURITY_HEADERS, Allow: "GET" }).end();
        return true;
      }
      if (rest === "" || rest === "index.html") await serveFile(res, "index.html");
      else if (/^assets\/[\w.-]+$/.test(rest) && !rest.includes("..")) await serveFile(res, rest);
      else sendError(res, 404, "not-found", "No such file.");
    } catch (error) {
      if (res.headersSent) return true;
      if (error instanceof WebAppAuthError) {
        logger.info("Mini App call refused", { status: error.status, code: error.code });
        sendError(res, error.status, error.code, error.message);
      } else if (error instanceof HttpError || error instanceof DeskError) {
        sendError(res, error.status, error.code, error.message);
      } else {
        logger.error("Mini App call failed", { path: rest, error });
        sendError(res, 500, "failed", "Something went wrong; please try again.");
      }
    }
    return true;
  };
}
