import { describe, expect, it } from "vitest";
import { BOM, parseCsv, toCsv } from "../../src/report/csv.js";
import type { ApprovedAnswerRow } from "../../src/store/app-db.js";
import {
  approvedToCsv,
  approvedToJson,
  normaliseDate,
  parseApprovedCsv,
  parseApprovedJson,
} from "../../src/store/approved-file.js";

const tricky: ApprovedAnswerRow[] = [
  {
    id: 1,
    question: "Vai sociālais uzņēmums var pieteikties Erasmus apmaiņā, piemēram, Norvēģijā?",
    answer:
      'Jā, ja tas ir "Erasmus+" partneris.\nPieteikumu iesniedz ar biedrības starpniecību, ne SIA.\r\nSīkāk: ŠĶŪŅĢĒĀČĪĻŽ šķūņģēāčīļž.',
    approvedAt: "2024-05-01T10:00:00.000Z",
    approvedBy: "Inese, koordinatore",
    updatedAt: "2024-05-01T10:00:00.000Z",
    tokens: [],
    wordings: ['vai soc uznemums var braukt uz "Erasmus", teiksim, uz Norvegiju', "=Erasmus SIA?"],
  },
  {
    id: 2,
    question: '  "Citāts" sākumā',
    answer: ",,,",
    approvedAt: "2024-06-02T08:30:00.000Z",
    updatedAt: "2024-06-02T08:30:00.000Z",
    tokens: [],
    wordings: [],
  },
];

/** The fields a file keeps; CSV always has the other wordings' column, JSON only when some. */
const fields = (rows: ApprovedAnswerRow[], format: "csv" | "json" = "json") =>
  rows.map((r) => ({
    id: r.id,
    question: r.question.trim(),
    answer: r.answer,
    approvedAt: r.approvedAt,
    ...(r.approvedBy ? { approvedBy: r.approvedBy } : {}),
    ...(format === "csv" || r.wordings.length ? { wordings: r.wordings } : {}),
  }));

describe("CSV (RFC 4180)", () => {
  it("quotes commas, quotes and line breaks, ends records with CRLF and starts with a BOM", () => {
    const csv = toCsv([
      ["a", "b,c", 'say "hi"', "two\nlines"],
      ["ā", "", " x", "plain"],
    ]);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv).toBe(`${BOM}a,"b,c","say ""hi""","two\nlines"\r\nā,," x",plain\r\n`);
    expect(parseCsv(csv).map((r) => r.fields)).toEqual([
      ["a", "b,c", 'say "hi"', "two\nlines"],
      ["ā", "", " x", "plain"],
    ]);
  });

  it("numbers records by the line they start on and skips empty lines", () => {
    const records = parseCsv('h1,h2\n\n"multi\nline",x\ny,"z"\r\n');
    expect(records.map((r) => r.line)).toEqual([1, 3, 5]);
  });

  it("writes a cell a spreadsheet would run as a formula as text, and reads it back as it was", () => {
    const cells = [
      "=1+1",
      "+37120000000",
      "-5",
      "@SUM(A1)",
      "\tatkāpe",
      "\rrinda",
      "a=b",
      "'citāts",
    ];
    const csv = toCsv([cells], { bom: false });
    const written = csv.slice(0, -2).split(",");
    expect(written.slice(0, 4)).toEqual(["'=1+1", "'+37120000000", "'-5", "'@SUM(A1)"]);
    expect(csv).toContain(`'\tatkāpe`);
    expect(csv).toContain(`"'\rrinda"`);
    expect(csv.endsWith(",a=b,'citāts\r\n")).toBe(true);
    expect(parseCsv(csv)[0]?.fields).toEqual(cells);
  });

  it("reports an unclosed quote with its line", () => {
    expect(() => parseCsv('a,b\n"never closed,x\ny')).toThrow(/line 2/);
  });
});

