import { courseModel } from '../../src/courses/course.model';
import { searchQuerySchema } from '../../src/search/search-query.schema';
import { describeSearch } from '../../src/stats/search-event';
import { SEARCH_EVENTS } from '../../src/stats/stats-recorder';
import { createStatsService } from '../../src/stats/stats.service';
import { aCourse, aProvider, aVenue, givenProvider, loginAs } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';

const NOW = new Date('2027-03-15T10:00:00Z');
let t: TestApp;
let providerA: string;
let providerB: string;

async function create(providerId: string, body: object): Promise<string> {
  const session = await loginAs(t, 'provider', providerId);
  const res = await t.http.post('/api/v1/courses').set(session.auth).send(body);
  if (res.status !== 201) throw new Error(`create → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

function search(at: string, query: Record<string, string>, results: number) {
  return describeSearch(searchQuerySchema.parse(query), results, new Date(at));
}

beforeAll(async () => {
  t = await createTestApp('statsservice', { clock: { now: () => NOW } });
  providerA = await givenProvider(t, aProvider({ name: 'Anbieter A' }));
  providerB = await givenProvider(t, aProvider({ name: 'Anbieter B' }));
  await create(
    providerA,
    aCourse({
      type: 'integration_women',
      womenOnly: true,
      childcare: { available: true, minAgeMonths: 12, maxAgeMonths: 36 },
      seats: { capacity: 20, available: 0, waitlist: 4 },
    }),
  );
  const stale = await create(
    providerA,
    aCourse({
      type: 'job_language',
      level: 'B1',
      targetLevel: 'B2',
      venue: aVenue({ postcode: '67346', city: 'Speyer' }),
      schedule: { timezone: 'Europe/Berlin', flexible: false, sessions: [{ day: 'mon', start: '18:00', end: '20:00' }, { day: 'sat', start: '10:00', end: '12:00' }] },
      cost: { free: false, pricePerLessonEur: 3 },
      seats: { capacity: 15, available: 5, waitlist: 0 },
    }),
  );
  await create(providerB, aCourse({ level: 'A2', mode: 'online', venue: undefined, days: ['mon'], start: '09:00', end: '11:00' }));
  await create(providerB, aCourse({ status: 'draft', womenOnly: true }));
  await courseModel(t.services.deps.db).updateOne({ _id: stale }, { $set: { lastConfirmedAt: new Date('2026-12-01T00:00:00Z') } });

  await t.services.deps.db.collection(SEARCH_EVENTS).insertMany([
    search('2027-01-10T08:10:00Z', { childcare: 'true', childAgeMonths: '8', slots: 'mon-morning', postcode: '76829', level: 'A1' }, 0),
    search('2027-01-11T08:10:00Z', { childcare: 'true', childAgeMonths: '8', slots: 'mon-morning', postcode: '76829', level: 'A1' }, 0),
    search('2027-01-12T08:10:00Z', { womenOnly: 'true' }, 1),
    search('2027-02-01T19:00:00Z', { level: 'B1', timeOfDay: 'evening', lang: 'ar' }, 1),
    search('2027-02-02T08:00:00Z', { childcare: 'true', childAgeMonths: '8', timeOfDay: 'morning', postcode: '76831', level: 'A1' }, 0),
    search('2027-02-03T08:00:00Z', { timeOfDay: 'morning' }, 2),
  ]);
});
afterAll(async () => {
  await t.close();
});

describe('supply', () => {
  it('counts the published courses by type, level, area and what they offer women and parents', async () => {
    const supply = await t.services.statistics.supply();
    expect(supply.total).toBe(3);
    expect(supply.byType).toMatchObject({ integration_women: 1, job_language: 1, integration_general: 1, integration_parents: 0 });
    expect(supply.byLevel).toMatchObject({ A1: 1, A2: 1, B1: 1, alpha: 0 });
    expect(supply.byArea).toEqual([
      { area: '673', courses: 1 },
      { area: '768', courses: 1 },
      { area: 'online', courses: 1 },
    ]);
    expect(supply.features).toEqual({ childcare: 1, womenOnly: 1, evening: 1, weekend: 1, familyTimes: 2, free: 2 });
    expect(supply.childAges).toEqual({ '0-11': 0, '12-23': 1, '24-35': 1, '36-71': 1, '72+': 0 });
    expect(supply.seats).toEqual({ capacity: 55, available: 10, waitlist: 4, full: 1, withWaitlist: 1 });
  });
});

describe('demand', () => {
  it('counts searches by month, by filter and by the searchers’ language', async () => {
    const demand = await t.services.statistics.demand();
    expect(demand.total).toBe(6);
    expect(demand.byMonth).toEqual([
      { month: '2027-01', searches: 3, childcare: 2, womenOnly: 1, familyTimes: 2, womenRelevant: 3, empty: 2 },
      { month: '2027-02', searches: 3, childcare: 1, womenOnly: 0, familyTimes: 2, womenRelevant: 2, empty: 1 },
    ]);
    expect(demand.childcare).toBe(3);
    expect(demand.womenOnly).toBe(1);
    expect(demand.languages).toEqual([
      { lang: 'de', searches: 5 },
      { lang: 'ar', searches: 1 },
    ]);
    const used = Object.fromEntries(demand.byFilter.filter((f) => f.searches > 0).map((f) => [f.filter, f.searches]));
    expect(used).toEqual({ 'level:A1': 3, 'level:B1': 1, 'time:morning': 4, 'time:evening': 1, childcare: 3, childAges: 3, womenOnly: 1, located: 3 });
  });
});

describe('gaps', () => {
  it('groups the searches that found nothing by what was asked, most frequent first', async () => {
    expect(await t.services.statistics.gaps()).toEqual([
      { levels: ['A1'], childcare: true, childAges: ['0-11'], times: ['morning'], womenOnly: false, area: '768', types: [], searches: 3 },
    ]);
  });
});

describe('the goal tracker', () => {
  it('sets month by month the searches for and the courses relevant to women against the baseline and +10 %', async () => {
    expect(await t.services.statistics.goal(3)).toEqual([
      { month: '2027-01', demand: 3, supply: 2, baseline: 2, target: 2.2 },
      { month: '2027-02', demand: 2, supply: 2, baseline: 2, target: 2.2 },
      { month: '2027-03', demand: 0, supply: 2, baseline: 2, target: 2.2 },
    ]);
  });

  it('takes the baseline and the increase from the configuration', async () => {
    const config = { ...t.config, stats: { ...t.config.stats, goalBaseline: 40, goalIncreasePercent: 15 } };
    const service = createStatsService({ db: t.services.deps.db, clock: { now: () => NOW }, config });
    const [first] = await service.goal(1);
    expect(first).toEqual({ month: '2027-03', demand: 0, supply: 2, baseline: 40, target: 46 });
  });
});

describe('freshness', () => {
  it('gives per provider the listings confirmed in the last 90 days, the least fresh first', async () => {
    expect(await t.services.statistics.freshness()).toEqual([
      { providerId: providerA, provider: 'Anbieter A', courses: 2, fresh: 1 },
      { providerId: providerB, provider: 'Anbieter B', courses: 1, fresh: 1 },
    ]);
  });
});
