/**
 * A deterministic mix of realistic `GET /api/v1/courses` query strings, and for each the exact
 * multi-search body the app sends to Meilisearch (built by the app's own `buildMultiSearchQueries`).
 */
import { parse as parseQueryString } from 'node:querystring';
import type { MultiSearchQuery } from 'meilisearch';
import { buildMultiSearchQueries } from '../src/search/search.service';
import { searchQuerySchema } from '../src/search/search-query.schema';
import { postcodeCentroid } from '../src/search/postcodes';
import type { Day, Level, TimeOfDay } from '../src/courses/course.enums';
import { mulberry32 } from '../seed/random';

export type BenchQuery = {
  /** path + query string for the app, e.g. `/api/v1/courses?level=A1&near=…` */
  apiPath: string;
  /** the website's results page for the same query (api.md: same parameters, same courses) */
  pagePath: string;
  /** the JSON body the app POSTs to `/multi-search` for it */
  multiSearchBody: string;
  /** how many queries the multi-search holds (1 main + 1 per active facet group) */
  queries: number;
};


/** Big cities of the synthetic data (seed/synthetic.ts) and the project's home region, by main postcode. */
const CITIES: ReadonlyArray<{ name: string; postcode: string }> = [
  { name: 'Berlin', postcode: '10115' },
  { name: 'Hamburg', postcode: '20095' },
  { name: 'München', postcode: '80331' },
  { name: 'Köln', postcode: '50667' },
  { name: 'Frankfurt', postcode: '60311' },
  { name: 'Stuttgart', postcode: '70173' },
  { name: 'Düsseldorf', postcode: '40210' },
  { name: 'Leipzig', postcode: '04109' },
  { name: 'Dortmund', postcode: '44135' },
  { name: 'Essen', postcode: '45127' },
  { name: 'Bremen', postcode: '28195' },
  { name: 'Dresden', postcode: '01067' },
  { name: 'Hannover', postcode: '30159' },
  { name: 'Nürnberg', postcode: '90402' },
  { name: 'Mannheim', postcode: '68159' },
  { name: 'Karlsruhe', postcode: '76133' },
  { name: 'Mainz', postcode: '55116' },
  { name: 'Heidelberg', postcode: '69117' },
  { name: 'Kaiserslautern', postcode: '67655' },
  { name: 'Landau', postcode: '76829' },
];

const WORDS = [
  'integrationskurs', 'abend', 'abends', 'berufssprachkurs', 'pflege', 'alphabetisierung', 'intensivkurs',
  'kinderbetreuung', 'frauen', 'online', 'konversation', 'prüfungsvorbereitung', 'integrationskurz' /* typo */,
  'deutschkurs', 'volkshochschule', 'caritas', 'gastronomie', 'handwerk', 'telc', 'sprachcafé',
];

const LEVEL_SETS: ReadonlyArray<readonly Level[]> = [['A1'], ['A2'], ['B1'], ['B2'], ['alpha', 'A1'], ['A1', 'A2'], ['B1', 'B2'], ['C1']];
const DAY_SETS: ReadonlyArray<readonly Day[]> = [
  ['mon', 'tue', 'wed', 'thu', 'fri'], ['mon', 'wed'], ['tue', 'thu'], ['sat', 'sun'], ['mon', 'tue', 'wed'], ['fri', 'sat'],
];
const TIME_SETS: ReadonlyArray<readonly TimeOfDay[]> = [['morning'], ['evening'], ['afternoon', 'evening'], ['morning', 'afternoon']];
const TYPE_SETS = [['integration_general'], ['job_language'], ['integration_women', 'integration_parents'], ['language_cafe'], ['integration_literacy']];
const RADII = [10, 15, 20, 25, 30, 40, 50];

/** `default`: the mix of every published run (days/timeOfDay); `slots`: the same queries with a week grid instead. */
export const QUERY_MIX_KINDS = ['default', 'slots'] as const;
export type QueryMixKind = (typeof QUERY_MIX_KINDS)[number];
export const isQueryMixKind = (value: string): value is QueryMixKind => (QUERY_MIX_KINDS as readonly string[]).includes(value);

const DAYS: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const TIMES: readonly TimeOfDay[] = ['morning', 'afternoon', 'evening'];
const slot = (day: Day, time: TimeOfDay) => `${day}-${time}`;
const grid = (days: readonly Day[], times: readonly TimeOfDay[]) => days.flatMap((d) => times.map((t) => slot(d, t)));
/** Week grids people tick (domain.md: "a mother who can come on Tuesday mornings and Thursday afternoons"). */
const SLOT_SETS: ReadonlyArray<readonly string[]> = [
  ['tue-morning', 'thu-afternoon'],
  grid(['mon', 'tue', 'wed', 'thu', 'fri'], ['morning']), // children at school or daycare
  grid(['mon', 'tue', 'wed', 'thu', 'fri'], ['evening']), // working days
  [...grid(['mon', 'wed', 'fri'], ['evening']), ...grid(['sat', 'sun'], ['morning', 'afternoon'])],
  grid(['sat', 'sun'], TIMES),
  ['mon-morning', 'tue-morning', 'wed-afternoon', 'thu-afternoon', 'fri-morning'], // alternating shifts
  grid(DAYS, ['afternoon']),
  grid(['mon', 'tue', 'wed', 'thu', 'fri'], ['morning', 'afternoon']),
];

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`query-mix: index ${index} out of range`);
  return item;
}

