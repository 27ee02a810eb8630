/**
 * Test oracle for `GET /api/v1/courses`: decides, straight from domain.md ("Search semantics"), which of the
 * arranged courses a query must return and what the disjunctive facet counts must be. It reuses the one place
 * that derives days/buckets/staleness (`courseFacts`) and the one haversine (`distanceKm`), and nothing of the
 * search implementation itself (no filter builder, no index document).
 *
 * `q` is Meilisearch relevance and cannot be decided here: a test passes `qMatches`, the ids that a plain
 * `q` search returned, and the oracle checks that every filter combines with it as an intersection.
 */
import { FACETS, type FacetGroup } from '../../src/search/facets';
import { courseFacts } from '../../src/courses/course-facts';
import type { CourseStatus, CourseType, Day, Level, Mode, Slot, TimeOfDay } from '../../src/courses/course.enums';
import { courseContentSchema, type CourseContent, type CourseContentInput } from '../../src/courses/course.schema';
import { distanceKm, type GeoPoint } from '../../src/search/geo';
import { postcodePoint, resolvePlace } from '../../src/places/places';

/** domain.md: radiusKm defaults to 25. */
export const ORACLE_DEFAULT_RADIUS_KM = 25;

export type ArrangedCourse = {
  id: string;
  /** the body as sent to the write API */
  body: CourseContentInput;
  providerName: string;
  /** the current status when it changed after creation (archived, published from draft) */
  status?: CourseStatus;
  /** when the listing was last confirmed; defaults to "just now" */
  lastConfirmedAt?: Date;
};

export type OracleQuery = {
  q?: string;
  level?: Level[];
  type?: CourseType[];
  mode?: Mode[];
  days?: Day[];
  timeOfDay?: TimeOfDay[];
  slots?: Slot[];
  childcare?: boolean;
  childAgeMonths?: number[];
  womenOnly?: boolean;
  free?: boolean;
  seats?: 'available';
  near?: GeoPoint;
  radiusKm?: number;
  includeOnline?: boolean;
  postcode?: string;
  place?: string;
  startFrom?: string;
  startTo?: string;
};

/** The facet groups and values of api.md (data, not logic: the counting below is the oracle's own). */
export const ORACLE_FACETS: Record<FacetGroup, readonly string[]> = FACETS;
export type { FacetGroup };

export type OracleContext = { now?: Date; qMatches?: ReadonlySet<string> };

function content(course: ArrangedCourse): CourseContent {
  return courseContentSchema.parse(course.body);
}

function statusOf(course: ArrangedCourse, c: CourseContent): CourseStatus {
  return course.status ?? c.status;
}

/** The point a query searches around (`near`, or where people live for `postcode`/`place`: the offline place data), if any. */
export function oracleLocation(query: OracleQuery): GeoPoint | undefined {
  if (query.near) return query.near;
  if (query.postcode) {
    const point = postcodePoint(query.postcode);
    if (!point) throw new Error(`oracle: unknown postcode ${query.postcode}`);
    return point;
  }
  if (query.place) {
    const found = resolvePlace(query.place);
    if (found.kind !== 'found') throw new Error(`oracle: place ${query.place} is ${found.kind}`);
    return { lat: found.place.lat, lng: found.place.lng };
  }
  return undefined;
}

/** Venue coordinates as far as search is concerned: online-only courses have none (domain.md `_geo`). */
export function venuePoint(c: CourseContent): GeoPoint | undefined {
  return c.mode === 'online' || !c.venue ? undefined : { lat: c.venue.lat, lng: c.venue.lng };
}

const subset = <T>(values: readonly T[], accepted: readonly T[]) => values.every((v) => accepted.includes(v));

