/**
 * Synthetic providers and courses across Germany, for benchmarks and load tests.
 *
 * - Deterministic: the same options give the same output (one seeded mulberry32 stream; no
 *   `Math.random`, no clock). `today` anchors all dates, so data never ages.
 * - Fast and light: 100,000 courses take about 1 s (~135 MB heap). Objects that repeat are shared
 *   rather than copied: a course's `venue` is the same object as its provider's venue, and
 *   identical schedules are one object. Treat the output as read-only (or clone before mutating).
 * - Valid: every provider validates with `providerContentSchema`, every course with
 *   `courseContentSchema` (see tests/unit/synthetic.test.ts).
 *
 * Places: providers sit in real postcodes from `src/search/postcode-centroids.json`, about half of
 * them in ~50 big cities (weighted by population), the rest anywhere; venues lie within 3 km of the
 * postcode's centroid. Postcodes outside the built-in city list are named `Ort <postcode>`; the
 * city postcode ranges are approximate. Names, streets and contact data are invented
 * (`*.example` domains).
 */
import type { CourseContentInput } from '../src/courses/course.schema';
import type { CourseType, Day, Level, Mode } from '../src/courses/course.enums';
import type { ProviderContentInput } from '../src/providers/provider.schema';
import type { Venue } from '../src/providers/venue.schema';
import { knownPostcodes, postcodeCentroid } from '../src/search/postcodes';
import { mulberry32, type Rng } from './random';

export type SyntheticData = {
  providers: Array<{ content: ProviderContentInput; verified: boolean }>;
  courses: Array<{ providerIndex: number; content: CourseContentInput; confirmedDaysAgo: number }>;
};

export type SyntheticOptions = {
  /** number of courses to generate */
  courses: number;
  /** PRNG seed (default 1) */
  seed?: number;
  /** the reference day `YYYY-MM-DD`; start dates fall within −60..+240 days of it */
  today: string;
};

type Schedule = NonNullable<CourseContentInput['schedule']>;
type Session = { day: Day; start: string; end: string };
type Childcare = NonNullable<CourseContentInput['childcare']>;
type Seats = NonNullable<CourseContentInput['seats']>;
type Cost = CourseContentInput['cost'];
type Registration = NonNullable<CourseContentInput['registration']>;

// ---------------------------------------------------------------------------------------------
// Randomness (mulberry32 in ./random)

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`synthetic: index ${index} out of range (${items.length})`);
  return item;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return at(items, Math.floor(rng() * items.length));
}

/** integer in [min, max] */
function int(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function chance(rng: Rng, probability: number): boolean {
  return rng() < probability;
}

class Weighted<T> {
  private readonly items: T[] = [];
  private readonly cumulative: number[] = [];
  private total = 0;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    for (const [item, weight] of entries) {
      this.total += weight;
      this.items.push(item);
      this.cumulative.push(this.total);
    }
  }

  pick(rng: Rng): T {
    const target = rng() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (at(this.cumulative, mid) > target) high = mid;
      else low = mid + 1;
    }
    return at(this.items, low);
  }
}

// ---------------------------------------------------------------------------------------------
// Places

type City = { name: string; main: string; ranges: ReadonlyArray<readonly [string, string]>; population: number };

