/**
 * How updates reach the bot: long polling with the grammY runner (concurrent across chats; the
 * bot sequentializes each chat), or a node:http webhook server for servers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { type RunnerHandle, run } from "@grammyjs/runner";
import {
  type Bot,
  BotError,
  GrammyError,
  HttpError,
  type Transformer,
  webhookCallback,
} from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Logger } from "../log.js";
import type { BotContext } from "./context.js";
import { BotStartError } from "./errors.js";

/** Update types the bot asks Telegram for. */
export const ALLOWED_UPDATES = [
  "message",
  "edited_message",
  "callback_query",
  "inline_query",
  "my_chat_member",
] as const;

/** Starts and stops the flow of updates. */
export interface UpdateRunner {
  start(): Promise<void>;
  /** Stops taking new updates (in-flight ones are awaited by the caller). */
  stop(): Promise<void>;
}

/** Updates handled at once across chats by default; see {@link PollingOptions.concurrency}. */
export const DEFAULT_CONCURRENCY = 16;

/** Options of {@link retryNetworkErrors}. */
export interface NetworkRetryOptions {
  /** Attempts in all, the first included. Default 3. */
  attempts?: number;
  /** Wait before the first repeat, in ms; doubled before each next one. Default 500. */
  firstDelayMs?: number;
}

/** The signal grammY passes to transformers (typed by the `abort-controller` shim). */
type ApiSignal = Parameters<Transformer>[3];

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal?: ApiSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * An API transformer that repeats a call failing with grammY's `HttpError` (connection refused
 * or reset, a timeout, a gateway's non-JSON page) a bounded number of times with a short,
 * doubling back-off, then throws the last error. Never repeats an aborted call.
 *
 * Needed because `@grammyjs/auto-retry` (2.0.2) repeats such errors forever (its default
 * `rethrowHttpErrors: false`; `maxRetryAttempts` does not count them) with a wait doubling from
 * 3 s up to an hour, logging nothing; with `rethrowHttpErrors: true` it does not repeat them at
 * all. Install it before `autoRetry(…, rethrowHttpErrors: true)`, which then handles 429 and 5xx
 * answers around it.
 */
export function retryNetworkErrors(options: NetworkRetryOptions = {}): Transformer {
  const attempts = Math.max(1, options.attempts ?? 3);
  const firstDelay = options.firstDelayMs ?? 500;
  return async (prev, method, payload, signal) => {
    // getMe is the start-up call: connectBot repeats it, with a log line per attempt.
    if (method === "getMe") return prev(method, payload, signal);
    let delay = firstDelay;
    for (let attempt = 1; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (error) {
        if (!(error instanceof HttpError) || signal?.aborted || attempt >= attempts) throw error;
        await pause(delay, signal);
        if (signal?.aborted) throw error;
        delay *= 2;
      }
    }
  };
}

/** Options of {@link connectBot}. */
export interface ConnectOptions {
  logger: Logger;
  /** `getMe` attempts in all before giving up. Default 6. */
  attempts?: number;
  /** Wait after the first failed attempt, in ms; doubled after each next one, at most 30 s. Default 1000. */
  firstDelayMs?: number;
  /** Longest wait for one attempt, in ms. Default 15 000. */
  attemptTimeoutMs?: number;
  /** Aborting (SIGTERM) ends the wait at once with `BotStartError("stopped")`. */
  signal?: AbortSignal;
  /** The Bot API server when not Telegram's (env `TELEGRAM_API_ROOT`); named in messages. */
  apiRoot?: string;
}

/**
 * Asks Telegram who the bot is (`getMe`), the first call at start. A wrong or revoked token
 * fails at once naming `TELEGRAM_BOT_TOKEN`; an unreachable Bot API is tried `attempts` times
 * with a doubling wait and a warning per attempt, then fails naming the server. (grammY's own
 * `bot.init()` repeats network errors forever, silently.)
 */
