/**
 * Every search filter of domain.md ("Search semantics") through GET /api/v1/courses, against real
 * MongoDB + Meilisearch. Each query is checked twice: explicit expectations on named edge-case courses,
 * and equality with the test oracle (tests/support/search-oracle.ts) over every arranged course.
 */
import type { CourseContentInput } from '../../src/courses/course.schema';
import { distanceKm } from '../../src/search/geo';
import { postcodePoint } from '../../src/places/places';
import { aCourse, aVenue, givenProvider, LANDAU, loginAs, type Session } from '../support/builders';
import { arrangeCourses, idsOf, pointAtDistance, search, sortedIds, variedCourses, type SearchBody } from '../support/search-helpers';
import { describeQuery, expectedIds, toParams, type ArrangedCourse, type OracleQuery } from '../support/search-oracle';
import { createTestApp, type TestApp } from '../support/test-app';

const PROVIDER_A = 'Volkshochschule Südpfalz';
const PROVIDER_B = 'Sprachwerkstatt Queichtal';
// where people live in 76829 (Landau's centre), not the postcode area's centroid
const CENTROID_76829 = postcodePoint('76829')!;

const flexibleSchedule = { timezone: 'Europe/Berlin', flexible: true, sessions: [] };
const monday = (start: string, end: string) => ({ timezone: 'Europe/Berlin', flexible: false, sessions: [{ day: 'mon' as const, start, end }] });

