import { DateTime } from 'luxon';
import type { ClientProfile } from './client-profile.schema';

/** The hard constraints of domain.md → Matching, in the table's order (also the order of reasons and near-misses). */
export const CONSTRAINTS = ['level', 'schedule', 'childcare', 'womenOnly', 'mode', 'distance', 'cost', 'start'] as const;
export type ConstraintCode = (typeof CONSTRAINTS)[number];

/** Search parameters as `GET /api/v1/courses` takes them (query-string values). */
export type SearchParams = Record<string, string>;

/** "Today" for matching is the date in Europe/Berlin (domain.md). */
export const MATCHING_TIME_ZONE = 'Europe/Berlin';

export function todayIn(now: Date, zone = MATCHING_TIME_ZONE): string {
  return DateTime.fromJSDate(now, { zone }).toISODate() ?? '';
}

/** The query string takes at most 10 decimals for a point and 3 for a radius (search-query.schema.ts). */
const decimals = (value: number, places: number) => String(Math.round(value * 10 ** places) / 10 ** places);

function locationParams(location: NonNullable<ClientProfile['location']>): SearchParams {
  if ('postcode' in location) return { postcode: location.postcode };
  if ('place' in location) return { place: location.place };
  return { near: `${decimals(location.near.lat, 10)},${decimals(location.near.lng, 10)}` };
}

/**
 * Each constraint the profile sets, as the search filter that stands for it (the table in domain.md → Matching).
 * A constraint the profile leaves open is absent: it cannot be failed and gets no reason.
 */
export function constraintParams(profile: ClientProfile): Partial<Record<ConstraintCode, SearchParams>> {
  const params: Partial<Record<ConstraintCode, SearchParams>> = { level: { level: profile.level } };
  if (profile.slots.length > 0) params.schedule = { slots: profile.slots.join(',') };
  if (profile.childAgesMonths.length > 0) params.childcare = { childAgeMonths: profile.childAgesMonths.join(',') };
  if (profile.womenOnly === 'required') params.womenOnly = { womenOnly: 'true' };
  if (!profile.onlinePossible) params.mode = { mode: 'in_person,hybrid' };
  if (profile.location) {
    // A radius below the query string's precision still means "a little": never 0.
    const radiusKm = decimals(Math.max(0.001, profile.maxDistanceKm), 3);
    params.distance = { ...locationParams(profile.location), radiusKm, includeOnline: 'true' };
  }
  if (profile.freeOnly) params.cost = { free: 'true' };
  if (profile.startBy) params.start = { startTo: profile.startBy };
  return params;
}

/** The constraints this profile sets, in order. */
export function constraintsSet(profile: ClientProfile): ConstraintCode[] {
  const params = constraintParams(profile);
  return CONSTRAINTS.filter((code) => params[code] !== undefined);
}

/**
 * The `GET /api/v1/courses` parameters whose answer is exactly this profile's matches (optionally without one
 * constraint): every constraint the profile sets, and `startFrom=today`, which is the search's own "a client can still
 * join" (`startDate ≥ today`, or rolling entry and `endDate ≥ today`; only published courses are in the index at all).
 */
export function matchSearchParams(profile: ClientProfile, today: string, without?: ConstraintCode): SearchParams {
  const params: SearchParams = { startFrom: today };
  for (const [code, constraint] of Object.entries(constraintParams(profile))) {
    if (code !== without) Object.assign(params, constraint);
  }
  return params;
}
