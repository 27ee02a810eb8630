/**
 * Disjunctive facet counts (checked number by number against the oracle), the four sort orders,
 * paging, response language and the hit shape of api.md.
 */
import { courseModel } from '../../src/courses/course.model';
import { createCourseBodySchema, type CourseContentInput } from '../../src/courses/course.schema';
import { distanceKm, type GeoPoint } from '../../src/search/geo';
import { postcodePoint } from '../../src/places/places';
import { aCourse, aVenue, givenProvider, LANDAU, loginAs, type Session } from '../support/builders';
import { arrangeCourses, DAY_MS, idsOf, pointAtDistance, search, setLastConfirmedAt, sortedIds, variedCourses, type Hit, type SearchBody } from '../support/search-helpers';
import { describeQuery, expectedFacets, expectedIds, ORACLE_FACETS, toParams, type ArrangedCourse, type OracleQuery } from '../support/search-oracle';
import { createTestApp, type TestApp } from '../support/test-app';

const PROVIDER = 'Bildungswerk Weinstraße';

const PAGED = Array.from({ length: 8 }, (_, i) =>
  aCourse({
    title: { de: `Paginierung Kurs ${i}` },
    startDate: `2027-0${1 + (i % 4)}-${String(10 + i).padStart(2, '0')}`,
    endDate: '2027-12-31',
    venue: aVenue({ ...pointAtDistance(LANDAU, 45 * i, 1 + i * 3) }),
  }),
);

const SHAPE = {
  inPerson: aCourse({
    title: { de: 'Frauenkurs Form', en: 'Women course shape' },
    type: 'integration_women',
    level: 'A1',
    targetLevel: 'B1',
    womenOnly: true,
    childcare: { available: true, minAgeMonths: 6 },
    cost: { free: true },
    seats: { capacity: 12, available: 3 },
    schedule: { timezone: 'Europe/Berlin', flexible: false, sessions: [{ day: 'thu', start: '17:30', end: '19:00' }, { day: 'tue', start: '09:00', end: '12:00' }] },
    startDate: '2027-01-11',
    endDate: '2027-07-30',
  }),
  onlineWithVenue: aCourse({ title: { de: 'Onlinekurs Form' }, mode: 'online', venue: aVenue(), schedule: { timezone: 'Europe/Berlin', flexible: true, sessions: [] }, seats: {}, rollingEntry: true }),
  germanOnly: aCourse({ title: { de: 'Nur Deutsch Form' }, cost: { free: false } }),
} satisfies Record<string, CourseContentInput>;

let t: TestApp;
let provider: Session;
let all: ArrangedCourse[] = [];
let paged: ArrangedCourse[] = [];
let shape: Record<keyof typeof SHAPE, ArrangedCourse>;

