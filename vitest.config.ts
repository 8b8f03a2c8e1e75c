import { defineConfig } from "vitest/config";

/** Files that replace a module with `vi.mock`: they need a module cache of their own. */
const mockingFiles = [
  "tests/ingest/ingest-faults.test.ts",
  "tests/ingest/load-file-eacces.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Vitest's default on a 2-core machine is one worker, and much of the suite waits on child
    // processes, sockets and timers rather than the CPU: two workers overlap those waits.
    maxWorkers: 2,
    projects: [
      {
        // Files share a worker's module cache (no re-import of grammY, pdf.js, SQLite … per
        // file). Tests restore what they change (env stubs, spies, umask) themselves.
        extends: true,
        test: {
          name: "shared",
          // The shared ingested sample index (only this project's files use it).
          globalSetup: ["tests/helpers/global-setup.ts"],
          include: ["tests/**/*.test.ts"],
          exclude: mockingFiles,
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: "isolated", include: mockingFiles, isolate: true },
      },
    ],
  },
});
