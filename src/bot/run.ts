/**
 * How updates reach the bot: long polling with the grammY runner (concurrent across chats; the
 * bot sequentializes each chat), or a node:http webhook server for servers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { type RunnerHandle, run } from "@grammyjs/runner";
import { type Bot, BotError, HttpError, type Transformer, webhookCallback } from "grammy";
import type { Logger } from "../log.js";
import type { BotContext } from "./context.js";

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
  let server: Server | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "GET" && pathname === "/healthz") {
      res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
      return;
    }
    if (pathname !== path) {
      res.writeHead(404).end();
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

  return {
    async start() {
      if (server) return;
      const s = createServer((req, res) => {
        handle(req, res).catch((error: unknown) => {
          logger.error("webhook request failed", { error });
          if (!res.headersSent) res.writeHead(500).end();
        });
      });
      s.requestTimeout = 30_000;
      s.headersTimeout = 10_000;
      await new Promise<void>((resolve, reject) => {
        s.once("error", reject);
        s.listen(options.port, options.host, () => {
          s.off("error", reject);
          resolve();
        });
      });
      server = s;
      try {
        await bot.api.setWebhook(options.url, {
          secret_token: options.secretToken,
          allowed_updates: ALLOWED_UPDATES,
        });
      } catch (error) {
        await this.stop();
        throw error;
      }
      logger.info("webhook server listening", { port: (s.address() as AddressInfo).port, path });
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => s.closeAllConnections(), 5000);
        s.close(() => {
          clearTimeout(force);
          resolve();
        });
        s.closeIdleConnections();
      });
    },
    address() {
      const a = server?.address();
      return a && typeof a === "object" ? a : undefined;
    },
  };
}