/** Named edge cases, all from provider A unless listed in `FROM_B`. */
const FIXTURES = {
  // days / timeOfDay
  tueThu: aCourse({ title: { de: 'Integrationskurs Dienstag Donnerstag' }, days: ['tue', 'thu'], start: '09:00', end: '12:00' }),
  flexible: aCourse({ title: { de: 'Selbstlernkurs flexibel' }, schedule: flexibleSchedule }),
  mon1159: aCourse({ title: { de: 'Vormittag bis kurz vor zwölf' }, schedule: monday('11:59', '13:00') }),
  mon1200: aCourse({ title: { de: 'Mittagskurs ab zwölf' }, schedule: monday('12:00', '13:00') }),
  mon1659: aCourse({ title: { de: 'Nachmittag bis kurz vor fünf' }, schedule: monday('16:59', '18:00') }),
  mon1700: aCourse({ title: { de: 'Abendkurs ab fünf' }, schedule: monday('17:00', '19:00') }),
  morningEvening: aCourse({
    title: { de: 'Gemischte Zeiten' },
    schedule: { timezone: 'Europe/Berlin', flexible: false, sessions: [{ day: 'mon', start: '09:00', end: '10:00' }, { day: 'wed', start: '18:00', end: '20:00' }] },
  }),
  // childcare
  ccUnbounded: aCourse({ title: { de: 'Kinderbetreuung jedes Alter' }, childcare: { available: true } }),
  ccBounded: aCourse({ title: { de: 'Kinderbetreuung ein bis drei' }, childcare: { available: true, minAgeMonths: 12, maxAgeMonths: 36 } }),
  ccMinOnly: aCourse({ title: { de: 'Kinderbetreuung ab zwei' }, childcare: { available: true, minAgeMonths: 24 } }),
  ccMaxOnly: aCourse({ title: { de: 'Kinderbetreuung bis anderthalb' }, childcare: { available: true, maxAgeMonths: 18 } }),
  // women-only, cost, seats
  womenOnly: aCourse({ title: { de: 'Frauenkurs' }, type: 'integration_women', womenOnly: true }),
  paid: aCourse({ title: { de: 'Privatkurs kostenpflichtig' }, cost: { free: false, pricePerLessonEur: 4.5 } }),
  seatsZero: aCourse({ title: { de: 'Ausgebucht' }, seats: { capacity: 10, available: 0, waitlist: 4 } }),
  seatsUnknown: aCourse({ title: { de: 'Plätze unbekannt' }, seats: {} }),
  seatsCapacityOnly: aCourse({ title: { de: 'Nur Kapazität bekannt' }, seats: { capacity: 12 } }),
  seatsThree: aCourse({ title: { de: 'Drei Plätze frei' }, seats: { capacity: 12, available: 3 } }),
  // level / type / mode
  alphaLiteracy: aCourse({ title: { de: 'Alphabetisierung' }, level: 'alpha', targetLevel: 'A2', type: 'integration_literacy' }),
  b2Job: aCourse({ title: { de: 'Beruf B2' }, level: 'B2', targetLevel: 'C1', type: 'job_language' }),
  cafeHybrid: aCourse({ title: { de: 'Sprachcafé hybrid' }, level: 'A2', targetLevel: 'A2', type: 'language_cafe', mode: 'hybrid' }),
  onlineWithVenue: aCourse({ title: { de: 'Online mit Adresse' }, mode: 'online', venue: aVenue(LANDAU) }),
  onlineNoVenue: aCourse({ title: { de: 'Online ohne Adresse' }, mode: 'online', venue: undefined }),
  // near / radiusKm: 200 m inside and outside 20 km of Landau, and a tight pair 2 m either side
  geoInside: aCourse({ title: { de: 'Knapp innerhalb' }, venue: aVenue({ city: 'Neustadt', ...pointAtDistance(LANDAU, 15, 19.8) }) }),
  geoOutside: aCourse({ title: { de: 'Knapp außerhalb' }, venue: aVenue({ city: 'Neustadt', ...pointAtDistance(LANDAU, 15, 20.2) }) }),
  geoInsideTight: aCourse({ title: { de: 'Ganz knapp innerhalb' }, venue: aVenue({ city: 'Pirmasens', ...pointAtDistance(LANDAU, 250, 19.998) }) }),
  geoOutsideTight: aCourse({ title: { de: 'Ganz knapp außerhalb' }, venue: aVenue({ city: 'Pirmasens', ...pointAtDistance(LANDAU, 250, 20.002) }) }),
  // 1 cm either side: Meilisearch's _geoRadius uses the same haversine (6371 km); measured, it only rounds to the millimetre
  geoInsideCm: aCourse({ title: { de: 'Zentimeter innerhalb' }, venue: aVenue({ city: 'Germersheim', ...pointAtDistance(LANDAU, 100, 19.99999) }) }),
  geoOutsideCm: aCourse({ title: { de: 'Zentimeter außerhalb' }, venue: aVenue({ city: 'Germersheim', ...pointAtDistance(LANDAU, 100, 20.00001) }) }),
  // postcode 76829: 200 m inside and outside 10 km of its centroid
  pcInside: aCourse({ title: { de: 'Nahe Postleitzahl' }, venue: aVenue({ postcode: '76855', city: 'Annweiler', ...pointAtDistance(CENTROID_76829, 240, 9.8) }) }),
  pcOutside: aCourse({ title: { de: 'Fern Postleitzahl' }, venue: aVenue({ postcode: '76855', city: 'Annweiler', ...pointAtDistance(CENTROID_76829, 240, 10.2) }) }),
  // startFrom 2027-03-01 / startTo
  startsAfter: aCourse({ title: { de: 'Beginnt im April' }, startDate: '2027-04-01', endDate: '2027-09-30' }),
  startsOn: aCourse({ title: { de: 'Beginnt am ersten März' }, startDate: '2027-03-01', endDate: '2027-09-30' }),
  rollingAcross: aCourse({ title: { de: 'Laufender Einstieg offen' }, startDate: '2027-01-11', endDate: '2027-07-30', rollingEntry: true }),
  rollingEndsOn: aCourse({ title: { de: 'Laufender Einstieg endet am ersten' }, startDate: '2026-10-01', endDate: '2027-03-01', rollingEntry: true }),
  rollingEnded: aCourse({ title: { de: 'Laufender Einstieg beendet' }, startDate: '2026-10-01', endDate: '2027-02-28', rollingEntry: true }),
  fixedAcross: aCourse({ title: { de: 'Fester Beginn läuft' }, startDate: '2027-01-11', endDate: '2027-07-30', rollingEntry: false }),
  // q
  kandel: aCourse({ title: { de: 'Treffpunkt Deutsch' }, venue: aVenue({ city: 'Kandel', postcode: '76870' }) }),
  described: aCourse({ title: { de: 'Kurs mit Beschreibung' }, description: { de: 'Wir kochen Zaubertrank und lernen dabei Deutsch.' } }),
  bOne: aCourse({ title: { de: 'Konversation' }, level: 'B1', targetLevel: 'B2' }),
  bTwo: aCourse({ title: { de: 'Integrationskurs Queich' }, mode: 'online', venue: undefined }),
  // status: a published twin, a draft and an archived course that match every filter
  twin: everythingCourse('published'),
  draft: everythingCourse('draft'),
  archivedAtOnce: everythingCourse('published'),
  laterArchived: aCourse({ title: { de: 'Spätarchiv Integrationskurs' } }),
  draftToPublish: aCourse({ title: { de: 'Veröffentlichungsprobe' }, status: 'draft' }),
} satisfies Record<string, CourseContentInput>;

