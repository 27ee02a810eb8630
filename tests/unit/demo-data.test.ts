import { COURSE_TYPES, LEVELS } from '../../src/courses/course.enums';
import { courseContentSchema, type CourseContentInput } from '../../src/courses/course.schema';
import { providerContentSchema } from '../../src/providers/provider.schema';
import { demoProviders } from '../../seed/demo/demo-data';
import type { DemoCourse } from '../../seed/demo/demo-types';

/** A fixed load day, so the test does not depend on today's date. */
const BASE_DATE = Date.UTC(2026, 0, 15);
const DAY_MS = 24 * 60 * 60 * 1000;

function isoDate(offsetDays: number): string {
  return new Date(BASE_DATE + offsetDays * DAY_MS).toISOString().slice(0, 10);
}

/** Relative demo course → course content with real dates, as the seed loader does. */
function toCourseContent(course: DemoCourse): CourseContentInput {
  const { startInDays, durationDays, confirmedDaysAgo: _confirmed, ...content } = course;
  return { ...content, startDate: isoDate(startInDays), endDate: isoDate(startInDays + durationDays) };
}

const allCourses = demoProviders.flatMap((provider) => provider.courses.map((course) => ({ provider, course })));
const courses = allCourses.map(({ course }) => course);

function minutes(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Approximate town centres; every venue must lie within a few km of its town. */
const TOWN_CENTRES: Record<string, [number, number]> = {
  'Landau in der Pfalz': [49.1989, 8.1169],
  Kaiserslautern: [49.4447, 7.769],
  'Bad Bergzabern': [49.1027, 7.9996],
  Edenkoben: [49.2836, 8.1266],
  'Herxheim bei Landau': [49.1466, 8.2179],
  'Annweiler am Trifels': [49.2036, 7.9675],
  'Offenbach an der Queich': [49.1956, 8.1966],
  Maikammer: [49.3061, 8.1331],
  Klingenmünster: [49.1399, 8.0183],
};

function distanceKm(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[0] - a[0]) * rad;
  const dLng = (b[1] - a[1]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

describe('demo data', () => {
  it('has at least 10 providers and 80 courses', () => {
    expect(demoProviders.length).toBeGreaterThanOrEqual(10);
    expect(courses.length).toBeGreaterThanOrEqual(80);
  });

  it('has unique provider keys in slug form', () => {
    const keys = demoProviders.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^[a-z0-9-]+$/);
  });

  it('marks every provider as demo data', () => {
    for (const provider of demoProviders) {
      expect(provider.content.name).toContain('(Demo)');
      expect(provider.content.description?.de).toMatch(/Demo/);
    }
  });

  it('has provider content that passes the provider schema', () => {
    for (const provider of demoProviders) {
      const result = providerContentSchema.safeParse(provider.content);
      if (!result.success) {
        throw new Error(`provider ${provider.key}: ${JSON.stringify(result.error.issues, null, 2)}`);
      }
    }
  });

  it('has courses that all pass the course schema', () => {
    const failures: string[] = [];
    for (const { provider, course } of allCourses) {
      const result = courseContentSchema.safeParse(toCourseContent(course));
      if (!result.success) {
        failures.push(`${provider.key} / ${course.title.de}: ${JSON.stringify(result.error.issues)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('has course venues that are listed by their provider and lie in their towns', () => {
    for (const { provider, course } of allCourses) {
      if (!course.venue) continue;
      expect(provider.content.venues).toContainEqual(course.venue);
    }
    for (const provider of demoProviders) {
      for (const venue of provider.content.venues ?? []) {
        const centre = TOWN_CENTRES[venue.city];
        expect(centre).toBeDefined();
        expect(distanceKm(centre as [number, number], [venue.lat, venue.lng])).toBeLessThan(3);
      }
    }
  });

  it('covers every course type and every level from alpha to C1', () => {
    const types = new Set(courses.map((c) => c.type));
    for (const type of COURSE_TYPES) expect(types).toContain(type);
    const levels = new Set(courses.map((c) => c.level));
    for (const level of LEVELS.slice(0, LEVELS.indexOf('C1') + 1)) expect(levels).toContain(level);
  });

  it('covers the times, days and modes that search filters on', () => {
    const starts = courses.flatMap((c) => (c.schedule.sessions ?? []).map((s) => minutes(s.start)));
    expect(starts.some((m) => m < 12 * 60)).toBe(true); // morning
    expect(starts.some((m) => m >= 12 * 60 && m < 17 * 60)).toBe(true); // afternoon
    expect(starts.some((m) => m >= 17 * 60)).toBe(true); // evening
    const days = new Set(courses.flatMap((c) => (c.schedule.sessions ?? []).map((s) => s.day)));
    expect(days.has('sat') && days.has('sun')).toBe(true);
    expect(courses.some((c) => c.schedule.flexible === true)).toBe(true);
    expect(courses.some((c) => c.mode === 'online' && c.venue === undefined)).toBe(true);
    expect(courses.some((c) => c.mode === 'hybrid')).toBe(true);
  });

  it('has rolling-entry courses, some of them already running', () => {
    expect(courses.some((c) => c.rollingEntry === true)).toBe(true);
    expect(courses.some((c) => c.rollingEntry === true && c.startInDays < 0)).toBe(true);
  });

  it('has waitlisted, available and unknown seats', () => {
    expect(courses.some((c) => c.seats?.available === 0 && (c.seats.waitlist ?? 0) > 0)).toBe(true);
    expect(courses.some((c) => (c.seats?.available ?? 0) > 0)).toBe(true);
    expect(courses.some((c) => c.seats === undefined)).toBe(true);
  });

  it('has stale and fresh listings', () => {
    expect(courses.some((c) => c.confirmedDaysAgo > 90)).toBe(true);
    expect(courses.filter((c) => c.confirmedDaysAgo <= 60).length).toBeGreaterThan(courses.length / 2);
  });

  it('has childcare with and without age bounds, on site and elsewhere', () => {
    const childcare = courses.map((c) => c.childcare).filter((cc) => cc?.available === true);
    expect(childcare.some((cc) => cc?.minAgeMonths !== undefined && cc.maxAgeMonths !== undefined)).toBe(true);
    expect(childcare.some((cc) => cc?.minAgeMonths === undefined && cc?.maxAgeMonths === undefined)).toBe(true);
    expect(childcare.some((cc) => cc?.onSite === false)).toBe(true);
  });

  it('is mostly free, with some paid courses, and has drafts and archived courses', () => {
    expect(courses.filter((c) => c.cost.free).length).toBeGreaterThan(courses.length / 2);
    expect(courses.some((c) => !c.cost.free && (c.cost.pricePerLessonEur ?? 0) > 0)).toBe(true);
    expect(courses.some((c) => c.status === 'draft')).toBe(true);
    expect(courses.some((c) => c.status === 'archived')).toBe(true);
    expect(courses.filter((c) => (c.status ?? 'published') === 'published').length).toBeGreaterThan(courses.length * 0.8);
  });
});
