/**
 * Search that fits real lives (domain.md → Search semantics): the week grid (`slots`), several children
 * (`childAgeMonths=a,b`) and online courses next to the ones nearby (`includeOnline`), through
 * GET /api/v1/courses against real MongoDB + Meilisearch, checked on named courses and against the oracle.
 */
import fc from 'fast-check';
import { SLOTS, type Slot } from '../../src/courses/course.enums';
import type { CourseContentInput } from '../../src/courses/course.schema';
import { aCourse, aVenue, givenProvider, LANDAU, loginAs } from '../support/builders';
import { arrangeCourses, pointAtDistance, search, sortedIds, variedCourses } from '../support/search-helpers';
import { describeQuery, expectedFacets, expectedIds, toParams, type ArrangedCourse, type OracleQuery } from '../support/search-oracle';
import { createTestApp, type TestApp } from '../support/test-app';

const PROVIDER = 'Familienbildungsstätte Landau';
const berlin = (sessions: Array<{ day: 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'; start: string; end: string }>) => ({
  timezone: 'Europe/Berlin',
  flexible: false,
  sessions,
});

const FIXTURES = {
  // week grid
  tueMorningThuAfternoon: aCourse({ title: { de: 'Mütterkurs Di Vormittag Do Nachmittag' }, schedule: berlin([{ day: 'tue', start: '09:00', end: '11:30' }, { day: 'thu', start: '14:00', end: '16:30' }]) }),
  tueAfternoon: aCourse({ title: { de: 'Dienstag Nachmittag' }, schedule: berlin([{ day: 'tue', start: '13:00', end: '15:00' }]) }),
  thuMorning: aCourse({ title: { de: 'Donnerstag Vormittag' }, schedule: berlin([{ day: 'thu', start: '08:30', end: '11:00' }]) }),
  tueMorningOnly: aCourse({ title: { de: 'Dienstag früh' }, schedule: berlin([{ day: 'tue', start: '08:00', end: '10:00' }]) }),
  tueMorningAndEvening: aCourse({ title: { de: 'Dienstag früh und abends' }, schedule: berlin([{ day: 'tue', start: '08:00', end: '10:00' }, { day: 'tue', start: '18:00', end: '20:00' }]) }),
  wedEdge1659: aCourse({ title: { de: 'Mittwoch 16:59' }, schedule: berlin([{ day: 'wed', start: '16:59', end: '18:00' }]) }),
  wedEdge1700: aCourse({ title: { de: 'Mittwoch 17:00' }, schedule: berlin([{ day: 'wed', start: '17:00', end: '18:00' }]) }),
  flexible: aCourse({ title: { de: 'Selbstlernkurs' }, schedule: { timezone: 'Europe/Berlin', flexible: true, sessions: [] } }),
  // several children
  ccToddlers: aCourse({ title: { de: 'Betreuung 1 bis 3 Jahre' }, childcare: { available: true, minAgeMonths: 12, maxAgeMonths: 36 } }),
  ccFromTwo: aCourse({ title: { de: 'Betreuung ab 2 Jahren' }, childcare: { available: true, minAgeMonths: 24 } }),
  ccUpToFour: aCourse({ title: { de: 'Betreuung bis 4 Jahre' }, childcare: { available: true, maxAgeMonths: 48 } }),
  ccAnyAge: aCourse({ title: { de: 'Betreuung jedes Alter' }, childcare: { available: true } }),
  noChildcare: aCourse({ title: { de: 'Ohne Betreuung' }, childcare: { available: false } }),
  // online next to nearby courses
  onlineOnly: aCourse({ title: { de: 'Onlinekurs' }, mode: 'online', venue: undefined }),
  onlineWithVenueFar: aCourse({ title: { de: 'Onlinekurs mit Adresse in Mainz' }, mode: 'online', venue: aVenue({ city: 'Mainz', postcode: '55116', lat: 49.9929, lng: 8.2473 }) }),
  hybridFar: aCourse({ title: { de: 'Hybrid in Mainz' }, mode: 'hybrid', venue: aVenue({ city: 'Mainz', postcode: '55116', lat: 49.9929, lng: 8.2473 }) }),
  nearby: aCourse({ title: { de: 'Präsenz in Landau' }, venue: aVenue({ ...pointAtDistance(LANDAU, 45, 3) }) }),
  far: aCourse({ title: { de: 'Präsenz in Kaiserslautern' }, venue: aVenue({ city: 'Kaiserslautern', postcode: '67655', lat: 49.4447, lng: 7.769 }) }),
  draftOnline: aCourse({ title: { de: 'Entwurf online' }, mode: 'online', venue: undefined, status: 'draft' }),
} satisfies Record<string, CourseContentInput>;

