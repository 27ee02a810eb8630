import { TIMES_OF_DAY, type CourseType, type Level, type Mode, type Slot, type TimeOfDay } from '../courses/course.enums';
import { resolvePlace } from '../places/places';
import { knownPostcodes, postcodeCentroid } from '../search/postcodes';
import type { SearchQuery } from '../search/search-query.schema';

/** Children's ages in coarse buckets (months): enough to see "childcare under 2" gaps, too coarse to single out a child. */
export const CHILD_AGE_BUCKETS = ['0-11', '12-23', '24-35', '36-71', '72+'] as const;
export type ChildAgeBucket = (typeof CHILD_AGE_BUCKETS)[number];
/** Radius asked for, in km buckets; `none` when the search had no location. */
export const RADIUS_BUCKETS = ['none', '≤5', '≤10', '≤25', '≤50', '>50'] as const;
export type RadiusBucket = (typeof RADIUS_BUCKETS)[number];

/**
 * One search as the statistics keep it: what was asked in enum values and buckets, never the free text, a point, an
 * address or anything about the person's device. `area` is the first three digits of a postcode (for a place or a
 * point: of the nearest postcode), which covers a few towns, not a street.
 */
export type SearchEvent = {
  /** the start of the hour the search was made in (UTC) */
  hour: Date;
  lang: string;
  levels: Level[];
  types: CourseType[];
  modes: Mode[];
  /** parts of day asked for, from `timeOfDay` and from the week grid's slots */
  times: TimeOfDay[];
  slots: Slot[];
  childcare: boolean;
  childAges: ChildAgeBucket[];
  womenOnly: boolean;
  free: boolean;
  seats: boolean;
  radius: RadiusBucket;
  area: string | null;
  /** whether a text was typed (the text itself is never kept) */
  text: boolean;
  results: number;
  empty: boolean;
};

const HOUR_MS = 3_600_000;

export function hourOf(time: Date): Date {
  return new Date(Math.floor(time.getTime() / HOUR_MS) * HOUR_MS);
}

export function childAgeBucket(months: number): ChildAgeBucket {
  if (months < 12) return '0-11';
  if (months < 24) return '12-23';
  if (months < 36) return '24-35';
  if (months < 72) return '36-71';
  return '72+';
}

export function radiusBucket(km: number | undefined, located: boolean): RadiusBucket {
  if (!located) return 'none';
  const r = km ?? 25;
  if (r <= 5) return '≤5';
  if (r <= 10) return '≤10';
  if (r <= 25) return '≤25';
  if (r <= 50) return '≤50';
  return '>50';
}

/** The first three digits of a postcode: an area of a few towns (e.g. 768 around Landau). */
export function areaOfPostcode(postcode: string | undefined): string | null {
  return postcode && /^\d{5}$/.test(postcode) ? postcode.slice(0, 3) : null;
}

/** Every postcode centre as flat numbers, built once: the nearest-postcode scan then costs tens of microseconds. */
let centres: { lat: Float64Array; lng: Float64Array; area: string[] } | undefined;

function postcodeCentres(): NonNullable<typeof centres> {
  if (centres) return centres;
  const codes = knownPostcodes();
  const lat = new Float64Array(codes.length);
  const lng = new Float64Array(codes.length);
  const area: string[] = [];
  codes.forEach((code, i) => {
    const c = postcodeCentroid(code);
    lat[i] = c?.lat ?? Number.NaN;
    lng[i] = c?.lng ?? Number.NaN;
    area.push(code.slice(0, 3));
  });
  centres = { lat, lng, area };
  return centres;
}

/** The area of the postcode whose centre is nearest to a point; the point itself goes no further than this function. */
export function areaOfPoint(point: { lat: number; lng: number }): string | null {
  const { lat, lng, area } = postcodeCentres();
  const cosLat = Math.cos((point.lat * Math.PI) / 180);
  let best = -1;
  let bestScore = Infinity;
  for (let i = 0; i < lat.length; i++) {
    const dy = (lat[i] as number) - point.lat;
    const dx = ((lng[i] as number) - point.lng) * cosLat;
    const score = dx * dx + dy * dy;
    if (score < bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best === -1 ? null : (area[best] ?? null);
}

function areaOf(query: SearchQuery): string | null {
  if (query.postcode) return areaOfPostcode(query.postcode);
  if (query.place) {
    const found = resolvePlace(query.place);
    return found.kind === 'found' ? areaOfPostcode(found.place.postcode) : null;
  }
  if (query.near) return areaOfPoint(query.near);
  return null;
}

/** What the statistics keep of a search (pure): see `SearchEvent`. */
export function describeSearch(query: SearchQuery, results: number, now: Date): SearchEvent {
  const times = new Set<TimeOfDay>([...(query.timeOfDay ?? []), ...(query.slots ?? []).map((slot) => slot.split('-')[1] as TimeOfDay)]);
  const childAges = new Set((query.childAgeMonths ?? []).map(childAgeBucket));
  const located = Boolean(query.near || query.postcode || query.place);
  return {
    hour: hourOf(now),
    lang: query.lang,
    levels: query.level ?? [],
    types: query.type ?? [],
    modes: query.mode ?? [],
    times: TIMES_OF_DAY.filter((time) => times.has(time)),
    slots: query.slots ?? [],
    childcare: Boolean(query.childcare) || childAges.size > 0,
    childAges: CHILD_AGE_BUCKETS.filter((bucket) => childAges.has(bucket)),
    womenOnly: Boolean(query.womenOnly),
    free: Boolean(query.free),
    seats: query.seats === 'available',
    radius: radiusBucket(query.radiusKm, located),
    area: areaOf(query),
    text: Boolean(query.q && query.q.trim() !== ''),
    results,
    empty: results === 0,
  };
}
