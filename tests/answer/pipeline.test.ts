import { describe, expect, it } from "vitest";
import { composeAnswer, shownOf } from "../../src/answer/compose.js";
import {
  chooseUnits,
  type QuestionAnalysis,
  SEARCH_DEPTH,
  searchDepthOf,
} from "../../src/answer/create-engine.js";
import { understand } from "../../src/answer/intent.js";
import { auc, fitLogistic, fitRanker, predict, solveSpd } from "../../src/answer/model.js";
import {
  announcesNext,
  enumerationsOf,
  leansBack,
  listsOf,
  unitsOf,
  unitText,
} from "../../src/answer/units.js";
import { abbreviationsIn, expandAbbreviations } from "../../src/text/abbreviations.js";
import type { Chunk } from "../../src/types.js";

const passage = [
  "Kooperatīvs ir biedru kopīgi vadīts uzņēmums. Tā peļņu sadala biedriem pēc apgrozījuma.",
  "Lai nodibinātu kooperatīvu, vajag šādus soļus:",
  "• sapulcināt vismaz piecus biedrus;",
  "• pieņemt statūtus;",
  "• reģistrēt kooperatīvu Uzņēmumu reģistrā.",
  "Kas par to jāmaksā? Valsts nodeva ir 150 eiro.",
].join("\n");

const chunkOf = (text: string): Chunk => ({
  id: "c0",
  kind: "handbook",
  path: "handbook/x.pdf",
  title: "Rokasgrāmata",
  text,
  page: 3,
  ordinal: 0,
});

describe("answer units", () => {
  it("keeps a list whole with its lead-in, also when the first item follows on the same line", () => {
    expect(listsOf(passage)).toEqual([
      {
        leadIn: "Lai nodibinātu kooperatīvu, vajag šādus soļus:",
        items: [
          "sapulcināt vismaz piecus biedrus;",
          "pieņemt statūtus;",
          "reģistrēt kooperatīvu Uzņēmumu reģistrā.",
        ],
      },
    ]);
    expect(listsOf("Dokumenti: • pase;\n• izziņa.")[0]?.items).toEqual(["pase;", "izziņa."]);
  });

  it("splits two items a PDF put on one line, and keeps the sentence a lead-in points back to", () => {
    const text = [
      "Biedrībai ir trīs pienākumi. Tie ir šādi:",
      "• rīkot sapulci; • glabāt protokolus;",
      "• iesniegt pārskatu.",
    ].join("\n");
    expect(listsOf(text)).toEqual([
      {
        leadIn: "Biedrībai ir trīs pienākumi. Tie ir šādi:",
        items: ["rīkot sapulci;", "glabāt protokolus;", "iesniegt pārskatu."],
      },
    ]);
    // A lead-in that stands on its own is the line's last sentence only.
    expect(listsOf("Ievads. Pienākumi ir šādi:\n• a;\n• b.")[0]?.leadIn).toBe("Pienākumi ir šādi:");
  });

  it("keeps the paragraph a PDF joined to a list's last line apart from the last item", () => {
    const text = [
      "Grantu var izmantot šādi:",
      "• iekārtām;",
      "• apmācībām.",
      "• telpu remontam. Remonts ir dārgs. Tam meklējiet citu naudu.",
    ].join("\n");
    // Items closed by ";": the last one ends with its first sentence.
    const semicolons = text.replace("apmācībām.", "apmācībām;");
    expect(listsOf(semicolons)[0]).toEqual({
      leadIn: "Grantu var izmantot šādi:",
      items: ["iekārtām;", "apmācībām;", "telpu remontam."],
      tail: "Remonts ir dārgs. Tam meklējiet citu naudu.",
    });
    // Items that are sentences of their own may have several: nothing is cut.
    expect(listsOf(text)[0]?.tail).toBeUndefined();
    const list = unitsOf(semicolons).find((u) => u.kind === "list")!;
    expect(unitText(list)).toContain("telpu remontam. Remonts ir dārgs.");
    const { answer } = composeAnswer({
      intent: understand("Kam var izmantot grantu?"),
      lead: { unit: list, chunk: { ...chunkOf(semicolons) } },
      seeAlso: [],
      abbreviations: new Map(),
    });
    expect(answer).toBe(
      "Grantu var izmantot šādi:\n1. iekārtām;\n2. apmācībām;\n3. telpu remontam.\nRemonts ir dārgs. Tam meklējiet citu naudu. [1]",
    );
  });

  it("makes items a PDF joined on one line sentence units of their own", () => {
    const text = "Noteikumi ir šādi:\n• biedru ir vismaz pieci; • valdi ievēl uz trim gadiem.";
    const leads = unitsOf(text)
      .filter((u) => u.kind === "sentence")
      .map((u) => u.lead);
    expect(leads).toEqual([
      "Noteikumi ir šādi:",
      "biedru ir vismaz pieci;",
      "valdi ievēl uz trim gadiem.",
    ]);
  });

  it("tells a sentence that leans on the one before it", () => {
    expect(leansBack("Tāpēc kooperatīvs maksā mazāk.")).toBe(true);
    expect(leansBack("Tas attiecas uz visiem biedriem.")).toBe(true);
    expect(leansBack("However, the fee is lower.")).toBe(true);
    expect(leansBack("Tā kā biedru ir maz, sapulce ir īsa.")).toBe(false);
    expect(leansBack("Kooperatīvs maksā mazāk.")).toBe(false);
    expect(leansBack("Tasmanija ir sala.")).toBe(false);
  });

  it("tells a passage that ends by announcing the next one", () => {
    // Invented passages: a dangling lead-in, a chapter introduction, and a plain ending.
    expect(announcesNext("Kooperatīvs ir vienkāršs. Biedru pienākumi:\n")).toBe(true);
    expect(announcesNext("Ievads. Šajā nodaļā soļi aprakstīti pēc kārtas.")).toBe(true);
    expect(announcesNext("Ievads. Nākamajā sadaļā par biedru naudu.")).toBe(true);
    expect(announcesNext("Šajā nodaļā par biedriem. Biedru nauda ir 10 euro.")).toBe(false);
    expect(announcesNext("Kooperatīvs maksā mazāk: tā nosaka valde.")).toBe(false);
  });

  it("makes sentence windows, lists and the materials' own question-and-answer pairs", () => {
    const units = unitsOf(passage);
    const first = units.find((u) => u.kind === "sentence" && u.position === 0);
    expect(first?.next).toContain("peļņu sadala");
    expect(unitText(first!, 1)).toBe("Kooperatīvs ir biedru kopīgi vadīts uzņēmums.");
    expect(units.some((u) => u.kind === "list" && u.items?.length === 3)).toBe(true);
    const faq = units.find((u) => u.kind === "faq");
    expect(faq?.asked).toBe("Kas par to jāmaksā?");
    expect(faq?.lead).toBe("Valsts nodeva ir 150 eiro.");
  });
});

