/**
 * An English → Latvian glossary of social entrepreneurship in Latvia, and a query expander
 * that lets an English question match the Latvian index without a translator (offline mode).
 */
import { ENGLISH_STOPWORDS } from "./stopwords.js";

/**
 * English term (lower case; a hyphen counts as a space) → Latvian term(s), separated by
 * " / " when there are alternatives. Latvian terms are given in their base form; the analyzer
 * conflates their inflected forms.
 */
const ENTRIES = `
social enterprise = sociālais uzņēmums
social enterprise status = sociālā uzņēmuma statuss
social enterprise law = Sociālā uzņēmuma likums
social enterprise register = sociālo uzņēmumu reģistrs
register of social enterprises = sociālo uzņēmumu reģistrs
social enterprise commission = sociālā uzņēmuma komisija
social entrepreneurship = sociālā uzņēmējdarbība
social entrepreneur = sociālais uzņēmējs
social business = sociālais uzņēmums / sociālā uzņēmējdarbība
social impact = sociālā ietekme
social service = sociālais pakalpojums
social services = sociālie pakalpojumi
social exclusion = sociālā atstumtība
social problem = sociālā problēma
social insurance = sociālā apdrošināšana
social security contributions = sociālās apdrošināšanas iemaksas
social = sociāls
enterprise = uzņēmums
company = uzņēmums / sabiedrība / komersants
business = uzņēmējdarbība / bizness / uzņēmums
entrepreneur = uzņēmējs
entrepreneurship = uzņēmējdarbība
merchant = komersants
limited liability company = sabiedrība ar ierobežotu atbildību / SIA
llc = SIA
ltd = SIA
sole trader = individuālais komersants
self employed = pašnodarbinātais
start up = jaunuzņēmums / uzņēmuma dibināšana
startup = jaunuzņēmums
status = statuss
law = likums
act = likums
regulation = noteikumi / regula
regulations = noteikumi
cabinet regulations = Ministru kabineta noteikumi
cabinet of ministers = Ministru kabinets
legislation = normatīvie akti / likumdošana
grant = grants / dotācija
funding = finansējums
financing = finansējums
finance = finanses / finansējums
financial support = finansiālais atbalsts
support = atbalsts
aid = atbalsts
state aid = valsts atbalsts
de minimis = de minimis atbalsts
tax = nodoklis
tax relief = nodokļu atvieglojumi
tax reliefs = nodokļu atvieglojumi
tax benefits = nodokļu atvieglojumi
tax exemption = nodokļu atbrīvojums
relief = atvieglojums
exemption = atbrīvojums
benefit = priekšrocība / atvieglojums / labums
benefits = priekšrocības / atvieglojumi
corporate income tax = uzņēmumu ienākuma nodoklis
income tax = ienākuma nodoklis
personal income tax = iedzīvotāju ienākuma nodoklis
real estate tax = nekustamā īpašuma nodoklis
property tax = nekustamā īpašuma nodoklis
value added tax = pievienotās vērtības nodoklis / PVN
vat = PVN
register = reģistrs / reģistrēt
registry = reģistrs
registration = reģistrācija
registered = reģistrēts
commercial register = komercreģistrs
enterprise register = Uzņēmumu reģistrs / UR
register of enterprises = Uzņēmumu reģistrs / UR
commission = komisija
ministry = ministrija
ministry of welfare = Labklājības ministrija / LM
welfare = labklājība
ministry of economics = Ekonomikas ministrija
ministry of finance = Finanšu ministrija
state revenue service = Valsts ieņēmumu dienests / VID
state employment agency = Nodarbinātības valsts aģentūra / NVA
target group = mērķa grupa
target groups = mērķa grupas
employee = darbinieks
worker = darbinieks / strādājošais
staff = darbinieki / personāls
employ = nodarbināt
employment = nodarbinātība / nodarbināšana
employer = darba devējs
job = darbs / darbavieta
jobs = darbavietas
workplace = darba vieta
salary = alga / darba samaksa
wage = alga / darba samaksa
minimum wage = minimālā alga
disability = invaliditāte
disabilities = invaliditāte
disabled = invaliditāte
people with disabilities = personas ar invaliditāti
persons with disabilities = personas ar invaliditāti
mental disorder = garīga rakstura traucējumi
unemployed = bezdarbnieks
unemployment = bezdarbs
long term unemployed = ilgstošs bezdarbnieks
poverty = nabadzība
low income = trūcīgs / maznodrošināts
poor = trūcīgs
risk = risks
elderly = seniori / pensionāri
senior = seniors / pensionārs
pensioner = pensionārs
youth = jaunieši
young people = jaunieši
prisoner = ieslodzītais
former prisoners = bijušie ieslodzītie
homeless = bezpajumtnieks / bezpajumtnieki
share capital = pamatkapitāls
capital = kapitāls
small capital company = mazkapitāla sabiedrība
small capital = mazkapitāla
board = valde
board member = valdes loceklis
management board = valde
supervisory board = padome
council = padome
shareholder = dalībnieks / kapitāldaļu turētājs
member = biedrs / dalībnieks
founder = dibinātājs
establish = dibināt / izveidot
set up = dibināt / izveidot
found = dibināt
foundation = nodibinājums
association = biedrība
ngo = nevalstiskā organizācija / biedrība / nodibinājums
non governmental organisation = nevalstiskā organizācija
non governmental organization = nevalstiskā organizācija
nonprofit = bezpeļņas
non profit = bezpeļņas
profit = peļņa
reinvest = reinvestēt / ieguldīt
reinvestment = reinvestēšana / ieguldījums
dividend = dividendes
dividends = dividendes
distribute = sadalīt
income = ienākumi / ieņēmumi
revenue = ieņēmumi
turnover = apgrozījums
volunteer = brīvprātīgais
volunteering = brīvprātīgais darbs
municipality = pašvaldība
local government = pašvaldība
local action group = vietējā rīcības grupa / VRG
rural = lauku
leader programme = LEADER programma
application = pieteikums / iesniegums
apply = pieteikties / iesniegt
applicant = pretendents / iesniedzējs
submit = iesniegt
deadline = termiņš
term = termiņš
period = periods / termiņš
documents = dokumenti
document = dokuments
report = pārskats / ziņojums
annual report = gada pārskats
accounting = grāmatvedība
accountant = grāmatvedis
audit = audits
how much = cik
how many = cik
how long = cik ilgi
cost = izmaksas
costs = izmaksas
price = cena
fee = maksa
amount = summa / apmērs
loan = aizdevums
guarantee = garantija
credit = kredīts
bank = banka
investment = investīcijas / ieguldījums
investor = investors
impact = ietekme
goal = mērķis
objective = mērķis
aim = mērķis
purpose = mērķis
mission = misija
criteria = kritēriji
criterion = kritērijs
requirement = prasība
requirements = prasības
conditions = nosacījumi
eligible = atbilst / tiesīgs
eligibility = atbilstība
rights = tiesības
obligation = pienākums
obligations = pienākumi
decision = lēmums
revoke = anulēt / atņemt
lose status = zaudēt statusu
exclusion = izslēgšana
supervision = uzraudzība
monitoring = uzraudzība
control = kontrole
product = produkts
service = pakalpojums
services = pakalpojumi
goods = preces
customer = klients
client = klients
market = tirgus
public procurement = publiskais iepirkums
procurement = iepirkums
competition = konkurss / konkurence
project = projekts
programme = programma
program = programma
european union = Eiropas Savienība / ES
eu = ES
european social fund = Eiropas Sociālais fonds / ESF
esf = ESF
fund = fonds
mentor = mentors
consultation = konsultācija
training = apmācības
education = izglītība
lecture = lekcija
course = kurss
handbook = rokasgrāmata
guide = rokasgrāmata / ceļvedis
example = piemērs
community = kopiena
inclusion = iekļaušana
integration = integrācija
environment = vide
culture = kultūra
health = veselība
innovation = inovācija
sustainable = ilgtspējīgs
cooperation = sadarbība
cooperative = kooperatīvs / kooperatīvā sabiedrība
partner = partneris
vulnerable = mazaizsargāts
children = bērni
family = ģimene
women = sievietes
year = gads
month = mēnesis
percent = procenti
euro = eiro / EUR
minimum = minimālais
maximum = maksimālais
need = vajadzība
problem = problēma
solution = risinājums
idea = ideja
business plan = biznesa plāns
legal form = juridiskā forma
legal entity = juridiskā persona
natural person = fiziskā persona
state = valsts
government = valdība
latvia = Latvija
riga = Rīga
get = saņemt / iegūt
receive = saņemt
pay = maksāt
paid = maksāts / samaksāts
become = kļūt
lose = zaudēt
decide = lemt / lēmums
decides = lemj / lēmums
employed = nodarbināts / nodarbināt
hire = pieņemt darbā
distributed = sadalīts / sadalīt
open = atvērt / dibināt
`;

