import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { materialsOf } from "../../src/answer/create-engine.js";
import { type App, createApp } from "../../src/app.js";
import { ingestCorpus } from "../../src/ingest/ingest.js";
import { tempDir, testConfig } from "../helpers/corpus.js";

const chunk = (kind: "handbook" | "lecture" | "document" | "faq", path: string) => ({
  kind,
  path,
});

describe("what a decline calls the materials", () => {
  it("one handbook with lectures is the handbook and the lectures", () => {
    const passages = [
      chunk("handbook", "rokasgramata.pdf"),
      chunk("handbook", "rokasgramata.pdf"),
      chunk("lecture", "lekcijas/l1.vtt"),
      chunk("faq", "faq/3"),
    ];
    expect(materialsOf(passages)).toEqual({ name: "handbook", lectures: true });
    const titled = passages.map((p) => ({
      ...p,
      title: p.kind === "handbook" ? "Bišu grāmata" : "L",
    }));
    expect(materialsOf(titled)).toEqual({
      name: "handbook",
      lectures: true,
      title: "Bišu grāmata",
    });
  });

  it("a law, a thesis or several documents are the materials", () => {
    expect(materialsOf([chunk("document", "likums.txt"), chunk("lecture", "l.vtt")])).toEqual({
      name: "materials",
      lectures: true,
    });
    expect(materialsOf([chunk("handbook", "a.pdf"), chunk("handbook", "b.pdf")])).toEqual({
      name: "materials",
      lectures: false,
    });
    expect(materialsOf([chunk("handbook", "a.pdf"), chunk("document", "b.md")]).name).toBe(
      "materials",
    );
  });
});

describe("a decline over a corpus of other documents", () => {
  let dir: string;
  let app: App;

  beforeAll(async () => {
    dir = await tempDir();
    const corpus = join(dir, "corpus");
    await mkdir(corpus);
    // Invented notes of a beekeepers' club: a document, no handbook, no lectures.
    await writeFile(
      join(corpus, "biskopji.md"),
      "# Biškopju biedrība\n\nBiedrība tiekas katra mēneša pirmajā sestdienā pagasta namā. Biedru nauda ir divdesmit eiro gadā, un to maksā līdz marta beigām.\n\n## Medus\n\nMedu sviež augustā, kad šūnas ir aizvākotas. Sviestuvi biedri var aizņemties no valdes priekšsēdētāja.\n",
    );
    const config = testConfig(join(dir, "data"), corpus);
    await ingestCorpus({ config });
    app = await createApp({ config });
  }, 120_000);

  afterAll(async () => {
    app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("names the materials, not a handbook and lectures the corpus lacks, and lists no lectures", async () => {
    const lv = await app.engine.ask("Kā pagatavot pankūkas ar ievārījumu?");
    expect(lv.answered).toBe(false);
    // Pancakes are not the beekeepers' subject: the decline says what the answers come from.
    expect(lv.answer).toMatch(
      /^Materiālos par to nekā nav\. Es atbildu tikai no šeit ielādētajiem materiāliem/,
    );
    expect(lv.answer).not.toMatch(/rokasgrāmat|lekcij|\/lectures/i);
    const en = await app.engine.ask("How do I bake pancakes with jam?");
    expect(en.answered).toBe(false);
    // Declined by the on-topic model or the answerable one: either way it names the materials.
    expect(en.answer).toMatch(/in the materials|only from the materials loaded here/);
    expect(en.answer).not.toMatch(/handbook|lecture/i);
  });

  it("a request for a lecture says there are none, rather than that none covers it", async () => {
    const lv = await app.engine.ask("Vai ir kāda video lekcija par pankūku cepšanu?");
    expect(lv.answered).toBe(false);
    expect(lv.answer).toMatch(/^Lekciju materiālos nav/);
    const en = await app.engine.ask("Is there a video lecture about baking pancakes?");
    expect(en.answer).toMatch(/^The materials have no lectures/);
  });
});
