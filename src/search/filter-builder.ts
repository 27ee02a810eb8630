import { DAYS, SLOTS, TIMES_OF_DAY } from '../courses/course.enums';
import { dateToNumber } from '../lib/calendar';
import type { FacetGroup } from './facets';
import type { GeoPoint } from './geo';
import type { SearchQuery } from './search-query.schema';

/**
 * The only place where Meilisearch filter strings are written. Every value is a validated enum,
 * a finite number, or a string passed through `quote`, so no input can change a filter's meaning.
 */
export function quote(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error('filter numbers must be finite');
  return String(value);
}

function inList(attribute: string, values: readonly string[]): string {
  return `${attribute} IN [${values.map(quote).join(', ')}]`;
}

/** "Every value of the course is one I accept": no value outside the accepted set (empty sets hold). */
function subsetOf(attribute: string, accepted: readonly string[], universe: readonly string[]): string | undefined {
  const rejected = universe.filter((value) => !accepted.includes(value));
  return rejected.length > 0 ? `NOT ${inList(attribute, rejected)}` : undefined;
}

export type FilterInput = Omit<SearchQuery, 'postcode' | 'place' | 'near' | 'sort' | 'page' | 'perPage' | 'lang' | 'q'> & {
  location?: GeoPoint;
  radiusKm: number;
};

/** Filter expressions per facet group (removed together for that group's disjunctive count) and the rest. */
export function buildFilterParts(input: FilterInput): { byGroup: Partial<Record<FacetGroup, string[]>>; other: string[] } {
  const byGroup: Partial<Record<FacetGroup, string[]>> = {};
  const other: string[] = ['status = "published"'];
  if (input.level) byGroup.level = [inList('level', input.level)];
  if (input.type) byGroup.type = [inList('type', input.type)];
  if (input.mode) byGroup.mode = [inList('mode', input.mode)];
  if (input.days) {
    const expression = subsetOf('days', input.days, DAYS);
    if (expression) byGroup.days = [expression];
  }
  if (input.timeOfDay) {
    const expression = subsetOf('timeOfDay', input.timeOfDay, TIMES_OF_DAY);
    if (expression) byGroup.timeOfDay = [expression];
  }
  if (input.slots) {
    const expression = subsetOf('slots', input.slots, SLOTS);
    if (expression) byGroup.slots = [expression];
  }
  if (input.childcare === true || input.childAgeMonths !== undefined) {
    byGroup.childcare = ['childcare = true'];
    const ages = input.childAgeMonths ?? [];
    // Every child fits the bounds exactly when the youngest and the oldest do.
    if (ages.length > 0) {
      byGroup.childcare.push(`childMinAgeMonths <= ${num(Math.min(...ages))}`, `childMaxAgeMonths >= ${num(Math.max(...ages))}`);
    }
  }
  if (input.womenOnly === true) byGroup.womenOnly = ['womenOnly = true'];
  if (input.free === true) byGroup.free = ['free = true'];
  if (input.seats === 'available') other.push('seatsAvailable > 0');
  if (input.location) {
    const { lat, lng } = input.location;
    const within = `_geoRadius(${num(lat)}, ${num(lng)}, ${num(Math.round(input.radiusKm * 1000))})`;
    // Online-only courses need no travel: with includeOnline they hold wherever the person lives.
    other.push(input.includeOnline === true ? `(${within} OR mode = "online")` : within);
  }
  if (input.startFrom) {
    const from = num(dateToNumber(input.startFrom));
    other.push(`(startDate >= ${from} OR (rollingEntry = true AND endDate >= ${from}))`);
  }
  if (input.startTo) other.push(`startDate <= ${num(dateToNumber(input.startTo))}`);
  return { byGroup, other };
}

/** All expressions, optionally without one facet group's own (for its disjunctive count). */
export function buildSearchFilter(input: FilterInput, without?: FacetGroup): string[] {
  const { byGroup, other } = buildFilterParts(input);
  const groups = Object.entries(byGroup) as Array<[FacetGroup, string[]]>;
  return [...groups.filter(([group]) => group !== without).flatMap(([, expressions]) => expressions), ...other];
}

/**
 * Holds exactly when NOT every one of the expressions holds: a course that fails the constraint these expressions
 * stand for (matching's near-misses, src/matching). The expressions are this builder's own, so nothing new is parsed.
 */
export function failsAll(expressions: readonly string[]): string {
  if (expressions.length === 0) throw new Error('failsAll needs at least one expression');
  return `NOT (${expressions.map((expression) => `(${expression})`).join(' AND ')})`;
}