type Name = keyof typeof FIXTURES;
const FROM_B: Name[] = ['bOne', 'bTwo'];

/** A course that satisfies every filter at once (Landau, flexible, childcare for all ages, …). */
function everythingCourse(status: 'published' | 'draft'): CourseContentInput {
  return aCourse({
    title: { de: 'Geheimwort Integrationskurs' },
    schedule: flexibleSchedule,
    childcare: { available: true },
    womenOnly: true,
    cost: { free: true },
    seats: { capacity: 20, available: 9 },
    startDate: '2026-06-01',
    endDate: '2028-12-31',
    rollingEntry: true,
    status,
  });
}

let t: TestApp;
let providerA: Session;
let providerB: Session;
let providerBId: string;
let all: ArrangedCourse[] = [];
const named = {} as Record<Name, ArrangedCourse>;
const nameOf = new Map<string, string>();
/** ids that no search may ever return */
const forbidden = new Set<string>();

beforeAll(async () => {
  t = await createTestApp('searchfilters');
  const a = await givenProvider(t, { name: PROVIDER_A });
  const b = await givenProvider(t, { name: PROVIDER_B });
  providerBId = b;
  providerA = await loginAs(t, 'provider', a);
  providerB = await loginAs(t, 'provider', b);
  const names = Object.keys(FIXTURES) as Name[];
  const fromA = names.filter((n) => !FROM_B.includes(n));
  const arrangedA = await arrangeCourses(t, providerA, PROVIDER_A, fromA.map((n) => FIXTURES[n]));
  const arrangedB = await arrangeCourses(t, providerB, PROVIDER_B, FROM_B.map((n) => FIXTURES[n]));
  fromA.forEach((n, i) => (named[n] = arrangedA[i]!));
  FROM_B.forEach((n, i) => (named[n] = arrangedB[i]!));
  const varied = await arrangeCourses(t, providerB, PROVIDER_B, variedCourses(30, 4711));
  varied.forEach((c, i) => nameOf.set(c.id, `varied#${i}`));
  for (const n of names) nameOf.set(named[n].id, n);
  all = [...arrangedA, ...arrangedB, ...varied];

  // Archived before the sync worker ever pushed it.
  expect((await t.http.delete(`/api/v1/courses/${named.archivedAtOnce.id}`).set(providerA.auth)).status).toBe(204);
  named.archivedAtOnce.status = 'archived';
  forbidden.add(named.archivedAtOnce.id).add(named.draft.id).add(named.draftToPublish.id);
  await t.settle();
}, 60_000);

afterAll(async () => {
  await t?.close();
});