export async function connectBot(
  bot: Bot<BotContext>,
  options: ConnectOptions,
): Promise<UserFromGetMe> {
  const { logger, signal } = options;
  const attempts = Math.max(1, options.attempts ?? 6);
  const server = options.apiRoot ? new URL(options.apiRoot).origin : "https://api.telegram.org";
  const where = options.apiRoot ? "TELEGRAM_API_ROOT" : undefined;
  let delay = options.firstDelayMs ?? 1000;
  const stopped = () =>
    new BotStartError("stopped", "Stopped before the bot was connected to Telegram.");
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw stopped();
    const timeout = AbortSignal.timeout(options.attemptTimeoutMs ?? 15_000);
    const attemptSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let reason: string;
    let cause: unknown;
    try {
      return await bot.api.getMe(attemptSignal as Parameters<typeof bot.api.getMe>[0]);
    } catch (error) {
      if (signal?.aborted) throw stopped();
      cause = error;
      if (error instanceof GrammyError) {
        if (error.error_code === 401 || error.error_code === 404) {
          throw new BotStartError(
            "bad-token",
            `Telegram refused TELEGRAM_BOT_TOKEN (${error.error_code} ${error.description}): the token is wrong or was revoked. Copy the current token from @BotFather (/mybots → API Token) into TELEGRAM_BOT_TOKEN.`,
            "TELEGRAM_BOT_TOKEN",
            { cause: error },
          );
        }
        if (error.error_code !== 429 && error.error_code < 500) {
          throw new BotStartError(
            "telegram-refused",
            `The Bot API at ${server} refused getMe (${error.error_code} ${error.description}).${where ? " Check TELEGRAM_API_ROOT." : ""}`,
            where,
            { cause: error },
          );
        }
        reason = `HTTP ${error.error_code}`;
      } else if (error instanceof HttpError) {
        reason = timeout.aborted ? "timeout" : failureReason(error);
      } else {
        throw error;
      }
    }
    if (attempt >= attempts) {
      throw new BotStartError(
        "telegram-unreachable",
        `Cannot reach the Telegram Bot API at ${server} (${reason}) after ${attempts} attempts. Check the network${where ? " and TELEGRAM_API_ROOT" : ""}, then start again.`,
        where,
        { cause },
      );
    }
    logger.warn("Telegram Bot API not reachable at start, retrying…", {
      attempt,
      attempts,
      reason,
      server,
      retryInMs: delay,
    });
    await pause(delay, signal as ApiSignal);
    delay = Math.min(delay * 2, 30_000);
  }
}

/** Options of {@link createPollingRunner}. */
export interface PollingOptions {
  logger: Logger;
  /**
   * Updates handled at once across chats (the runner's sink concurrency). Default
   * {@link DEFAULT_CONCURRENCY}. Answers are CPU-bound and already sequentialized per chat: with
   * a high value a burst's answers are all worked on at once and all finish late together.
   */
  concurrency?: number;
  /** Wait between two failed `getUpdates` calls (the runner's `retryInterval`), in ms. Default 1000. */
  retryIntervalMs?: number;
  /**
   * Stop polling (logged as an error) once `getUpdates` has failed for this long (the runner's
   * `maxRetryTime`), in ms. Default: never; 401 and 409 stop it at once.
   */
  maxRetryTimeMs?: number;
}

/** Why a `getUpdates` call failed, without its URL (which holds the token). */
function failureReason(error: unknown): string {
  const cause = error instanceof HttpError ? error.error : error;
  if (cause && typeof cause === "object") {
    const { code, type, name } = cause as { code?: unknown; type?: unknown; name?: unknown };
    for (const v of [code, type, name]) if (typeof v === "string" && v) return v;
  }
  return "unknown";
}

/**
 * Watches `getUpdates` (after the retries below it): logs one warning when it starts failing
 * (Telegram unreachable, a 5xx, or another refusal) and one info line when it works again,
 * instead of a line per attempt.
 */
function watchPolling(logger: Logger): Transformer {
  let failing: { since: number; polls: number; kind: string } | undefined;
  const fail = (kind: "unreachable" | "refused", fields: Record<string, unknown>) => {
    failing ??= { since: Date.now(), polls: 0, kind: "" };
    failing.polls++;
    if (failing.kind === kind) return;
    failing.kind = kind;
    if (kind === "unreachable") logger.warn("Telegram API unreachable, retrying…", fields);
    else logger.warn("getUpdates failed, retrying…", fields);
  };
  const recovered = () => {
    if (!failing) return;
    logger.info("Telegram API reachable again, polling resumed", {
      downMs: Date.now() - failing.since,
      failedPolls: failing.polls,
    });
    failing = undefined;
  };
  return async (prev, method, payload, signal) => {
    if (method !== "getUpdates") return prev(method, payload, signal);
    let result: Awaited<ReturnType<typeof prev>>;
    try {
      result = await prev(method, payload, signal);
    } catch (error) {
      if (!signal?.aborted) {
        if (error instanceof HttpError) fail("unreachable", { reason: failureReason(error) });
        else fail("refused", { error });
      }
      throw error;
    }
    if (result.ok) recovered();
    else if (result.error_code >= 500) fail("unreachable", { reason: `HTTP ${result.error_code}` });
    else fail("refused", { code: result.error_code, description: result.description });
    return result;
  };
}

/**
 * Long polling with `@grammyjs/runner`. A webhook left from webhook mode is removed first.
 * While Telegram cannot be reached the runner keeps calling `getUpdates` every `retryIntervalMs`
 * (each call already repeated a few times by {@link retryNetworkErrors}); one warning is logged
 * when polling starts failing and one info line when it works again.
 */