/**
 * The query strings (without the leading `?`), deterministic for a seed. The `slots` mix draws exactly the
 * same queries as `default` and then, in 70 % of them, puts a week grid where `days`/`timeOfDay` were (from a
 * second random stream), so the two mixes differ only in the schedule filter.
 */
export function buildQueryStrings(count: number, seed = 7, today = new Date().toISOString().slice(0, 10), mix: QueryMixKind = 'default'): string[] {
  const rng = mulberry32(seed);
  const slotRng = mulberry32(seed + 1);
  const pick = <T>(items: readonly T[]): T => at(items, Math.floor(rng() * items.length));
  const chance = (p: number) => rng() < p;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const params: Array<[string, string]> = [];
    const city = pick(CITIES);
    const where = rng();
    let located = false;
    if (where < 0.5) {
      const centre = postcodeCentroid(city.postcode);
      if (!centre) throw new Error(`query-mix: no centroid for ${city.postcode}`);
      params.push(['near', `${centre.lat.toFixed(4)},${centre.lng.toFixed(4)}`], ['radiusKm', String(pick(RADII))]);
      located = true;
    } else if (where < 0.7) {
      params.push(['postcode', city.postcode]);
      if (chance(0.6)) params.push(['radiusKm', String(pick(RADII))]);
      located = true;
    }
    if (chance(0.3)) params.push(['q', chance(0.25) ? city.name : pick(WORDS)]);
    if (chance(0.65)) params.push(['level', pick(LEVEL_SETS).join(',')]);
    if (chance(0.2)) params.push(['type', pick(TYPE_SETS).join(',')]);
    if (chance(0.15)) params.push(['mode', pick([['in_person'], ['online'], ['in_person', 'hybrid']]).join(',')]);
    if (chance(0.35)) params.push(['days', pick(DAY_SETS).join(',')]);
    if (chance(0.35)) params.push(['timeOfDay', pick(TIME_SETS).join(',')]);
    if (chance(0.2)) {
      if (chance(0.6)) params.push(['childAgeMonths', String(6 + Math.floor(rng() * 60))]);
      else params.push(['childcare', 'true']);
    }
    if (chance(0.12)) params.push(['free', 'true']);
    if (chance(0.1)) params.push(['womenOnly', 'true']);
    if (chance(0.25)) params.push(['seats', 'available']);
    if (chance(0.15)) params.push(['startFrom', today]);
    const sort = rng();
    if (located && sort < 0.4) params.push(['sort', 'distance']);
    else if (sort < 0.6) params.push(['sort', 'start']);
    else if (sort < 0.65) params.push(['sort', 'updated']);
    const page = rng();
    if (page > 0.8) params.push(['page', String(2 + Math.floor(rng() * 4))]);
    if (chance(0.1)) params.push(['lang', pick(['en', 'ar', 'uk'])]);
    if (mix === 'slots' && slotRng() < 0.7) {
      const schedule = params.filter(([name]) => name !== 'days' && name !== 'timeOfDay');
      const slots = at(SLOT_SETS, Math.floor(slotRng() * SLOT_SETS.length));
      // Keep the parameter's position stable: after level/type/mode, like a form sends it.
      const before = schedule.findIndex(([name]) => !['near', 'radiusKm', 'postcode', 'q', 'level', 'type', 'mode'].includes(name));
      schedule.splice(before < 0 ? schedule.length : before, 0, ['slots', slots.join(',')]);
      params.splice(0, params.length, ...schedule);
    }
    out.push(new URLSearchParams(params).toString());
  }
  return out;
}

/**
 * Parses a query string exactly as the route does (Express 5's "simple" parser, then the route's schema).
 * A parameter this code's schema does not know (the `slots` mix before the search API has `slots`) is an
 * error here: the schema would drop it silently and the raw engine would get a different query.
 */
export function toBenchQuery(queryString: string, indexUid: string): BenchQuery {
  const raw = parseQueryString(queryString);
  const unknown = Object.keys(raw).filter((name) => !(name in searchQuerySchema.shape));
  if (unknown.length > 0) throw new Error(`query-mix: GET /api/v1/courses has no parameter ${unknown.join(', ')} in this code`);
  const query = searchQuerySchema.parse(raw);
  const { queries }: { queries: MultiSearchQuery[] } = buildMultiSearchQueries(indexUid, query);
  return { apiPath: `/api/v1/courses?${queryString}`, pagePath: `/courses?${queryString}`, multiSearchBody: JSON.stringify({ queries }), queries: queries.length };
}

/**
 * Prefixes for `GET /api/v1/places?q=` as a location box sends them while someone types: a few letters of a
 * city (with and without umlauts, lower case), of the home region's places, and postcode prefixes.
 */
export function buildPlacePrefixes(): string[] {
  const names = [...CITIES.map((c) => c.name), 'Neustadt', 'Bad Bergzabern', 'Edenkoben', 'Annweiler', 'Herxheim'];
  const prefixes = new Set<string>();
  for (const name of names) {
    for (const length of [2, 3, 4, 6]) if (name.length > length) prefixes.add(name.slice(0, length));
    prefixes.add(name.slice(0, 4).toLowerCase());
    prefixes.add(name.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss').slice(0, 5).toLowerCase());
  }
  for (const city of CITIES) for (const length of [2, 3, 4]) prefixes.add(city.postcode.slice(0, length));
  return [...prefixes].sort();
}