/** Every search in this file goes through here: all hits on one page, never a forbidden course. */
async function find(params: Record<string, string | number>): Promise<SearchBody> {
  const body = await search(t, { perPage: 100, ...params });
  for (const hit of body.hits) expect(forbidden.has(hit.id) ? `forbidden ${nameOf.get(hit.id)}` : 'ok').toBe('ok');
  expect(body.total).toBe(body.hits.length);
  return body;
}

const names = (ids: readonly string[]) => ids.map((id) => nameOf.get(id) ?? id).sort();

/** Runs the query, compares with the oracle, and returns the names found. */
async function check(query: OracleQuery, qMatches?: ReadonlySet<string>): Promise<string[]> {
  const actual = sortedIds(await find(toParams(query)));
  const expected = expectedIds(all, query, qMatches ? { qMatches } : {});
  expect(names(actual)).toEqual(names(expected));
  return names(actual);
}

function expectShown(found: string[], shown: Name[], hidden: Name[]): void {
  for (const n of shown) expect(found).toContain(n);
  for (const n of hidden) expect(found).not.toContain(n);
}

describe('days ("days I can come": subset)', () => {
  it('hides a Tue+Thu course for days=tue and shows it for days=tue,thu,fri', async () => {
    expectShown(await check({ days: ['tue'] }), ['flexible'], ['tueThu', 'mon1159']);
    expectShown(await check({ days: ['tue', 'thu', 'fri'] }), ['tueThu', 'flexible'], ['mon1159', 'morningEvening']);
  });

  it('holds for exactly the course days, and every day lists all courses', async () => {
    expectShown(await check({ days: ['thu', 'tue'] }), ['tueThu'], ['morningEvening']);
    expectShown(await check({ days: ['mon', 'wed'] }), ['morningEvening', 'mon1700', 'flexible'], ['tueThu']);
    const everyDay = await check({ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] });
    expect(everyDay).toEqual(await check({}));
  });

  it('always holds for flexible courses, even for a day no fixed course meets on', async () => {
    expectShown(await check({ days: ['sun'] }), ['flexible', 'twin'], ['tueThu']);
  });
});

describe('timeOfDay ("times I can come": subset, buckets at 12:00 and 17:00)', () => {
  it('puts 11:59 in the morning, 12:00 and 16:59 in the afternoon, 17:00 in the evening', async () => {
    expectShown(await check({ timeOfDay: ['morning'] }), ['mon1159', 'tueThu', 'flexible'], ['mon1200', 'mon1659', 'mon1700', 'morningEvening']);
    expectShown(await check({ timeOfDay: ['afternoon'] }), ['mon1200', 'mon1659', 'flexible'], ['mon1159', 'mon1700', 'tueThu']);
    expectShown(await check({ timeOfDay: ['evening'] }), ['mon1700', 'flexible'], ['mon1659', 'mon1159', 'morningEvening']);
  });

  it('needs every bucket of a course', async () => {
    expectShown(await check({ timeOfDay: ['morning', 'evening'] }), ['morningEvening', 'mon1159', 'mon1700'], ['mon1200']);
    expectShown(await check({ timeOfDay: ['morning', 'afternoon'] }), ['mon1159', 'mon1659'], ['morningEvening', 'mon1700']);
  });

  it('combines with days', async () => {
    expectShown(await check({ days: ['mon'], timeOfDay: ['afternoon', 'evening'] }), ['mon1200', 'mon1700', 'flexible'], ['mon1159', 'morningEvening', 'tueThu']);
  });
});

