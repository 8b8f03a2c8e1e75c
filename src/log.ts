/** Levels in increasing severity. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** A structured logger: one JSON line per event on stderr. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /**
   * A logger that adds `fields` to every line (before the line's own fields, which win on a
   * clash), with the same level, redaction and output. For per-update context (`updateId`).
   */
  child(fields: Record<string, unknown>): Logger;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Minimum level written. Default `info`. Env `LOG_LEVEL`. */
  level?: LogLevel;
  /** Values that must never appear in the output (tokens, keys); replaced by `[redacted]`. */
  secrets?: (string | undefined)[];
  /** Where lines go. Default: `process.stderr`. */
  write?: (line: string) => void;
}

/**
 * The forms a secret can take in a log line: as is, JSON-escaped (the line is JSON),
 * URL-encoded, and — for a bot token `123:ABC…` — its secret part alone.
 */
function secretForms(secret: string): string[] {
  const forms = new Set<string>([
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
  ]);
  const colon = secret.indexOf(":");
  if (/^\d+:/.test(secret) && secret.length - colon > 12) forms.add(secret.slice(colon + 1));
  for (const f of [...forms]) forms.add(JSON.stringify(f).slice(1, -1));
  return [...forms].filter((f) => f.length >= 6).sort((a, b) => b.length - a.length);
}

/** Redacts every secret, and anything shaped like a bot token or an API key, from a string. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets)
    for (const form of secretForms(s)) out = out.split(form).join("[redacted]");
  return out
    .replace(/\b\d{6,12}:[A-Za-z0-9_-]{30,}\b/g, "[redacted-bot-token]")
    .replace(/\bsk-[A-Za-z0-9_-]{16,}\b/g, "[redacted-key]");
}

function serialise(value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
  }
  return value;
}

function redactForms(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) out = out.split(form).join("[redacted]");
  return redact(out);
}

/** Creates a logger that redacts secrets from every line it writes. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = order[options.level ?? "info"];
  const secrets = (options.secrets ?? []).filter((s): s is string => Boolean(s));
  const forms = secrets.flatMap(secretForms);
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const make = (bound: Record<string, unknown>): Logger => {
    const log = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
      if (order[level] < min) return;
      const entry: Record<string, unknown> = { t: new Date().toISOString(), level, msg };
      for (const [k, v] of Object.entries({ ...bound, ...fields })) {
        if (!(k in entry)) entry[k] = serialise(v);
      }
      write(redactForms(JSON.stringify(entry), forms));
    };
    return {
      debug: log("debug"),
      info: log("info"),
      warn: log("warn"),
      error: log("error"),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make({});
}

/** A logger that writes nothing (tests, library use). */
export const silentLogger: Logger = createLogger({ level: "silent" });
