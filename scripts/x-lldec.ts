import { FITTED_MODELS, isOffTopic, modelsForIndex } from "../src/answer/create-engine.js";
import { FOCUS, understand } from "../src/answer/intent.js";
import { createSentenceSimilarity } from "../src/embed/sentence-similarity.js";
import { analyseAsAsked } from "./analysed.js";
import { loadLabourLawSet, openLabourLawApp, loadBank } from "./quality.js";
const opened = (await openLabourLawApp())!;
const retriever = opened.app.live.current().retriever;
const models = modelsForIndex(FITTED_MODELS, retriever);
const sim = createSentenceSimilarity();
const c = { n: 0, off: 0, low: 0, both: 0 }, u = { n: 0, off: 0, low: 0 };
for (const q of loadLabourLawSet().filter((x) => x.split !== "test")) {
  const a = await analyseAsAsked(sim, retriever, understand(q.question, undefined, FOCUS), models);
  const off = isOffTopic(a, models);
  const low = a.answerable < models.declineThreshold;
  const t = q.style === "unanswerable" ? u : c;
  t.n++; if (off) t.off++; if (low) t.low++;
  if (process.env.SHOW && q.style !== "unanswerable" && (off || low) && q.style !== "english") console.log(off ? "OFF" : "LOW", a.answerable.toFixed(2), a.onTopic?.toFixed(2), a.topicCoverage.toFixed(2), q.question.slice(0, 100));
}
console.log("answerable", c, "unanswerable", u, "threshold", models.declineThreshold, "onTopic", models.onTopic?.threshold);
await opened.close();
{
  const { loadOffTopic } = await import("./quality.js");
  const o2 = (await openLabourLawApp())!;
  const r2 = o2.app.live.current().retriever;
  const m2 = modelsForIndex(FITTED_MODELS, r2);
  const sib = loadOffTopic("dev")!;
  let n = 0, off = 0, low = 0, either = 0;
  for (const s of sib.slice(0, 300)) {
    const text = typeof s === "string" ? s : (s as { text: string }).text;
    const a = await analyseAsAsked(sim, r2, understand(text, undefined, FOCUS), m2);
    const isOff = isOffTopic(a, m2), isLow = a.answerable < m2.declineThreshold;
    n++; if (isOff) off++; if (isLow) low++; if (isOff || isLow) either++;
  }
  console.log("SIB-200 dev over the law", { n, off: off / n, low: low / n, declined: either / n });
  await o2.close();
}