describe('childcare', () => {
  it('childcare=true needs available childcare', async () => {
    expectShown(await check({ childcare: true }), ['ccUnbounded', 'ccBounded', 'ccMinOnly', 'ccMaxOnly', 'twin'], ['tueThu', 'flexible']);
  });

  it('childcare=false does not restrict', async () => {
    expect(await check({ childcare: false })).toEqual(await check({}));
  });

  it.each([
    [0, ['ccUnbounded', 'ccMaxOnly'], ['ccBounded', 'ccMinOnly']],
    [11, ['ccUnbounded', 'ccMaxOnly'], ['ccBounded', 'ccMinOnly']],
    [12, ['ccUnbounded', 'ccBounded', 'ccMaxOnly'], ['ccMinOnly']],
    [18, ['ccUnbounded', 'ccBounded', 'ccMaxOnly'], ['ccMinOnly']],
    [19, ['ccUnbounded', 'ccBounded'], ['ccMaxOnly', 'ccMinOnly']],
    [24, ['ccUnbounded', 'ccBounded', 'ccMinOnly'], ['ccMaxOnly']],
    [36, ['ccUnbounded', 'ccBounded', 'ccMinOnly'], ['ccMaxOnly']],
    [37, ['ccUnbounded', 'ccMinOnly'], ['ccBounded', 'ccMaxOnly']],
    [216, ['ccUnbounded', 'ccMinOnly'], ['ccBounded', 'ccMaxOnly']],
  ] as Array<[number, Name[], Name[]]>)('childAgeMonths=%i against bounded, half-bounded and unbounded childcare', async (age, shown, hidden) => {
    const found = await check({ childcare: true, childAgeMonths: [age] });
    expectShown(found, shown, [...hidden, 'tueThu']);
  });
});

describe('womenOnly, free, seats', () => {
  it('womenOnly=true shows women-only courses only; false does not restrict', async () => {
    const found = await check({ womenOnly: true });
    expectShown(found, ['womenOnly', 'twin'], ['tueThu']);
    expect(await check({ womenOnly: false })).toEqual(await check({}));
  });

  it('free=true hides courses that cost money; false does not restrict', async () => {
    expectShown(await check({ free: true }), ['tueThu'], ['paid']);
    expectShown(await check({ free: false }), ['tueThu', 'paid'], []);
  });

  it('seats=available excludes 0 and unknown seats', async () => {
    expectShown(await check({ seats: 'available' }), ['seatsThree', 'tueThu'], ['seatsZero', 'seatsUnknown', 'seatsCapacityOnly']);
  });
});

describe('level, type, mode lists', () => {
  it('level is one of the list', async () => {
    expectShown(await check({ level: ['alpha', 'B2'] }), ['alphaLiteracy', 'b2Job'], ['tueThu', 'cafeHybrid']);
    expectShown(await check({ level: ['A2'] }), ['cafeHybrid'], ['tueThu', 'alphaLiteracy']);
  });

  it('type is one of the list', async () => {
    expectShown(await check({ type: ['job_language', 'language_cafe'] }), ['b2Job', 'cafeHybrid'], ['tueThu', 'womenOnly']);
    expectShown(await check({ type: ['integration_women'] }), ['womenOnly'], ['tueThu']);
  });

  it('mode is one of the list', async () => {
    expectShown(await check({ mode: ['online', 'hybrid'] }), ['onlineWithVenue', 'onlineNoVenue', 'cafeHybrid', 'bTwo'], ['tueThu']);
    expectShown(await check({ mode: ['in_person'] }), ['tueThu'], ['cafeHybrid', 'onlineNoVenue']);
  });

  it('repeated parameters work like a comma list', async () => {
    const repeated = await t.http.get('/api/v1/courses?level=alpha&level=B2&perPage=100');
    expect(repeated.status).toBe(200);
    expect(sortedIds(repeated.body)).toEqual(expectedIds(all, { level: ['alpha', 'B2'] }));
  });
});

