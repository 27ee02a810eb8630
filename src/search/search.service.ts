import type { MultiSearchQuery, SearchResponse } from 'meilisearch';
import type { SearchEngine } from '../infra/meili';
import { pickLocalized, pickLocalizedWithLanguage } from '../lib/localized-text';
import { badRequest } from '../lib/errors';
import type { Clock } from '../lib/clock';
import { isStale } from '../courses/course-facts';
import { FACETS, FACET_GROUPS, type FacetCounts, type FacetGroup } from './facets';
import { buildFilterParts, buildSearchFilter, type FilterInput } from './filter-builder';
import { distanceKm, type GeoPoint } from './geo';
import { postcodePoint, resolvePlace } from '../places/places';
import type { CourseSearchDocument } from './search-document';
import { COURSE_INDEX } from './index-settings';
import { DEFAULT_RADIUS_KM, type SearchQuery } from './search-query.schema';

export type CourseHit = {
  id: string;
  title: string;
  type: CourseSearchDocument['type'];
  level: CourseSearchDocument['level'];
  targetLevel: CourseSearchDocument['targetLevel'];
  provider: { id: string; name: string };
  mode: CourseSearchDocument['mode'];
  venue: CourseSearchDocument['venue'];
  days: CourseSearchDocument['days'];
  timeOfDay: CourseSearchDocument['timeOfDay'];
  slots: CourseSearchDocument['slots'];
  flexible: boolean;
  childcare: boolean;
  womenOnly: boolean;
  free: boolean;
  startDate: string;
  endDate: string;
  rollingEntry: boolean;
  seatsAvailable: number | null;
  stale: boolean;
  distanceKm?: number;
};

export type SearchResult = { total: number; page: number; perPage: number; hits: CourseHit[]; facets: FacetCounts };

/** What a result card on the website shows beyond the API's hit. */
export type CourseCard = CourseHit & {
  /** the language `title` is in: the reader's, or German when the provider wrote no other */
  titleLang: string;
  sessions: CourseSearchDocument['sessions'];
  timezone: string;
  childMinAgeMonths?: number;
  childMaxAgeMonths?: number;
  waitlist: number | null;
  lastConfirmedAt: number;
};

/**
 * A page of cards, and per active facet group how many courses the search finds without that group's filter:
 * the website's "without *Tuesday morning only* there are 7 courses" when nothing fits.
 */
export type CardSearchResult = Omit<SearchResult, 'hits' | 'facets'> & {
  hits: CourseCard[];
  facets: Pick<FacetCounts, CardFacetGroup>;
  totalsWithout: Partial<Record<FacetGroup, number>>;
};

/**
 * The facet groups whose counts the results page shows (results-view.ts: `facetOptions` and the week grid); the page
 * asks the engine for these counts only. Days and times of day have no control of their own on the page (the week
 * grid stands for both; they come as hidden parameters and chips), so their counts and, when they filter, their
 * disjunctive queries are left out: at 100,000 courses those queries are a large part of a search's engine time
 * (bench/README.md → run K).
 */
export const CARD_FACET_GROUPS = ['level', 'type', 'mode', 'slots', 'childcare', 'womenOnly', 'free'] as const satisfies readonly FacetGroup[];
export type CardFacetGroup = (typeof CARD_FACET_GROUPS)[number];

export function courseIndexName(engine: SearchEngine): string {
  return `${engine.indexPrefix}${COURSE_INDEX}`;
}

function invalidLocation(param: 'postcode' | 'place', message: string) {
  return badRequest('invalid_query', `Invalid query parameter: ${param}.`, [{ param, message }]);
}

/**
 * Resolves `near`/`postcode`/`place` to one point: for a postcode or a place, where people live (the centre of the
 * place, not of the postcode area; src/places). An unknown postcode or place, or an ambiguous name, is a 400 naming it.
 */
