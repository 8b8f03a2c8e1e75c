import { describe, expect, it } from "vitest";
import {
  asksForLectureList,
  clausesOf,
  DEFAULT_FOCUS,
  expectationOf,
  followUpOf,
  splitFocus,
  stripTrailingNoise,
  understand,
} from "../../src/answer/intent.js";

describe("question understanding", () => {
  it("finds the clause that asks inside a long message, and keeps the rest as context", () => {
    const { focus, context } = splitFocus(
      "Labdien! Mēs ar māsu audzējam zemenes Zemgalē un gribam pieņemt darbā divus kaimiņus. Kādi nodokļu atvieglojumi mums pienāktos?",
      DEFAULT_FOCUS,
    );
    expect(focus).toContain("nodokļu atvieglojumi");
    expect(context).toContain("zemenes");
    expect(context).not.toContain("Labdien");
  });

  it("joins a short asking clause with the clause before it", () => {
    const { focus } = splitFocus("mums ir vecā skola un gribam tur ierīkot darbnīcu. ar ko sākt?");
    expect(focus).toContain("darbnīcu");
  });

  it("joins an asking clause that points back with the clause it points to, when set", () => {
    const text =
      "Mūsu ciemā ir veca dzirnava. Dēls grib tajā ierīkot kafejnīcu ar vietējiem produktiem. Vai tas būtu atļauts?";
    const settings = { minTopicTokens: 1, backReference: true };
    expect(splitFocus(text, settings).focus).toContain("kafejnīcu");
    expect(splitFocus(text, { ...settings, backReference: false }).focus).toBe(
      "Vai tas būtu atļauts?",
    );
    expect(splitFocus(text, { minTopicTokens: 8, backReference: false }).focus).toContain(
      "dzirnava",
    );
  });

  it("splits clauses at sentence ends and line breaks", () => {
    expect(clausesOf("Sveiki!\nEs esmu no Talsiem. Kur var saņemt padomu?")).toEqual([
      "Sveiki!",
      "Es esmu no Talsiem.",
      "Kur var saņemt padomu?",
    ]);
  });

  it("names the expected answer", () => {
    expect(expectationOf("kadi soli jaizdara lai registretu biedribu", "lv").expects).toBe("steps");
    // "How (do we) get / apply …" in any person of the verb.
    for (const q of ["kā lai dabūjam licenci?", "ka piesakamies tirdzinam?", "kā iegūst atlaidi?"])
      expect(expectationOf(q, "lv").expects, q).toBe("steps");
    expect(expectationOf("Kādi dokumenti jāiesniedz?", "lv").expects).toBe("list");
    // A plural question with "ir"/"are" asks for all of them, whatever it names.
    expect(expectationOf("kadas ir biskopibas skirnes", "lv").expects).toBe("list");
    expect(expectationOf("What are the main beekeeping regions?", "en").expects).toBe("list");
    expect(expectationOf("What are cooperatives?", "en").expects).toBe("definition");
    expect(expectationOf("Cik maksā zemes noma?", "lv")).toMatchObject({
      expects: "value",
      valueType: "money",
    });
    expect(expectationOf("Kas ir kooperatīvs?", "lv").expects).toBe("definition");
    expect(expectationOf("What is a beekeeping cooperative?", "en").expects).toBe("definition");
    expect(expectationOf("what does apiculture mean?", "en").expects).toBe("definition");
    expect(expectationOf("kapec vajag valdi", "lv").expects).toBe("reason");
    expect(expectationOf("is there a video about pricing?", "en").expects).toBe("lecture");
    expect(expectationOf("Vai biedrība drīkst pelnīt?", "lv").expects).toBe("yesno");
    expect(expectationOf("What are the steps to open a bakery?", "en").expects).toBe("steps");
  });

  it("lets a request for a list elsewhere in the message outweigh a value the focus seems to ask", () => {
    // "maksa" reads as a money question, but the message asks for the charges listed.
    expect(expectationOf("kāda ir nomas maksa par hektāru?", "lv").expects).toBe("value");
    expect(understand("kāda ir nomas maksa par hektāru? uzskaiti").expects).toBe("list");
    // A plural interrogative with a plural noun asks for the items themselves.
    expect(expectationOf("kādas izmaksas sedz dravas apdrošināšana?", "lv").expects).toBe("list");
    expect(understand("Cik maksā zemes noma? Uzskaiti visas.").expects).toBe("list");
    expect(understand("Cik maksā zemes noma?").expects).toBe("value");
  });

  it("removes trailing noise after the question mark", () => {
    expect(stripTrailingNoise("Kur atrast mentoru? #12")).toBe("Kur atrast mentoru?");
    expect(stripTrailingNoise("Kur atrast mentoru? 🙂🙂")).toBe("Kur atrast mentoru?");
    expect(stripTrailingNoise("Kur atrast mentoru? Un grāmatvedi?")).toBe(
      "Kur atrast mentoru? Un grāmatvedi?",
    );
    expect(understand("Kur atrast mentoru? #3").focus).toBe(
      understand("Kur atrast mentoru?").focus,
    );
  });
});

