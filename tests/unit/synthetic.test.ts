import { COURSE_TYPES, MODES } from '../../src/courses/course.enums';
import { courseContentSchema } from '../../src/courses/course.schema';
import { providerContentSchema } from '../../src/providers/provider.schema';
import { knownPostcodes, postcodeCentroid } from '../../src/search/postcodes';
import { generateSyntheticData } from '../../seed/synthetic';

const TODAY = '2026-03-01';

function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const toRad = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * toRad) / 2) ** 2 +
    Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(((b.lng - a.lng) * toRad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

describe('postcode centroids', () => {
  it('knows 76829 (Landau in der Pfalz)', () => {
    const centroid = postcodeCentroid('76829');
    expect(centroid).toBeDefined();
    expect(centroid?.lat).toBeCloseTo(49.275, 2);
    expect(centroid?.lng).toBeCloseTo(8.026, 2);
  });

  it('returns undefined for unknown or malformed postcodes', () => {
    expect(postcodeCentroid('00000')).toBeUndefined();
    expect(postcodeCentroid('7682')).toBeUndefined();
    expect(postcodeCentroid('constructor')).toBeUndefined();
  });

  it('lists the known postcodes sorted', () => {
    const codes = knownPostcodes();
    expect(codes.length).toBeGreaterThan(8000);
    expect(codes.every((code, i) => /^\d{5}$/.test(code) && (i === 0 || (codes[i - 1] ?? '') < code))).toBe(true);
  });
});

describe('generateSyntheticData', () => {
  const data = generateSyntheticData({ courses: 2000, seed: 7, today: TODAY });

  it('is deterministic for the same options', () => {
    expect(generateSyntheticData({ courses: 2000, seed: 7, today: TODAY })).toEqual(data);
    expect(generateSyntheticData({ courses: 50, seed: 8, today: TODAY })).not.toEqual(
      generateSyntheticData({ courses: 50, seed: 9, today: TODAY }),
    );
  });

  it('generates the requested number of courses, about one provider per 50', () => {
    expect(data.courses).toHaveLength(2000);
    expect(data.providers.length).toBeGreaterThanOrEqual(2000 / 90);
    expect(data.providers.length).toBeLessThanOrEqual(2000 / 20);
    expect(data.courses.every((c) => c.providerIndex >= 0 && c.providerIndex < data.providers.length)).toBe(true);
    expect(generateSyntheticData({ courses: 0, today: TODAY })).toEqual({ providers: [], courses: [] });
    expect(generateSyntheticData({ courses: 1, today: TODAY }).courses).toHaveLength(1);
  });

  it('produces providers that validate with providerContentSchema', () => {
    const failures = data.providers.flatMap((provider, index) => {
      const result = providerContentSchema.safeParse(provider.content);
      return result.success ? [] : [{ index, issues: result.error.issues, content: provider.content }];
    });
    if (failures.length > 0) console.error(JSON.stringify(failures.slice(0, 5), null, 2));
    expect(failures).toEqual([]);
  });

  it('produces courses that validate with courseContentSchema', () => {
    const failures = data.courses.flatMap((course, index) => {
      const result = courseContentSchema.safeParse(course.content);
      return result.success ? [] : [{ index, issues: result.error.issues, content: course.content }];
    });
    if (failures.length > 0) console.error(JSON.stringify(failures.slice(0, 5), null, 2));
    expect(failures).toEqual([]);
  });

  it('uses every course type and mode', () => {
    const types = new Set(data.courses.map((c) => c.content.type));
    const modes = new Set(data.courses.map((c) => c.content.mode));
    expect([...types].sort()).toEqual([...COURSE_TYPES].sort());
    expect([...modes].sort()).toEqual([...MODES].sort());
  });

  it('places venues in known postcodes within 3 km of the centroid', () => {
    for (const provider of data.providers) {
      for (const venue of provider.content.venues ?? []) {
        const centroid = postcodeCentroid(venue.postcode);
        expect(centroid).toBeDefined();
        if (centroid) expect(distanceKm(centroid, venue)).toBeLessThanOrEqual(3);
      }
    }
  });

  it('keeps start dates within -60..+240 days of today', () => {
    const starts = data.courses.map((c) => c.content.startDate).sort();
    expect(starts[0]! >= '2025-12-31').toBe(true);
    expect(starts[starts.length - 1]! <= '2026-10-27').toBe(true);
  });
});