/** Big German cities: main postcode, approximate postcode ranges, population in thousands. */
const BIG_CITIES: readonly City[] = [
  { name: 'Berlin', main: '10115', ranges: [['10115', '14199']], population: 3700 },
  { name: 'Hamburg', main: '20095', ranges: [['20095', '21149'], ['22041', '22769']], population: 1900 },
  { name: 'München', main: '80331', ranges: [['80331', '81929']], population: 1500 },
  { name: 'Köln', main: '50667', ranges: [['50667', '51149']], population: 1080 },
  { name: 'Frankfurt am Main', main: '60311', ranges: [['60306', '60599']], population: 770 },
  { name: 'Stuttgart', main: '70173', ranges: [['70173', '70629']], population: 630 },
  { name: 'Düsseldorf', main: '40210', ranges: [['40210', '40629']], population: 620 },
  { name: 'Leipzig', main: '04109', ranges: [['04103', '04357']], population: 610 },
  { name: 'Dortmund', main: '44135', ranges: [['44135', '44388']], population: 590 },
  { name: 'Essen', main: '45127', ranges: [['45127', '45359']], population: 580 },
  { name: 'Bremen', main: '28195', ranges: [['28195', '28779']], population: 570 },
  { name: 'Dresden', main: '01067', ranges: [['01067', '01328']], population: 560 },
  { name: 'Hannover', main: '30159', ranges: [['30159', '30669']], population: 540 },
  { name: 'Nürnberg', main: '90402', ranges: [['90402', '90491']], population: 520 },
  { name: 'Duisburg', main: '47051', ranges: [['47051', '47279']], population: 500 },
  { name: 'Bochum', main: '44787', ranges: [['44787', '44894']], population: 365 },
  { name: 'Wuppertal', main: '42103', ranges: [['42103', '42399']], population: 355 },
  { name: 'Bielefeld', main: '33602', ranges: [['33602', '33739']], population: 335 },
  { name: 'Bonn', main: '53111', ranges: [['53111', '53229']], population: 335 },
  { name: 'Münster', main: '48143', ranges: [['48143', '48167']], population: 320 },
  { name: 'Mannheim', main: '68159', ranges: [['68159', '68309']], population: 315 },
  { name: 'Karlsruhe', main: '76133', ranges: [['76131', '76229']], population: 305 },
  { name: 'Augsburg', main: '86150', ranges: [['86150', '86199']], population: 300 },
  { name: 'Wiesbaden', main: '65183', ranges: [['65183', '65207']], population: 280 },
  { name: 'Mönchengladbach', main: '41061', ranges: [['41061', '41239']], population: 260 },
  { name: 'Gelsenkirchen', main: '45879', ranges: [['45879', '45899']], population: 260 },
  { name: 'Aachen', main: '52062', ranges: [['52062', '52080']], population: 250 },
  { name: 'Braunschweig', main: '38100', ranges: [['38100', '38126']], population: 250 },
  { name: 'Kiel', main: '24103', ranges: [['24103', '24159']], population: 247 },
  { name: 'Chemnitz', main: '09111', ranges: [['09111', '09131']], population: 245 },
  { name: 'Halle (Saale)', main: '06108', ranges: [['06108', '06132']], population: 240 },
  { name: 'Magdeburg', main: '39104', ranges: [['39104', '39130']], population: 240 },
  { name: 'Freiburg im Breisgau', main: '79098', ranges: [['79098', '79117']], population: 235 },
  { name: 'Krefeld', main: '47798', ranges: [['47798', '47839']], population: 227 },
  { name: 'Mainz', main: '55116', ranges: [['55116', '55131']], population: 220 },
  { name: 'Lübeck', main: '23552', ranges: [['23552', '23570']], population: 217 },
  { name: 'Erfurt', main: '99084', ranges: [['99084', '99099']], population: 215 },
  { name: 'Rostock', main: '18055', ranges: [['18055', '18147']], population: 210 },
  { name: 'Kassel', main: '34117', ranges: [['34117', '34134']], population: 200 },
  { name: 'Potsdam', main: '14467', ranges: [['14467', '14482']], population: 185 },
  { name: 'Saarbrücken', main: '66111', ranges: [['66111', '66133']], population: 180 },
  { name: 'Oldenburg', main: '26122', ranges: [['26121', '26135']], population: 170 },
  { name: 'Osnabrück', main: '49074', ranges: [['49074', '49090']], population: 165 },
  { name: 'Heidelberg', main: '69117', ranges: [['69115', '69126']], population: 160 },
  { name: 'Regensburg', main: '93047', ranges: [['93047', '93059']], population: 155 },
  { name: 'Würzburg', main: '97070', ranges: [['97070', '97084']], population: 128 },
  { name: 'Ulm', main: '89073', ranges: [['89073', '89081']], population: 127 },
  { name: 'Landau in der Pfalz', main: '76829', ranges: [['76829', '76829']], population: 47 },
];

/** Share of providers placed in one of BIG_CITIES; the rest pick any known postcode. */
const BIG_CITY_SHARE = 0.55;

type PlaceIndex = {
  all: readonly string[];
  cityPostcodes: ReadonlyMap<City, readonly string[]>;
  cities: Weighted<City>;
};