describe('near + radiusKm (haversine, Earth radius 6371 km)', () => {
  it('the arranged venues are where the test thinks they are', () => {
    const km = (n: Name) => distanceKm(LANDAU, FIXTURES[n].venue!);
    expect(km('geoInside')).toBeCloseTo(19.8, 6);
    expect(km('geoOutside')).toBeCloseTo(20.2, 6);
    expect(km('geoInsideTight')).toBeCloseTo(19.998, 6);
    expect(km('geoOutsideTight')).toBeCloseTo(20.002, 6);
    expect(km('geoInsideCm')).toBeCloseTo(19.99999, 8);
    expect(km('geoOutsideCm')).toBeCloseTo(20.00001, 8);
  });

  it('shows a venue 200 m inside a 20 km radius and hides one 200 m outside', async () => {
    const found = await check({ near: LANDAU, radiusKm: 20 });
    expectShown(found, ['geoInside', 'geoInsideTight', 'tueThu', 'cafeHybrid'], ['geoOutside', 'geoOutsideTight']);
  });

  it('agrees with our haversine to the centimetre at the boundary', async () => {
    expectShown(await check({ near: LANDAU, radiusKm: 20 }), ['geoInsideCm'], ['geoOutsideCm']);
  });

  it('moves the boundary with radiusKm (fractional km too)', async () => {
    expectShown(await check({ near: LANDAU, radiusKm: 20.1 }), ['geoInside'], ['geoOutside']);
    expectShown(await check({ near: LANDAU, radiusKm: 20.3 }), ['geoInside', 'geoOutside'], []);
    expectShown(await check({ near: LANDAU, radiusKm: 19.7 }), ['tueThu'], ['geoInside', 'geoOutside']);
    expectShown(await check({ near: LANDAU, radiusKm: 200 }), ['geoOutside', 'tueThu'], ['onlineNoVenue']);
  });

  it('defaults to 25 km', async () => {
    expectShown(await check({ near: LANDAU }), ['geoInside', 'geoOutside'], []);
    expectShown(await check({ near: pointAtDistance(LANDAU, 195, 25.5) }), [], ['tueThu']);
    expectShown(await check({ near: pointAtDistance(LANDAU, 195, 24.5) }), ['tueThu'], []);
  });

  it('never matches online courses, with or without a venue', async () => {
    const found = await check({ near: LANDAU, radiusKm: 200 });
    expectShown(found, ['tueThu'], ['onlineWithVenue', 'onlineNoVenue', 'bTwo']);
    expectShown(await check({ near: LANDAU, mode: ['online'] }), [], ['onlineWithVenue', 'onlineNoVenue']);
  });
});

describe('postcode', () => {
  it('works like near at the centroid of 76829', async () => {
    const byPostcode = await check({ postcode: '76829', radiusKm: 10 });
    expectShown(byPostcode, ['pcInside'], ['pcOutside', 'onlineWithVenue']);
    const byPoint = await check({ near: CENTROID_76829, radiusKm: 10 });
    expect(byPostcode).toEqual(byPoint);
    expect(await check({ postcode: '76829' })).toEqual(await check({ near: CENTROID_76829 }));
  });

  it('an unknown postcode is a 400 naming postcode', async () => {
    for (const postcode of ['00000', '99999']) {
      const res = await t.http.get('/api/v1/courses').query({ postcode });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_query');
      expect(res.body.error.details[0].param).toBe('postcode');
    }
  });
});

describe('startFrom / startTo', () => {
  it('startFrom keeps courses starting on or after it, and rolling courses still running then', async () => {
    const found = await check({ startFrom: '2027-03-01' });
    expectShown(found, ['startsAfter', 'startsOn', 'rollingAcross', 'rollingEndsOn', 'twin'], ['rollingEnded', 'fixedAcross', 'tueThu']);
  });

  it('startFrom one day later drops the course that starts on the date and the rolling course ending on it', async () => {
    expectShown(await check({ startFrom: '2027-03-02' }), ['startsAfter', 'rollingAcross'], ['startsOn', 'rollingEndsOn', 'rollingEnded']);
  });

  it('startTo keeps courses starting on or before it, rolling or not', async () => {
    expectShown(await check({ startTo: '2027-03-01' }), ['startsOn', 'fixedAcross', 'rollingEnded', 'tueThu'], ['startsAfter']);
    expectShown(await check({ startTo: '2027-02-28' }), ['fixedAcross'], ['startsOn', 'startsAfter']);
  });

  it('both together form a window', async () => {
    expectShown(await check({ startFrom: '2027-03-01', startTo: '2027-03-31' }), ['startsOn', 'rollingAcross'], ['startsAfter', 'fixedAcross']);
  });
});

