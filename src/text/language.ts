/**
 * Language identification for short user questions: Latvian or English.
 */
import { foldDiacritics } from "./normalize.js";

/** Latvian words (folded) that are not English words. */
const LATVIAN_WORDS = new Set(
  `ir un kas ka vai ar par uz cik kur kapec kadel kad es mes jus vins vina vini mums jums
  man mans mana musu var varu varam vajag vajadzetu nav ko kam kads kada kadu kadi kadas kurs
  kura kuru kuri kuras lai tas ta tie tas bet ari jau vel tikai jabut jamaksa tiek tika bija
  bus butu sis si so sie sos seit tur tagad ja ne ta ka pec pirms lidz bez pie uz starp
  socialais sociala socialo socialajam socialie socialu socialas uznemums uznemuma uznemumu
  uznemumi uznemumam uznemumiem uznemejs uznemejdarbiba statuss statusu statusa likums
  likuma likumu nodoklis nodokli nodoklu atbalsts atbalstu atbalsta finansejums granti
  grants pasvaldiba pasvaldibas darbinieki darbinieku merka grupa grupas komisija
  registret registracija pieteikums iesniegt sanemt sanem iegut drikst jadara ka`
    .split(/\s+/)
    .filter(Boolean),
);

/** English words that are not Latvian words. */
const ENGLISH_WORDS = new Set(
  `the a an is are was were be been what how who whom where when why which do does did can
  could should would will shall may might must i my me we our you your he she they their
  this that these those of in on at for with from by about into and or if not have has had
  get got need much many any some there here please help tell know want apply register
  social enterprise enterprises business company companies tax taxes law grant grants status
  funding support employee employees work job people person disability unemployed profit
  board capital share volunteer municipality application deadline commission ministry
  welfare relief registration requirements requirement criteria benefits hello hi thanks thank`
    .split(/\s+/)
    .filter(Boolean),
);

const LATVIAN_LETTERS = /[āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ]/g;
const WORD = /[\p{L}']+/gu;

/**
 * Detects whether a (short) text is Latvian or English. Evidence: Latvian diacritic letters,
 * frequent function and domain words of either language (also typed without diacritics:
 * "kas ir socialais uznemums"), English-only spellings (w, q, x, y, "th", "-ing", "-tion") and
 * Latvian endings (-ais, -iem, -ums, -ija, -ību). Ties and empty input give "lv".
 */
export function detectLanguage(text: string): "lv" | "en" {
  let lv = 0;
  let en = 0;
  lv += 2 * Math.min(5, text.match(LATVIAN_LETTERS)?.length ?? 0);
  for (const m of text.matchAll(WORD)) {
    const raw = m[0];
    if (raw.length > 1 && raw === raw.toUpperCase()) continue;
    const w = foldDiacritics(raw.toLowerCase());
    if (LATVIAN_WORDS.has(w)) lv += 1;
    if (ENGLISH_WORDS.has(w)) en += 1;
    if (/[wqxy]/.test(w)) en += 0.5;
    if (/th|ing$|tion$|ness$|ship$|ies$|'s$|'t$/.test(w)) en += 0.5;
    if (/(ais|iem|ums|uma|ija|ijas|ibu|ibas|sana|sanas|ejs|ajam)$/.test(w)) lv += 0.5;
  }
  return en > lv ? "en" : "lv";
}
