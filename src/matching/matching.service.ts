import type { MultiSearchQuery, SearchResponse } from 'meilisearch';
import type { SearchEngine } from '../infra/meili';
import { createTranslations, type Translations } from '../i18n/i18n';
import type { Clock } from '../lib/clock';
import { AppError, badRequest } from '../lib/errors';
import { parseInput } from '../lib/validation';
import { failsAll } from '../search/filter-builder';
import { searchQuerySchema } from '../search/search-query.schema';
import type { GeoPoint } from '../search/geo';
import {
  CARD_ATTRIBUTES,
  buildMultiSearchQueries,
  hitDistanceKm,
  toCourseCard,
  toCourseHit,
  type CardDocument,
  type CourseCard,
  type CourseHit,
  type SearchService,
} from '../search/search.service';
import { createFormatters } from '../web/format';
import type { ClientProfile } from './client-profile.schema';
import { constraintsSet, matchSearchParams, todayIn, type ConstraintCode, type SearchParams } from './match-constraints';
import { matchScore, rankingValues, type RankedCourse } from './match-ranking';
import { createReasonWriter, type MatchReason } from './match-reasons';

export type Match = { course: CourseHit; score: number; reasons: MatchReason[] };
export type NearMiss = { course: CourseHit; failed: ConstraintCode; reason: string };
/** api.md → Matching. */
export type MatchAnswer = { matches: Match[]; nearMisses: NearMiss[]; excludedMost?: ConstraintCode };

/** api.md: every match, best first, at most 100. */
export const MAX_MATCHES = 100;
/** api.md: at most 10 near-misses per constraint. */
export const NEAR_MISSES_PER_CONSTRAINT = 10;
/**
 * Matches fetched to be ranked, soonest start first (the heaviest ranking fact; running rolling-entry courses have
 * the earliest start dates): a profile that matches more courses than this is ranked among the soonest of them.
 */
export const MATCH_CANDIDATES = 1000;

/** Where a search parameter's 400 came from in the profile, so the answer names the profile's own field. */
const PROFILE_FIELD: Record<string, string> = {
  postcode: 'location.postcode',
  place: 'location.place',
  near: 'location.near',
  radiusKm: 'maxDistanceKm',
  startTo: 'startBy',
  childAgeMonths: 'childAgesMonths',
};

/**
 * The main search query's filter for these parameters and the point it searches around, built by the search service
 * itself (validated as `GET /api/v1/courses` validates its query). A 400 names the profile's field, not the parameter.
 */
function searchPlan(indexUid: string, params: SearchParams): { filter: string[]; location: GeoPoint | undefined } {
  try {
    const { queries, location } = buildMultiSearchQueries(indexUid, parseInput(searchQuerySchema, params, 'query'));
    const filter = queries[0]?.filter;
    if (!Array.isArray(filter)) throw new Error('buildMultiSearchQueries gave no main filter');
    return { filter: filter as string[], location };
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 400) throw error;
    const details = error.details.map((detail) => ({ ...detail, param: PROFILE_FIELD[detail.param] ?? detail.param }));
    throw badRequest('invalid_body', `Invalid request body: ${[...new Set(details.map((d) => d.param))].join(', ')}.`, details);
  }
}

/**
 * domain.md → Matching on top of the search service: a match is exactly what `GET /api/v1/courses` returns for
 * `matchSearchParams(profile, today)`; a near-miss for constraint C is what it returns without C's parameters and
 * fails C. All of it is one Meilisearch multi-search: the matches, and per constraint the profile sets its near-misses
 * (with their exact count, which names `excludedMost` when nothing matches).
 */