describe("enumerations told in prose", () => {
  const told = [
    "Pirms pirkt traktoru, pārbaudiet divas lietas.",
    "Pirmkārt, vai tam ir derīga tehniskā apskate.",
    "To var redzēt reģistrā.",
    "Otrkārt, cik motorstundu tas nostrādājis.",
    "Pēc tam vienojieties par cenu.",
  ];

  it("keeps a 'first … second …' run whole, as one list with its lead-in", () => {
    expect(enumerationsOf(told)).toEqual([
      {
        leadIn: "Pirms pirkt traktoru, pārbaudiet divas lietas.",
        items: [
          "Pirmkārt, vai tam ir derīga tehniskā apskate. To var redzēt reģistrā.",
          "Otrkārt, cik motorstundu tas nostrādājis. Pēc tam vienojieties par cenu.",
        ],
        position: 0,
      },
    ]);
    const unit = unitsOf(told.join(" ")).find((u) => u.kind === "list");
    expect(unit?.items).toHaveLength(2);
  });

  it("needs a first item and another ordinal after it; 'pirms' is not 'pirmais'", () => {
    expect(enumerationsOf(["Pirms sākat, izlasiet.", "Otrkārt, zvaniet."])).toEqual([]);
    expect(enumerationsOf(["Pirmkārt, izlasiet.", "Tad zvaniet."])).toEqual([]);
    expect(enumerationsOf(["First, read it.", "Finally, call them."])[0]?.items).toHaveLength(2);
  });

  it("counts on in turn: an ordinal out of turn is a sentence, not an item", () => {
    // "In the first year … And the fourth …": a story, not a list.
    const story = [
      "Ziemā pasūtījumu nebija.",
      "Pirmajā gadā dravnieks medu pārdeva par lētu.",
      "Vēlāk cenas pacēla.",
      "Un ceturtā nedēļa bija visgrūtākā.",
    ];
    expect(enumerationsOf(story)).toEqual([]);
    // Inside a run, a new "first" ends it; the items counted so far stay one list.
    const run = [
      "Pirmā problēma bija telpas.",
      "Otrā problēma bija transports.",
      "Pirmajā gadā to atrisināja kaimiņš.",
      "Trešā problēma bija nauda.",
    ];
    expect(enumerationsOf(run)[0]?.items).toEqual([
      "Pirmā problēma bija telpas.",
      "Otrā problēma bija transports.",
    ]);
  });
});

