import { describe, expect, it } from "vitest";
import { analyze } from "../../src/text/analyze.js";
import { expandEnglishQuery, GLOSSARY } from "../../src/text/glossary.js";

describe("GLOSSARY", () => {
  it("has about 150 or more entries with Latvian terms", () => {
    expect(GLOSSARY.size).toBeGreaterThanOrEqual(150);
    expect(GLOSSARY.get("social enterprise")).toEqual(["sociālais uzņēmums"]);
    expect(GLOSSARY.get("ministry of welfare")).toContain("Labklājības ministrija");
    expect(GLOSSARY.get("share capital")).toEqual(["pamatkapitāls"]);
    expect(GLOSSARY.get("small capital company")).toEqual(["mazkapitāla sabiedrība"]);
    expect(GLOSSARY.get("local action group")).toContain("vietējā rīcības grupa");
    expect(GLOSSARY.get("how much")).toEqual(["cik"]);
  });
});

describe("expandEnglishQuery", () => {
  it("turns an English question into Latvian terms", () => {
    expect(expandEnglishQuery("What is a social enterprise?")).toBe("sociālais uzņēmums");
    expect(expandEnglishQuery("How much share capital does a social enterprise need?")).toBe(
      "cik pamatkapitāls sociālais uzņēmums vajadzība",
    );
  });

  it("matches plurals and hyphenated terms, longest phrase first", () => {
    expect(expandEnglishQuery("tax reliefs for social enterprises")).toBe(
      "nodokļu atvieglojumi sociālais uzņēmums",
    );
    expect(expandEnglishQuery("Can a small-capital company apply?")).toBe(
      "mazkapitāla sabiedrība pieteikties iesniegt",
    );
  });

  it("keeps abbreviations and numbers, drops stop words", () => {
    expect(expandEnglishQuery("Is the ALTUM grant for SIA up to 5000 EUR?")).toBe(
      "ALTUM grants dotācija SIA up 5000 EUR",
    );
    expect(expandEnglishQuery("LEADER support via the VRG")).toBe("LEADER atbalsts via VRG");
  });

  it("can drop unknown words", () => {
    expect(expandEnglishQuery("Tell me about the weather and grants", { keepUnknown: false })).toBe(
      "grants dotācija",
    );
  });

  it("produces terms the Latvian analyzer matches", () => {
    const lv = analyze("Sociālā uzņēmuma statusu piešķir Labklājības ministrija");
    const en = analyze(
      expandEnglishQuery("Who grants the social enterprise status? The Ministry of Welfare?"),
    );
    for (const t of ["social", "uznemum", "status", "labklajib", "ministrij"]) {
      expect(lv).toContain(t);
      expect(en).toContain(t);
    }
  });
});