export function createMatchingService(deps: { search: SearchService; engine: SearchEngine; clock: Clock; translations?: Translations }) {
  const translations = deps.translations ?? createTranslations();
  const indexUid = deps.search.indexUid;

  async function match(profile: ClientProfile): Promise<MatchAnswer> {
    const now = deps.clock.now();
    const today = todayIn(now);
    if (profile.startBy !== undefined && profile.startBy < today) {
      throw badRequest('invalid_body', 'Invalid request body: startBy.', [{ param: 'startBy', message: `must not be before today (${today})` }]);
    }
    const constraints = constraintsSet(profile);
    const all = searchPlan(indexUid, matchSearchParams(profile, today));
    const retrieve = [...CARD_ATTRIBUTES];

    // Per constraint: the search without it, and "fails it" = not all of the expressions it adds to the search.
    const nearMissPlans = constraints.flatMap((code) => {
      const without = searchPlan(indexUid, matchSearchParams(profile, today, code));
      const own = all.filter.filter((expression) => !without.filter.includes(expression));
      // A constraint that adds no expression (every slot of the week ticked) cannot be failed.
      return own.length === 0 ? [] : [{ code, filter: [...without.filter, failsAll(own)] }];
    });
    // The closest near-misses by distance are the most useful ones; otherwise the soonest.
    const nearestFirst = all.location ? [`_geoPoint(${all.location.lat}, ${all.location.lng}):asc`] : [];
    const queries: MultiSearchQuery[] = [
      { indexUid, filter: all.filter, sort: ['startDate:asc'], page: 1, hitsPerPage: MATCH_CANDIDATES, attributesToRetrieve: retrieve },
      ...nearMissPlans.map(({ code, filter }) => ({
        indexUid,
        filter,
        sort: code === 'distance' ? nearestFirst : ['startDate:asc'],
        // page/hitsPerPage, not limit: an exact total (Meilisearch estimates it under limit), for excludedMost.
        page: 1,
        hitsPerPage: NEAR_MISSES_PER_CONSTRAINT,
        attributesToRetrieve: retrieve,
      })),
    ];
    const { results } = await deps.engine.multiSearch<CardDocument>(queries);
    const [matched, ...missed] = results as Array<SearchResponse<CardDocument>>;
    if (!matched) throw new Error('Meilisearch returned no result for the matches');

    const t = translations.forLanguage(profile.lang);
    const reasons = createReasonWriter({ t, fmt: createFormatters(profile.lang, t, now), profile, today, now });
    const cardOf = (doc: CardDocument): CourseCard => toCourseCard(doc, profile.lang, all.location, now);
    const hitOf = (doc: CardDocument): CourseHit => toCourseHit(doc, profile.lang, all.location, now);

    // Scored straight from the documents (there may be up to MATCH_CANDIDATES); only the best 100 become cards and
    // hits and are explained.
    const matches: Match[] = matched.hits
      .map((doc) => {
        const ranked: RankedCourse = {
          startDate: doc.startDateIso,
          rollingEntry: doc.rollingEntry,
          seatsAvailable: doc.seatsAvailable,
          waitlist: doc.waitlist,
          distanceKm: hitDistanceKm(doc.venue, all.location),
          lastConfirmedAt: doc.lastConfirmedAt,
          womenOnly: doc.womenOnly,
        };
        return { doc, score: matchScore(rankingValues(ranked, profile, today, now)) };
      })
      // Best first; equal scores by start date, then id, so the order never depends on the engine's.
      .sort((a, b) => b.score - a.score || a.doc.startDateIso.localeCompare(b.doc.startDateIso) || a.doc.id.localeCompare(b.doc.id))
      .slice(0, MAX_MATCHES)
      .map(({ doc, score }) => ({ course: hitOf(doc), score, reasons: reasons.matchReasons(cardOf(doc), constraints) }));

    const nearMisses: NearMiss[] = nearMissPlans.flatMap(({ code }, i) =>
      (missed[i]?.hits ?? []).map((doc) => ({ course: hitOf(doc), failed: code, reason: reasons.nearMissReason(code, cardOf(doc)) })),
    );

    const answer: MatchAnswer = { matches, nearMisses };
    if (matches.length === 0) {
      // With no match, the courses failing only C are exactly those that removing C admits.
      let most: { code: ConstraintCode; total: number } | undefined;
      nearMissPlans.forEach(({ code }, i) => {
        const total = missed[i]?.totalHits ?? 0;
        if (total > 0 && (!most || total > most.total)) most = { code, total };
      });
      if (most) answer.excludedMost = most.code;
    }
    return answer;
  }

  return { match };
}

export type MatchingService = ReturnType<typeof createMatchingService>;
