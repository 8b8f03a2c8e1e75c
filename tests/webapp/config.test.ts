import { describe, expect, it } from "vitest";
import { type ConfigError, loadConfig, webAppBase } from "../../src/config.js";

const TOKEN = "123456789:AAFakeTokenForPadomsTestsOnly_abcdefghij";

function error(env: Record<string, string>): ConfigError | undefined {
  try {
    loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, ...env });
    return undefined;
  } catch (e) {
    return e as ConfigError;
  }
}

describe("Mini App settings", () => {
  it("are off by default, with a port and an age limit", () => {
    const c = loadConfig({});
    expect(c.WEBAPP_URL).toBeUndefined();
    expect(c.WEBAPP_PORT).toBe(8081);
    expect(c.WEBAPP_AUTH_MAX_AGE).toBe(3600);
  });

  it("WEBAPP_URL must be https (Telegram opens nothing else), unless a self-hosted Bot API is used", () => {
    expect(error({ WEBAPP_URL: "http://padoms.example/app/" })).toMatchObject({
      variable: "WEBAPP_URL",
      message: expect.stringContaining("https://"),
    });
    expect(error({ WEBAPP_URL: "padoms.example/app" })?.variable).toBe("WEBAPP_URL");
    expect(
      error({
        WEBAPP_URL: "http://127.0.0.1:8081/app/",
        TELEGRAM_API_ROOT: "http://127.0.0.1:9000",
      }),
    ).toBeUndefined();
  });

  it("in webhook mode the Mini App needs a path of its own; bad ports and ages are named", () => {
    const webhook = { BOT_MODE: "webhook", WEBHOOK_URL: "https://padoms.example/hook" };
    expect(error({ ...webhook, WEBAPP_URL: "https://padoms.example/hook" })).toMatchObject({
      variable: "WEBAPP_URL",
      message: expect.stringContaining("own path"),
    });
    expect(error({ ...webhook, WEBAPP_URL: "https://padoms.example/app/" })).toBeUndefined();
    expect(error({ WEBAPP_PORT: "0" })?.variable).toBe("WEBAPP_PORT");
    expect(error({ WEBAPP_AUTH_MAX_AGE: "5" })?.variable).toBe("WEBAPP_AUTH_MAX_AGE");
    expect(webAppBase("https://padoms.example/app")).toBe("/app/");
    expect(webAppBase("https://padoms.example")).toBe("/");
  });
});
