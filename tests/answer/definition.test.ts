import { describe, expect, it } from "vitest";
import { asksForDefinition, definesSubject, pickSentences } from "../../src/answer/extractive.js";
import { analyze } from "../../src/text/analyze.js";
import type { Chunk } from "../../src/types.js";

describe("definition questions", () => {
  it("recognises 'what is' questions in Latvian and English, with or without a greeting", () => {
    for (const q of [
      "Kas ir LEADER?",
      "kas ir mazkapitala sia",
      "Sveiki, kas ir pārmaiņu teorija?",
      "Ko nozīmē minimāli dzīvotspējīgs produkts?",
      "What is a social enterprise?",
      "What does MVP mean?",
    ])
      expect(asksForDefinition(q), q).toBe(true);
    for (const q of ["Kas var iegūt statusu?", "Kā ir ar nodokļiem?", "What grants are there?"])
      expect(asksForDefinition(q), q).toBe(false);
  });

  it("takes a sentence as a definition only when it says what the subject is", () => {
    const subject = analyze("sociālais uzņēmums");
    const yes =
      "Šaurākā, juridiskā nozīmē sociālais uzņēmums ir sabiedrība ar ierobežotu atbildību, kurai piešķirts statuss.";
    expect(definesSubject(yes, subject)).toBe(true);
    // Too short a predicate, another head noun, a quoted claim, talk about the talk.
    expect(definesSubject("Sociālais uzņēmums ir kaut kur pa vidu.", subject)).toBe(false);
    expect(
      definesSubject("Sociālā uzņēmuma jēga ir ietekme uz sabiedrību un cilvēku dzīvi.", subject),
    ).toBe(false);
    expect(
      definesSubject(
        'Otrais pārpratums: "Sociālais uzņēmums ir tas pats, kas labdarība vai fonds."',
        subject,
      ),
    ).toBe(false);
    expect(
      definesSubject(
        "Šodien parunāsim par to, kas sociālais uzņēmums ir un kā tas strādā ikdienā.",
        subject,
      ),
    ).toBe(false);
  });

  it("quotes the defining sentence rather than an opener from the same passage", () => {
    const chunk = {
      id: "c1",
      text: "Šodien parunāsim par to, kas ir LEADER. LEADER ir Eiropas Savienības pieeja lauku attīstībai, kurā lēmumus pieņem vietējie cilvēki.",
    } as Chunk;
    const picked = pickSentences(
      { queryTokens: analyze("LEADER"), weight: () => 1, passages: [chunk], wantsDefinition: true },
      { maxSentences: 1 },
    );
    expect(picked.map((p) => p.text)).toEqual([
      "LEADER ir Eiropas Savienības pieeja lauku attīstībai, kurā lēmumus pieņem vietējie cilvēki.",
    ]);
  });
});