export function createPollingRunner(bot: Bot<BotContext>, options: PollingOptions): UpdateRunner {
  const { logger } = options;
  let handle: RunnerHandle | undefined;
  let watching = false;
  return {
    async start() {
      if (handle) return;
      if (!watching) {
        watching = true;
        bot.api.config.use(watchPolling(logger));
      }
      try {
        await bot.api.deleteWebhook();
      } catch (error) {
        logger.warn("could not remove the webhook; polling may fail while one is set", { error });
      }
      handle = run(bot, {
        runner: {
          fetch: { allowed_updates: ALLOWED_UPDATES, timeout: 30 },
          silent: true,
          retryInterval: options.retryIntervalMs ?? 1000,
          maxRetryTime: options.maxRetryTimeMs ?? Number.POSITIVE_INFINITY,
        },
        sink: { concurrency: options.concurrency ?? DEFAULT_CONCURRENCY },
      });
      handle.task()?.catch((error: unknown) => {
        logger.error("polling stopped: check TELEGRAM_BOT_TOKEN and that no other instance polls", {
          error,
        });
      });
      logger.info("polling for updates");
    },
    async stop() {
      const h = handle;
      handle = undefined;
      if (h?.isRunning()) await h.stop();
    },
  };
}

/** Options of {@link createWebhookServer}. */
export interface WebhookOptions {
  logger: Logger;
  /** Public https address Telegram calls (env `WEBHOOK_URL`); its path is the one served. */
  url: string;
  /** Port to listen on (env `WEBHOOK_PORT`). */
  port: number;
  /** Interface to listen on. Default: all. */
  host?: string;
  /** Value of the `X-Telegram-Bot-Api-Secret-Token` header (env `WEBHOOK_SECRET`). */
  secretToken: string;
  /** Largest accepted body, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Answer Telegram after this long and finish the update in the background, in ms. Default 9000. */
  replyWithinMs?: number;
  /** Other pages served by the same server (the Mini App); tried before the 404. */
  handler?: HttpHandler;
  /**
   * Whether this process calls `setWebhook` on start (replicas: only the one holding the lock).
   * Default: always.
   */
  shouldRegister?: () => Promise<boolean>;
  /**
   * What `GET /healthz` reports (JSON); `ok: false` answers 503, so that a load balancer takes
   * the replica out. Default: plain `ok`.
   */
  health?: () => Promise<{ ok: boolean } & Record<string, unknown>>;
}

/** Handles a request when it is its own; resolves false when it is not. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Why a server could not listen, as a message naming the port's variable and the fix. */
function listenError(
  error: NodeJS.ErrnoException,
  port: number,
  variable: "WEBHOOK_PORT" | "WEBAPP_PORT" = "WEBHOOK_PORT",
): Error {
  const code = variable === "WEBHOOK_PORT" ? "webhook-port" : "webapp-port";
  if (error.code === "EADDRINUSE")
    return new BotStartError(
      code,
      `${variable} ${port} is already in use (another program, or another Padoms, listens there). Stop it, or set ${variable} to a free port.`,
      variable,
      { cause: error },
    );
  if (error.code === "EACCES")
    return new BotStartError(
      code,
      `${variable} ${port} needs administrator rights. Use a port above 1023 (e.g. ${variable === "WEBHOOK_PORT" ? 8080 : 8081}) behind the reverse proxy.`,
      variable,
      { cause: error },
    );
  return error;
}

/** Options of {@link createHttpServer}. */
export interface HttpServerOptions {
  logger: Logger;
  port: number;
  host?: string;
}

/** A server of its own for pages the bot serves in polling mode (the Mini App, `WEBAPP_PORT`). */
export interface PageServer {
  start(): Promise<void>;
  stop(): Promise<void>;
  address(): AddressInfo | undefined;
}

async function listen(
  s: Server,
  port: number,
  host: string | undefined,
  variable: "WEBHOOK_PORT" | "WEBAPP_PORT",
) {
  await new Promise<void>((resolve, reject) => {
    s.once("error", (error: NodeJS.ErrnoException) => reject(listenError(error, port, variable)));
    s.listen(port, host, () => {
      s.removeAllListeners("error");
      resolve();
    });
  });
}

function closeServer(s: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => s.closeAllConnections(), 5000);
    s.close(() => {
      clearTimeout(force);
      resolve();
    });
    s.closeIdleConnections();
  });
}

/** Options of {@link serveHttp}. */
interface ServeOptions extends HttpServerOptions {
  /** The setting named when the port cannot be opened. */
  variable: "WEBHOOK_PORT" | "WEBAPP_PORT";
  /** Logged (with the error) when `handle` throws; the client gets a 500. */
  failure: string;
}

