import { describe, expect, it } from "vitest";
import { indexLectures, parseLecturesJson } from "../../src/ingest/lectures-meta.js";
import { expectIngestError } from "./helpers.js";

const valid = JSON.stringify({
  lectures: [
    {
      id: "l1",
      file: "01-ievads.vtt",
      title: "Ievads sociālajā uzņēmējdarbībā",
      lecturer: "mentore",
      date: "2024-03-14",
      durationSec: 1800,
      topics: ["statuss", "likums"],
      summary: "Pamati.",
      moments: [{ startSec: 65, title: "Likums" }],
      url: "https://youtu.be/abc",
      language: "lv",
      extra: "ignored",
    },
    { id: "l2", file: "02.srt", title: "Finansējums", url: "", date: "" },
  ],
});

describe("parseLecturesJson", () => {
  it("parses valid metadata and treats empty url as none", () => {
    const lectures = parseLecturesJson(valid, "lectures.json");
    expect(lectures).toHaveLength(2);
    expect(lectures[0]).toMatchObject({ id: "l1", durationSec: 1800, url: "https://youtu.be/abc" });
    expect(lectures[0]).not.toHaveProperty("extra");
    expect(lectures[1]).toEqual({ id: "l2", file: "02.srt", title: "Finansējums" });
  });

  it("names the offending field", async () => {
    const bad = JSON.stringify({
      lectures: [
        { id: "a", file: "a.vtt", title: "A" },
        { id: "b", file: "b.vtt", title: 5 },
      ],
    });
    const error = await expectIngestError(
      () => parseLecturesJson(bad, "lekcijas/lectures.json"),
      "corrupt",
      "lekcijas/lectures.json",
    );
    expect(error.message).toContain("lectures[1].title");
  });

  it("names a bad nested field and a bad date", async () => {
    const bad = JSON.stringify({
      lectures: [{ id: "a", file: "a.vtt", title: "A", moments: [{ startSec: -1, title: "X" }] }],
    });
    const e1 = await expectIngestError(() => parseLecturesJson(bad, "l.json"), "corrupt", "l.json");
    expect(e1.message).toContain("lectures[0].moments[0].startSec");
    const badDate = JSON.stringify({
      lectures: [{ id: "a", file: "a.vtt", title: "A", date: "14.03.2024" }],
    });
    const e2 = await expectIngestError(
      () => parseLecturesJson(badDate, "l.json"),
      "corrupt",
      "l.json",
    );
    expect(e2.message).toContain("lectures[0].date");
  });

  it("rejects invalid JSON, a missing lectures array and duplicate ids", async () => {
    await expectIngestError(() => parseLecturesJson("{ lectures: ", "l.json"), "corrupt", "l.json");
    const missing = await expectIngestError(
      () => parseLecturesJson("{}", "l.json"),
      "corrupt",
      "l.json",
    );
    expect(missing.message).toContain("lectures");
    const dup = JSON.stringify({
      lectures: [
        { id: "a", file: "a.vtt", title: "A" },
        { id: "a", file: "b.vtt", title: "B" },
      ],
    });
    const e = await expectIngestError(() => parseLecturesJson(dup, "l.json"), "corrupt", "l.json");
    expect(e.message).toContain("lectures[1].id");
  });
});

describe("indexLectures", () => {
  it("keys lectures by corpus-relative path", () => {
    const lectures = parseLecturesJson(valid, "x");
    const map = indexLectures("lekcijas/lectures.json", lectures);
    expect([...map.keys()]).toEqual(["lekcijas/01-ievads.vtt", "lekcijas/02.srt"]);
    expect([...indexLectures("lectures.json", lectures).keys()]).toEqual([
      "01-ievads.vtt",
      "02.srt",
    ]);
  });
});