export function searchLocation(query: Pick<SearchQuery, 'near' | 'postcode' | 'place'>): GeoPoint | undefined {
  if (query.near) return query.near;
  if (query.postcode) {
    const point = postcodePoint(query.postcode);
    if (!point) throw invalidLocation('postcode', 'is not a known German postcode');
    return point;
  }
  if (query.place) {
    const found = resolvePlace(query.place);
    if (found.kind === 'unknown') throw invalidLocation('place', 'is not a known German place; choose one of the suggestions');
    if (found.kind === 'ambiguous') {
      const examples = found.candidates.slice(0, 3).map((candidate) => `"${candidate.name}"`).join(', ');
      throw invalidLocation('place', `names ${found.candidates.length} places; write it as the suggestions do, e.g. ${examples}`);
    }
    return { lat: found.place.lat, lng: found.place.lng };
  }
  return undefined;
}

function sortFor(query: SearchQuery, location: GeoPoint | undefined): string[] {
  switch (query.sort) {
    case 'start':
      return ['startDate:asc', 'staleRank:asc'];
    case 'distance':
      return location ? [`_geoPoint(${location.lat}, ${location.lng}):asc`] : [];
    case 'updated':
      return ['lastConfirmedAt:desc'];
    case 'relevance':
      return ['staleRank:asc'];
  }
}

