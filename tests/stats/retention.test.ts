import { SEARCH_EVENTS } from '../../src/stats/stats-recorder';
import { SEARCH_MONTHLY, retentionCutoff, type MonthlyDoc } from '../../src/stats/stats-retention';
import { describeSearch, type SearchEvent } from '../../src/stats/search-event';
import { searchQuerySchema } from '../../src/search/search-query.schema';
import { createTestApp, type TestApp } from '../support/test-app';

let now = new Date('2027-11-15T08:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp('statsretention', { clock: { now: () => now } });
});
afterAll(async () => {
  await t.close();
});

function event(at: string, query: Record<string, string>, results: number): SearchEvent {
  return describeSearch(searchQuerySchema.parse(query), results, new Date(at));
}

it('keeps raw search events 13 months, then only monthly sums, on exactly one run of the scheduled job', async () => {
  expect(retentionCutoff(now)).toEqual(new Date('2026-10-01T00:00:00Z'));
  const events = t.services.deps.db.collection<SearchEvent>(SEARCH_EVENTS);
  await events.insertMany([
    event('2026-08-03T09:00:00Z', { level: 'A1', childcare: 'true' }, 0),
    event('2026-08-20T17:00:00Z', { level: 'A1', childcare: 'true' }, 0),
    event('2026-08-21T10:00:00Z', { level: 'A1', childcare: 'true' }, 3),
    event('2026-08-22T10:00:00Z', { womenOnly: 'true' }, 2),
    event('2026-09-30T23:00:00Z', { womenOnly: 'true' }, 1),
    // kept: October 2026 is within the last 13 months of 15 November 2027
    event('2026-10-01T00:00:00Z', { womenOnly: 'true' }, 1),
    event('2027-11-15T07:00:00Z', { level: 'B1' }, 4),
  ]);

  expect(await t.services.jobs.runDue()).toContain('stats-retention');

  const left = await events.find({}).sort({ hour: 1 }).toArray();
  expect(left.map((e) => e.hour.toISOString())).toEqual(['2026-10-01T00:00:00.000Z', '2027-11-15T07:00:00.000Z']);
  const monthly = await t.services.deps.db.collection<MonthlyDoc>(SEARCH_MONTHLY).find({}).sort({ month: 1, searches: -1 }).toArray();
  expect(monthly.map(({ month, levels, childcare, womenOnly, searches, empty, results }) => ({ month, levels, childcare, womenOnly, searches, empty, results }))).toEqual([
    { month: '2026-08', levels: ['A1'], childcare: true, womenOnly: false, searches: 3, empty: 2, results: 3 },
    { month: '2026-08', levels: [], childcare: false, womenOnly: true, searches: 1, empty: 0, results: 2 },
    { month: '2026-09', levels: [], childcare: false, womenOnly: true, searches: 1, empty: 0, results: 1 },
  ]);
  expect(monthly.some((doc) => 'hour' in doc)).toBe(false);

  // Not due again for a day: a second instance's tick does nothing.
  expect(await t.services.jobs.runDue()).toEqual([]);

  // A month later October 2026 is folded too, added to nothing else; the statistics still count every search.
  now = new Date('2027-12-16T08:00:00Z');
  expect(await t.services.jobs.runDue()).toContain('stats-retention');
  expect(await events.countDocuments()).toBe(1);
  expect(await t.services.deps.db.collection<MonthlyDoc>(SEARCH_MONTHLY).countDocuments({ month: '2026-10' })).toBe(1);
  const demand = await t.services.statistics.demand();
  expect(demand.total).toBe(7);
  expect(demand.byMonth.map((m) => [m.month, m.searches, m.childcare, m.womenOnly, m.empty])).toEqual([
    ['2026-08', 4, 3, 1, 2],
    ['2026-09', 1, 0, 1, 0],
    ['2026-10', 1, 0, 1, 0],
    ['2027-11', 1, 0, 0, 0],
  ]);
});