beforeAll(async () => {
  t = await createTestApp('searchfacets');
  const providerId = await givenProvider(t, { name: PROVIDER });
  provider = await loginAs(t, 'provider', providerId);
  const varied = await arrangeCourses(t, provider, PROVIDER, variedCourses(30, 20270111));
  paged = await arrangeCourses(t, provider, PROVIDER, PAGED);
  const shapeList = await arrangeCourses(t, provider, PROVIDER, Object.values(SHAPE));
  shape = Object.fromEntries(Object.keys(SHAPE).map((key, i) => [key, shapeList[i]!])) as typeof shape;
  const draft = await arrangeCourses(t, provider, PROVIDER, [aCourse({ title: { de: 'Paginierung Entwurf' }, status: 'draft' })]);
  all = [...varied, ...paged, ...shapeList, ...draft];
  await t.settle();
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const find = (params: Record<string, string | number>) => search(t, params);

describe('facet counts', () => {
  it('are disjunctive: ticking level=A1 keeps A2 at its unfiltered count, other groups follow the A1 filter', async () => {
    const unfiltered = await find({});
    const a1 = await find({ level: 'A1' });
    expect(unfiltered.facets).toEqual(expectedFacets(all, {}));
    expect(a1.facets).toEqual(expectedFacets(all, { level: ['A1'] }));

    // The level group ignores its own filter …
    expect(a1.facets.level).toEqual(unfiltered.facets.level);
    expect(a1.facets.level!.A2).toBeGreaterThan(0);
    expect(a1.facets.level!.A2).toBe(expectedIds(all, {}).filter((id) => levelOf(id) === 'A2').length);
    // … and the others count within the A1 result, so they really differ from the unfiltered counts.
    expect(a1.total).toBe(expectedIds(all, { level: ['A1'] }).length);
    expect(a1.facets.mode).not.toEqual(unfiltered.facets.mode);
    const a1Total = Object.values(a1.facets.mode!).reduce((sum, n) => sum + n, 0);
    expect(a1Total).toBe(a1.total);
  });

  it('ticking a second value of the same group does not change that group\'s counts', async () => {
    const one = await find({ level: 'A1', mode: 'in_person' });
    const two = await find({ level: 'A1,A2', mode: 'in_person' });
    expect(two.facets.level).toEqual(one.facets.level);
    expect(one.facets).toEqual(expectedFacets(all, { level: ['A1'], mode: ['in_person'] }));
    expect(two.facets).toEqual(expectedFacets(all, { level: ['A1', 'A2'], mode: ['in_person'] }));
  });

  const FACET_TABLE: OracleQuery[] = [
    { days: ['mon', 'tue'] },
    { timeOfDay: ['morning'], days: ['tue', 'thu', 'fri'] },
    { childcare: true, childAgeMonths: [30] },
    { womenOnly: true, free: true },
    { type: ['integration_general', 'language_cafe'], mode: ['online', 'hybrid'] },
    { near: LANDAU, radiusKm: 30, level: ['A1', 'B1'], childcare: true },
    { startFrom: '2027-01-01', seats: 'available', timeOfDay: ['evening', 'afternoon'] },
    { q: 'Integrationskurs', level: ['A2', 'B1'] },
    { q: 'Paginierung', days: ['tue'], womenOnly: true },
  ];

  it.each(FACET_TABLE.map((query) => [describeQuery(query), query] as const))('match the oracle for %s', async (_title, query) => {
    const qMatches = query.q ? new Set(sortedIds(await find({ q: query.q, perPage: 100 }))) : undefined;
    const body = await find({ ...toParams(query), perPage: 100 });
    expect(sortedIds(body)).toEqual(expectedIds(all, query, qMatches ? { qMatches } : {}));
    expect(body.facets).toEqual(expectedFacets(all, query, qMatches ? { qMatches } : {}));
  });

  it('lists every group with every enum value, 0 for absent ones', async () => {
    const body = await find({ level: 'C2', type: 'integration_second_script', days: 'sun' });
    expect(Object.keys(body.facets).sort()).toEqual(Object.keys(ORACLE_FACETS).sort());
    for (const [group, values] of Object.entries(ORACLE_FACETS)) {
      expect(Object.keys(body.facets[group]!).sort()).toEqual([...values].sort());
    }
    expect(body.facets).toEqual(expectedFacets(all, { level: ['C2'], type: ['integration_second_script'], days: ['sun'] }));
    const zeros = Object.values(body.facets).flatMap((counts) => Object.values(counts)).filter((n) => n === 0);
    expect(zeros.length).toBeGreaterThan(10);
  });
});

function levelOf(id: string): string | undefined {
  return all.find((c) => c.id === id)?.body.level;
}

function bodyOf(id: string): CourseContentInput {
  const course = all.find((c) => c.id === id);
  if (!course) throw new Error(`unknown id ${id}`);
  return course.body;
}

describe('sort', () => {
  it('start: ascending by startDate', async () => {
    const body = await find({ sort: 'start', perPage: 100 });
    expect(sortedIds(body)).toEqual(expectedIds(all, {}));
    const dates = body.hits.map((hit) => hit.startDate as string);
    expect(dates).toEqual([...dates].sort());
    expect(new Set(dates).size).toBeGreaterThan(10);
  });

  it('start: also within a filtered result and across pages', async () => {
    const pages = [1, 2, 3].map((page) => find({ sort: 'start', q: 'Paginierung', perPage: 3, page }));
    const hits = (await Promise.all(pages)).flatMap((body) => body.hits);
    const dates = hits.map((hit) => hit.startDate as string);
    expect(dates).toEqual([...dates].sort());
    expect(hits.map((hit) => hit.id).sort()).toEqual(paged.map((c) => c.id).sort());
  });

  it.each([
    ['near', { near: `${LANDAU.lat},${LANDAU.lng}`, radiusKm: 60 }, LANDAU],
    ['postcode', { postcode: '76829', radiusKm: 60 }, postcodePoint('76829')!],
  ] as Array<[string, Record<string, string | number>, GeoPoint]>)('distance (with %s): ascending by distanceKm', async (_name, location, point) => {
    const body = await find({ ...location, sort: 'distance', perPage: 100 });
    expect(body.hits.length).toBeGreaterThan(10);
    const exact = body.hits.map((hit) => {
      const venue = hit.venue as GeoPoint;
      expect(hit.distanceKm).toBe(Math.round(distanceKm(point, venue) * 10) / 10);
      return distanceKm(point, venue);
    });
    expect(exact).toEqual([...exact].sort((a, b) => a - b));
  });

  it('updated: most recently confirmed first', async () => {
    const courses = courseModel(t.services.deps.db);
    const now = Date.now();
    // Spread confirmation times over the last 60 days (still fresh), in an order unrelated to creation.
    const targets = paged.map((c, i) => ({ id: c.id, at: new Date(now - ((i * 5) % 8) * 7 * DAY_MS - 3_600_000) }));
    for (const { id, at } of targets) await setLastConfirmedAt(t, id, at);
    await t.settle();
    const body = await find({ q: 'Paginierung', sort: 'updated', perPage: 100 });
    const expected = [...targets].sort((a, b) => b.at.getTime() - a.at.getTime()).map((x) => x.id);
    expect(idsOf(body)).toEqual(expected);

    // Over everything: non-increasing lastConfirmedAt as stored in MongoDB.
    const everything = await find({ sort: 'updated', perPage: 100 });
    const stored = new Map((await courses.find({}, { lastConfirmedAt: 1 }).lean()).map((c) => [c._id.toString(), c.lastConfirmedAt.getTime()]));
    const times = idsOf(everything).map((id) => stored.get(id)!);
    expect(times).toEqual([...times].sort((a, b) => b - a));

    // Confirming the oldest listing moves it to the top.
    const oldest = expected[expected.length - 1]!;
    const confirmed = await t.http.post(`/api/v1/courses/${oldest}/confirm`).set(provider.auth);
    expect(confirmed.status).toBe(200);
    await t.settle();
    expect(idsOf(await find({ q: 'Paginierung', sort: 'updated', perPage: 100 }))[0]).toBe(oldest);
    expect(idsOf(await find({ sort: 'updated', perPage: 1 }))[0]).toBe(oldest);
  });

  it('relevance (default): stale listings (confirmed > 90 days ago) come after fresh ones', async () => {
    const now = Date.now();
    const stale = [paged[0]!, paged[3]!, paged[6]!, shape.inPerson];
    await setLastConfirmedAt(t, paged[0]!.id, new Date(now - 91 * DAY_MS));
    await setLastConfirmedAt(t, paged[3]!.id, new Date(now - 400 * DAY_MS));
    await setLastConfirmedAt(t, paged[6]!.id, new Date(now - 90 * DAY_MS - 3_600_000));
    await setLastConfirmedAt(t, shape.inPerson.id, new Date(now - 120 * DAY_MS));
    // 89 days: still fresh
    await setLastConfirmedAt(t, paged[1]!.id, new Date(now - 89 * DAY_MS));
    await t.settle();
    const staleIds = new Set(stale.map((c) => c.id));

    for (const params of [{}, { q: 'Paginierung' }, { q: 'Paginierung Kurs 0' }, { q: 'Form' }, { sort: 'relevance', level: 'A1' }] as Array<Record<string, string>>) {
      const body = await find({ ...params, perPage: 100 });
      const flags = body.hits.map((hit) => hit.stale as boolean);
      expect(flags).toEqual(body.hits.map((hit) => staleIds.has(hit.id)));
      // every fresh hit before every stale one
      expect(flags).toEqual([...flags].sort((a, b) => Number(a) - Number(b)));
    }
    const pagedHits = (await find({ q: 'Paginierung', perPage: 100 })).hits;
    expect(pagedHits.filter((hit) => hit.stale).length).toBe(3);
    expect(pagedHits.slice(-3).every((hit) => hit.stale)).toBe(true);
    // The best text match is stale, and still sinks below the fresh ones.
    const exactMatch = await find({ q: 'Paginierung Kurs 0', perPage: 100 });
    expect(idsOf(exactMatch)).toContain(paged[0]!.id);
    expect(idsOf(exactMatch)[0]).not.toBe(paged[0]!.id);
  });
});

describe('paging', () => {
  it.each(['relevance', 'start', 'updated'])('perPage=3 over 8 results (sort=%s): 3 pages, no duplicates, page 4 empty', async (sort) => {
    const seen: string[] = [];
    for (const [page, size] of [[1, 3], [2, 3], [3, 2], [4, 0], [5, 0]] as const) {
      const body = await find({ q: 'Paginierung', perPage: 3, page, sort });
      expect(body).toMatchObject({ total: 8, page, perPage: 3 });
      expect(body.hits).toHaveLength(size);
      seen.push(...idsOf(body));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(paged.map((c) => c.id).sort());
  });

  it('perPage bounds 1 and 100 and the defaults', async () => {
    const defaults = await find({});
    expect(defaults.page).toBe(1);
    expect(defaults.perPage).toBe(20);
    expect(defaults.hits).toHaveLength(20);
    expect(defaults.total).toBe(expectedIds(all, {}).length);
    expect((await find({ perPage: 1 })).hits).toHaveLength(1);
    expect((await find({ perPage: 100 })).hits).toHaveLength(Math.min(100, defaults.total));
  });
});

describe('lang', () => {
  const titleOf = (body: SearchBody, id: string) => body.hits.find((hit) => hit.id === id)?.title;

  it('picks the English title and falls back to German when it is missing', async () => {
    const en = await find({ q: 'Form', lang: 'en', perPage: 100 });
    expect(titleOf(en, shape.inPerson.id)).toBe('Women course shape');
    expect(titleOf(en, shape.germanOnly.id)).toBe('Nur Deutsch Form');
    const de = await find({ q: 'Form', perPage: 100 });
    expect(titleOf(de, shape.inPerson.id)).toBe('Frauenkurs Form');
    const other = await find({ q: 'Form', lang: 'tr', perPage: 100 });
    expect(titleOf(other, shape.inPerson.id)).toBe('Frauenkurs Form');
  });

  it('lang changes titles only, never the result', async () => {
    const de = await find({ perPage: 100 });
    const en = await find({ perPage: 100, lang: 'en' });
    expect(idsOf(en)).toEqual(idsOf(de));
    for (const hit of en.hits) {
      const title = bodyOf(hit.id).title as Record<string, string>;
      expect(hit.title).toBe(title.en ?? title.de);
    }
  });
});

describe('hit shape (api.md)', () => {
  const KEYS = [
    'id', 'title', 'type', 'level', 'targetLevel', 'provider', 'mode', 'venue', 'days', 'timeOfDay', 'slots', 'flexible',
    'childcare', 'womenOnly', 'free', 'startDate', 'endDate', 'rollingEntry', 'seatsAvailable', 'stale',
  ].sort();

  const hitOf = async (params: Record<string, string | number>, id: string): Promise<Hit> => {
    const body = await find({ ...params, perPage: 100 });
    const hit = body.hits.find((h) => h.id === id);
    if (!hit) throw new Error(`no hit ${id}`);
    return hit;
  };

  /** domain.md: stale = lastConfirmedAt older than 90 days (read back from MongoDB, earlier tests change it). */
  const storedAsStale = async (id: string): Promise<boolean> => {
    const course = await courseModel(t.services.deps.db).findById(id, { lastConfirmedAt: 1 }).lean();
    return Date.now() - course!.lastConfirmedAt.getTime() > 90 * DAY_MS;
  };

  it('an in-person course, without a location: no distanceKm', async () => {
    const hit = await hitOf({ q: 'Form' }, shape.inPerson.id);
    const providerId = provider.providerId;
    expect(hit).toEqual({
      id: shape.inPerson.id,
      title: 'Frauenkurs Form',
      type: 'integration_women',
      level: 'A1',
      targetLevel: 'B1',
      provider: { id: providerId, name: PROVIDER },
      mode: 'in_person',
      venue: { city: 'Landau in der Pfalz', postcode: '76829', lat: LANDAU.lat, lng: LANDAU.lng },
      days: ['tue', 'thu'],
      timeOfDay: ['morning', 'evening'],
      slots: ['tue-morning', 'thu-evening'],
      flexible: false,
      childcare: true,
      womenOnly: true,
      free: true,
      startDate: '2027-01-11',
      endDate: '2027-07-30',
      rollingEntry: false,
      seatsAvailable: 3,
      stale: await storedAsStale(shape.inPerson.id),
    });
    expect(Object.keys(hit).sort()).toEqual(KEYS);
  });

  it('an online course: venue null even when the body had one, flexible, unknown seats null', async () => {
    const hit = await hitOf({ q: 'Onlinekurs' }, shape.onlineWithVenue.id);
    expect(hit).toMatchObject({ mode: 'online', venue: null, flexible: true, days: [], timeOfDay: [], slots: [], seatsAvailable: null, rollingEntry: true, free: true, childcare: false });
    expect(Object.keys(hit).sort()).toEqual(KEYS);
  });

  it('distanceKm appears with near or postcode only, rounded to 0.1 km', async () => {
    for (const body of [await find({ perPage: 100 }), await find({ perPage: 100, sort: 'start', level: 'A1,A2' })]) {
      for (const hit of body.hits) expect(hit).not.toHaveProperty('distanceKm');
    }
    const point = pointAtDistance(LANDAU, 30, 7.26);
    for (const [params, origin] of [
      [{ near: `${point.lat},${point.lng}`, radiusKm: 100 }, point],
      [{ postcode: '76829', radiusKm: 100 }, postcodePoint('76829')!],
    ] as Array<[Record<string, string | number>, GeoPoint]>) {
      const body = await find({ ...params, perPage: 100 });
      expect(body.hits.length).toBeGreaterThan(10);
      for (const hit of body.hits) {
        expect(hit.venue).not.toBeNull();
        expect(Object.keys(hit).sort()).toEqual([...KEYS, 'distanceKm'].sort());
        expect(hit.distanceKm).toBe(Math.round(distanceKm(origin, hit.venue as GeoPoint) * 10) / 10);
      }
    }
    const landau = await hitOf({ near: `${point.lat},${point.lng}` }, shape.inPerson.id);
    expect(landau.distanceKm).toBe(7.3);
  });

  it('the derived values match the course facts of every hit', async () => {
    const body = await find({ perPage: 100 });
    for (const hit of body.hits) {
      const source = bodyOf(hit.id);
      expect(hit.flexible).toBe(source.schedule.flexible ?? false);
      expect(hit.venue === null).toBe(source.mode === 'online');
      expect(hit.seatsAvailable).toBe(source.seats?.available ?? null);
    }
  });
});

describe('the response', () => {
  it('never carries a draft', async () => {
    const body = await find({ q: 'Paginierung', perPage: 100 });
    expect(body.hits.map((hit) => hit.title)).not.toContain('Paginierung Entwurf');
    expect(body.total).toBe(8);
  });

  it('query by query, the facets of the main result are consistent with its total', async () => {
    for (const query of [{}, { level: ['B1'] }, { mode: ['online'] }] as OracleQuery[]) {
      const body = await find({ ...toParams(query), perPage: 100 });
      expect(Object.values(body.facets.mode!).reduce((a, b) => a + b, 0)).toBe(query.mode ? expectedIds(all, { ...query, mode: undefined }).length : body.total);
      expect(body.facets.childcare!.true! + body.facets.childcare!.false!).toBe(body.total);
    }
  });
});

describe('a listing that turns stale with time alone (no write)', () => {
  it('is flagged stale at once and sinks below fresh ones once the stale sweep re-indexed it', async () => {
    let offsetMs = 0;
    const clock = { now: () => new Date(Date.now() + offsetMs) };
    const app = await createTestApp('searchstaleclock', { clock, syncOptions: { staleSweepIntervalMs: 100 } });
    try {
      const providerId = await givenProvider(app, { name: 'Zeitschule' });
      const session = await loginAs(app, 'provider', providerId);
      const actor = { userId: session.userId, role: 'provider' as const, providerId };
      const older = await app.services.courses.create(actor, createCourseBodySchema.parse(aCourse({ title: { de: 'Zeitreise Kurs' } })));
      await app.settle();
      offsetMs = 91 * DAY_MS;
      const newer = await app.services.courses.create(actor, createCourseBodySchema.parse(aCourse({ title: { de: 'Zeitreise Kurs' } })));
      await app.settle();

      const first = await search(app, { q: 'Zeitreise' });
      expect(Object.fromEntries(first.hits.map((h) => [h.id, h.stale]))).toEqual({ [older.id]: true, [newer.id]: false });

      // Equal text relevance: only staleRank can put the newer listing first (Meilisearch breaks ties by insertion).
      const deadline = Date.now() + 5_000;
      let order: string[] = [];
      while (Date.now() < deadline) {
        await app.settle();
        order = idsOf(await search(app, { q: 'Zeitreise' }));
        if (order[0] === newer.id) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(order).toEqual([newer.id, older.id]);
      expect(idsOf(await search(app, { q: 'Zeitreise', sort: 'start' }))).toEqual([newer.id, older.id]);
    } finally {
      await app.close();
    }
  });
});