let placeIndex: PlaceIndex | undefined;

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (at(sorted, mid) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

function places(): PlaceIndex {
  if (placeIndex) return placeIndex;
  const all = knownPostcodes();
  const cityPostcodes = new Map<City, readonly string[]>();
  for (const city of BIG_CITIES) {
    const codes: string[] = [];
    for (const [from, to] of city.ranges) {
      for (let i = lowerBound(all, from); i < all.length && at(all, i) <= to; i++) codes.push(at(all, i));
    }
    if (codes.length === 0 && postcodeCentroid(city.main)) codes.push(city.main);
    if (codes.length > 0) cityPostcodes.set(city, codes);
  }
  const cities = new Weighted<City>([...cityPostcodes.keys()].map((city) => [city, city.population] as const));
  placeIndex = { all, cityPostcodes, cities };
  return placeIndex;
}

function cityOf(postcode: string): string {
  for (const city of BIG_CITIES) {
    for (const [from, to] of city.ranges) if (postcode >= from && postcode <= to) return city.name;
  }
  return `Ort ${postcode}`;
}

function pickPlace(rng: Rng): { postcode: string; city: string } {
  const index = places();
  if (chance(rng, BIG_CITY_SHARE) && index.cityPostcodes.size > 0) {
    const city = index.cities.pick(rng);
    // Half at the main postcode (city centre), half anywhere in the city.
    const codes = index.cityPostcodes.get(city) ?? [city.main];
    const postcode = chance(rng, 0.5) && postcodeCentroid(city.main) ? city.main : pick(rng, codes);
    return { postcode, city: city.name };
  }
  const postcode = pick(rng, index.all);
  return { postcode, city: cityOf(postcode) };
}

const KM_PER_DEGREE_LAT = 111.32;
const MAX_JITTER_KM = 2.9; // stays within 3 km after rounding

function jitter(rng: Rng, lat: number, lng: number): { lat: number; lng: number } {
  const distance = MAX_JITTER_KM * Math.sqrt(rng()); // uniform over the disc
  const bearing = rng() * 2 * Math.PI;
  const dLat = (distance * Math.cos(bearing)) / KM_PER_DEGREE_LAT;
  const dLng = (distance * Math.sin(bearing)) / (KM_PER_DEGREE_LAT * Math.cos((lat * Math.PI) / 180));
  return { lat: Math.round((lat + dLat) * 1e6) / 1e6, lng: Math.round((lng + dLng) * 1e6) / 1e6 };
}

// ---------------------------------------------------------------------------------------------
// Providers

const PROVIDER_NAMES: ReadonlyArray<(city: string, rng: Rng) => string> = [
  (city) => `Volkshochschule ${city}`,
  (city, rng) => `Sprachschule ${pick(rng, ['Lingua', 'Babel', 'Horizont', 'Brücke', 'Kompass', 'Mosaik', 'Dialog', 'Wortschatz', 'Sprachraum', 'Weltoffen'])} ${city}`,
  (city) => `Caritasverband ${city}`,
  (city) => `Diakonisches Werk ${city}`,
  (city) => `AWO Bildungszentrum ${city}`,
  (city) => `Internationaler Bund ${city}`,
  (city) => `DRK Kreisverband ${city}`,
  (city) => `Kolping-Bildungswerk ${city}`,
  (city) => `Interkulturelles Zentrum ${city}`,
  (city, rng) => `Bildungswerk ${pick(rng, ['Aufbruch', 'Zukunft', 'Perspektive', 'Neustart', 'Brückenbau', 'Miteinander'])} ${city}`,
  (city) => `Berufsbildungszentrum ${city}`,
  (city) => `Frauenzentrum ${city}`,
];

const PROVIDER_BLURBS_DE: readonly string[] = [
  'Wir bieten seit vielen Jahren Deutschkurse für Zugewanderte an.',
  'Zugelassener Träger für Integrationskurse und Berufssprachkurse.',
  'Gemeinnütziger Bildungsträger mit Beratung, Einstufung und Kinderbetreuung.',
  'Kleine Lerngruppen, erfahrene Lehrkräfte und eine persönliche Atmosphäre.',
  'Wir begleiten Sie vom ersten Wort bis zur Prüfung und in den Beruf.',
  'Unser Team berät Sie gern zu Kursen, Kosten und Berechtigungsschein.',
];

const STREETS: readonly string[] = [
  'Hauptstraße', 'Bahnhofstraße', 'Schulstraße', 'Gartenstraße', 'Kirchstraße', 'Bergstraße', 'Lindenstraße',
  'Goethestraße', 'Schillerstraße', 'Friedrichstraße', 'Ringstraße', 'Mozartstraße', 'Berliner Straße',
  'Mühlenweg', 'Am Markt', 'Marktplatz', 'Rathausplatz', 'Europaplatz', 'Kastanienallee', 'Poststraße',
];

const VENUE_NAMES: readonly string[] = [
  'Hauptgebäude', 'Bildungszentrum', 'Zweigstelle Nord', 'Zweigstelle Süd', 'Stadtteilzentrum', 'Familienzentrum',
  'Gemeindehaus', 'Lernwerkstatt', 'Haus der Begegnung', 'Bürgerhaus',
];

const TRANSIT_NOTES: readonly string[] = [
  'Bus 5, Haltestelle Rathaus',
  'S-Bahn-Station in 5 Minuten zu Fuß',
  'Straßenbahn 2 und 7, Haltestelle Marktplatz',
  'Nähe Hauptbahnhof',
  'Parkplätze im Hof, Bushaltestelle vor dem Haus',
];

const STAFF_LANGUAGES: readonly string[] = ['en', 'ar', 'fa', 'uk', 'ru', 'tr', 'ku', 'ti', 'so', 'fr', 'es', 'pl', 'ro', 'prs', 'ps', 'sq'];

function makeVenue(rng: Rng, index: number, postcode: string, city: string, centre: { lat: number; lng: number }): Venue {
  const { lat, lng } = jitter(rng, centre.lat, centre.lng);
  const venue: Venue = {
    name: index === 0 ? pick(rng, VENUE_NAMES.slice(0, 2)) : pick(rng, VENUE_NAMES),
    street: `${pick(rng, STREETS)} ${int(rng, 1, 120)}`,
    postcode,
    city,
    lat,
    lng,
  };
  const access = rng();
  if (access < 0.45) venue.accessibility = { stepFree: true };
  else if (access < 0.6) venue.accessibility = { stepFree: true, note: 'Aufzug vorhanden, barrierefreies WC' };
  else if (access < 0.75) venue.accessibility = { stepFree: false, note: 'Kursraum im 2. Stock ohne Aufzug' };
  if (chance(rng, 0.5)) venue.transitNote = pick(rng, TRANSIT_NOTES);
  return venue;
}

type ProviderDraft = { content: ProviderContentInput; verified: boolean; venues: Venue[]; city: string; email: string };

function makeProvider(rng: Rng, index: number, usedNames: Map<string, number>): ProviderDraft {
  const { postcode, city } = pickPlace(rng);
  const centre = postcodeCentroid(postcode);
  if (!centre) throw new Error(`synthetic: no centroid for ${postcode}`);

  const baseName = pick(rng, PROVIDER_NAMES)(city, rng);
  const seen = usedNames.get(baseName) ?? 0;
  usedNames.set(baseName, seen + 1);
  const name = seen === 0 ? baseName : `${baseName} – Standort ${seen + 1}`;

  const venueCount = pick(rng, [1, 1, 1, 2, 2, 3]);
  const venues: Venue[] = [];
  for (let v = 0; v < venueCount; v++) venues.push(makeVenue(rng, v, postcode, city, centre));

  const domain = `anbieter-${index + 1}.sprachkurs.example`;
  const email = `kontakt@${domain}`;
  const languages: string[] = ['de'];
  const extra = int(rng, 0, 4);
  for (let l = 0; l < extra; l++) {
    const language = pick(rng, STAFF_LANGUAGES);
    if (!languages.includes(language)) languages.push(language);
  }

  const content: ProviderContentInput = {
    name,
    description: {
      de: `${pick(rng, PROVIDER_BLURBS_DE)} Standort: ${city}.`,
      en: `German courses for newcomers in ${city}.`,
    },
    contact: {
      email,
      phone: `+49 ${int(rng, 30, 9999)} ${int(rng, 100000, 9999999)}`,
      ...(chance(rng, 0.85) ? { website: `https://${domain}/` } : {}),
    },
    ...(chance(rng, 0.7) ? { bamfApprovalNumber: `${int(rng, 1, 9)}-${int(rng, 10000, 99999)}` } : {}),
    staffLanguages: languages,
    venues,
  };
  return { content, verified: chance(rng, 0.85), venues, city, email };
}

// ---------------------------------------------------------------------------------------------
// Courses

const TYPES = new Weighted<CourseType>([
  ['integration_general', 30],
  ['job_language', 18],
  ['language_cafe', 9],
  ['integration_literacy', 8],
  ['integration_women', 8],
  ['other', 8],
  ['integration_parents', 7],
  ['integration_youth', 5],
  ['integration_intensive', 4],
  ['integration_second_script', 3],
]);

const MODES = new Weighted<Mode>([
  ['in_person', 80],
  ['online', 10],
  ['hybrid', 10],
]);

const TYPE_TITLES: Record<CourseType, { de: string; en: string }> = {
  integration_general: { de: 'Integrationskurs', en: 'Integration course' },
  integration_women: { de: 'Frauenintegrationskurs', en: 'Integration course for women' },
  integration_parents: { de: 'Elternintegrationskurs', en: 'Integration course for parents' },
  integration_youth: { de: 'Jugendintegrationskurs', en: 'Integration course for young adults' },
  integration_literacy: { de: 'Alphabetisierungskurs', en: 'Literacy course' },
  integration_second_script: { de: 'Kurs für Zweitschriftlernende', en: 'Course for second-script learners' },
  integration_intensive: { de: 'Intensivkurs', en: 'Intensive integration course' },
  job_language: { de: 'Berufssprachkurs', en: 'Job-related German course' },
  language_cafe: { de: 'Sprachcafé', en: 'Language café' },
  other: { de: 'Deutschkurs', en: 'German course' },
};

const OTHER_TITLES: ReadonlyArray<{ de: string; en: string }> = [
  { de: 'Deutschkurs', en: 'German course' },
  { de: 'Konversationskurs Deutsch', en: 'German conversation course' },
  { de: 'Deutsch für den Alltag', en: 'Everyday German' },
  { de: 'Prüfungsvorbereitung Deutsch', en: 'German exam preparation' },
  { de: 'Grammatik-Werkstatt', en: 'Grammar workshop' },
  { de: 'Aussprachetraining', en: 'Pronunciation training' },
];

const JOB_FIELDS: ReadonlyArray<{ de: string; en: string }> = [
  { de: 'Pflege', en: 'care' },
  { de: 'Gesundheitsberufe', en: 'health professions' },
  { de: 'Handwerk', en: 'crafts' },
  { de: 'Gastronomie', en: 'hospitality' },
  { de: 'Einzelhandel', en: 'retail' },
  { de: 'Kita und Erziehung', en: 'childcare and education' },
  { de: 'Technik', en: 'engineering' },
  { de: 'Büro und Verwaltung', en: 'office and administration' },
];

const INTROS: Record<CourseType, readonly string[]> = {
  integration_general: [
    'Im Integrationskurs lernen Sie Deutsch für Alltag, Arbeit und Behördengänge.',
    'Sprachkurs und Orientierungskurs: Sie lernen Deutsch und erfahren viel über Geschichte, Politik und Kultur in Deutschland.',
    'Wir üben Sprechen, Hören, Lesen und Schreiben in alltäglichen Situationen: Einkaufen, Arztbesuch, Wohnungssuche.',
  ],
  integration_women: [
    'Ein Integrationskurs nur für Frauen, in einer ruhigen und vertrauensvollen Atmosphäre.',
    'Frauen lernen hier gemeinsam Deutsch und tauschen sich über Familie, Gesundheit und Arbeit aus.',
  ],
  integration_parents: [
    'Für Mütter und Väter: Themen sind Kita, Schule, Elterngespräche und Erziehung.',
    'Deutsch lernen, während die Kinder betreut werden – mit vielen Themen rund um die Familie.',
  ],
  integration_youth: [
    'Für junge Erwachsene bis 27 Jahre, mit Vorbereitung auf Schule, Ausbildung und Studium.',
    'Jugendintegrationskurs mit Bewerbungstraining und Besuchen in Betrieben.',
  ],
  integration_literacy: [
    'Sie lernen Lesen und Schreiben in lateinischer Schrift, Schritt für Schritt und in kleinen Gruppen.',
    'Alphabetisierung für Erwachsene: Buchstaben, Wörter, erste Sätze – mit viel Geduld.',
  ],
  integration_second_script: [
    'Für Menschen, die bereits eine andere Schrift wie Arabisch, Kyrillisch oder Persisch lesen und schreiben können.',
    'Sie lernen das lateinische Alphabet und gleichzeitig die deutsche Sprache.',
  ],
  integration_intensive: [
    'Schnelles Lernen in kleiner Gruppe – für Teilnehmende mit Lernerfahrung und Zeit für Hausaufgaben.',
    'Der Intensivkurs führt in kürzerer Zeit zum Abschluss.',
  ],
  job_language: [
    'Fachsprache für den Beruf: Bewerbung, Telefonate, E-Mails und Gespräche im Team.',
    'Berufsbezogene Deutschsprachförderung mit Praxisbeispielen aus dem Arbeitsalltag.',
    'Sie verbessern Ihr Deutsch für die Arbeit und bereiten sich auf die Prüfung vor.',
  ],
  language_cafe: [
    'Ungezwungen Deutsch sprechen bei Kaffee und Tee – ohne Anmeldung, ohne Prüfung.',
    'Ehrenamtliche Gesprächspartnerinnen und -partner üben mit Ihnen die Alltagssprache.',
    'Treffpunkt zum Plaudern, Spielen und Kennenlernen der Nachbarschaft.',
  ],
  other: [
    'Deutschkurs mit Schwerpunkt Grammatik und Konversation.',
    'Gezielte Vorbereitung auf Prüfungen mit Übungstests und Feedback.',
    'Aussprache, Wortschatz und Schreiben üben in einer freundlichen Gruppe.',
  ],
};

const CLOSINGS: readonly string[] = [
  'Beratung und Einstufungstest vor Kursbeginn.',
  'Kleine Gruppen mit zwölf bis zwanzig Teilnehmenden.',
  'Gut erreichbar mit Bus und Bahn.',
  'Lehrkräfte mit langjähriger Erfahrung.',
  'Lehrbücher und Arbeitsblätter werden gestellt.',
  'Wir helfen beim Antrag auf Kostenbefreiung.',
  'Bitte melden Sie sich telefonisch oder per E-Mail an.',
  'Nach dem Kurs erhalten Sie eine Teilnahmebescheinigung.',
  'Computerraum und Bibliothek dürfen mitbenutzt werden.',
  'Wir sprechen auch Englisch, Arabisch und Ukrainisch.',
];

const DAY_LABELS: Record<Day, string> = { mon: 'Mo', tue: 'Di', wed: 'Mi', thu: 'Do', fri: 'Fr', sat: 'Sa', sun: 'So' };

function levelLabel(level: Level): string {
  return level === 'alpha' ? 'Alpha' : level;
}

/** [level, targetLevel] by course type; targetLevel is never below level. */
function pickLevels(rng: Rng, type: CourseType): [Level, Level] {
  switch (type) {
    case 'integration_literacy':
    case 'integration_second_script':
      return ['alpha', pick(rng, ['A1', 'A2', 'A2', 'B1'] as const)];
    case 'integration_general':
    case 'integration_women':
    case 'integration_parents':
    case 'integration_youth':
    case 'integration_intensive': {
      const level = pick(rng, ['A1', 'A1', 'A1', 'A2', 'A2', 'B1'] as const);
      // Integration courses lead to B1; some run in modules that end at A2.
      const target: Level = level === 'A1' ? pick(rng, ['B1', 'B1', 'B1', 'A2'] as const) : 'B1';
      return [level, target];
    }
    case 'job_language': {
      const level = pick(rng, ['A2', 'B1', 'B1', 'B1', 'B2', 'B2', 'C1'] as const);
      const target: Level = level === 'A2' ? 'B1' : level === 'B1' ? 'B2' : level === 'B2' ? pick(rng, ['B2', 'C1'] as const) : pick(rng, ['C1', 'C1', 'C2'] as const);
      return [level, target];
    }
    case 'language_cafe': {
      const level = pick(rng, ['A1', 'A2', 'A2', 'B1', 'B2'] as const);
      return [level, level];
    }
    case 'other': {
      const levels = ['A1', 'A2', 'B1', 'B2', 'C1'] as const;
      const from = int(rng, 0, levels.length - 1);
      return [at(levels, from), at(levels, Math.min(levels.length - 1, from + int(rng, 0, 1)))];
    }
  }
}

/** [minDays, maxDays] of a course's duration, within 30–300. */
const DURATIONS: Record<CourseType, readonly [number, number]> = {
  integration_general: [120, 300],
  integration_women: [150, 300],
  integration_parents: [150, 300],
  integration_youth: [150, 300],
  integration_literacy: [180, 300],
  integration_second_script: [150, 300],
  integration_intensive: [60, 180],
  job_language: [60, 240],
  language_cafe: [30, 300],
  other: [30, 150],
};

// Schedules: a finite set of patterns, each built once and shared between courses.
type Slot = readonly [string, string];
const MORNING: readonly Slot[] = [['08:30', '12:15'], ['09:00', '12:15'], ['09:00', '13:00'], ['08:15', '11:30'], ['09:30', '12:45']];
const AFTERNOON: readonly Slot[] = [['13:00', '16:15'], ['13:30', '16:45'], ['14:00', '17:00'], ['12:30', '15:45']];
const EVENING: readonly Slot[] = [['17:30', '20:45'], ['18:00', '21:00'], ['18:30', '20:45'], ['19:00', '21:15']];
const WEEKEND: readonly Slot[] = [['09:00', '14:00'], ['10:00', '15:00'], ['10:00', '13:15']];
const CAFE: readonly Slot[] = [['10:00', '12:00'], ['15:00', '17:00'], ['16:00', '18:00'], ['18:00', '20:00']];

const WEEKDAY_SETS: ReadonlyArray<readonly Day[]> = [
  ['mon', 'tue', 'wed', 'thu', 'fri'],
  ['mon', 'tue', 'wed', 'thu', 'fri'],
  ['mon', 'tue', 'wed', 'thu'],
  ['mon', 'wed', 'fri'],
  ['tue', 'wed', 'thu'],
];
const PART_TIME_SETS: ReadonlyArray<readonly Day[]> = [['tue', 'thu'], ['mon', 'wed'], ['mon', 'wed', 'thu'], ['wed'], ['mon', 'tue', 'wed', 'thu']];
const WEEKEND_SETS: ReadonlyArray<readonly Day[]> = [['sat'], ['sat'], ['sat', 'sun'], ['sun']];
const CAFE_DAYS: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

type ScheduleKind = 'morning' | 'afternoon' | 'evening' | 'weekend' | 'mixed';
const SCHEDULE_KINDS = new Weighted<ScheduleKind>([
  ['morning', 52],
  ['afternoon', 17],
  ['evening', 18],
  ['weekend', 8],
  ['mixed', 5],
]);

const FLEXIBLE_SCHEDULE: Schedule = { timezone: 'Europe/Berlin', sessions: [], flexible: true };

type Pattern = { schedule: Schedule; lessonsPerWeek: number; phrase: string };

function minutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function buildPattern(parts: ReadonlyArray<{ days: readonly Day[]; slot: Slot; label: string }>): Pattern {
  const sessions: Session[] = [];
  let totalMinutes = 0;
  const phrases: string[] = [];
  for (const { days, slot, label } of parts) {
    for (const day of days) {
      sessions.push({ day, start: slot[0], end: slot[1] });
      totalMinutes += minutes(slot[1]) - minutes(slot[0]);
    }
    phrases.push(`${label} ${days.map((day) => DAY_LABELS[day]).join(', ')} von ${slot[0]} bis ${slot[1]} Uhr`);
  }
  return {
    schedule: { timezone: 'Europe/Berlin', sessions, flexible: false },
    lessonsPerWeek: Math.min(60, Math.floor(totalMinutes / 45)),
    phrase: `Unterricht ${phrases.join(' und ')}.`,
  };
}

/** Picks a pattern; built patterns are cached per generation run (keyed by their choices). */
function pickPattern(rng: Rng, type: CourseType, cache: Map<string, Pattern>): Pattern {
  let key: string;
  let parts: () => Array<{ days: readonly Day[]; slot: Slot; label: string }>;
  if (type === 'language_cafe') {
    const d = int(rng, 0, CAFE_DAYS.length - 1);
    const s = int(rng, 0, CAFE.length - 1);
    key = `cafe:${d}:${s}`;
    parts = () => [{ days: [at(CAFE_DAYS, d)], slot: at(CAFE, s), label: 'Treffen' }];
  } else {
    const kind = SCHEDULE_KINDS.pick(rng);
    if (kind === 'mixed') {
      const m = int(rng, 0, MORNING.length - 1);
      const e = int(rng, 0, EVENING.length - 1);
      key = `mixed:${m}:${e}`;
      parts = () => [
        { days: ['mon', 'tue', 'wed'], slot: at(MORNING, m), label: 'vormittags' },
        { days: ['thu'], slot: at(EVENING, e), label: 'abends' },
      ];
    } else {
      const [sets, slots, label] =
        kind === 'morning'
          ? [WEEKDAY_SETS, MORNING, 'vormittags']
          : kind === 'afternoon'
            ? [PART_TIME_SETS, AFTERNOON, 'nachmittags']
            : kind === 'evening'
              ? [PART_TIME_SETS, EVENING, 'abends']
              : [WEEKEND_SETS, WEEKEND, 'am Wochenende'];
      const d = int(rng, 0, sets.length - 1);
      const s = int(rng, 0, slots.length - 1);
      key = `${kind}:${d}:${s}`;
      parts = () => [{ days: at(sets, d), slot: at(slots, s), label }];
    }
  }
  let pattern = cache.get(key);
  if (!pattern) {
    pattern = buildPattern(parts());
    cache.set(key, pattern);
  }
  return pattern;
}

function pickChildcare(rng: Rng, type: CourseType): Childcare {
  const probability = type === 'integration_women' || type === 'integration_parents' ? 0.8 : 0.09;
  if (!chance(rng, probability)) return { available: false };
  const childcare: Childcare = { available: true };
  const bounds = int(rng, 0, 5);
  if (bounds === 0) {
    childcare.minAgeMonths = 0;
    childcare.maxAgeMonths = 72;
  } else if (bounds === 1) {
    childcare.minAgeMonths = 12;
    childcare.maxAgeMonths = 36;
  } else if (bounds === 2) {
    childcare.minAgeMonths = 36;
    childcare.maxAgeMonths = 72;
  } else if (bounds === 3) {
    childcare.minAgeMonths = int(rng, 3, 12);
  } else if (bounds === 4) {
    childcare.maxAgeMonths = pick(rng, [36, 48, 120]);
  } // 5: no bounds
  if (chance(rng, 0.6)) childcare.places = int(rng, 4, 20);
  if (chance(rng, 0.7)) childcare.onSite = chance(rng, 0.8);
  if (chance(rng, 0.3)) childcare.note = pick(rng, ['Bitte bei der Anmeldung das Alter der Kinder angeben.', 'Betreuung durch pädagogische Fachkräfte.', 'Kita-Plätze in der Nachbarschaft.']);
  return childcare;
}

function pickCost(rng: Rng, type: CourseType): Cost {
  const freeProbability =
    type === 'language_cafe' ? 1 : type === 'job_language' ? 0.95 : type === 'other' ? 0.3 : type === 'integration_general' ? 0.7 : type === 'integration_intensive' ? 0.6 : 0.8;
  if (chance(rng, freeProbability)) {
    if (type === 'language_cafe' || !chance(rng, 0.5)) return { free: true };
    return { free: true, note: type === 'job_language' ? 'Kostenlos für Teilnehmende mit Berechtigung nach DeuFöV.' : 'Kostenlos mit Berechtigungsschein vom BAMF oder Jobcenter.' };
  }
  if (type.startsWith('integration_')) return { free: false, pricePerLessonEur: 2.29, note: 'Kostenbeitrag für Selbstzahlende; Ermäßigung möglich.' };
  return { free: false, pricePerLessonEur: int(rng, 7, 19) / 2 };
}

function pickSeats(rng: Rng): Seats {
  const r = rng();
  if (r < 0.15) return {};
  const capacity = pick(rng, [12, 15, 16, 18, 20, 20, 22, 25]);
  if (r < 0.3) return { capacity, available: 0, waitlist: int(rng, 1, 30) };
  if (r < 0.35) return { capacity };
  return { capacity, available: int(rng, 1, capacity) };
}

const STATUSES = new Weighted<'published' | 'draft' | 'archived'>([
  ['published', 95],
  ['draft', 3],
  ['archived', 2],
]);

const DAY_MS = 86_400_000;

function parseToday(today: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== today) {
    throw new Error(`synthetic: today must be a real date YYYY-MM-DD, got ${JSON.stringify(today)}`);
  }
  return ms;
}