type Name = keyof typeof FIXTURES;

let t: TestApp;
let all: ArrangedCourse[] = [];
const nameOf = new Map<string, string>();

beforeAll(async () => {
  t = await createTestApp('weekgrid');
  const providerId = await givenProvider(t, { name: PROVIDER });
  const provider = await loginAs(t, 'provider', providerId);
  const names = Object.keys(FIXTURES) as Name[];
  const named = await arrangeCourses(t, provider, PROVIDER, names.map((name) => FIXTURES[name]));
  named.forEach((course, i) => nameOf.set(course.id, names[i]!));
  const varied = await arrangeCourses(t, provider, PROVIDER, variedCourses(40, 2027, 'Vielfalt '));
  all = [...named, ...varied];
  await t.settle();
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const names = (ids: string[]) => ids.map((id) => nameOf.get(id)).filter((n): n is string => n !== undefined).sort();

/** Searches with the query, asserts equality with the oracle (ids and facets) and returns the named hits. */
async function check(query: OracleQuery): Promise<string[]> {
  const body = await search(t, toParams(query, { perPage: 100 }));
  const expected = expectedIds(all, query);
  expect(body.total).toBe(expected.length);
  expect(sortedIds(body)).toEqual(expected);
  expect(body.facets).toEqual(expectedFacets(all, query));
  return names(sortedIds(body));
}

function expectShown(found: string[], shown: Name[], hidden: Name[]): void {
  for (const name of shown) expect(found).toContain(name);
  for (const name of hidden) expect(found).not.toContain(name);
}

describe('slots: when I can come, as a week grid', () => {
  it('a mother free on Tuesday mornings and Thursday afternoons sees exactly the courses that fit those cells', async () => {
    const found = await check({ slots: ['tue-morning', 'thu-afternoon'] });
    expectShown(found, ['tueMorningThuAfternoon', 'tueMorningOnly', 'flexible'], ['tueAfternoon', 'thuMorning', 'tueMorningAndEvening', 'wedEdge1659']);
  });

  it('days + timeOfDay alone would also admit Tuesday afternoons and Thursday mornings: slots do not', async () => {
    const coarse = await check({ days: ['tue', 'thu'], timeOfDay: ['morning', 'afternoon'] });
    expectShown(coarse, ['tueAfternoon', 'thuMorning', 'tueMorningThuAfternoon'], []);
    const grid = await check({ slots: ['tue-morning', 'thu-afternoon'] });
    expectShown(grid, [], ['tueAfternoon', 'thuMorning']);
  });

  it('a course meeting twice on one day needs both of its cells', async () => {
    expectShown(await check({ slots: ['tue-morning'] }), ['tueMorningOnly'], ['tueMorningAndEvening']);
    expectShown(await check({ slots: ['tue-morning', 'tue-evening'] }), ['tueMorningOnly', 'tueMorningAndEvening'], []);
  });

  it('the cell is chosen by the session start: 16:59 is afternoon, 17:00 evening', async () => {
    expectShown(await check({ slots: ['wed-afternoon'] }), ['wedEdge1659'], ['wedEdge1700']);
    expectShown(await check({ slots: ['wed-evening'] }), ['wedEdge1700'], ['wedEdge1659']);
  });

  it('combines with days and timeOfDay: each must hold', async () => {
    const found = await check({ slots: ['tue-morning', 'thu-afternoon', 'tue-evening'], days: ['tue'] });
    expectShown(found, ['tueMorningOnly', 'tueMorningAndEvening', 'flexible'], ['tueMorningThuAfternoon']);
    const mornings = await check({ slots: ['tue-morning', 'tue-evening'], timeOfDay: ['morning'] });
    expectShown(mornings, ['tueMorningOnly'], ['tueMorningAndEvening']);
  });

  it('every slot ticked restricts nothing', async () => {
    expect(sortedIds(await search(t, { slots: SLOTS.join(','), perPage: 100 }))).toEqual(sortedIds(await search(t, { perPage: 100 })));
  });

  it('repeated slots parameters (as a form of checkboxes sends them) work like a comma list', async () => {
    const res = await t.http.get('/api/v1/courses?slots=tue-morning&slots=thu-afternoon&perPage=100');
    expect(res.status).toBe(200);
    expect(sortedIds(res.body)).toEqual(expectedIds(all, { slots: ['tue-morning', 'thu-afternoon'] }));
  });

  it('hits carry their slots, in calendar order', async () => {
    const body = await search(t, { q: 'Mütterkurs', perPage: 5 });
    expect(body.hits[0]?.slots).toEqual(['tue-morning', 'thu-afternoon']);
    const course = await t.http.get(`/api/v1/courses/${body.hits[0]?.id}`);
    expect(course.body.slots).toEqual(['tue-morning', 'thu-afternoon']);
  });

  it('counts per cell are disjunctive: over the other filters, the grid\'s own filter removed', async () => {
    const body = await search(t, { slots: 'tue-morning', childcare: 'true', perPage: 1 });
    expect(Object.keys(body.facets.slots ?? {})).toEqual([...SLOTS]);
    expect(body.facets).toEqual(expectedFacets(all, { slots: ['tue-morning'], childcare: true }));
    // ticking one cell does not zero the others
    const unticked = await search(t, { childcare: 'true', perPage: 1 });
    expect(body.facets.slots).toEqual(unticked.facets.slots);
  });

  it('agrees with the oracle for random week grids combined with other filters', async () => {
    const grids = fc.sample(fc.subarray([...SLOTS], { minLength: 1, maxLength: 10 }), { seed: 7, numRuns: 12 }) as Slot[][];
    for (const [i, slots] of grids.entries()) {
      const extra: OracleQuery = i % 3 === 0 ? { level: ['A1', 'A2'] } : i % 3 === 1 ? { timeOfDay: ['morning', 'evening'] } : { childcare: true };
      const query = { slots, ...extra };
      try {
        await check(query);
      } catch (error) {
        throw new Error(`${describeQuery(query)}: ${(error as Error).message}`);
      }
    }
  });
});

describe('childAgeMonths: several children', () => {
  it.each([
    [[14, 40], ['ccUpToFour', 'ccAnyAge'], ['ccToddlers', 'ccFromTwo', 'noChildcare']],
    [[14, 30], ['ccToddlers', 'ccUpToFour', 'ccAnyAge'], ['ccFromTwo']],
    [[30, 60], ['ccFromTwo', 'ccAnyAge'], ['ccToddlers', 'ccUpToFour']],
    [[6, 200], ['ccAnyAge'], ['ccToddlers', 'ccFromTwo', 'ccUpToFour']],
    [[24, 24], ['ccToddlers', 'ccFromTwo', 'ccUpToFour', 'ccAnyAge'], ['noChildcare']],
  ] as Array<[number[], Name[], Name[]]>)('children aged %j months: every child fits the bounds', async (ages, shown, hidden) => {
    expectShown(await check({ childAgeMonths: ages }), shown, hidden);
  });

  it('the order of the ages does not matter, and one age works as before', async () => {
    const a = sortedIds(await search(t, { childAgeMonths: '40,14', perPage: 100 }));
    const b = sortedIds(await search(t, { childAgeMonths: '14,40', perPage: 100 }));
    expect(a).toEqual(b);
    expectShown(await check({ childAgeMonths: [30] }), ['ccToddlers', 'ccFromTwo', 'ccUpToFour', 'ccAnyAge'], ['noChildcare']);
  });

  it('up to six children, repeated or comma-separated', async () => {
    const res = await t.http.get('/api/v1/courses?childAgeMonths=1&childAgeMonths=2,3&childAgeMonths=4,5,6&perPage=100');
    expect(res.status).toBe(200);
    expect(sortedIds(res.body)).toEqual(expectedIds(all, { childAgeMonths: [1, 2, 3, 4, 5, 6] }));
  });
});

describe('includeOnline: online courses next to the ones nearby', () => {
  const home = LANDAU;

  it('with a location, online-only courses hold too, carrying no distance; hybrid and in-person ones still need the radius', async () => {
    const found = await check({ near: home, radiusKm: 10, includeOnline: true });
    expectShown(found, ['nearby', 'onlineOnly', 'onlineWithVenueFar'], ['far', 'hybridFar', 'draftOnline']);
    const body = await search(t, { ...toParams({ near: home, radiusKm: 10, includeOnline: true }), perPage: 100 });
    for (const hit of body.hits) {
      if (hit.mode === 'online') expect(hit).not.toHaveProperty('distanceKm');
      else expect(typeof hit.distanceKm).toBe('number');
    }
  });

  it('without includeOnline, online-only courses never hold a location filter', async () => {
    expectShown(await check({ near: home, radiusKm: 10 }), ['nearby'], ['onlineOnly', 'onlineWithVenueFar']);
    expectShown(await check({ near: home, radiusKm: 10, includeOnline: false }), ['nearby'], ['onlineOnly']);
  });

  it('works with the default radius and with postcode', async () => {
    expectShown(await check({ near: home, includeOnline: true }), ['nearby', 'onlineOnly'], ['far']);
    expectShown(await check({ postcode: '76829', radiusKm: 5, includeOnline: true }), ['onlineOnly'], ['far', 'hybridFar']);
  });

  it('combines with the mode filter and the week grid', async () => {
    expectShown(await check({ near: home, radiusKm: 10, includeOnline: true, mode: ['in_person'] }), ['nearby'], ['onlineOnly']);
    await check({ near: home, radiusKm: 10, includeOnline: true, slots: ['tue-morning', 'thu-morning'] });
  });

  it('sorted by distance, the online courses come after every course with a venue', async () => {
    const body = await search(t, { ...toParams({ near: home, radiusKm: 60, includeOnline: true }), sort: 'distance', perPage: 100 });
    const firstOnline = body.hits.findIndex((hit) => hit.venue === null);
    expect(firstOnline).toBeGreaterThan(0);
    expect(body.hits.slice(firstOnline).every((hit) => hit.venue === null)).toBe(true);
    const distances = body.hits.slice(0, firstOnline).map((hit) => hit.distanceKm as number);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });

  it('without a location it changes nothing', async () => {
    expect(await check({ includeOnline: true })).toEqual(await check({}));
  });
});

describe('bad values: 400 naming the parameter', () => {
  it.each([
    ['slots=tuesday-morning', 'slots'],
    ['slots=tue-night', 'slots'],
    ['slots=Tue-morning', 'slots'],
    ['slots=tue_morning', 'slots'],
    ['slots=tue-morning,mon', 'slots'],
    ['childAgeMonths=1,2,3,4,5,6,7', 'childAgeMonths'],
    ['childAgeMonths=1&childAgeMonths=2&childAgeMonths=3&childAgeMonths=4&childAgeMonths=5&childAgeMonths=6&childAgeMonths=7', 'childAgeMonths'],
    ['childAgeMonths=14,baby', 'childAgeMonths'],
    ['childAgeMonths=14,-3', 'childAgeMonths'],
    ['childAgeMonths=14,217', 'childAgeMonths'],
    ['includeOnline=yes', 'includeOnline'],
  ])('%s → %s', async (query, param) => {
    const res = await t.http.get(`/api/v1/courses?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_query');
    expect(res.body.error.details.map((d: { param: string }) => d.param)).toEqual([param]);
  });

  it('empty values, as a plain HTML form sends them, mean absent', async () => {
    const res = await t.http.get('/api/v1/courses?slots=&childAgeMonths=&postcode=&near=&radiusKm=&includeOnline=&sort=&page=&perPage=100');
    expect(res.status).toBe(200);
    expect(sortedIds(res.body)).toEqual(expectedIds(all, {}));
  });
});

it('the fixtures are not trivial: the grid splits them', () => {
  const sizes = [['tue-morning'], ['tue-morning', 'thu-afternoon'], [...SLOTS]].map((slots) => expectedIds(all, { slots: slots as Slot[] }).length);
  expect(new Set(sizes).size).toBe(3);
});
