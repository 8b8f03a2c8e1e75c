import { describe, expect, it } from "vitest";
import {
  expectedAnswerType,
  findTypedAnswer,
  hasTypedAnswer,
  hasValueOf,
  VALUE_CUE_TOKENS,
  valuesIn,
} from "../../src/answer/answer-type.js";
import { analyze } from "../../src/text/analyze.js";

describe("expectedAnswerType (Latvian)", () => {
  it.each([
    ["Cik maksā SIA reģistrācija?", "money"],
    ["cik maksa registret sia", "money"],
    ["Cik eiro var saņemt par vienu darbinieku?", "money"],
    ["Cik naudas bija projektam?", "money"],
    ["Kāda ir reģistrācijas maksa?", "money"],
    ["Cik procentu darbinieku jābūt no mērķa grupām?", "percent"],
    ["Cik lielu daļu finansējuma atvēlēja uzņēmējdarbībai?", "percent"],
    ["Kāda ir PVN procentu likme?", "percent"],
    ["Cik liels ir pamatkapitāls?", "amount"],
    ["Kāds ir maksimālais atbalsta apjoms?", "amount"],
    ["kads ir apgrozijuma limits leader projektos", "amount"],
    ["Kādā apmērā piešķir grantu?", "amount"],
    ["kada ir altum attistibas granta lielaka summa", "amount"],
    ["Cik darbinieku strādā darbnīcā?", "count"],
    ["Cik daudz iedzīvotāju dzīvo teritorijā?", "count"],
    ["Cik ilgi jāgaida lēmums?", "duration"],
    ["Cik ilgā laikā ministrija piešķir statusu?", "duration"],
    ["Cik mēnešu ilga programma?", "duration"],
    ["Cik bieži jāiesniedz pārskats?", "frequency"],
    ["Kad likums stājās spēkā?", "date"],
    ["sveiki, kad var pieteikties grantam?", "date"],
    ["Kuros novados tā darbojas un kad to dibināja?", "date"],
    ["Kurā gadā sākās programma?", "date"],
    ["Līdz kuram datumam jāiesniedz pieteikums?", "date"],
    ["Kas uzvarēja konkursā?", "winner"],
    ["kas vakar uzvareja speli", "winner"],
  ])("%s → %s", (question, type) => {
    expect(expectedAnswerType(question, "lv")).toBe(type);
  });

  it.each([
    "Kam var piešķirt sociālā uzņēmuma statusu?",
    "Kā pareizi noteikt cenu produktiem?",
    "Kāpēc vajag naudas plūsmas plānu?",
    "Kas notiek ar sabiedrību, kad tās pamatkapitālu palielina līdz 2800 eiro?",
    "ko bieži salaiž grīstē, kad raksta pieteikumu?",
    "Vai ir kāda kompensācija par sociālajām iemaksām?",
    "Kādas izmaiņas paredz 2025. gada grozījumu projekts?",
    "Ko saņem konkursa uzvarētāji?",
  ])("%s → no value", (question) => {
    expect(expectedAnswerType(question, "lv")).toBeUndefined();
  });
});

describe("expectedAnswerType (English)", () => {
  it.each([
    ["How much does it cost to register an SIA?", "money"],
    ["What is the SEB grant and how much can you get?", "amount"],
    ["What is the minimum share capital of an SIA?", "amount"],
    ["What percentage of employees must be from target groups?", "percent"],
    ["How many companies had the status in 2019?", "count"],
    ["How long does the ministry take to decide?", "duration"],
    ["When did the LEADER approach start?", "date"],
    ["In what year was the law adopted?", "date"],
    ["Who won the contest in 2024?", "winner"],
  ])("%s → %s", (question, type) => {
    expect(expectedAnswerType(question, "en")).toBe(type);
  });

  it.each([
    "Which tax reliefs can a social enterprise get?",
    "What did the owner do when an employee had a relapse?",
    "What happens if I miss the deadline?",
  ])("%s → no value", (question) => {
    expect(expectedAnswerType(question, "en")).toBeUndefined();
  });
});