describe("the fitted models", () => {
  const rows = Array.from({ length: 200 }, (_, i) => {
    const a = (i % 10) / 10;
    const b = ((i * 7) % 13) / 13;
    return { x: { a, b }, y: (a + 0.2 * b > 0.55 ? 1 : 0) as 0 | 1 };
  });

  it("a logistic regression learns which feature matters, deterministically", () => {
    const m = fitLogistic(["a", "b"], rows, { l2: 0.1 });
    expect(m).toEqual(fitLogistic(["a", "b"], rows, { l2: 0.1 }));
    expect(m.weights[0]).toBeGreaterThan(m.weights[1] as number);
    expect(predict(m, { a: 0.9, b: 0.5 })).toBeGreaterThan(0.5);
    expect(predict(m, { a: 0.1, b: 0.5 })).toBeLessThan(0.5);
    const scores = rows.map((r) => predict(m, r.x));
    expect(
      auc(
        scores,
        rows.map((r) => r.y),
      ),
    ).toBeGreaterThan(0.95);
  });

  it("a logistic regression is fitted to its optimum, also with two copies of one feature", () => {
    const noisy = rows.map((r, i) => ({ ...r, y: (i % 9 === 0 ? 1 - r.y : r.y) as 0 | 1 }));
    const twice = noisy.map((r) => ({ ...r, x: { ...r.x, a2: r.x.a } }));
    const l2 = 1;
    const m = fitLogistic(["a", "a2", "b"], twice, { l2 });
    // The penalised objective's gradient vanishes at the fit (in standardised units).
    const grad = [0, 0, 0, 0];
    for (const r of twice) {
      const err = predict(m, r.x) - r.y;
      ["a", "a2", "b"].forEach((f, i) => {
        const z = ((r.x as Record<string, number>)[f]! - m.mean[i]!) / m.scale[i]!;
        grad[i]! += err * z;
      });
      grad[3]! += err;
    }
    m.weights.forEach((w, i) => {
      grad[i]! += l2 * w;
    });
    for (const g of grad) expect(Math.abs(g)).toBeLessThan(1e-4);
    // Two copies of a feature share its weight equally (gradient descent split them by chance).
    expect(m.weights[0]).toBeCloseTo(m.weights[1]!, 6);
  });

  it("solves a symmetric positive-definite system", () => {
    const x = solveSpd(
      [
        [4, 1, 0],
        [1, 3, 1],
        [0, 1, 2],
      ],
      [1, 2, 3],
    );
    expect(4 * x[0]! + x[1]!).toBeCloseTo(1, 8);
    expect(x[0]! + 3 * x[1]! + x[2]!).toBeCloseTo(2, 8);
    expect(x[1]! + 2 * x[2]!).toBeCloseTo(3, 8);
  });

  it("a ranker puts each group's positive candidate first", () => {
    const groups = Array.from({ length: 30 }, (_, g) => ({
      rows: [0, 1, 2, 3].map((k) => ({ hit: k === g % 4 ? 1 : 0, noise: ((g + k) % 5) / 5 })),
      labels: [0, 1, 2, 3].map((k) => (k === g % 4 ? 1 : 0) as 0 | 1),
    }));
    const m = fitRanker(["hit", "noise"], groups, { l2: 0.01 });
    for (const g of groups) {
      const scores = g.rows.map((r) => predict(m, r));
      const best = scores.indexOf(Math.max(...scores));
      expect(g.labels[best]).toBe(1);
    }
  });

  it("auc is 0.5 for scores that say nothing", () => {
    expect(auc([0.3, 0.3, 0.3, 0.3], [1, 0, 1, 0])).toBe(0.5);
  });
});

