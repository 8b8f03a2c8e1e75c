import { describe, expect, it } from "vitest";
import { definedHeads, definesTerm, definitionsIn, termOf } from "../../src/text/definitions.js";

// Invented sentences about an invented subject.
describe("definitions in the materials", () => {
  it("finds the term a sentence defines: the words right before the copula, in its clause", () => {
    expect(definedHeads("Biškopības kooperatīvs ir biedru kopīgi vadīts uzņēmums.")).toEqual([
      { tokens: termOf("biškopības kooperatīvs"), head: termOf("kooperatīvs")[0] },
    ]);
    expect(definedHeads("Šeit nav nekā, ko definēt.")).toEqual([]);
  });

  it("a sentence defines a question's term when the term's words lead up to the copula", () => {
    const term = termOf("kas ir biškopības kooperatīvs?");
    expect(term).toEqual(termOf("biškopības kooperatīvs"));
    expect(definesTerm("Biškopības kooperatīvs ir biedru kopīgi vadīts uzņēmums.", term)).toBe(
      true,
    );
    expect(definesTerm("Šaurākā nozīmē biškopības kooperatīvs ir reģistrēta biedrība.", term)).toBe(
      true,
    );
    // The term is the subject of another clause, not the one defined.
    expect(
      definesTerm("Biedrus uzņem biškopības kooperatīvs, kura valde ir trīs cilvēki.", term),
    ).toBe(false);
    expect(definesTerm("Medus ir salds.", term)).toBe(false);
    // A quoted claim (a misconception the text refutes) is not a definition.
    expect(definesTerm('Mīts: "Biškopības kooperatīvs ir tas pats, kas biedrība."', term)).toBe(
      false,
    );
    expect(definesTerm("Mīts: „Biškopības kooperatīvs ir tas pats, kas biedrība”.", term)).toBe(
      false,
    );
  });

  it("works without diacritics and in English", () => {
    expect(
      definesTerm(
        "Biskopibas kooperativs ir biedru uznemums.",
        termOf("ko nozime biškopības kooperatīvs"),
      ),
    ).toBe(true);
    expect(
      definesTerm(
        "A beekeeping cooperative is a firm its members run.",
        termOf("what is a beekeeping cooperative"),
      ),
    ).toBe(true);
  });

  it("lists the defining sentences of a text", () => {
    const text =
      "Medus cena mainās. Biškopības kooperatīvs ir biedru kopīgi vadīts uzņēmums. Tas pārdod medu.";
    expect(definitionsIn(text, termOf("kas ir biškopības kooperatīvs"))).toEqual([
      "Biškopības kooperatīvs ir biedru kopīgi vadīts uzņēmums.",
    ]);
  });
});