describe("approved answers as files", () => {
  it("CSV round trip keeps commas, quotes, newlines and Latvian letters; UTF-8 BOM and header", () => {
    const csv = approvedToCsv(tricky);
    expect(
      csv.startsWith(`${BOM}id,question,answer,approved_at,approved_by,other_wordings\r\n`),
    ).toBe(true);
    const bytes = Buffer.from(csv, "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const parsed = parseApprovedCsv(Buffer.from(bytes).toString("utf8"));
    expect(parsed.problems).toEqual([]);
    expect(parsed.records.map(({ line: _line, ...r }) => r)).toEqual(fields(tricky, "csv"));
  });

  it("CSV export of a question planted with a formula: inert in the file, unchanged on import", () => {
    const planted: ApprovedAnswerRow[] = [
      {
        id: 7,
        question: '=HYPERLINK("http://example.invalid/x","Saņemiet grantu šeit")',
        answer: "-10 % no maksas, ja piesakās līdz piektdienai.",
        approvedAt: "2024-07-01T09:00:00.000Z",
        approvedBy: "@koordinators",
        updatedAt: "2024-07-01T09:00:00.000Z",
        tokens: [],
        wordings: [],
      },
    ];
    const csv = approvedToCsv(planted);
    const row = csv.split("\r\n")[1] ?? "";
    expect(row).toBe(
      `7,"'=HYPERLINK(""http://example.invalid/x"",""Saņemiet grantu šeit"")","'-10 % no maksas, ja piesakās līdz piektdienai.",2024-07-01T09:00:00.000Z,'@koordinators,`,
    );
    expect(csv).not.toMatch(/(^|,)"?[=+\-@]/m);
    const parsed = parseApprovedCsv(csv);
    expect(parsed.problems).toEqual([]);
    expect(parsed.records.map(({ line: _line, ...r }) => r)).toEqual(fields(planted, "csv"));
  });

  it("JSON round trip", () => {
    const json = approvedToJson(tricky);
    const parsed = parseApprovedJson(json);
    expect(parsed.problems).toEqual([]);
    expect(parsed.records.map(({ line: _line, ...r }) => r)).toEqual(fields(tricky));
    expect(parsed.records.map((r) => r.line)).toEqual([2, 13]);
  });

  it("other wordings: a list of texts in JSON, one per line in CSV; blank and repeated ones dropped", () => {
    const json = parseApprovedJson(
      '[{"question":"Q?","answer":"A","wordings":["  cits ","cits",""]},\n{"question":"R?","answer":"B","wordings":"nav saraksts"},\n{"question":"S?","answer":"C","wordings":[1]}]',
    );
    // A text instead of a list is read as the CSV cell is: one wording per line.
    expect(json.records.map((r) => r.wordings)).toEqual([["cits"], ["nav saraksts"]]);
    expect(json.problems).toEqual([
      { line: 3, message: "the other wordings are not a list of texts" },
    ]);
    const csv = parseApprovedCsv(
      'question,answer,other_wordings\nQ?,A,"viens\r\n\r\ndivi"\nR?,B,\n',
    );
    expect(csv.records.map((r) => r.wordings)).toEqual([["viens", "divi"], []]);
    const noColumn = parseApprovedCsv("question,answer\nQ?,A\n");
    expect(noColumn.records[0]).not.toHaveProperty("wordings");
  });

  it("accepts columns in any order, without id, with spreadsheet dates", () => {
    const parsed = parseApprovedCsv(
      "Answer,Question,Approved At\nJā.,Vai var?,01.05.2024.\nNē.,Vai drīkst?,2024-06-02\n",
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.records).toEqual([
      { line: 2, question: "Vai var?", answer: "Jā.", approvedAt: "2024-05-01T00:00:00.000Z" },
      { line: 3, question: "Vai drīkst?", answer: "Nē.", approvedAt: "2024-06-02T00:00:00.000Z" },
    ]);
  });

  it("reports every bad row by its line number", () => {
    const csv = [
      "id,question,answer,approved_at,approved_by",
      "1,Labs jautājums?,Laba atbilde.,2024-05-01,Inese",
      '2,"Jautājums ar',
      'divām rindām?",,2024-05-01,',
      "x,Vai?,Jā.,,",
      "4,Vai?,Jā.,31.02.2024.,",
      "1,Dublikāts?,Jā.,,",
      ",,Tikai atbilde,,",
      "5,Vai?,Jā.,,,lieks lauks",
    ].join("\n");
    const parsed = parseApprovedCsv(csv);
    expect(parsed.records.map((r) => r.line)).toEqual([2]);
    expect(parsed.problems.map((p) => [p.line, p.message])).toEqual([
      [3, "the answer is empty"],
      [5, 'the id "x" is not a positive whole number'],
      [6, 'the date "31.02.2024." is not a date (use YYYY-MM-DD)'],
      [7, "the id 1 is used again (first on line 2)"],
      [8, "the question is empty"],
      [9, "6 fields, but the header has 5"],
    ]);
  });

  it("explains a missing header column and broken JSON", () => {
    expect(parseApprovedCsv("jautājums,atbilde\na,b\n").problems[0]?.message).toContain(
      "lacks the column(s) question, answer",
    );
    expect(parseApprovedJson('[\n  {"question": "a"\n').problems[0]?.message).toMatch(
      /not valid JSON/,
    );
    const bad = parseApprovedJson(
      '[\n  {"question": "a?", "answer": "b"},\n  "text",\n  {"question": ""}\n]',
    );
    expect(bad.problems.map((p) => p.line)).toEqual([3, 4, 4]);
    expect(parseApprovedJson('{"question": "a"}').problems[0]?.message).toContain("JSON array");
  });

  it("normalises dates", () => {
    expect(normaliseDate("2024-05-01T10:00:00+03:00")).toBe("2024-05-01T07:00:00.000Z");
    expect(normaliseDate("1.5.2024 14:30")).toBe("2024-05-01T14:30:00.000Z");
    expect(normaliseDate("vakar")).toBeUndefined();
  });
});