describe("search depth", () => {
  it("a message with context is searched to the context depth, a bare question to the search depth", () => {
    const bare = { focus: "kur pieteikties?", whole: "kur pieteikties?" };
    const told = { focus: "kur pieteikties?", whole: "mēs šujam somas. kur pieteikties?" };
    expect(searchDepthOf({ searchDepth: 8, contextDepth: 12 }, bare)).toBe(8);
    expect(searchDepthOf({ searchDepth: 8, contextDepth: 12 }, told)).toBe(12);
    expect(searchDepthOf({ searchDepth: 8 }, told)).toBe(8);
    expect(searchDepthOf({}, told)).toBe(SEARCH_DEPTH);
  });
});

describe("composition", () => {
  const chunk: Chunk = {
    id: "c1",
    kind: "handbook",
    path: "handbook/x.pdf",
    title: "Rokasgrāmata",
    text: passage,
    page: 7,
    ordinal: 0,
  };
  const abbreviations = abbreviationsIn(
    "Par to lemj Zemkopības ministrija (ZM), nevis pašvaldība.",
  );

  it("finds abbreviations the text defines and expands the first use", () => {
    expect(abbreviations.get("ZM")).toBe("Zemkopības ministrija");
    expect(expandAbbreviations("ZM lemj. ZM arī pārbauda.", abbreviations)).toBe(
      "ZM (Zemkopības ministrija) lemj. ZM arī pārbauda.",
    );
    expect(expandAbbreviations("Zemkopības ministrija (ZM) lemj.", abbreviations)).toBe(
      "Zemkopības ministrija (ZM) lemj.",
    );
    // Not inside parentheses, which would nest them: the first use outside them.
    expect(expandAbbreviations("Atbalsts (ja ZM piekrīt) ir. ZM lemj.", abbreviations)).toBe(
      "Atbalsts (ja ZM piekrīt) ir. ZM (Zemkopības ministrija) lemj.",
    );
    expect(expandAbbreviations("Atbalsts (ja ZM piekrīt) ir.", abbreviations)).toBe(
      "Atbalsts (ja ZM piekrīt) ir.",
    );
  });

  it("numbers a list and cites it", () => {
    const list = unitsOf(passage).find((u) => u.kind === "list")!;
    const { answer, citations } = composeAnswer({
      intent: understand("Kādi soļi jāveic, lai nodibinātu kooperatīvu?"),
      lead: { unit: list, chunk },
      seeAlso: [],
      abbreviations,
    });
    expect(answer).toBe(
      "Lai nodibinātu kooperatīvu, vajag šādus soļus:\n1. sapulcināt vismaz piecus biedrus;\n2. pieņemt statūtus;\n3. reģistrēt kooperatīvu Uzņēmumu reģistrā. [1]",
    );
    expect(citations).toHaveLength(1);
    expect(citations[0]?.page).toBe(7);
  });

  it("opens a lecture request no lecture fits with where the point is discussed instead", () => {
    const text = "Kooperatīva biedri sapulcējas reizi gadā. Sapulci vada valde.";
    const sentence = (c: Chunk) => ({
      unit: unitsOf(text).find((u) => u.kind === "sentence")!,
      chunk: c,
    });
    const handbook = chunkOf(text);
    const lecture: Chunk = {
      ...handbook,
      kind: "lecture",
      path: "lectures/09-kooperativi.vtt",
      title: "Kooperatīvi",
      page: undefined,
      startSec: 125,
      endSec: 180,
    };
    const compose = (question: string, c: Chunk) =>
      composeAnswer({
        intent: understand(question),
        lead: sentence(c),
        seeAlso: [],
        abbreviations,
        window: 1,
      }).answer;
    const lv = "Vai ir video par kooperatīva sapulcēm?";
    expect(understand(lv).expects).toBe("lecture");
    expect(compose(lv, handbook)).toBe(
      "Lekcijas tieši par to nav, bet rokasgrāmatā teikts:\nKooperatīva biedri sapulcējas reizi gadā. [1]",
    );
    expect(compose(lv, lecture)).toMatch(/^Lekcijā “Kooperatīvi” par to runā 02:05–03:00:\n/);
    const en = "Is there a video about cooperative meetings?";
    expect(compose(en, handbook)).toMatch(
      /^No lecture is about this as such\. The handbook, page 3/,
    );
    expect(compose(en, lecture)).toMatch(/^The lecture “Kooperatīvi”, 02:05–03:00 answers this/);
    // Another kind of question opens with the quote, as before.
    expect(compose("Cik bieži sapulcējas kooperatīva biedri?", handbook)).toMatch(/^Kooperatīva/);
  });

  it("shows a second part of the same passage under 'See also' with the same citation, not naming the place again", () => {
    const units = unitsOf(passage);
    const first = units.find((u) => u.kind === "sentence" && u.position === 0)!;
    const fee = units.find((u) => u.kind === "faq")!;
    const { answer, citations } = composeAnswer({
      intent: understand("Kas ir kooperatīvs un cik maksā tā reģistrācija?"),
      lead: { unit: first, chunk },
      seeAlso: [{ unit: fee, chunk }],
      abbreviations,
      window: 1,
    });
    expect(answer).toBe(
      "Kooperatīvs ir biedru kopīgi vadīts uzņēmums. [1]\n\nSkatiet arī:\n• Turpat [1]: “Valsts nodeva ir 150 eiro.”",
    );
    expect(citations).toHaveLength(1);
  });

  it("quotes a chosen part that goes on where the lead's quote ends with it, not as 'See also'", () => {
    const text = [
      "Kooperatīvā balso biedri.",
      "Katram biedram ir viena balss.",
      "Lēmumus pieņem sapulcē.",
      "Sapulci sasauc valde.",
      "Valdi ievēl uz trim gadiem.",
    ].join(" ");
    const votes: Chunk = { ...chunk, text };
    const units = unitsOf(text).filter((u) => u.kind === "sentence");
    const at = (i: number) => ({ unit: units[i]!, chunk: votes });
    const { answer, citations } = composeAnswer({
      intent: understand("Kā kooperatīvā balso?"),
      lead: at(0),
      seeAlso: [at(4), at(1), at(2)],
      abbreviations,
      window: 1,
      seeAlsoCount: 3,
    });
    expect(answer).toBe(
      "Kooperatīvā balso biedri. Katram biedram ir viena balss. Lēmumus pieņem sapulcē. [1]\n\nSkatiet arī:\n• Turpat [1]: “Valdi ievēl uz trim gadiem.”",
    );
    expect(citations).toHaveLength(1);
  });

  it("reads a quote on while it is too short to stand alone or ends in a colon", () => {
    const text = [
      "Biedri sapulcējas kopsapulcē katru gadu pavasarī.",
      "Sapulci vada valdes priekšsēdētājs.",
      "Soli pa solim.",
      "Vispirms apstiprina pārskatu.",
      "Galvenie darba kārtības punkti:",
      "budžets nākamajam gadam un valdes vēlēšanas.",
    ].join(" ");
    const meeting: Chunk = { ...chunk, text };
    const units = unitsOf(text).filter((u) => u.kind === "sentence");
    const at = (i: number) => ({ unit: units[i]!, chunk: meeting });
    const { answer } = composeAnswer({
      intent: understand("Kad sapulcējas biedri?"),
      lead: at(0),
      seeAlso: [at(2), at(4)],
      abbreviations,
      window: 1,
      seeAlsoCount: 2,
    });
    expect(answer).toBe(
      "Biedri sapulcējas kopsapulcē katru gadu pavasarī. [1]\n\nSkatiet arī:\n" +
        "• Turpat [1]: “Soli pa solim. Vispirms apstiprina pārskatu.”\n" +
        "• Turpat [1]: “Galvenie darba kārtības punkti: budžets nākamajam gadam un valdes vēlēšanas.”",
    );
  });

  it("names the value of the asked type in an English opening, and none for other questions", () => {
    const text = "2021. gada 1. martā kooperatīvā bija 48 biedri. Tas ir vairāk nekā iepriekš.";
    const members: Chunk = { ...chunk, text };
    const unit = unitsOf(text)[0]!;
    const compose = (question: string) =>
      composeAnswer({
        intent: understand(question),
        lead: { unit, chunk: members },
        seeAlso: [],
        abbreviations,
        window: 1,
      }).answer.split("\n")[0];
    expect(compose("How many members did the cooperative have?")).toBe(
      "The handbook, page 7: 48. In Latvian:",
    );
    expect(compose("When did the cooperative count its members?")).toBe(
      "The handbook, page 7: 1 March 2021. In Latvian:",
    );
    expect(compose("Who are the members of the cooperative?")).toBe(
      "The handbook, page 7 answers this, in Latvian:",
    );
  });

  it("names a date in the genitive ('1. aprīļa') whole, in English, in an English opening", () => {
    const text = "Noteikumi ir spēkā kopš 2019. gada 1. aprīļa.";
    const unit = unitsOf(text)[0]!;
    const { answer } = composeAnswer({
      intent: understand("When did the rules come into force?"),
      lead: { unit, chunk: { ...chunk, text } },
      seeAlso: [],
      abbreviations,
      window: 1,
    });
    expect(answer.split("\n")[0]).toBe("The handbook, page 7: 1 April 2019. In Latvian:");
  });

  const rules = [
    "Kooperatīvs ir biedru uzņēmums.",
    "Kooperatīvam ir daži noteikumi:",
    "• biedru ir vismaz pieci;",
    "• valdi ievēl uz trim gadiem;",
    "• peļņu sadala pēc apgrozījuma.",
  ].join("\n");
  const rulesChunk: Chunk = { ...chunk, text: rules };
  /** An analysis of `question` over the passage above, its units scored by `score`. */
  const analysed = (question: string, score: (lead: string, kind: string) => number) => {
    const units = unitsOf(rules);
    return {
      intent: understand(question),
      results: [{ chunk: rulesChunk, score: 1 }],
      candidates: units.map((unit) => ({ unit, passage: 0, features: {} })),
      scores: units.map((u) => score(u.lead, u.kind)),
    } as unknown as QuestionAnalysis;
  };
  /** The lead chosen for `question` over the passage above, and the answer composed from it. */
  const answered = (question: string, score: (lead: string, kind: string) => number) => {
    const { lead } = chooseUnits(analysed(question, score), 0.5);
    const { answer } = composeAnswer({
      intent: understand(question),
      lead: lead!,
      seeAlso: [],
      abbreviations,
    });
    return { lead, answer };
  };
  const listFirst = (lead: string, kind: string) =>
    kind === "list" ? 0.9 : lead.startsWith("valdi") ? 0.6 : lead.startsWith("biedru") ? 0.4 : 0.1;

  it("leads with the list item that answers when the question did not ask for the list", () => {
    const { lead, answer } = answered("Uz cik gadiem ievēl kooperatīva valdi?", listFirst);
    expect(lead?.unit.kind).toBe("list");
    expect(lead?.answering).toBe("valdi ievēl uz trim gadiem;");
    expect(answer).toBe(
      "Kooperatīvam ir daži noteikumi: valdi ievēl uz trim gadiem.\n\n1. biedru ir vismaz pieci;\n2. valdi ievēl uz trim gadiem;\n3. peļņu sadala pēc apgrozījuma. [1]",
    );
  });

  it("does not quote again a sentence that an overlapping passage repeats", () => {
    const first = "Kooperatīvu dibina vismaz pieci biedri. Valdi ievēl uz trim gadiem.";
    const second = "Valdi ievēl uz trim gadiem. Peļņu sadala pēc apgrozījuma.";
    const units = [unitsOf(first), unitsOf(second)];
    const candidates = units.flatMap((us, passage) =>
      us.map((unit) => ({ unit, passage, features: {} })),
    );
    const score = (lead: string, passage: number) =>
      lead.startsWith("Kooperatīvu") ? 0.9 : lead.startsWith("Valdi") ? 0.7 - passage / 10 : 0.5;
    const analysis = {
      intent: understand("Kā dibina kooperatīvu?"),
      results: [{ chunk: chunkOf(first) }, { chunk: { ...chunkOf(second), id: "c2" } }],
      candidates,
      scores: candidates.map((c) => score(c.unit.lead, c.passage)),
    } as unknown as QuestionAnalysis;
    const { lead, seeAlso } = chooseUnits(analysis, 0.1, { lead: 1, seeAlso: 1 }, 3);
    expect(lead?.unit.lead).toBe("Kooperatīvu dibina vismaz pieci biedri.");
    // "Valdi ievēl …" of the first passage is quoted once; its copy in the second is not.
    expect(seeAlso.map((x) => x.unit.lead)).toEqual([
      "Valdi ievēl uz trim gadiem.",
      "Peļņu sadala pēc apgrozījuma.",
    ]);
  });

  it("quotes no sentence that only asks under 'See also'", () => {
    const text =
      "Kooperatīvu dibina vismaz pieci biedri. Kā sadala peļņu? Peļņu sadala pēc apgrozījuma.";
    const candidates = unitsOf(text).map((unit) => ({ unit, passage: 0, features: {} }));
    const score = (lead: string) =>
      lead.startsWith("Kooperatīvu") ? 0.9 : lead.endsWith("?") ? 0.8 : 0.5;
    const analysis = {
      intent: understand("Kā dibina kooperatīvu?"),
      results: [{ chunk: chunkOf(text) }],
      candidates,
      scores: candidates.map((c) => score(c.unit.lead)),
    } as unknown as QuestionAnalysis;
    const { lead, seeAlso } = chooseUnits(analysis, 0.1, { lead: 1, seeAlso: 1 }, 3);
    expect(lead?.unit.lead).toBe("Kooperatīvu dibina vismaz pieci biedri.");
    // The question is too short to stand alone, so its quote reads on into the answer; the
    // answer is not quoted a second time.
    expect(seeAlso.map((x) => shownOf(x.unit, 1))).toEqual([
      ["Kā sadala peļņu?", "Peļņu sadala pēc apgrozījuma."],
    ]);
  });

  it("says a chosen sentence that is a list item with the list's lead-in, and alone", () => {
    const { lead, answer } = answered("Uz cik gadiem ievēl kooperatīva valdi?", (l, kind) =>
      kind === "list" ? 0.2 : l.startsWith("valdi") ? 0.8 : 0.1,
    );
    expect(lead?.unit.kind).toBe("sentence");
    expect(lead?.leadIn).toBe("Kooperatīvam ir daži noteikumi:");
    // Not followed by the next item, which the sentence window would quote.
    expect(answer).toBe("Kooperatīvam ir daži noteikumi: valdi ievēl uz trim gadiem. [1]");
  });

  it("finds the answering item among the items a list continues with in the next passage", () => {
    const head =
      "Kooperatīvam ir daži noteikumi:\n• biedru ir vismaz pieci;\n• valdi ievēl uz trim gadiem;";
    const next = "• iestāšanās maksa ir 20 euro.\nCits teikums.";
    const headChunk = chunkOf(head);
    const nextChunk = { ...chunkOf(next), id: "c2", ordinal: 1 };
    const candidates = [unitsOf(head), unitsOf(next)].flatMap((us, passage) =>
      us.map((unit) => ({ unit, passage, features: {} })),
    );
    const analysis = {
      intent: understand("Cik liela ir kooperatīva iestāšanās maksa?"),
      results: [{ chunk: headChunk }, { chunk: nextChunk }],
      candidates,
      scores: candidates.map((c) =>
        c.unit.kind === "list" ? 0.9 : c.unit.lead.startsWith("iestāšanās") ? 0.5 : 0.2,
      ),
    } as unknown as QuestionAnalysis;
    const following = { following: (c: Chunk) => (c.id === "c0" ? [nextChunk] : []) };
    const { lead } = chooseUnits(analysis, 0.95, undefined, 2, following);
    expect(lead?.unit.items).toHaveLength(3);
    expect(lead?.answering).toBe("iestāšanās maksa ir 20 euro.");
  });

  it("shows a list as it is when the question asks for the list, or no item was scored", () => {
    const asked = chooseUnits(analysed("Kādas ir kooperatīva prasības?", listFirst), 0.5);
    expect(asked.lead?.unit.kind).toBe("list");
    expect(asked.lead?.answering).toBeUndefined();
    // Nor for a question that asks no value: an item said first would read as the whole answer.
    const how = chooseUnits(analysed("Kā kooperatīvs ievēl valdi?", listFirst), 0.5);
    expect(how.lead?.answering).toBeUndefined();
    const unscored = analysed("Uz cik gadiem ievēl kooperatīva valdi?", listFirst);
    const onlyList = {
      ...unscored,
      candidates: unscored.candidates.filter((c) => c.unit.kind === "list"),
      scores: [0.9],
    };
    expect(chooseUnits(onlyList, 0.5).lead?.answering).toBeUndefined();
  });

  it("opens an English answer with the source and the value it names", () => {
    const faq = unitsOf(passage).find((u) => u.kind === "faq")!;
    const { answer } = composeAnswer({
      intent: understand("How much is the state fee for a cooperative?"),
      lead: { unit: faq, chunk },
      seeAlso: [],
      abbreviations,
      window: 1,
    });
    expect(answer).toBe(
      "The handbook, page 7: 150 euro. In Latvian:\nValsts nodeva ir 150 eiro. [1]",
    );
  });
});
