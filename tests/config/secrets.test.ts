/** One list of secrets to redact, shared by every command. */
import { describe, expect, it } from "vitest";
import { SECRET_VARIABLES, secretsOf } from "../../src/config.js";

describe("secretsOf", () => {
  it("lists every secret variable's value, so each command redacts the same ones", () => {
    const secrets = secretsOf({ WEBHOOK_SECRET: "hook-7", DATABASE_URL: "postgres://u:pw@db/p" });
    expect(secrets).toHaveLength(SECRET_VARIABLES.length);
    expect(secrets).toContain("hook-7");
    expect(secrets).toContain("postgres://u:pw@db/p");
  });
});
