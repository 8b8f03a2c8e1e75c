import { z } from "zod";
import { PadomsError } from "./errors.js";

/** Thrown when the environment holds a value Padoms cannot use. */
export class ConfigError extends PadomsError<"invalid-config"> {
  override readonly name = "ConfigError";
  constructor(
    message: string,
    /** The environment variable at fault, when one is. */
    readonly variable?: string,
  ) {
    super("invalid-config", message);
  }
}

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const idList = z
  .string()
  .transform((s) =>
    s
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map((x) => Number(x)),
  )
  .refine((ids) => ids.every((id) => Number.isSafeInteger(id)), "must be numeric Telegram ids");

const optionalString = z
  .string()
  .optional()
  .transform((s) => (s?.trim() ? s.trim() : undefined));

/** An http(s) address: `localhost:11434` (no scheme) or `ftp://…` are refused, not guessed. */
const httpUrl = optionalString.pipe(
  z
    .url({
      protocol: /^https?$/,
      error: "must be an address starting with http:// or https://",
    })
    .optional(),
);

/**
 * Every setting Padoms reads from the environment, with offline defaults.
 * The README's table and `.env.example` list the same variables.
 */
const envSchema = z.object({
  /** Folder of the index and the databases. */
  PADOMS_DATA_DIR: z.string().min(1).default("./data"),
  /** Folder of the source corpus. */
  PADOMS_CORPUS_DIR: z.string().min(1).default("./corpus"),
  /** `local` (default, offline) or `openai` (any OpenAI-compatible server). */
  EMBEDDINGS: z.enum(["local", "openai"]).default("local"),
  /** Dimensions of the local embedder. */
  LOCAL_EMBEDDING_DIM: int(64, 4096).default(768),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: httpUrl,
  OPENAI_CHAT_MODEL: z.string().min(1).default("gpt-4o-mini"),
  OPENAI_EMBEDDING_MODEL: z.string().min(1).default("text-embedding-3-small"),
  /** `auto` uses the LLM when a key or base URL is set; `off` forces extractive answers. */
  LLM: z.enum(["auto", "off"]).default("auto"),
  LLM_TIMEOUT_MS: int(500, 600_000).default(20_000),
  /** Target words per handbook chunk. */
  CHUNK_MAX_WORDS: int(40, 2000).default(180),
  /** Seconds per lecture chunk (target). */
  CHUNK_TARGET_SECONDS: int(15, 600).default(60),
  /** Relevance threshold in [0, 1] below which a question is declined. */
  ANSWER_MIN_RELEVANCE: z.coerce.number().min(0).max(1).optional(),
  TELEGRAM_BOT_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(
        /^\d{1,20}:[A-Za-z0-9_-]{10,}$/,
        "is not a bot token: @BotFather gives tokens like 123456789:AA… (digits, a colon, then letters, digits, _ and -)",
      )
      .optional(),
  ),
  /** Another Bot API server (self-hosted, or the test emulator). */
  TELEGRAM_API_ROOT: httpUrl,
  BOT_MODE: z.enum(["polling", "webhook"]).default("polling"),
  WEBHOOK_URL: httpUrl,
  WEBHOOK_PORT: int(1, 65535).default(8080),
  WEBHOOK_SECRET: optionalString,
  /**
   * Public https address of the Mini App (the coordinators' desk and the lecture catalogue),
   * served by the bot's own HTTP server under this address's path. Empty: the Mini App is off.
   */
  WEBAPP_URL: httpUrl,
  /** Port of the Mini App's server in polling mode (webhook mode serves it on `WEBHOOK_PORT`). */
  WEBAPP_PORT: int(1, 65535).default(8081),
  /** Seconds a Mini App launch (Telegram's signed `initData`) stays valid for API calls. */
  WEBAPP_AUTH_MAX_AGE: int(60, 7 * 86_400).default(3600),
  /** Questions per user per minute before the polite limit message. */
  RATE_LIMIT_PER_MINUTE: int(1, 1000).default(10),
  COORDINATOR_CHAT_ID: optionalString.pipe(
    z
      .string()
      .regex(/^-?\d+$/, "must be a numeric chat id, e.g. -1001234567890")
      .transform(Number)
      .optional(),
  ),
  ADMIN_USER_IDS: idList.default([]),
  RETENTION_DAYS: int(1, 3650).default(180),
  /** Secret for pseudonymising user ids; generated and kept in the data folder when unset. */
  PSEUDONYM_SECRET: optionalString,
  /**
   * PostgreSQL for the app state, shared by replicas (`postgres://user:password@host:5432/db`).
   * Unset: the SQLite file in `PADOMS_DATA_DIR`.
   */
  DATABASE_URL: optionalString.pipe(
    z
      .url({
        protocol: /^postgres(ql)?$/,
        error: "must be a PostgreSQL address starting with postgres:// or postgresql://",
      })
      .optional(),
  ),
  /** Connections each process keeps to PostgreSQL at most. */
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Show the progress bar during ingest (auto: only on a terminal). */
  PROGRESS: bool.optional(),
});

export type Env = z.infer<typeof envSchema>;

