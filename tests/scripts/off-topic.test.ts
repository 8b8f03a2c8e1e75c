import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOffTopic } from "../../scripts/quality.js";

describe("loadOffTopic (SIB-200 as messages on other subjects)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "padoms-sib-"));
    await writeFile(
      join(dir, "dev.tsv"),
      "index_id\tcategory\ttext\n7\tsports\tKomanda uzvarēja spēlē.\n9\ttravel\t\n12\tscience\tZvaigznes spīd naktī.\n",
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("reads a split's sentences with ids for folds, skipping empty lines", () => {
    expect(loadOffTopic("dev", dir)).toEqual([
      { id: "sib-7", text: "Komanda uzvarēja spēlē." },
      { id: "sib-12", text: "Zvaigznes spīd naktī." },
    ]);
  });

  it("says the data is absent instead of failing, so the figures that need it are left out", () => {
    expect(loadOffTopic("test", dir)).toBeUndefined();
    expect(loadOffTopic("dev", join(dir, "missing"))).toBeUndefined();
  });
});
