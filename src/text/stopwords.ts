/**
 * Stop words: words that carry no topic of their own and are dropped before indexing.
 * Lists are written with diacritics for readability and looked up in folded form, because
 * the analyzer folds every word before the lookup.
 */
import { eng } from "stopword";
import { foldDiacritics } from "./normalize.js";

/**
 * Latvian function words: personal, possessive, demonstrative, interrogative and relative
 * pronouns with their case forms, auxiliaries and modal verbs, prepositions, conjunctions,
 * particles and a few discourse words.
 *
 * "cik" (how much / how many) is deliberately NOT here: it is the one word of a quantity
 * question ("Cik liels ir pamatkapitāls?"), the glossary maps "how much" to it, and headings
 * and FAQ entries of the handbook use it, so it stays searchable.
 */
const LATVIAN = `
es tu viņš viņa mēs jūs viņi viņas man mani manis mums mūs mūsu tev tevi tevis jums jūsu
viņam viņai viņu viņiem viņām viņā viņos viņās viņējais sev sevi sevis
mans mana manu manā manas manam manai manus manos manās manām manējais
tavs tava tavu tavā tavi tavas tavam tavai tavus tavos
savs sava savu savā savi savas savam savai savus savos savās savām saviem
tas tā to tam tai tajā tanī tie tās tiem tām tos tajos tajās tais tanīs
šis šī šo šim šai šajā šinī šie šīs šiem šīm šos šajos šajās
kas ko kam kā kurš kura kuru kuram kurai kurā kuri kuras kuriem kurām kurus kuros kurās
kāds kāda kādu kādam kādai kādā kādi kādas kādiem kādām kādus kādos kādās
tāds tāda tādu tādam tādai tādā tādi tādas tādiem tādām tādus tādos tādās
katrs katra katru katram katrai katrā katri katras katriem katrām katrus
viss visa visu visam visai visā visi visas visiem visām visus visos visās
pats pati paša pašu pašam pašai pašā paši pašas pašiem pašām pašus pašos pašās
neviens nekas neko nekā nekur nekad
būt esmu esi ir esam esat biju biji bija bijām bijāt būšu būsi būs būsim būsiet būsit būtu
nav neesmu neesi neesam neesat nebiju nebija nebūs nebūtu nebūt esot bijis bijusi bijuši bijušas
tikt tieku tiec tiek tiekam tiekat tiku tika tiks tiktu tikts tikusi tikuši netiek netika
var varu vari varam varat varēja varēs varētu varēt nevar nevaru nevarēja nevarētu
vajag vajadzētu vajadzēja jābūt jātiek
ar par pie no uz līdz pēc pirms starp zem virs aiz pret bez caur ap pa priekš dēļ labad pār
iekš ārpus iekšpus pāri gar kopš
un vai bet jo ka lai ja kad kamēr tad tāpēc tādēļ tomēr arī gan nedz ne vien tikai jau vēl pat
it kaut vairs taču tātad proti nu lūk nē jā tik kur kurp kāpēc kādēļ kolīdz
te tur šeit tagad tāpat kā nekā turklāt piemēram piem utt sk nr lpp
`;

/**
 * English function words: articles, pronouns, auxiliaries, prepositions, question words; the
 * `stopword` package's English list (light verbs such as "take", "get", "make") is added below.
 */
const ENGLISH = `
a an the is are was were be been being am do does did doing have has had having
i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
this that these those there here what which who whom whose how where when why
of to in on at for with by from about as into onto over under than then so such
and or but if not no nor can could should would will shall may might must
any some all each every please tell let
`;

function toSet(list: string): ReadonlySet<string> {
  const set = new Set<string>();
  for (const w of list.split(/\s+/)) if (w) set.add(foldDiacritics(w.toLowerCase()));
  return set;
}

/** Latvian stop words, folded (e.g. "kāpēc" is stored as "kapec"). */
export const LATVIAN_STOPWORDS: ReadonlySet<string> = toSet(LATVIAN);

/** English stop words: the list above and the `stopword` package's English list. */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = toSet(`${ENGLISH} ${eng.join(" ")}`);

/**
 * Latvian function words and the short English list only (without the `stopword` package's
 * light verbs): for measures calibrated on it, such as the LLM guard's share of instruction words.
 */
export const BASIC_STOPWORDS: ReadonlySet<string> = new Set([
  ...LATVIAN_STOPWORDS,
  ...toSet(ENGLISH),
]);

/** Latvian and English stop words together, folded: the analyzer's default list. */
export const STOPWORDS: ReadonlySet<string> = new Set([...LATVIAN_STOPWORDS, ...ENGLISH_STOPWORDS]);

/** True when the word (any case, with or without diacritics) is a default stop word. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(foldDiacritics(word.toLowerCase()));
}
