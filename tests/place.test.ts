/** The one place formatter: pages and times as the prompt, the CLI and Telegram show them. */
import { describe, expect, it } from "vitest";
import { formatClock, formatPages, formatTimeRange } from "../src/place.js";

describe("formatPages", () => {
  it("writes Latvian ranges as «12.–13. lpp.» and English ones as «pp. 12–13»", () => {
    expect(formatPages({ page: 12, pageEnd: 13 }, "lv")).toBe("12.–13. lpp.");
    expect(formatPages({ page: 12, pageEnd: 13 }, "en")).toBe("pp. 12–13");
  });

  it("writes one page as «12. lpp.» / «p. 12», also when the end is the same page", () => {
    expect(formatPages({ page: 12 }, "lv")).toBe("12. lpp.");
    expect(formatPages({ page: 12 }, "en")).toBe("p. 12");
    expect(formatPages({ page: 12, pageEnd: 12 }, "en")).toBe("p. 12");
  });

  it("prefers printed labels, and gives nothing for a place without pages", () => {
    expect(formatPages({ page: 14, pageEnd: 15, pageLabel: "xi", pageEndLabel: "xii" }, "en")).toBe(
      "pp. xi–xii",
    );
    expect(formatPages({ page: 14, pageLabel: "3" }, "lv")).toBe("3. lpp.");
    expect(formatPages({}, "lv")).toBeUndefined();
  });
});

describe("formatClock", () => {
  it("writes mm:ss, h:mm:ss from an hour on, and 00:00 for nonsense", () => {
    expect(formatClock(75.9)).toBe("01:15");
    expect(formatClock(3725)).toBe("1:02:05");
    expect(formatClock(-4)).toBe("00:00");
    expect(formatClock(Number.NaN)).toBe("00:00");
    expect(formatTimeRange(754, 830)).toBe("12:34–13:50");
    expect(formatTimeRange(754, 754)).toBe("12:34");
  });
});
