/** The fixed question set of the benchmark: what users ask the bot, in Latvian and English. */
export const LATVIAN_QUESTIONS: readonly string[] = [
  "Kas ir sociālais uzņēmums?",
  "Kam var piešķirt sociālā uzņēmuma statusu?",
  "Kāds likums regulē sociālos uzņēmumus Latvijā?",
  "Kad stājās spēkā Sociālā uzņēmuma likums?",
  "Vai biedrība var būt sociālais uzņēmums?",
  "Cik liels pamatkapitāls vajadzīgs SIA dibināšanai?",
  "Vai arī mazkapitāla SIA drīkst iegūt sociālā uzņēmuma statusu?",
  "Kā pieteikties sociālā uzņēmuma statusam?",
  "Kādi dokumenti jāiesniedz Labklājības ministrijā?",
  "Kas lemj par statusa piešķiršanu?",
  "Cik ilgā laikā izskata pieteikumu?",
  "Kādas ir sociālā uzņēmuma statusa priekšrocības?",
  "Vai sociālais uzņēmums drīkst sadalīt peļņu?",
  "Kādi nodokļu atvieglojumi pienākas sociālajam uzņēmumam?",
  "Vai sociālais uzņēmums maksā uzņēmumu ienākuma nodokli?",
  "Kā pašvaldība var atbalstīt sociālo uzņēmumu?",
  "Vai var saņemt nekustamā īpašuma nodokļa atlaidi?",
  "Kādi ir sociālās ietekmes veidi?",
  "Kā izmērīt sociālo ietekmi?",
  "Kas ir sociālās atstumtības riskam pakļautās grupas?",
  "Cik darbinieku jānodarbina no mērķa grupas?",
  "Vai sociālais uzņēmums var nodarbināt brīvprātīgos?",
  "Kas ir Sociālo uzņēmumu komisija?",
  "Kā tiek uzraudzīti sociālie uzņēmumi?",
  "Cik bieži jāiesniedz gada pārskats?",
  "Kad var zaudēt sociālā uzņēmuma statusu?",
  "Kur atrodams sociālo uzņēmumu reģistrs?",
  "Cik sociālo uzņēmumu ir Latvijā?",
  "Kādos reģionos darbojas visvairāk sociālo uzņēmumu?",
  "Kādi granti pieejami sociālajiem uzņēmumiem?",
  "Kāds ir maksimālais granta apjoms?",
  "Kam attiecas de minimis atbalsts?",
  "Kā pieteikties ALTUM programmai?",
  "Vai LEADER programma finansē sociālos uzņēmumus?",
  "Kas ir vietējā rīcības grupa?",
  "Kā sagatavot biznesa plānu sociālajam uzņēmumam?",
  "Kā pārbaudīt biznesa ideju pirms uzņēmuma dibināšanas?",
  "Kā atrast pirmos klientus?",
  "Kā noteikt produkta cenu?",
  "Kādas ir biežākās kļūdas, uzsākot sociālo uzņēmumu?",
  "Kā piesaistīt investorus sociālajam uzņēmumam?",
  "Vai sociālais uzņēmums var saņemt aizdevumu?",
  "Kas ir kopfinansējums un cik tas ir?",
  "Kā grozīt statūtus, lai iegūtu statusu?",
  "Kam jābūt norādītam dibināšanas dokumentos?",
  "Ko darīt, ja pieteikums tiek noraidīts?",
  "Kā sazināties ar Labklājības ministriju?",
  "Vai sociālais uzņēmums drīkst piedalīties publiskajos iepirkumos?",
  "Kāda ir pieredze sociālajiem uzņēmumiem laukos?",
  "cik liels pamatkapitals vajadzigs SIA?",
  "socialais uznemums statuss pieteikums",
  "Kādi ir sociālā uzņēmuma pienākumi pēc statusa iegūšanas?",
];

export const ENGLISH_QUESTIONS: readonly string[] = [
  "What is a social enterprise in Latvia?",
  "Who can get social enterprise status?",
  "What grants can a social enterprise get?",
  "Does a social enterprise pay corporate income tax?",
  "How do I apply for social enterprise status?",
];

/** Every benchmark question: Latvian first, then English. */
export const QUESTIONS: readonly string[] = [...LATVIAN_QUESTIONS, ...ENGLISH_QUESTIONS];

/** Questions for warming up (JIT, caches, vocabulary) — never measured. */
export const WARMUP_QUESTIONS: readonly string[] = [
  "Kā uzsākt uzņēmējdarbību?",
  "Kas ir valdes loceklis?",
  "How to start a business?",
];

const LV_PREFIXES = ["", "Lūdzu, pastāstiet: ", "Gribētu uzzināt — "];
const EN_PREFIXES = ["", "Please tell me: ", "I would like to know: "];

/**
 * `rounds` variants of every question (the plain form and polite prefixes), so each measured
 * query is a distinct text: the retriever caches the embeddings of recent texts, and a repeated
 * question would measure the cache, not the search.
 */
export function questionVariants(rounds: number, questions = QUESTIONS): string[] {
  const out: string[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const english = ENGLISH_QUESTIONS.includes(q);
      const prefixes = english ? EN_PREFIXES : LV_PREFIXES;
      const prefix = prefixes[r % prefixes.length] as string;
      const suffix = r >= prefixes.length ? ` (${r})` : "";
      out.push(`${prefix}${r > 0 && prefix ? lowerFirst(q) : q}${suffix}`);
    }
  }
  return out;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