/** Validated configuration, built once at start by the composition root. */
export interface Config extends Env {
  /** True when answers may use an LLM. */
  llmEnabled: boolean;
  /**
   * True when `PADOMS_CORPUS_DIR` (or `--corpus`) was not given and `./corpus` is only the
   * default: ingest then reads the folder the index was built from.
   */
  corpusDirDefaulted?: boolean;
}

const hints: Record<string, string> = {
  OPENAI_BASE_URL: "set it to the server's /v1 address, e.g. http://127.0.0.1:11434/v1",
  TELEGRAM_API_ROOT: "set it to the Bot API server address, e.g. http://127.0.0.1:9000",
  TELEGRAM_BOT_TOKEN:
    "copy the token @BotFather gave (/mybots → API Token), or leave it empty for the terminal chat",
  WEBHOOK_URL: "set it to the public https address Telegram should call",
  WEBAPP_URL:
    "set it to the public https address of the Mini App, e.g. https://padoms.example.org/app/",
  WEBAPP_PORT: "use a free port above 1023, e.g. 8081",
  WEBAPP_AUTH_MAX_AGE: "give seconds between 60 and 604800, e.g. 3600",
  COORDINATOR_CHAT_ID: "use the numeric id of the coordinators' group (negative for groups)",
  ADMIN_USER_IDS: "list numeric Telegram user ids separated by commas",
  DATABASE_URL:
    "e.g. postgres://padoms:secret@127.0.0.1:5432/padoms, or leave it empty for the SQLite file",
};

/**
 * Validates the environment once. Throws `ConfigError` naming the first bad variable and the fix.
 */
export function loadConfig(env: Record<string, string | undefined> = {}): Config {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== "") cleaned[key] = value;
  }
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? "environment");
    const hint = hints[variable] ? `; ${hints[variable]}` : "";
    throw new ConfigError(
      `Invalid ${variable}: ${issue?.message ?? "bad value"}${hint}. Fix it in .env or the environment (see .env.example).`,
      variable,
    );
  }
  const e = parsed.data;
  if (e.BOT_MODE === "webhook" && !e.WEBHOOK_URL) {
    throw new ConfigError(
      "BOT_MODE=webhook needs WEBHOOK_URL (the public https address Telegram should call). Set it, or use BOT_MODE=polling.",
      "WEBHOOK_URL",
    );
  }
  if (
    e.WEBHOOK_URL &&
    !e.TELEGRAM_API_ROOT &&
    !e.WEBHOOK_URL.toLowerCase().startsWith("https://")
  ) {
    throw new ConfigError(
      "Invalid WEBHOOK_URL: Telegram only calls https:// addresses. Put the bot behind a reverse proxy with a certificate and set WEBHOOK_URL=https://…, or use BOT_MODE=polling.",
      "WEBHOOK_URL",
    );
  }
  if (e.WEBAPP_URL && !e.TELEGRAM_API_ROOT && !e.WEBAPP_URL.toLowerCase().startsWith("https://")) {
    throw new ConfigError(
      "Invalid WEBAPP_URL: Telegram opens Mini Apps only from https:// addresses. Put Padoms behind a reverse proxy with a certificate and set WEBAPP_URL=https://…, or leave WEBAPP_URL empty.",
      "WEBAPP_URL",
    );
  }
  if (
    e.WEBAPP_URL &&
    e.BOT_MODE === "webhook" &&
    e.WEBHOOK_URL &&
    webAppBase(e.WEBAPP_URL) === webAppBase(e.WEBHOOK_URL)
  ) {
    throw new ConfigError(
      "WEBAPP_URL and WEBHOOK_URL have the same path, but one server serves both in webhook mode. Give the Mini App its own path, e.g. WEBAPP_URL=https://…/app/.",
      "WEBAPP_URL",
    );
  }
  if (e.EMBEDDINGS === "openai" && !e.OPENAI_API_KEY && !e.OPENAI_BASE_URL) {
    throw new ConfigError(
      "EMBEDDINGS=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local OpenAI-compatible server). Set one, or use EMBEDDINGS=local.",
      "EMBEDDINGS",
    );
  }
  const llmEnabled = e.LLM === "auto" && Boolean(e.OPENAI_API_KEY || e.OPENAI_BASE_URL);
  return { ...e, llmEnabled, corpusDirDefaulted: cleaned.PADOMS_CORPUS_DIR === undefined };
}

/** The path the Mini App is served under: `WEBAPP_URL`'s path, ending in `/`. */
export function webAppBase(url: string): string {
  const path = new URL(url).pathname;
  return path.endsWith("/") ? path : `${path}/`;
}

/** Names of variables whose values must never be logged. */
export const SECRET_VARIABLES = [
  "TELEGRAM_BOT_TOKEN",
  "OPENAI_API_KEY",
  "WEBHOOK_SECRET",
  "PSEUDONYM_SECRET",
  "DATABASE_URL",
] as const;

/** The values of {@link SECRET_VARIABLES} set in a config: what every logger redacts. */
export function secretsOf(
  config: Partial<Pick<Config, (typeof SECRET_VARIABLES)[number]>>,
): (string | undefined)[] {
  return SECRET_VARIABLES.map((name) => config[name]);
}
