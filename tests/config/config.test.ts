import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

/** The ConfigError `env` raises (fails the test when it loads). */
function refused(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe("config validation of addresses and the token", () => {
  it("refuses an OpenAI-compatible address without http:// or https://", () => {
    const e = refused({ OPENAI_BASE_URL: "localhost:11434" });
    expect(e.variable).toBe("OPENAI_BASE_URL");
    expect(e.message).toContain("http:// or https://");
    expect(e.message).toContain("http://127.0.0.1:11434/v1");
    expect(loadConfig({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1" }).llmEnabled).toBe(true);
  });

  it("refuses a Bot API root that is not http(s)", () => {
    for (const root of ["ftp://127.0.0.1:9000", "127.0.0.1:9000"]) {
      const e = refused({ TELEGRAM_API_ROOT: root });
      expect(e.variable).toBe("TELEGRAM_API_ROOT");
      expect(e.message).toContain("http:// or https://");
    }
  });

  it("refuses a webhook on http:// unless a self-hosted Bot API server is set", () => {
    const e = refused({
      TELEGRAM_BOT_TOKEN: "123456789:AAFakeTokenForPadomsTestsOnly_abcdefghij",
      BOT_MODE: "webhook",
      WEBHOOK_URL: "http://padoms.example/hook",
    });
    expect(e.variable).toBe("WEBHOOK_URL");
    expect(e.message).toContain("https://");
    expect(e.message).toContain("BOT_MODE=polling");
    const local = loadConfig({
      BOT_MODE: "webhook",
      WEBHOOK_URL: "http://127.0.0.1:8080/hook",
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081",
    });
    expect(local.WEBHOOK_URL).toBe("http://127.0.0.1:8080/hook");
  });

  it("names TELEGRAM_BOT_TOKEN when it is not a token, without repeating it", () => {
    for (const token of ["garbage", "987654", "abc:def ghi jkl mno"]) {
      const e = refused({ TELEGRAM_BOT_TOKEN: token });
      expect(e.variable).toBe("TELEGRAM_BOT_TOKEN");
      expect(e.message).toContain("@BotFather");
      expect(e.message).not.toContain(token);
    }
  });
});
