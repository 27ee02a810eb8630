/** Arranging courses and reading search answers for the search suites (tests/search). */
import fc from 'fast-check';
import { COURSE_TYPES, DAYS, LEVELS, MODES, type Day, type Level } from '../../src/courses/course.enums';
import { courseModel } from '../../src/courses/course.model';
import type { CourseContentInput } from '../../src/courses/course.schema';
import { distanceKm, type GeoPoint } from '../../src/search/geo';
import { aCourse, aVenue, LANDAU, type Session } from './builders';
import type { ArrangedCourse } from './search-oracle';
import type { TestApp } from './test-app';

export type Hit = { id: string; [key: string]: unknown };
export type SearchBody = { total: number; page: number; perPage: number; hits: Hit[]; facets: Record<string, Record<string, number>> };

/** Creates the courses through the write API as the given provider; returns them for the oracle. */
export async function arrangeCourses(t: TestApp, provider: Session, providerName: string, bodies: CourseContentInput[]): Promise<ArrangedCourse[]> {
  const arranged: ArrangedCourse[] = [];
  for (const body of bodies) {
    const res = await t.http.post('/api/v1/courses').set(provider.auth).send(body);
    if (res.status !== 201) throw new Error(`arrange: POST /courses → ${res.status} ${JSON.stringify(res.body)}`);
    arranged.push({ id: res.body.id, body, providerName });
  }
  return arranged;
}

/** GET /api/v1/courses; fails loudly on anything but 200. */
export async function search(t: TestApp, params: Record<string, string | number>): Promise<SearchBody> {
  const res = await t.http.get('/api/v1/courses').query(params);
  if (res.status !== 200) throw new Error(`search ${JSON.stringify(params)} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as SearchBody;
}

export const idsOf = (body: SearchBody): string[] => body.hits.map((hit) => hit.id);
export const sortedIds = (body: SearchBody): string[] => idsOf(body).sort();

/**
 * A point at (very nearly) exactly `km` great-circle kilometres from `origin` towards `bearingDeg`,
 * found by bisection on our haversine `distanceKm`, rounded to 10 decimals (as `near` accepts them).
 */
export function pointAtDistance(origin: GeoPoint, bearingDeg: number, km: number): GeoPoint {
  const rad = (bearingDeg * Math.PI) / 180;
  const direction = { lat: Math.cos(rad), lng: Math.sin(rad) / Math.cos((origin.lat * Math.PI) / 180) };
  const along = (s: number) => ({ lat: round10(origin.lat + direction.lat * s), lng: round10(origin.lng + direction.lng * s) });
  let lo = 0;
  let hi = 5;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (distanceKm(origin, along(mid)) < km) lo = mid;
    else hi = mid;
  }
  return along(lo);
}

export function round10(value: number): number {
  return Math.round(value * 1e10) / 1e10;
}

/** Sets lastConfirmedAt directly in MongoDB and marks the course for the sync worker (then `settle`). */
export async function setLastConfirmedAt(t: TestApp, id: string, at: Date): Promise<void> {
  const courses = courseModel(t.services.deps.db);
  const current = await courses.findById(id, { version: 1 }).lean();
  if (!current) throw new Error(`no course ${id}`);
  await courses.updateOne({ _id: id }, { $set: { lastConfirmedAt: at, 'search.pendingVersion': current.version } });
  t.services.sync.kick();
}

export const DAY_MS = 86_400_000;

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

const TITLE_WORDS = ['Integrationskurs', 'Sprachcafé', 'Berufssprachkurs', 'Abendkurs', 'Elternkurs', 'Jugendkurs'];
const START_TIMES = ['08:00', '09:00', '11:59', '12:00', '14:30', '16:59', '17:00', '18:30'];
const CITIES = ['Landau in der Pfalz', 'Edenkoben', 'Bad Bergzabern', 'Annweiler am Trifels', 'Herxheim'];

/**
 * `n` varied, valid course bodies (deterministic for a seed): every enum, flexible and fixed schedules with
 * times on the bucket edges, rolling entry, childcare with and without bounds, seats 0/unknown/available,
 * venues 0–60 km around Landau and online courses.
 */
export function variedCourses(n: number, seed: number, titlePrefix = ''): CourseContentInput[] {
  const session = fc.record({ day: fc.constantFrom(...DAYS), start: fc.constantFrom(...START_TIMES) });
  const arbitrary = fc.record({
    level: fc.integer({ min: 0, max: LEVELS.length - 1 }),
    levelSpan: fc.integer({ min: 0, max: 3 }),
    type: fc.constantFrom(...COURSE_TYPES),
    mode: fc.constantFrom(...MODES),
    flexibleRoll: fc.integer({ min: 0, max: 6 }),
    sessions: fc.uniqueArray(session, { minLength: 1, maxLength: 4, selector: (s) => s.day }),
    startOffset: fc.integer({ min: 0, max: 300 }),
    length: fc.integer({ min: 0, max: 200 }),
    rollingEntry: fc.boolean(),
    womenOnly: fc.boolean(),
    childcare: fc.constantFrom<CourseContentInput['childcare']>(
      { available: false },
      { available: true },
      { available: true, minAgeMonths: 6, maxAgeMonths: 36 },
      { available: true, minAgeMonths: 24 },
      { available: true, maxAgeMonths: 18 },
    ),
    free: fc.boolean(),
    seats: fc.constantFrom<CourseContentInput['seats']>({}, { capacity: 15 }, { capacity: 15, available: 0 }, { capacity: 15, available: 1 }, { available: 7 }),
    bearing: fc.integer({ min: 0, max: 359 }),
    km: fc.double({ min: 0, max: 60, noNaN: true }),
    title: fc.constantFrom(...TITLE_WORDS),
    city: fc.constantFrom(...CITIES),
    english: fc.boolean(),
    onlineKeepsVenue: fc.boolean(),
  });
  return fc.sample(arbitrary, { seed, numRuns: n }).map((r, i) => {
    const level = LEVELS[r.level] as Level;
    const targetLevel = LEVELS[Math.min(LEVELS.length - 1, r.level + r.levelSpan)] as Level;
    const flexible = r.flexibleRoll === 0;
    const startDate = addDays('2026-09-01', r.startOffset);
    const point = pointAtDistance(LANDAU, r.bearing, r.km);
    const sessions = r.sessions.map((s) => ({ day: s.day as Day, start: s.start, end: '23:59' }));
    return aCourse({
      title: { de: `${titlePrefix}${r.title} ${level} Nr${i}`, ...(r.english ? { en: `Course ${level} no${i}` } : {}) },
      type: r.type,
      level,
      targetLevel,
      mode: r.mode,
      // Online courses sometimes still carry a venue: search must ignore it (no `_geo` for online-only courses).
      ...(r.mode === 'online' && !r.onlineKeepsVenue ? { venue: undefined } : { venue: aVenue({ city: r.city, ...point }) }),
      schedule: { timezone: 'Europe/Berlin', flexible, sessions: flexible ? [] : sessions },
      startDate,
      endDate: addDays(startDate, r.length),
      rollingEntry: r.rollingEntry,
      womenOnly: r.womenOnly,
      childcare: r.childcare,
      cost: { free: r.free },
      seats: r.seats,
    });
  });
}