/** Whether every given filter holds, optionally ignoring one facet group's own filter. */
export function oracleMatches(course: ArrangedCourse, query: OracleQuery, ctx: OracleContext = {}, without?: FacetGroup): boolean {
  const c = content(course);
  const now = ctx.now ?? new Date();
  const facts = courseFacts(c, course.lastConfirmedAt ?? now, now);
  if (statusOf(course, c) !== 'published') return false;
  if (query.q !== undefined && query.q.trim() !== '') {
    if (!ctx.qMatches) throw new Error('oracle: a query with q needs qMatches');
    if (!ctx.qMatches.has(course.id)) return false;
  }
  if (without !== 'level' && query.level && !query.level.includes(c.level)) return false;
  if (without !== 'type' && query.type && !query.type.includes(c.type)) return false;
  if (without !== 'mode' && query.mode && !query.mode.includes(c.mode)) return false;
  // "days I can come" / "times I can come": subset; flexible courses always hold.
  if (without !== 'days' && query.days && !c.schedule.flexible && !subset(facts.days, query.days)) return false;
  if (without !== 'timeOfDay' && query.timeOfDay && !c.schedule.flexible && !subset(facts.timeOfDay, query.timeOfDay)) return false;
  // "when I can come" as a week grid: every day-and-part-of-day the course meets in is ticked.
  if (without !== 'slots' && query.slots && !c.schedule.flexible && !subset(facts.slots, query.slots)) return false;
  if (without !== 'childcare' && (query.childcare === true || query.childAgeMonths !== undefined)) {
    if (!c.childcare.available) return false;
    for (const n of query.childAgeMonths ?? []) {
      if (c.childcare.minAgeMonths !== undefined && n < c.childcare.minAgeMonths) return false;
      if (c.childcare.maxAgeMonths !== undefined && n > c.childcare.maxAgeMonths) return false;
    }
  }
  if (without !== 'womenOnly' && query.womenOnly === true && !c.womenOnly) return false;
  if (without !== 'free' && query.free === true && !c.cost.free) return false;
  if (query.seats === 'available' && !((c.seats.available ?? 0) > 0)) return false;
  const location = oracleLocation(query);
  if (location) {
    const venue = venuePoint(c);
    const onlineOnly = c.mode === 'online';
    const within = venue !== undefined && distanceKm(location, venue) <= (query.radiusKm ?? ORACLE_DEFAULT_RADIUS_KM);
    if (!within && !(query.includeOnline === true && onlineOnly)) return false;
  }
  if (query.startFrom && !(c.startDate >= query.startFrom || (c.rollingEntry && c.endDate >= query.startFrom))) return false;
  if (query.startTo && !(c.startDate <= query.startTo)) return false;
  return true;
}

/** The ids the query must return, sorted (order is checked separately by the sort tests). */
export function expectedIds(courses: readonly ArrangedCourse[], query: OracleQuery, ctx: OracleContext = {}): string[] {
  return courses.filter((course) => oracleMatches(course, query, ctx)).map((course) => course.id).sort();
}

function facetValuesOf(c: CourseContent, group: FacetGroup, now: Date): string[] {
  switch (group) {
    case 'level':
      return [c.level];
    case 'type':
      return [c.type];
    case 'mode':
      return [c.mode];
    case 'days':
      return courseFacts(c, now, now).days;
    case 'timeOfDay':
      return courseFacts(c, now, now).timeOfDay;
    case 'slots':
      return courseFacts(c, now, now).slots;
    case 'childcare':
      return [String(c.childcare.available)];
    case 'womenOnly':
      return [String(c.womenOnly)];
    case 'free':
      return [String(c.cost.free)];
  }
}

/** Disjunctive facet counts: each group counted over the result of all other filters, every value present. */
export function expectedFacets(courses: readonly ArrangedCourse[], query: OracleQuery, ctx: OracleContext = {}): Record<FacetGroup, Record<string, number>> {
  const now = ctx.now ?? new Date();
  const result = {} as Record<FacetGroup, Record<string, number>>;
  for (const group of Object.keys(ORACLE_FACETS) as FacetGroup[]) {
    const counts: Record<string, number> = Object.fromEntries(ORACLE_FACETS[group].map((value) => [value, 0]));
    for (const course of courses) {
      if (!oracleMatches(course, query, ctx, group)) continue;
      for (const value of facetValuesOf(content(course), group, now)) counts[value] = (counts[value] ?? 0) + 1;
    }
    result[group] = counts;
  }
  return result;
}

/** `near` takes at most 10 decimals: a test must round its point, so that the oracle sees the same point as the API. */
function decimal(value: number): string {
  const text = String(value);
  if (!/^-?\d+(\.\d{1,10})?$/.test(text)) throw new Error(`oracle: round ${text} to at most 10 decimals before using it in near`);
  return text;
}

/** The HTTP query string parameters of an oracle query (lists comma-separated, as api.md defines them). */
export function toParams(query: OracleQuery, extra: Record<string, string | number> = {}): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) params[key] = value.join(',');
    else if (key === 'near') params[key] = `${decimal((value as GeoPoint).lat)},${decimal((value as GeoPoint).lng)}`;
    else params[key] = String(value);
  }
  for (const [key, value] of Object.entries(extra)) params[key] = String(value);
  return params;
}

/** A readable one-line name of a query, for test titles. */
export function describeQuery(query: OracleQuery): string {
  const params = toParams(query);
  return Object.keys(params).length === 0 ? '(no filter)' : new URLSearchParams(params).toString().replaceAll('%2C', ',');
}