describe("follow-ups", () => {
  const before = "Kā nodibināt lauku kooperatīvu?";

  it("recognises a bare follow-up without a previous question", () => {
    expect(followUpOf("un cik tas maksā?", undefined).bare).toBe(true);
    expect(followUpOf("what about it?", undefined).bare).toBe(true);
    expect(followUpOf("Cik maksā dzīvokļa īre Rīgā?", undefined).bare).toBe(false);
    expect(followUpOf("var audzēt tikai ķiršus? vai tas ir izdevīgi", undefined).bare).toBe(false);
  });

  it("tells continuing, elliptic and new sub-topic follow-ups apart", () => {
    expect(followUpOf("kāpēc?", before).followUp).toBe("continue");
    expect(followUpOf("un cik tas maksā?", before).followUp).toBe("elliptic");
    expect(followUpOf("un kur tad dabūt noliktavu?", before).followUp).toBe("subtopic");
    expect(followUpOf("Kādi nodokļi jāmaksā par zemes nomu laukos?", before).followUp).toBe("none");
  });

  it("reads a go-on word with a few words more as a follow-up, searched with the question", () => {
    // Bare, it goes on in the passage; with a few words more, it is searched with the question.
    expect(followUpOf("kāpēc tik dārgi?", before).followUp).toBe("elliptic");
    expect(followUpOf("sīkāk, lūdzu, par biedriem", before).followUp).toBe("elliptic");
    expect(followUpOf("why not, if we are all farmers?", before).followUp).toBe("elliptic");
    // Many words of its own make it a question of its own; no question before, no follow-up.
    expect(
      followUpOf("kāpēc pagastos trūkst veikalu, aptieku, pasta nodaļu un autobusu?", before)
        .followUp,
    ).toBe("none");
    expect(followUpOf("kāpēc tik dārgi?", undefined).followUp).toBe("none");
    // The reading can be turned off (the eval's sweep).
    expect(
      followUpOf("sīkāk, lūdzu, par biedriem", before, { goOnFresh: -1, subtopicWords: 3 })
        .followUp,
    ).toBe("none");
  });

  it("takes “viņi” / “they” as pointing back to the previous subject", () => {
    expect(followUpOf("ar ko viņi sāka?", before).followUp).not.toBe("none");
    expect(followUpOf("how did they start?", before).followUp).not.toBe("none");
  });

  it("takes a request to explain it again as going on in the same place", () => {
    for (const m of ["paskaidro saprotamāk", "izskaidro sīkāk!", "explain that more simply"]) {
      expect(followUpOf(m, before).followUp).toBe("continue");
    }
  });

  it("tells a request for the list of lectures from a lecture request on a subject", () => {
    for (const m of [
      "kādas lekcijas jums ir?",
      "lekciju saraksts, lūdzu",
      "which videos are available?",
    ]) {
      expect(asksForLectureList(m)).toBe(true);
    }
    for (const m of ["kādas lekcijas ir par grāmatvedību?", "which lecture explains invoices?"]) {
      expect(asksForLectureList(m)).toBe(false);
    }
  });
});
