import { describe, expect, it } from "vitest";
import { FITTED_MODELS } from "../../src/answer/create-engine.js";
import { countDomainVocabulary, domainOdds } from "../../src/answer/domain.js";
import { TOPIC_FEATURES, topicFeatures } from "../../src/answer/features.js";

// Invented messages: a few on a co-operative bakery's subject, a few on other subjects.
const ON = [
  "kā kooperatīvs var pieteikties maizes ceptuves grantam?",
  "vai kooperatīvam jāmaksā nodoklis par ziedojumiem",
  "kādi dokumenti vajadzīgi granta pieteikumam kooperatīvam",
  "cik ilgi vērtē granta pieteikumu",
];
const OFF = [
  "kur var nopirkt zābakus ziemai",
  "cik grādu būs sestdien",
  "kā iemācīt sunim sēdēt",
  "kur pieteikties zābaku remontam",
];

describe("domainOdds", () => {
  const v = countDomainVocabulary(ON, OFF, 1);

  it("counts in how many messages of each side a word occurs", () => {
    expect(v.on.messages).toBe(4);
    expect(v.off.messages).toBe(4);
    const granta = Object.entries(v.on.df).find(([t]) => t.startsWith("grant"));
    expect(granta?.[1]).toBe(3);
  });

  it("is above 0 for a message worded like the subject's and below 0 for another subject's", () => {
    expect(domainOdds("vai kooperatīvs dabūs grantu?", v)).toBeGreaterThan(0);
    expect(domainOdds("zābaki sunim sestdien?", v)).toBeLessThan(0);
  });

  it("reads a word both sides use as neither", () => {
    // "pieteikties" is on both sides once or more: it weighs less than a word of one side only.
    const shared = domainOdds("pieteikties", v);
    const own = domainOdds("kooperatīvs", v);
    expect(own).toBeGreaterThan(shared);
  });

  it("gives 0 to a message without words", () => {
    expect(domainOdds("?!", v)).toBe(0);
  });

  it("weighs unseen words less with more smoothing", () => {
    const light = countDomainVocabulary(ON, OFF, 0.1);
    const heavy = countDomainVocabulary(ON, OFF, 10);
    const text = "kooperatīvs grants";
    expect(domainOdds(text, light)).toBeGreaterThan(domainOdds(text, heavy));
  });
});

describe("the committed on-topic model", () => {
  it("reads the committed word counts as one of its features", () => {
    const onTopic = FITTED_MODELS.onTopic;
    expect(onTopic?.model.features).toEqual([...TOPIC_FEATURES]);
    expect(onTopic?.vocabulary?.on.messages).toBeGreaterThan(1000);
    expect(onTopic?.vocabulary?.off.messages).toBeGreaterThan(500);
    expect(topicFeatures({}, 0.5, -1.5).domainOdds).toBe(-1.5);
  });
});

describe("the committed word counts", () => {
  const v = FITTED_MODELS.onTopic?.vocabulary;
  it("lean invented everyday messages away from the subject and subject messages to it", () => {
    if (!v) throw new Error("no committed word counts");
    const everyday = [
      "vai rīt snigs Valmierā?",
      "kā izcept biezpiena plātsmaizi",
      "where can I fix my bicycle",
    ];
    const subject = [
      "mūsu biedrība grib kļūt par sociālo uzņēmumu, ko darīt?",
      "what does a social enterprise get from the status?",
    ];
    for (const text of everyday) expect(domainOdds(text, v)).toBeLessThan(0);
    for (const text of subject) expect(domainOdds(text, v)).toBeGreaterThan(0);
  });
});
