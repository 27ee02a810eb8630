import { createConnection } from 'mongoose';
import { createApp } from '../../src/app';
import { createAppServices } from '../../src/app-services';
import request from 'supertest';
import { SEARCH_EVENTS, COURSE_COUNTERS } from '../../src/stats/stats-recorder';
import type { SearchEvent } from '../../src/stats/search-event';
import { aCourse, givenProvider, loginAs, type Session } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';

let now = new Date('2027-03-26T12:34:56Z');
let t: TestApp;
let provider: Session;
let courseId: string;

beforeAll(async () => {
  t = await createTestApp('searchevents', { clock: { now: () => now } });
  const providerId = await givenProvider(t);
  provider = await loginAs(t, 'provider', providerId);
  const res = await t.http
    .post('/api/v1/courses')
    .set(provider.auth)
    .send(aCourse({ registration: { url: 'https://anmeldung.test.example/kurs', email: 'anmeldung@test.example' } }));
  courseId = res.body.id as string;
  await t.settle();
});
afterAll(async () => {
  await t.close();
});

async function storedEvents(): Promise<SearchEvent[]> {
  await t.services.stats.flush();
  return t.services.deps.db.collection<SearchEvent>(SEARCH_EVENTS).find({}, { projection: { _id: 0 } }).toArray();
}

beforeEach(async () => {
  await t.services.stats.flush();
  await t.services.deps.db.collection(SEARCH_EVENTS).deleteMany({});
  await t.services.deps.db.collection(COURSE_COUNTERS).deleteMany({});
});

describe('a search in the API becomes one anonymous event', () => {
  it('keeps the hour, the language, the filters in buckets, the area and the number of results', async () => {
    const res = await t.http.get('/api/v1/courses').query({
      q: 'Deutsch',
      level: 'A1,A2',
      slots: 'tue-morning,thu-morning',
      childAgeMonths: '8,30',
      womenOnly: 'false',
      free: 'true',
      postcode: '76829',
      radiusKm: '10',
      lang: 'ar',
    });
    expect(res.status).toBe(200);
    expect(await storedEvents()).toEqual([
      {
        hour: new Date('2027-03-26T12:00:00Z'),
        lang: 'ar',
        levels: ['A1', 'A2'],
        types: [],
        modes: [],
        times: ['morning'],
        slots: ['tue-morning', 'thu-morning'],
        childcare: true,
        childAges: ['0-11', '24-35'],
        womenOnly: false,
        free: true,
        seats: false,
        radius: '≤10',
        area: '768',
        text: true,
        results: 0,
        empty: true,
      },
    ]);
  });

  it('counts a search that finds the course as not empty, and turning to page 2 as no new search', async () => {
    await t.http.get('/api/v1/courses').query({ level: 'A1' }).expect(200);
    await t.http.get('/api/v1/courses').query({ level: 'A1', page: '2' }).expect(200);
    const events = await storedEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ levels: ['A1'], results: 1, empty: false, radius: 'none', area: null, text: false, lang: 'de' });
  });

  it('keeps only the area of a point, never the point', async () => {
    await t.http.get('/api/v1/courses').query({ near: '49.20123,8.11987' }).expect(200);
    const [event] = await storedEvents();
    expect(event).toMatchObject({ area: '768', radius: '≤25' });
    expect(JSON.stringify(event)).not.toMatch(/49\.2|8\.11/);
  });
});

describe('a search on the website', () => {
  it('is recorded the same way, in the page language', async () => {
    const res = await t.http.get('/courses').query({ lang: 'uk', womenOnly: 'true', place: 'Landau in der Pfalz' });
    expect(res.status).toBe(200);
    const events = await storedEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ lang: 'uk', womenOnly: true, area: '768', results: 0, empty: true });
  });
});

describe('when MongoDB does not answer the statistics', () => {
  it('searches answer 200 while a write hangs, and events beyond the buffer bound are dropped', async () => {
    // The statistics writer alone points at a port where no MongoDB listens.
    const deadDb = createConnection('mongodb://127.0.0.1:9/stats', { serverSelectionTimeoutMS: 300, bufferCommands: true });
    deadDb.on('error', () => undefined);
    const services = createAppServices({ ...t.services.deps, statsDb: deadDb, statsOptions: { maxBuffered: 3, flushAt: 1000, writeTimeoutMs: 15_000 } });
    const http = request(createApp(services));
    // One event, and a write of it that hangs (nothing answers) until its 15 s limit.
    await http.get('/api/v1/courses').query({ level: 'B1' }).expect(200);
    let writeEnded = false;
    const hanging = services.stats.flush().then(() => (writeEnded = true));
    for (let i = 0; i < 5; i++) await http.get('/api/v1/courses').query({ level: 'A1' }).expect(200);
    await http.get('/courses').query({ level: 'A1' }).expect(200);
    // Every search answered while the write was still hanging: none of them waited for it.
    expect(writeEnded).toBe(false);
    expect(services.stats.state()).toEqual({ buffered: 3, dropped: 3 });
    await hanging;
    expect(services.stats.state()).toEqual({ buffered: 3, dropped: 4 });
    await deadDb.close().catch(() => undefined);
  }, 40_000);
});

describe('anonymous counts per course', () => {
  it('counts page views, calendar downloads, shares and registration clicks per month', async () => {
    await t.http.get(`/courses/${courseId}`).expect(200);
    await t.http.get(`/courses/${courseId}`).expect(200);
    await t.http.get(`/api/v1/courses/${courseId}.ics`).expect(200);
    await t.http.post(`/api/v1/courses/${courseId}/actions/share`).expect(204);
    await t.http.post(`/api/v1/courses/${courseId}/actions/register`).expect(204);
    const redirect = await t.http.get(`/courses/${courseId}/register`);
    expect(redirect.status).toBe(303);
    expect(redirect.headers.location).toBe('https://anmeldung.test.example/kurs');
    await t.services.stats.flush();
    const counters = await t.services.deps.db.collection(COURSE_COUNTERS).find({}).toArray();
    expect(counters).toEqual([{ _id: `${courseId}:2027-03`, courseId, month: '2027-03', views: 2, ical: 1, shares: 1, registers: 2 }]);
  });

  it('refuses beacons for unknown courses and unknown actions', async () => {
    await t.http.post('/api/v1/courses/0123456789abcdef01234567/actions/share').expect(404);
    await t.http.post(`/api/v1/courses/${courseId}/actions/like`).expect(400);
    await t.services.stats.flush();
    expect(await t.services.deps.db.collection(COURSE_COUNTERS).countDocuments()).toBe(0);
  });

  it('links the course page to the counting register link and marks the share button and mail link for the beacon', async () => {
    const page = await t.http.get(`/courses/${courseId}`).expect(200);
    expect(page.text).toContain(`href="/courses/${courseId}/register" rel="nofollow noopener"`);
    expect(page.text).toContain(`data-beacon="/api/v1/courses/${courseId}/actions/share"`);
    expect(page.text).toContain(`href="mailto:anmeldung@test.example" dir="ltr" data-beacon="/api/v1/courses/${courseId}/actions/register"`);
  });
});

describe('the time an event is kept under', () => {
  it('is the hour, rounded down', async () => {
    now = new Date('2027-03-26T23:59:59.999Z');
    await t.http.get('/api/v1/courses').expect(200);
    const [event] = await storedEvents();
    expect(event?.hour).toEqual(new Date('2027-03-26T23:00:00Z'));
    now = new Date('2027-03-26T12:34:56Z');
  });
});