describe("values in sentences", () => {
  it("finds sums of money, percentages, dates, durations and counts", () => {
    expect(hasValueOf("money", "Parastas SIA minimālais pamatkapitāls ir 2800 euro.")).toBe(true);
    expect(hasValueOf("money", "Granti līdz 40 000 eiro un 12,68 miljoni euro.")).toBe(true);
    expect(hasValueOf("money", "Reģistrācija maksā 21,34 €.")).toBe(true);
    expect(hasValueOf("money", "Divas balvas pa četri tūkstoši eiro.")).toBe(true);
    expect(hasValueOf("percent", "Vismaz 30 % no pakalpojumiem jāsniedz šīm grupām.")).toBe(true);
    expect(hasValueOf("percent", "Vismaz 50 procentiem jābūt no mērķa grupām.")).toBe(true);
    expect(hasValueOf("percent", "Vairāk nekā puse darbinieku.")).toBe(true);
    expect(hasValueOf("date", "Likums stājās spēkā 2018. gada 1. aprīlī.")).toBe(true);
    expect(hasValueOf("date", "Konkursu izsludina rudenī.")).toBe(true);
    expect(hasValueOf("duration", "Lēmumu pieņem mēneša laikā.")).toBe(true);
    expect(hasValueOf("duration", "Bija piecu mēnešu mentoringa programma.")).toBe(true);
    expect(hasValueOf("duration", "Projekts ilga no 2015. gada novembra līdz 2023. gadam.")).toBe(
      true,
    );
    expect(hasValueOf("count", "Likumā ir tikai 13 panti.")).toBe(true);
    expect(hasValueOf("count", "Darbnīcā strādā septiņi cilvēki.")).toBe(true);
    expect(hasValueOf("winner", "Konkursā uzvarēja biedrība no Cēsīm.")).toBe(true);
  });

  it("does not take years, ordinals or section numbers for figures", () => {
    expect(valuesIn("Tas notika 2023. gadā.").has("count")).toBe(false);
    expect(valuesIn("Pieteikumi 15. konkursa kārtā.").has("count")).toBe(false);
    expect(valuesIn("Sk. 6.3. sadaļu par de minimis atbalstu.").has("amount")).toBe(false);
    expect(valuesIn("Divas balvas pa 2000 euro.").has("date")).toBe(false);
  });

  it("finds no value where a sentence only talks about one", () => {
    const s = "De minimis atbalstam ir noteikts maksimālais apjoms, ko viens uzņēmums var saņemt.";
    expect([...valuesIn(s)]).toEqual([]);
    expect(valuesIn("https://registr.lv - reģistrācijas maksa.").has("money")).toBe(false);
    expect(valuesIn("Šajā stāstā viņa neuzvarēja.").has("winner")).toBe(false);
    expect(valuesIn("Viens sociālais dienests palīdzēja.").has("duration")).toBe(false);
  });

  it("does not count a value the question itself states", () => {
    const given = new Set(analyze("vasaras ziemas riepas"));
    expect(hasValueOf("date", "Vasarā darba ir daudz, ziemā maz.")).toBe(true);
    expect(hasValueOf("date", "Vasarā darba ir daudz, ziemā maz.", given)).toBe(false);
    const ten = new Set(analyze("10 darbinieki"));
    expect(hasValueOf("count", "Ja darbinieku ir vairāk nekā 10, vajag vismaz 30 %.", ten)).toBe(
      true,
    );
    expect(hasValueOf("count", "Ja darbinieku ir vairāk nekā 10.", ten)).toBe(false);
  });
});

describe("contact details", () => {
  it("knows a question that names the detail it asks for", () => {
    expect(expectedAnswerType("kāds ir zemnieku biedrības telefona numurs?", "lv")).toBe("phone");
    expect(expectedAnswerType("uz kuru epastu rakstīt par tirdziņu", "lv")).toBe("email");
    expect(expectedAnswerType("Kāda ir muzeja adrese?", "lv")).toBe("address");
    expect(expectedAnswerType("Kāda ir ministrijas pasta adrese?", "lv")).toBe("address");
    expect(expectedAnswerType("kāds ir fonda e-pasts vai tālrunis?", "lv")).toBe("contact");
    expect(expectedAnswerType("What is the library's phone number?", "en")).toBe("phone");
    // Calling is not asking for a number.
    expect(expectedAnswerType("kurās dienās var zvanīt uz biroju?", "lv")).not.toBe("phone");
  });

  it("finds a phone number said to be one, an e-mail and a street address", () => {
    expect(hasValueOf("phone", "Birojs atbild pa tālruni 61 234 567 darbdienās.")).toBe(true);
    expect(hasValueOf("phone", "Fondā ir 25 000 000 euro.")).toBe(false);
    expect(hasValueOf("email", "Jautājumus sūtiet uz info@piemers.lv.")).toBe(true);
    expect(hasValueOf("contact", "Jautājumus sūtiet uz info@piemers.lv.")).toBe(true);
    expect(hasValueOf("address", "Birojs ir Dārza ielā 7, Cēsīs.")).toBe(true);
    expect(hasValueOf("phone", "Birojs ir Dārza ielā 7, Cēsīs.")).toBe(false);
    // The word the question asks with is a cue, not the answer's topic: it is not masked away.
    const asked = new Set(analyze("biroja tālruņa numurs").filter((t) => !VALUE_CUE_TOKENS.has(t)));
    expect(hasValueOf("phone", "Birojs atbild pa tālruni 61 234 567.", asked)).toBe(true);
    // An address whose name the question says ("info e-pasts") is still an address.
    const named = new Set(analyze("info e-pasts").filter((t) => !VALUE_CUE_TOKENS.has(t)));
    expect(hasValueOf("email", "Jautājumus sūtiet uz info@piemers.lv.", named)).toBe(true);
  });

  it("are not values a sentence holds for other questions", () => {
    expect(valuesIn("Rakstiet uz info@piemers.lv.").size).toBe(0);
  });
});

