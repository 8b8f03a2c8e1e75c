import { describe, expect, it } from "vitest";
import { firstSentence, keysMatch } from "../../scripts/quality.js";

describe("firstSentence (what the eval's 'key fact in the first sentence' reads)", () => {
  const list =
    "Kūpinātavai vajag trīs lietas:\n1. Sausu malku.\n2. Skārda jumtu.\n3. Pacietību. [1]\n\nVēl teikums pēc saraksta.\n\nSkatiet arī:\n• [2]: “Cits avots.”";

  it("reads a lead-in that ends in a colon on into its numbered list, and stops at the list's end", () => {
    expect(firstSentence(list)).toBe(
      "Kūpinātavai vajag trīs lietas: 1. Sausu malku. 2. Skārda jumtu. 3. Pacietību.",
    );
    expect(keysMatch(["skard"], firstSentence(list))).toBe(true);
    expect(keysMatch(["pec saraksta"], firstSentence(list))).toBe(false);
  });

  it("counts the lead-in alone when strict", () => {
    expect(firstSentence(list, true)).toBe("Kūpinātavai vajag trīs lietas:");
  });

  it("keeps an English frame line with the lead-in and its list", () => {
    const en =
      "The handbook, page 4 answers this, in Latvian:\nDivi soļi:\n1. Nopļaut.\n2. Sagrābt.";
    expect(firstSentence(en)).toBe(
      "The handbook, page 4 answers this, in Latvian: Divi soļi: 1. Nopļaut. 2. Sagrābt.",
    );
  });

  it("leaves a plain sentence, and a list further down, out of it", () => {
    expect(firstSentence("Pirmais teikums. Otrs:\n1. Punkts.")).toBe("Pirmais teikums.");
    expect(firstSentence("Siens ir: sauss. [1]\n\n1. sauss;\n2. smaržīgs.")).toBe(
      "Siens ir: sauss.",
    );
  });
});