/** The lifecycle of a node:http server over `handle`: listen on start, close on stop. */
function serveHttp(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  options: ServeOptions,
): PageServer {
  const { logger } = options;
  let server: Server | undefined;
  return {
    async start() {
      if (server) return;
      const s = createServer((req, res) => {
        handle(req, res).catch((error: unknown) => {
          logger.error(options.failure, { error });
          if (!res.headersSent) res.writeHead(500).end();
        });
      });
      s.requestTimeout = 30_000;
      s.headersTimeout = 10_000;
      await listen(s, options.port, options.host, options.variable);
      server = s;
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s) await closeServer(s);
    },
    address() {
      const a = server?.address();
      return a && typeof a === "object" ? a : undefined;
    },
  };
}

/** A node:http server over `handler` (anything it does not handle: 404), with `GET /healthz`. */
export function createHttpServer(handler: HttpHandler, options: HttpServerOptions): PageServer {
  const http = serveHttp(
    async (req, res) => {
      const { pathname } = new URL(req.url ?? "/", "http://localhost");
      if (req.method === "GET" && pathname === "/healthz") {
        res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
        return;
      }
      if (!(await handler(req, res)) && !res.headersSent) res.writeHead(404).end();
    },
    { ...options, variable: "WEBAPP_PORT", failure: "request failed" },
  );
  return {
    ...http,
    async start() {
      if (http.address()) return;
      await http.start();
      options.logger.info("Mini App server listening", { port: http.address()?.port });
    },
  };
}

/** A webhook server, with its bound address once started. */
export interface WebhookServer extends UpdateRunner {
  address(): AddressInfo | undefined;
}

/** Reads a body up to `limit` bytes; `undefined` when it is larger (the rest is drained). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

/**
 * A node:http server that hands POSTs on the webhook path to grammY's
 * `webhookCallback(bot, "http", { secretToken })` (wrong or missing secret: 401), refuses bodies
 * over `maxBodyBytes` (413), answers `GET /healthz`, and registers the webhook on start.
 */
export function createWebhookServer(bot: Bot<BotContext>, options: WebhookOptions): WebhookServer {
  const { logger } = options;
  const path = new URL(options.url).pathname || "/";
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const callback = webhookCallback(bot, "http", {
    secretToken: options.secretToken,
    onTimeout: "return",
    timeoutMilliseconds: options.replyWithinMs ?? 9000,
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "GET" && pathname === "/healthz") {
      if (!options.health) {
        res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
        return;
      }
      const report = await options.health();
      res
        .writeHead(report.ok ? 200 : 503, { "Content-Type": "application/json" })
        .end(JSON.stringify(report));
      return;
    }
    if (pathname !== path) {
      if (!(await options.handler?.(req, res)) && !res.headersSent) res.writeHead(404).end();
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405, { Allow: "POST" }).end();
      return;
    }
    const body = await readBody(req, limit);
    if (body === undefined) {
      logger.warn("webhook body too large; refused", { limit });
      res.writeHead(413, { Connection: "close" }).end();
      return;
    }
    const replay = Object.assign(Readable.from([body]), { headers: req.headers });
    try {
      await callback(replay as unknown as IncomingMessage, res);
    } catch (error) {
      if (error instanceof BotError) {
        await bot.errorHandler(error);
      } else if (error instanceof SyntaxError) {
        logger.warn("webhook body is not JSON; refused");
        if (!res.headersSent) res.writeHead(400).end();
        return;
      } else {
        logger.error("webhook update failed", { error });
      }
      if (!res.headersSent) res.writeHead(200).end();
    }
  };

  const http = serveHttp(handle, {
    logger,
    port: options.port,
    host: options.host,
    variable: "WEBHOOK_PORT",
    failure: "webhook request failed",
  });
  return {
    ...http,
    async start() {
      if (http.address()) return;
      await http.start();
      try {
        if (options.shouldRegister && !(await options.shouldRegister())) {
          logger.info("webhook registered by another replica; not calling setWebhook");
        } else
          await bot.api.setWebhook(options.url, {
            secret_token: options.secretToken,
            allowed_updates: ALLOWED_UPDATES,
          });
      } catch (error) {
        await http.stop();
        if (error instanceof GrammyError && error.error_code === 400) {
          throw new BotStartError(
            "webhook-refused",
            `Telegram refused WEBHOOK_URL ${options.url}: ${error.description}. Set WEBHOOK_URL to the bot's public https address (ports 443, 80, 88 or 8443), or use BOT_MODE=polling.`,
            "WEBHOOK_URL",
            { cause: error },
          );
        }
        throw error;
      }
      logger.info("webhook server listening", { port: http.address()?.port, path });
    },
  };
}
