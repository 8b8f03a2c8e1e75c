/** Latvian (and a little English) text analysis: pure functions, no I/O. */
export {
  type AnalyzeOptions,
  analyze,
  analyzeReference,
  analyzeWithSurfaces,
  analyzeWord,
  forEachTerm,
  type TermSink,
  tokenize,
} from "./analyze.js";
export { type ExpandOptions, expandEnglishQuery, glossary, PRESERVED_TERMS } from "./glossary.js";
export { detectLanguage } from "./language.js";
export { foldDiacritics, hasNonAscii, normalizeForAnalysis, normalizeText } from "./normalize.js";
export { splitSentences } from "./sentences.js";
export {
  LATVIAN_ENDINGS,
  LATVIAN_ENDINGS_FOLDED,
  stemLatvian,
  stemLatvianFolded,
} from "./stemmer.js";
export { ENGLISH_STOPWORDS, isStopword, LATVIAN_STOPWORDS, STOPWORDS } from "./stopwords.js";