describe('q (typo-tolerant text over title, description, provider name, city)', () => {
  /** Published arranged courses whose searchable text contains the word (case-insensitive). */
  function containing(word: string): string[] {
    const w = word.toLowerCase();
    return names(
      all
        .filter((c) => (c.status ?? c.body.status ?? 'published') === 'published')
        .filter((c) => {
          const body = c.body;
          const city = body.mode === 'online' ? '' : (body.venue?.city ?? '');
          const text = [...Object.values(body.title), ...Object.values(body.description ?? {}), c.providerName, city].join(' ');
          return text.toLowerCase().includes(w);
        })
        .map((c) => c.id),
    );
  }

  it('finds "Integrationskurs" when typed "Integratoinskurs"', async () => {
    const expected = containing('integrationskurs');
    expect(expected.length).toBeGreaterThan(3);
    const exact = names(sortedIds(await find({ q: 'Integrationskurs' })));
    const typo = names(sortedIds(await find({ q: 'Integratoinskurs' })));
    expect(exact).toEqual(expected);
    expect(typo).toEqual(expected);
    expect(typo).toContain('tueThu');
  });

  it('matches the provider name', async () => {
    const found = names(sortedIds(await find({ q: 'Sprachwerkstatt' })));
    expect(found).toEqual(names(all.filter((c) => c.providerName === PROVIDER_B).map((c) => c.id)));
    expect(names(sortedIds(await find({ q: 'Volkshochschule Südpfalz' })))).toEqual(containing('Volkshochschule'));
  });

  it('matches the description', async () => {
    expect(names(sortedIds(await find({ q: 'Zaubertrank' })))).toEqual(['described']);
  });

  it('matches the city', async () => {
    expect(names(sortedIds(await find({ q: 'Kandel' })))).toEqual(['kandel']);
  });

  it('intersects with the filters', async () => {
    const qMatches = new Set(sortedIds(await find({ q: 'Integrationskurs' })));
    expectShown(await check({ q: 'Integrationskurs', days: ['tue', 'thu'] }, qMatches), ['tueThu', 'twin', 'bTwo'], ['mon1159']);
    await check({ q: 'Integrationskurs', mode: ['online'] }, qMatches);
    await check({ q: 'Integrationskurs', near: LANDAU, radiusKm: 5 }, qMatches);
  });
});

describe('status: only published courses', () => {
  it('a draft and an archived course that match every filter never appear, their published twin does', async () => {
    const queries: OracleQuery[] = [
      {},
      { q: 'Geheimwort' },
      { days: ['sun'], timeOfDay: ['evening'] },
      { childcare: true, childAgeMonths: [100], womenOnly: true, free: true, seats: 'available' },
      { near: LANDAU, radiusKm: 1, startFrom: '2028-01-01' },
      { level: ['A1'], type: ['integration_general'], mode: ['in_person'] },
    ];
    for (const query of queries) {
      const found = names(sortedIds(await find(toParams(query))));
      expect(found).toContain('twin');
      expect(found).not.toContain('draft');
      expect(found).not.toContain('archivedAtOnce');
    }
  });

  it('a draft appears once it is published (so it was hidden for its status alone)', async () => {
    const course = named.draftToPublish;
    expect(names(sortedIds(await find({ q: 'Veröffentlichungsprobe' })))).toEqual([]);
    const res = await t.http.patch(`/api/v1/courses/${course.id}`).set(providerA.auth).send({ status: 'published', version: 1 });
    expect(res.status).toBe(200);
    forbidden.delete(course.id);
    course.status = 'published';
    await t.settle();
    expect(names(sortedIds(await find({ q: 'Veröffentlichungsprobe' })))).toEqual(['draftToPublish']);
    await check({});
  });

  it('the draft is in MongoDB, so hiding it is the search filter at work', async () => {
    const res = await t.http.get(`/api/v1/courses/${named.draft.id}`).set(providerA.auth);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('draft');
  });
});

