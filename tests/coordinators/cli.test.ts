import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from "vitest";
import { runFaq } from "../../src/cli/faq.js";
import { main } from "../../src/cli/main.js";
import { runReport } from "../../src/cli/report.js";
import { APP_DB_FILE, openAppDb } from "../../src/store/app-db.js";
import { tempDir } from "../helpers/corpus.js";

let dir: string;
let errors: MockInstance;
let logs: MockInstance;
const stderr = () => errors.mock.calls.map((c) => String(c[0])).join("\n");
const stdout = () => logs.mock.calls.map((c) => String(c[0])).join("\n");

beforeAll(async () => {
  dir = await tempDir("padoms-cli-");
  const db = openAppDb(join(dir, APP_DB_FILE));
  await db.saveApproved({
    question: 'Vai var, lūdzu, "ātri" pieteikties?',
    answer: "Jā,\nbet ar nosacījumiem: šķūņi, ģērbtuves.",
    approvedAt: "2024-05-01T10:00:00.000Z",
    approvedBy: "Inese",
  });
  const q = await db.recordQuestion({
    question: "Kā iegūt statusu?",
    language: "lv",
    channel: "private",
    chatId: 1,
    userId: 1,
  });
  await db.recordAnswer(q, {
    answer: "Tā [1].",
    language: "lv",
    mode: "extractive",
    answered: true,
    citations: [],
  });
  await db.markReplied(q);
  await db.close();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  errors = vi.spyOn(console, "error").mockImplementation(() => {});
  logs = vi.spyOn(console, "log").mockImplementation(() => {});
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("padoms faq", () => {
  it("exports CSV and JSON, and imports them back unchanged", async () => {
    const csv = join(dir, "faq.csv");
    const json = join(dir, "faq.json");
    expect(await runFaq(["export", csv, "--data", dir])).toBe(0);
    expect(await runFaq(["export", json, "--data", dir])).toBe(0);
    const csvText = await readFile(csv, "utf8");
    expect(
      csvText.startsWith("\uFEFFid,question,answer,approved_at,approved_by,other_wordings\r\n"),
    ).toBe(true);
    expect(csvText).toContain('"Vai var, lūdzu, ""ātri"" pieteikties?"');
    expect(JSON.parse(await readFile(json, "utf8"))[0]).toMatchObject({
      id: 1,
      approvedBy: "Inese",
    });
    expect(await runFaq(["import", csv, "--data", dir])).toBe(0);
    expect(stderr()).toContain("Imported 1 approved answer(s): 0 added, 1 replaced.");
    expect(stderr()).toContain("Not indexed yet");
    const db = openAppDb(join(dir, APP_DB_FILE));
    expect(await db.listApproved()).toHaveLength(1);
    expect((await db.getApproved(1))?.answer).toBe("Jā,\nbet ar nosacījumiem: šķūņi, ģērbtuves.");
    await db.close();
  });

  it("refuses a file with bad rows, naming each line, and imports nothing", async () => {
    const bad = join(dir, "bad.csv");
    await writeFile(bad, "question,answer\nLabs?,Jā.\n,Bez jautājuma\nBez atbildes?,\n");
    expect(await runFaq(["import", bad, "--data", dir])).toBe(1);
    expect(stderr()).toContain(`${bad}:3: the question is empty`);
    expect(stderr()).toContain(`${bad}:4: the answer is empty`);
    expect(stderr()).toContain("Nothing imported");
    const db = openAppDb(join(dir, APP_DB_FILE));
    expect(await db.listApproved()).toHaveLength(1);
    await db.close();
  });

  it("adds new rows from JSON given with --format", async () => {
    const file = join(dir, "new.txt");
    await writeFile(file, JSON.stringify([{ question: "Jauns?", answer: "Jā." }]));
    expect(await runFaq(["import", file, "--format", "json", "--data", dir])).toBe(0);
    expect(stderr()).toContain("1 added, 0 replaced");
  });

  it("explains its usage", async () => {
    expect(await main(["faq", "copy", "x"])).toBe(2);
    expect(stderr()).toContain("Usage: padoms faq export FILE");
  });
});

describe("padoms report", () => {
  it("prints the summary and writes the CSV and the PNG", async () => {
    const csv = join(dir, "report.csv");
    const png = join(dir, "report.png");
    expect(await runReport(["--since", "7d", "--csv", csv, "--png", png, "--data", dir])).toBe(0);
    expect(stdout()).toContain("Padoms: usage report");
    expect(stdout()).toContain("Answered: 1 (100 %)");
    expect((await readFile(csv, "utf8")).split("\r\n")[0]).toBe(
      "\uFEFFdate,questions,answered,declined,handed_off",
    );
    const image = await readFile(png);
    expect(image.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(await runReport(["--since", "7d", "--lang", "lv", "--data", dir])).toBe(0);
    expect(stdout()).toContain("Padoms: pārskats");
  }, 20_000);

  it("says what is wrong with its arguments or the data folder", async () => {
    expect(await main(["report", "--since", "soon", "--data", dir])).toBe(2);
    expect(stderr()).toContain("--since must be");
    expect(await runReport(["--data", join(dir, "nowhere")])).toBe(1);
    expect(stderr()).toContain("No app database");
  });
});