export function toFilterInput(query: SearchQuery, location: GeoPoint | undefined): FilterInput {
  const { q: _q, near: _n, postcode: _p, place: _pl, sort: _s, page: _pg, perPage: _pp, lang: _l, radiusKm, ...filters } = query;
  return { ...filters, ...(location ? { location } : {}), radiusKm: radiusKm ?? DEFAULT_RADIUS_KM };
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** A hit's `distanceKm`: from the search's point to the venue, to 0.1 km; none without either (online courses). */
export function hitDistanceKm(venue: HitDocument['venue'], location: GeoPoint | undefined): number | undefined {
  return location && venue ? round1(distanceKm(location, venue)) : undefined;
}

/** `distanceKm` only when there is one: a hit without it has no such key (api.md). */
const distanceOf = (km: number | undefined): { distanceKm?: number } => (km === undefined ? {} : { distanceKm: km });

/**
 * The fields `toCourseHit` reads: the engine sends only these. Without the descriptions in every language and the
 * index-only fields, an answer was about 40 % smaller (bench/README.md), less for Meilisearch to write and for the
 * app to parse.
 */
const HIT_ATTRIBUTES = [
  'id', 'title', 'type', 'level', 'targetLevel', 'providerId', 'providerName', 'mode', 'venue', 'days', 'timeOfDay', 'slots',
  'flexible', 'childcare', 'womenOnly', 'free', 'startDateIso', 'endDateIso', 'rollingEntry', 'seatsAvailable', 'lastConfirmedAt',
] as const satisfies ReadonlyArray<keyof CourseSearchDocument>;
type HitDocument = Pick<CourseSearchDocument, (typeof HIT_ATTRIBUTES)[number]>;

export const CARD_ATTRIBUTES = [...HIT_ATTRIBUTES, 'sessions', 'timezone', 'childMinAgeMonths', 'childMaxAgeMonths', 'waitlist'] as const satisfies ReadonlyArray<keyof CourseSearchDocument>;
export type CardDocument = Pick<CourseSearchDocument, (typeof CARD_ATTRIBUTES)[number]>;

/** The index stores "no bound" as the widest bounds (search-document.ts); a card shows no bound instead. */
const NO_MAX_AGE_STORED = 9999;

export function toCourseCard(doc: CardDocument, lang: string, location: GeoPoint | undefined, now: Date): CourseCard {
  const title = pickLocalizedWithLanguage(doc.title, lang);
  return {
    ...toCourseHit(doc, lang, location, now),
    title: title.text,
    titleLang: title.lang,
    sessions: doc.sessions,
    timezone: doc.timezone,
    ...(doc.childcare && doc.childMinAgeMonths > 0 ? { childMinAgeMonths: doc.childMinAgeMonths } : {}),
    ...(doc.childcare && doc.childMaxAgeMonths < NO_MAX_AGE_STORED ? { childMaxAgeMonths: doc.childMaxAgeMonths } : {}),
    waitlist: doc.waitlist,
    lastConfirmedAt: doc.lastConfirmedAt,
  };
}

/** The public hit shape of api.md, from a search document (also used for provider pages). */
export function toCourseHit(doc: HitDocument, lang: string, location: GeoPoint | undefined, now: Date): CourseHit {
  return {
    id: doc.id,
    title: pickLocalized(doc.title, lang),
    type: doc.type,
    level: doc.level,
    targetLevel: doc.targetLevel,
    provider: { id: doc.providerId, name: doc.providerName },
    mode: doc.mode,
    venue: doc.venue,
    days: doc.days,
    timeOfDay: doc.timeOfDay,
    slots: doc.slots,
    flexible: doc.flexible,
    childcare: doc.childcare,
    womenOnly: doc.womenOnly,
    free: doc.free,
    startDate: doc.startDateIso,
    endDate: doc.endDateIso,
    rollingEntry: doc.rollingEntry,
    seatsAvailable: doc.seatsAvailable,
    // Computed from the confirmation time at answer time, so it is right even before the index catches up.
    stale: isStale(new Date(doc.lastConfirmedAt), now),
    ...distanceOf(hitDistanceKm(doc.venue, location)),
  };
}

/**
 * The body of the one multi-search behind `GET /api/v1/courses` (pure; the benchmark sends the same body
 * straight to Meilisearch): the main query (hits + counts of inactive facet groups) and, per active group,
 * the same query without that group's filter, for disjunctive counts. `counted` narrows the facet groups whose
 * counts are asked for (the API counts all of them); `uncounted` are the active groups left out.
 */
export function buildMultiSearchQueries(
  indexUid: string,
  query: SearchQuery,
  counted: readonly FacetGroup[] = FACET_GROUPS,
): { queries: MultiSearchQuery[]; activeGroups: FacetGroup[]; uncounted: FacetGroup[]; location: GeoPoint | undefined; withoutGroup: (group: FacetGroup) => MultiSearchQuery } {
  const location = searchLocation(query);
  const input = toFilterInput(query, location);
  const active = Object.keys(buildFilterParts(input).byGroup) as FacetGroup[];
  const activeGroups = active.filter((group) => counted.includes(group));
  const q = query.q ?? '';
  // page + hitsPerPage 0: an exact total of the search without this group's filter (the website's "what would help").
  const withoutGroup = (group: FacetGroup): MultiSearchQuery => ({ indexUid, q, filter: buildSearchFilter(input, group), facets: counted.includes(group) ? [group] : [], page: 1, hitsPerPage: 0 });
  const queries: MultiSearchQuery[] = [
    {
      indexUid,
      q,
      filter: buildSearchFilter(input),
      sort: sortFor(query, location),
      page: query.page,
      hitsPerPage: query.perPage,
      attributesToRetrieve: [...HIT_ATTRIBUTES],
      facets: counted.filter((group) => !active.includes(group)),
    },
    ...activeGroups.map(withoutGroup),
  ];
  return { queries, activeGroups, uncounted: active.filter((group) => !counted.includes(group)), location, withoutGroup };
}

/**
 * Meilisearch loads the segmenter dictionaries for Japanese, Chinese, Thai and Korean on the first query that needs
 * them: 1.5 s for one query with a kana in it on an idle machine here, over the 5 s request timeout (a 503) on a busy
 * one. One query holding each script, sent once at start, pays for that before any reader does.
 */
export const SEGMENTER_WARMUP_QUERY = '日本語のテスト 中文测试 ภาษาไทย 한국어';

export async function warmUpSegmenters(engine: SearchEngine, indexUid: string): Promise<void> {
  await engine.multiSearch([{ indexUid, q: SEGMENTER_WARMUP_QUERY, limit: 0 }]);
}

export function createSearchService(deps: { engine: SearchEngine; clock: Clock; onSearch?: (query: SearchQuery, total: number) => void }) {
  const indexUid = courseIndexName(deps.engine);

  /** One multi-search (see `buildMultiSearchQueries`): the main query's answer and each counted active group's disjunctive one. */
  async function runSearch<D extends HitDocument, G extends FacetGroup>(query: SearchQuery, attributes: readonly string[], counted: readonly G[]) {
    const { queries, activeGroups, uncounted, withoutGroup, location } = buildMultiSearchQueries(indexUid, query, counted);
    const [first, ...rest] = queries;
    const { results } = await deps.engine.multiSearch<D>(first ? [{ ...first, attributesToRetrieve: [...attributes] }, ...rest] : queries);
    const [main, ...perGroup] = results as Array<SearchResponse<D>>;
    if (!main) throw new Error('Meilisearch returned no result for the main query');

    const distributions: Record<string, Record<string, number>> = { ...(main.facetDistribution ?? {}) };
    const totalsWithout: Partial<Record<FacetGroup, number>> = {};
    activeGroups.forEach((group, i) => {
      distributions[group] = perGroup[i]?.facetDistribution?.[group] ?? {};
      totalsWithout[group] = perGroup[i]?.totalHits ?? 0;
    });
    const facets = Object.fromEntries(
      counted.map((group) => [group, Object.fromEntries(FACETS[group].map((value) => [value, distributions[group]?.[value] ?? 0]))]),
    ) as Pick<FacetCounts, G>;
    const total = main.totalHits ?? main.estimatedTotalHits ?? 0;
    return { total, page: query.page, perPage: query.perPage, docs: main.hits, facets, totalsWithout, uncounted, withoutGroup, location, now: deps.clock.now() };
  }

  /** `GET /api/v1/courses`: one page of hits with disjunctive facet counts. */
  async function search(query: SearchQuery): Promise<SearchResult> {
    const { total, page, perPage, docs, facets, location, now } = await runSearch<HitDocument, FacetGroup>(query, HIT_ATTRIBUTES, FACET_GROUPS);
    deps.onSearch?.(query, total);
    return { total, page, perPage, hits: docs.map((doc) => toCourseHit(doc, query.lang, location, now)), facets };
  }

  /**
   * The same search as `search()` (same courses, same order), with what the website's result cards show and the
   * counts of `CARD_FACET_GROUPS`. When nothing fits, the page says which filter to drop: only then are the totals
   * without each active schedule filter asked for, in a second multi-search.
   */
  async function searchCards(query: SearchQuery): Promise<CardSearchResult> {
    const found = await runSearch<CardDocument, CardFacetGroup>(query, CARD_ATTRIBUTES, CARD_FACET_GROUPS);
    const { total, page, perPage, docs, facets, totalsWithout, uncounted, withoutGroup, location, now } = found;
    deps.onSearch?.(query, total);
    if (total === 0 && uncounted.length > 0) {
      const { results } = await deps.engine.multiSearch(uncounted.map(withoutGroup));
      uncounted.forEach((group, i) => {
        totalsWithout[group] = results[i]?.totalHits ?? 0;
      });
    }
    return { total, page, perPage, hits: docs.map((doc) => toCourseCard(doc, query.lang, location, now)), facets, totalsWithout };
  }

  /** The ids of the courses `search()` finds for this query, in its order but without paging: at most `max`. */
  async function matchingIds(query: SearchQuery, max: number): Promise<string[]> {
    const [main] = buildMultiSearchQueries(indexUid, query).queries;
    if (!main) throw new Error('buildMultiSearchQueries gave no main query');
    const { page: _page, hitsPerPage: _perPage, facets: _facets, ...filterAndSort } = main;
    const { results } = await deps.engine.multiSearch<{ id: string }>([{ ...filterAndSort, limit: max, attributesToRetrieve: ['id'] }]);
    return (results[0]?.hits ?? []).map((hit) => hit.id);
  }

  return { search, searchCards, matchingIds, indexUid, warmUp: () => warmUpSegmenters(deps.engine, indexUid) };
}

export type SearchService = ReturnType<typeof createSearchService>;
