import { describe, expect, it } from "vitest";
import { createLogger } from "../src/log.js";

function capture(level: "debug" | "info" = "debug", secrets: string[] = []) {
  const lines: string[] = [];
  const logger = createLogger({ level, secrets, write: (l) => lines.push(l) });
  return { logger, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("child loggers", () => {
  it("add their fields to every line, before the line's own", () => {
    const { logger, entries } = capture();
    const child = logger.child({ updateId: 42 });
    child.info("answered", { interactionId: 7 });
    child.warn("slow");
    const [first, second] = entries();
    expect(first).toMatchObject({ level: "info", msg: "answered", updateId: 42, interactionId: 7 });
    expect(Object.keys(first ?? {})).toEqual(["t", "level", "msg", "updateId", "interactionId"]);
    expect(second).toMatchObject({ level: "warn", msg: "slow", updateId: 42 });
  });

  it("nest, and a line's own field wins over a bound one of the same name", () => {
    const { logger, entries } = capture();
    logger.child({ updateId: 1, chat: "a" }).child({ chat: "b" }).info("x", { updateId: 2 });
    expect(entries()[0]).toMatchObject({ updateId: 2, chat: "b" });
  });

  it("leave the parent as it was", () => {
    const { logger, entries } = capture();
    logger.child({ updateId: 3 });
    logger.info("plain");
    expect(entries()[0]).not.toHaveProperty("updateId");
  });

  it("keep the level and redact secrets in bound fields too", () => {
    const token = "123456789:AAChildLoggerSecretToken_abcdefghijklmn";
    const { logger, entries } = capture("info", [token]);
    const child = logger.child({ url: `https://api.telegram.org/bot${token}/getMe` });
    child.debug("hidden");
    child.info("shown");
    const lines = entries();
    expect(lines.map((e) => e.msg)).toEqual(["shown"]);
    expect(JSON.stringify(lines)).not.toContain(token);
    expect(JSON.stringify(lines)).not.toContain("AAChildLoggerSecretToken");
    expect(String(lines[0]?.url)).toContain("[redacted]");
  });
});