/** ~25 query combinations over every arranged course (named edge cases + 30 varied ones). */
const TABLE: OracleQuery[] = [
  {},
  { level: ['A1', 'A2'] },
  { level: ['B1', 'B2', 'C1', 'C2'], mode: ['in_person', 'hybrid'] },
  { type: ['integration_general', 'integration_women', 'integration_parents'] },
  { days: ['mon', 'tue', 'wed'] },
  { days: ['sat', 'sun'] },
  { timeOfDay: ['evening'] },
  { timeOfDay: ['morning', 'afternoon'], days: ['mon', 'wed', 'fri'] },
  { childcare: true },
  { childcare: true, childAgeMonths: [20] },
  { childAgeMonths: [6] },
  { womenOnly: true, free: true },
  { seats: 'available', free: false },
  { near: LANDAU, radiusKm: 10 },
  { near: LANDAU, radiusKm: 35, mode: ['in_person'] },
  { near: pointAtDistance(LANDAU, 90, 30), radiusKm: 25 },
  { postcode: '76829', radiusKm: 15, seats: 'available' },
  { postcode: '76887' },
  { startFrom: '2027-01-01' },
  { startFrom: '2027-02-15', startTo: '2027-05-31' },
  { startTo: '2026-12-31', level: ['alpha', 'A1'] },
  { mode: ['online'], days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
  { level: ['A1'], timeOfDay: ['morning'], childcare: true, near: LANDAU, radiusKm: 50 },
  { type: ['language_cafe', 'job_language', 'other'], startFrom: '2026-10-01', womenOnly: false },
  { days: ['tue', 'thu'], timeOfDay: ['morning', 'evening'], free: true, seats: 'available', near: LANDAU, radiusKm: 60, startFrom: '2026-12-01' },
  { level: ['C2'], type: ['integration_literacy'] },
];

describe('oracle table', () => {
  it.each(TABLE.map((query) => [describeQuery(query), query] as const))('%s', async (_title, query) => {
    await check(query);
  });

  it('the table is not trivial: results vary in size and some are empty or large', async () => {
    const sizes = await Promise.all(TABLE.map(async (query) => expectedIds(all, query).length));
    expect(Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(Math.max(...sizes)).toBeGreaterThan(40);
    expect(new Set(sizes).size).toBeGreaterThan(12);
  });
});

describe('a course archived after being visible', () => {
  it('disappears from search after settle', async () => {
    const course = named.laterArchived;
    expect(idsOf(await find({ q: 'Spätarchiv' }))).toEqual([course.id]);
    const res = await t.http.delete(`/api/v1/courses/${course.id}`).set(providerA.auth);
    expect(res.status).toBe(204);
    course.status = 'archived';
    forbidden.add(course.id);
    await t.settle();
    expect(idsOf(await find({ q: 'Spätarchiv' }))).toEqual([]);
    await check({});
    await check({ near: LANDAU, radiusKm: 1 });
  });
});

describe('a renamed provider', () => {
  it('is found by its new name only, after settle', async () => {
    const renamed = 'Sprachwerkstatt Horizont';
    const res = await t.http.patch(`/api/v1/providers/${providerBId}`).set(providerB.auth).send({ name: renamed });
    expect(res.status).toBe(200);
    for (const course of all) if (course.providerName === PROVIDER_B) course.providerName = renamed;
    await t.settle();
    const horizont = names(sortedIds(await find({ q: 'Horizont' })));
    expect(horizont.length).toBeGreaterThan(20);
    expect(horizont).toEqual(names(all.filter((c) => c.providerName === renamed && (c.status ?? 'published') === 'published').map((c) => c.id)));
    expect(names(sortedIds(await find({ q: 'Queichtal' })))).toEqual([]);
    const hit = (await find({ q: 'Konversation' })).hits[0]!;
    expect(hit.provider).toEqual({ id: providerBId, name: renamed });
  });
});