/** Abbreviations and names that the expander keeps as they are. */
export const PRESERVED_TERMS: ReadonlySet<string> = new Set([
  "SIA",
  "LM",
  "ALTUM",
  "LEADER",
  "SEB",
  "UR",
  "VRG",
  "ESF",
  "ES",
  "EUR",
  "VID",
  "PVN",
  "NVA",
  "LAD",
  "LIAA",
  "MK",
  "NVO",
  "ERAF",
  "EIB",
]);

function normalizeKey(s: string): string {
  return s
    .toLowerCase()
    .replace(/[-‐‑–—]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The glossary: English term → Latvian terms (one or more alternatives). */
export const GLOSSARY: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const line of ENTRIES.split("\n")) {
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const en = normalizeKey(line.slice(0, eq));
    const lv = line
      .slice(eq + 1)
      .split("/")
      .map((t) => t.trim())
      .filter(Boolean);
    if (en && lv.length > 0) map.set(en, lv);
  }
  return map;
})();

const MAX_PHRASE = Math.max(...[...GLOSSARY.keys()].map((k) => k.split(" ").length));

/** A naive English singular: "taxes" → "tax", "companies" → "company", "grants" → "grant". */
function singular(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(?:sses|xes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

function lookup(words: readonly string[]): readonly string[] | undefined {
  const phrase = words.join(" ");
  const exact = GLOSSARY.get(phrase);
  if (exact) return exact;
  const last = words[words.length - 1] ?? "";
  const single = singular(last);
  if (single === last) return undefined;
  return GLOSSARY.get([...words.slice(0, -1), single].join(" "));
}

/** Options of {@link expandEnglishQuery}. */
export interface ExpandOptions {
  /** Keep English words that the glossary does not know (names, rare terms). Default true. */
  keepUnknown?: boolean;
}

/**
 * Turns an English question into Latvian search terms: glossary phrases (longest match first,
 * plural or singular) become their Latvian terms, abbreviations (SIA, LM, ALTUM, LEADER …) and
 * numbers are kept, English stop words are dropped, and other words are kept unless
 * `keepUnknown` is false. Example: "How much share capital does a social enterprise need?" →
 * "cik pamatkapitāls sociālais uzņēmums vajadzība".
 */
export function expandEnglishQuery(text: string, options?: ExpandOptions): string {
  const keepUnknown = options?.keepUnknown !== false;
  const raw = text.normalize("NFC").match(/[\p{L}\p{N}]+(?:[.,'’]\p{N}+)*/gu) ?? [];
  const words = raw.map((w) => w.toLowerCase());
  const out: string[] = [];
  const seen = new Set<string>();
  const emit = (term: string): void => {
    if (!seen.has(term)) {
      seen.add(term);
      out.push(term);
    }
  };
  let i = 0;
  while (i < words.length) {
    const original = raw[i] ?? "";
    if (PRESERVED_TERMS.has(original.toUpperCase()) && original === original.toUpperCase()) {
      emit(original);
      i++;
      continue;
    }
    let matched = 0;
    for (let n = Math.min(MAX_PHRASE, words.length - i); n > 0; n--) {
      const lv = lookup(words.slice(i, i + n));
      if (lv) {
        for (const t of lv) emit(t);
        matched = n;
        break;
      }
    }
    if (matched > 0) {
      i += matched;
      continue;
    }
    const word = words[i] ?? "";
    if (/\p{N}/u.test(word)) emit(word);
    else if (PRESERVED_TERMS.has(original.toUpperCase())) emit(original.toUpperCase());
    else if (keepUnknown && word.length > 1 && !ENGLISH_STOPWORDS.has(word)) emit(original);
    i++;
  }
  return out.join(" ");
}