// ---------------------------------------------------------------------------------------------
// Generator

export function generateSyntheticData(options: SyntheticOptions): SyntheticData {
  const total = options.courses;
  if (!Number.isInteger(total) || total < 0) throw new Error(`synthetic: courses must be an integer >= 0, got ${total}`);
  const todayMs = parseToday(options.today);
  const rng = mulberry32(options.seed ?? 1);

  const dateCache = new Map<number, string>();
  const dateIn = (days: number): string => {
    let date = dateCache.get(days);
    if (date === undefined) {
      date = new Date(todayMs + days * DAY_MS).toISOString().slice(0, 10);
      dateCache.set(days, date);
    }
    return date;
  };
  const patterns = new Map<string, Pattern>();
  const usedNames = new Map<string, number>();

  const providers: SyntheticData['providers'] = [];
  const courses: SyntheticData['courses'] = [];

  let provider: ProviderDraft | undefined;
  let providerIndex = -1;
  let remainingForProvider = 0;

  for (let i = 0; i < total; i++) {
    if (!provider || remainingForProvider === 0) {
      providerIndex = providers.length;
      provider = makeProvider(rng, providerIndex, usedNames);
      providers.push({ content: provider.content, verified: provider.verified });
      remainingForProvider = int(rng, 10, 90); // 50 courses per provider on average
    }
    remainingForProvider--;

    const type = TYPES.pick(rng);
    const [level, targetLevel] = pickLevels(rng, type);
    const mode: Mode = type === 'language_cafe' && chance(rng, 0.7) ? 'in_person' : MODES.pick(rng);
    const venue = mode === 'online' ? undefined : pick(rng, provider.venues);
    const flexible = type !== 'language_cafe' && chance(rng, 0.055);
    const pattern = flexible ? undefined : pickPattern(rng, type, patterns);

    const startIn = int(rng, -60, 240);
    const [minDays, maxDays] = DURATIONS[type];
    const durationDays = int(rng, minDays, maxDays);
    const rollingEntry = type === 'language_cafe' ? chance(rng, 0.9) : chance(rng, 0.2);
    const womenOnly = type === 'integration_women' || (type !== 'integration_youth' && chance(rng, 0.025));
    const childcare = pickChildcare(rng, type);

    // Title: "Integrationskurs A1–B1 in Mainz", "Berufssprachkurs B2 Pflege online".
    const base = type === 'other' ? pick(rng, OTHER_TITLES) : TYPE_TITLES[type];
    const field = type === 'job_language' && chance(rng, 0.6) ? pick(rng, JOB_FIELDS) : undefined;
    const levels = level === targetLevel ? levelLabel(level) : `${levelLabel(level)}–${levelLabel(targetLevel)}`;
    const where = mode === 'online' ? { de: 'online', en: 'online' } : { de: `in ${provider.city}`, en: `in ${provider.city}` };
    const hybrid = mode === 'hybrid' ? ' (hybrid)' : '';
    const title = {
      de: `${base.de} ${levels}${field ? ` ${field.de}` : ''} ${where.de}${hybrid}`,
      en: `${base.en} ${levels}${field ? ` (${field.en})` : ''} ${where.en}${hybrid}`,
    };

    const exam =
      type === 'job_language'
        ? pick(rng, ['DTB', 'telc B2', 'telc C1', 'DTB'] as const)
        : type.startsWith('integration_')
          ? 'DTZ'
          : type === 'other' && chance(rng, 0.3)
            ? pick(rng, ['Goethe-Zertifikat B1', 'telc Deutsch B2', 'TestDaF'] as const)
            : undefined;

    // Description: a few sentences with some variety for full-text and typo-tolerant search.
    const sentences: string[] = [pick(rng, INTROS[type])];
    if (field) sentences.push(`Schwerpunkt: Deutsch im Bereich ${field.de}.`);
    sentences.push(pattern ? pattern.phrase : 'Lernzeiten nach Absprache, auch im Selbstlernzentrum.');
    if (mode === 'online') sentences.push('Der Unterricht findet online per Videokonferenz statt.');
    if (mode === 'hybrid') sentences.push('Sie können vor Ort oder online teilnehmen.');
    if (rollingEntry) sentences.push('Ein Einstieg ist jederzeit möglich.');
    if (childcare.available) sentences.push('Während des Unterrichts gibt es eine Kinderbetreuung.');
    if (womenOnly && type !== 'integration_women') sentences.push('Der Kurs ist nur für Frauen.');
    if (exam) sentences.push(`Am Ende steht die Prüfung ${exam}.`);
    sentences.push(pick(rng, CLOSINGS));
    if (chance(rng, 0.4)) sentences.push(pick(rng, CLOSINGS));

    const startDate = dateIn(startIn);
    const content: CourseContentInput = {
      title,
      type,
      level,
      targetLevel,
      mode,
      schedule: pattern ? pattern.schedule : FLEXIBLE_SCHEDULE,
      startDate,
      endDate: dateIn(startIn + durationDays),
      rollingEntry,
      womenOnly,
      childcare,
      cost: pickCost(rng, type),
      seats: pickSeats(rng),
      status: STATUSES.pick(rng),
    };
    if (chance(rng, 0.92)) content.description = { de: sentences.join(' ') };
    if (exam) content.exam = exam;
    if (venue) content.venue = venue;
    if (pattern) {
      content.lessonsPerWeek = pattern.lessonsPerWeek;
      if (type !== 'language_cafe') content.lessonsTotal = Math.round((pattern.lessonsPerWeek * durationDays) / 7);
    } else if (chance(rng, 0.5)) {
      content.lessonsTotal = pick(rng, [100, 300, 400, 700]);
    }
    if (type !== 'language_cafe' && chance(rng, 0.6)) {
      const registration: Registration = { email: `anmeldung@anbieter-${providerIndex + 1}.sprachkurs.example` };
      if (chance(rng, 0.5)) registration.contact = pick(rng, ['Frau Yilmaz', 'Herr Becker', 'Frau Nowak', 'Kursbüro', 'Beratungsstelle']);
      if (chance(rng, 0.4)) registration.deadline = dateIn(startIn - int(rng, 3, 21));
      if (chance(rng, 0.3)) registration.note = { de: 'Bitte bringen Sie Ihren Berechtigungsschein mit.', en: 'Please bring your entitlement certificate.' };
      content.registration = registration;
    }

    const confirmedDaysAgo = chance(rng, 0.1) ? int(rng, 91, 400) : Math.floor(rng() * rng() * 91);
    courses.push({ providerIndex, content, confirmedDaysAgo });
  }

  return { providers, courses };
}