describe("findTypedAnswer", () => {
  /** Every token weighs 1, so coverage is the share of topic words found. */
  const input = (question: string, ...texts: string[]) => ({
    tokens: analyze(question),
    weight: () => 1,
    passages: texts.map((text) => ({ text })),
  });

  it("leaves the words that only ask for a value out of the topic", () => {
    for (const w of analyze("cik maksā apjoms procentu ilgi summa maksimālais")) {
      expect(VALUE_CUE_TOKENS.has(w)).toBe(true);
    }
    expect(VALUE_CUE_TOKENS.has(analyze("grants")[0] as string)).toBe(false);
  });

  it("finds the sentence that holds the value and covers the topic", () => {
    const found = findTypedAnswer({
      type: "money",
      ...input(
        "Cik maksā mazkapitāla SIA reģistrācija?",
        "SIA reģistrē Uzņēmumu reģistrs. Mazkapitāla SIA reģistrācija maksā 21,34 eiro. Pamatkapitāls var būt mazs.",
      ),
    });
    expect(found?.text).toMatch(/21,34 eiro/);
    expect(found?.passage).toBe(0);
    expect(found?.position).toBe(1);
    expect(found?.coverage).toBe(1);
  });

  it("gives low coverage when the value belongs to another topic", () => {
    const q = "Cik procentu līdzfinansējums jānodrošina ALTUM attīstības grantam?";
    const found = findTypedAnswer({
      type: "percent",
      ...input(
        q,
        "Attīstības granti ir paredzēti esošiem uzņēmumiem. Vēlāk par tiem runāsim sīkāk. Ideju konkursā pašam bija jānodrošina 10 procentu līdzfinansējums.",
      ),
    });
    expect(found).toBeDefined();
    expect(found?.coverage).toBeLessThan(0.5);
    expect(
      hasTypedAnswer(
        {
          type: "percent",
          ...input(q, "ALTUM attīstības grantam jānodrošina 15 procentu līdzfinansējums."),
        },
        0.5,
      ),
    ).toBe(true);
  });

  it("finds nothing when no sentence holds a value of the type", () => {
    expect(
      findTypedAnswer({
        type: "amount",
        ...input(
          "Kāds ir maksimālais de minimis atbalsta apjoms?",
          "De minimis atbalstam ir noteikts maksimālais apjoms. Tas summējas ar citu atbalstu.",
        ),
      }),
    ).toBeUndefined();
  });

  it("credits topic words of the sentence before (an FAQ question fully)", () => {
    const faq = findTypedAnswer({
      type: "duration",
      ...input(
        "Cik ilgi ministrija izskata pieteikumu?",
        "Cik ilgi ministrija izskata pieteikumu? Parasti lēmumu pieņem mēneša laikā.",
      ),
    });
    expect(faq?.coverage).toBe(1);
    const prose = findTypedAnswer({
      type: "count",
      ...input(
        "Cik projektu apstiprināja partnerība?",
        "Partnerība izsludināja konkursu. Tajā apstiprināti 26 projekti.",
      ),
    });
    expect(prose?.coverage).toBeGreaterThan(0.6);
    expect(prose?.coverage).toBeLessThan(1);
  });

  it("requires a year the question names around the value", () => {
    const q = "Cik sociālo uzņēmumu bija 2025. gadā?";
    expect(
      findTypedAnswer({
        type: "count",
        ...input(q, "2023. gadā bija vairāk nekā 200 sociālo uzņēmumu."),
      }),
    ).toBeUndefined();
    expect(
      findTypedAnswer({
        type: "count",
        ...input(q, "2025. gadā bija 250 sociālo uzņēmumu."),
      })?.coverage,
    ).toBe(1);
  });
});
