import { describe, expect, it, vi } from "vitest";
import { expectIngestError } from "./helpers.js";

vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...actual,
    readFile: vi.fn(async () => {
      throw Object.assign(new Error("EACCES: permission denied, open '/corpus/x.md'"), {
        code: "EACCES",
      });
    }),
  };
});

describe("loadSourceFile when the file cannot be read (EACCES, simulated so it also runs as root)", () => {
  it("reports unreadable and says what to do", async () => {
    const { loadSourceFile } = await import("../../src/ingest/load-file.js");
    const error = await expectIngestError(
      () => loadSourceFile("/corpus/x.md", "x.md"),
      "unreadable",
      "x.md",
    );
    expect(error.message).toContain("permission denied");
    expect(error.message).toContain("make the file readable");
    expect((error.cause as NodeJS.ErrnoException).code).toBe("EACCES");
  });
});
