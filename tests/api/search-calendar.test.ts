/**
 * GET /api/v1/courses.ics: "subscribe to this search". The feed must hold exactly what the search finds,
 * each course as in its own calendar file, and read back correctly in a calendar app (ical.js).
 */
import { DateTime } from 'luxon';
import { DAYS } from '../../src/courses/course.enums';
import { courseModel } from '../../src/courses/course.model';
import type { CourseContentInput } from '../../src/courses/course.schema';
import { FEED_MAX_COURSES } from '../../src/exports/search-calendar';
import { searchQuerySchema } from '../../src/search/search-query.schema';
import { importCatalog } from '../../src/seeding/catalog-import';
import { aCourse, aProvider, givenProvider, loginAs, type Session } from '../support/builders';
import { occurrences, parseCalendar, type ParsedCalendar } from '../support/ical';
import { arrangeCourses, idsOf, search } from '../support/search-helpers';
import { createTestApp, type TestApp } from '../support/test-app';

const PROVIDER = 'Volkshochschule Feed';

const COURSES = {
  berlinMorning: aCourse({ title: { de: 'Feed Integrationskurs A1', en: 'Feed integration course A1' }, days: ['tue', 'thu'], start: '09:00', end: '12:00', startDate: '2027-01-11', endDate: '2027-07-30' }),
  berlinEvening: aCourse({
    title: { de: 'Feed Abendkurs A2' },
    level: 'A2',
    targetLevel: 'B1',
    days: ['mon', 'wed', 'fri'],
    start: '18:00',
    end: '19:30',
    // a Wednesday: Wednesday's first session is that day, Friday's two days later, Monday's five
    startDate: '2027-02-03',
    endDate: '2027-06-25',
  }),
  london: aCourse({
    title: { de: 'Feed Kurs in London', en: 'Feed course in London' },
    level: 'B1',
    targetLevel: 'B2',
    schedule: { timezone: 'Europe/London', flexible: false, sessions: [{ day: 'sat', start: '10:00', end: '13:00' }] },
    startDate: '2027-03-01',
    endDate: '2027-11-30',
  }),
  // Mondays 09:00 across 31 October 2027, the end of summer time in Berlin.
  autumn: aCourse({ title: { de: 'Feed Herbstkurs A1' }, days: ['mon'], start: '09:00', end: '10:30', startDate: '2027-10-18', endDate: '2027-11-08' }),
  flexible: aCourse({
    title: { de: 'Feed Onlinekurs flexibel' },
    mode: 'online',
    venue: undefined,
    schedule: { timezone: 'Europe/Berlin', flexible: true, sessions: [] },
    startDate: '2027-04-01',
    endDate: '2027-09-30',
  }),
} satisfies Record<string, CourseContentInput>;

let t: TestApp;
let provider: Session;
const body = new Map<string, CourseContentInput>();
const id: Partial<Record<keyof typeof COURSES | 'draft' | 'archived' | 'unpublishedUnindexed', string>> = {};

beforeAll(async () => {
  t = await createTestApp('searchcalendar');
  provider = await loginAs(t, 'provider', await givenProvider(t, { name: PROVIDER }));
  const arranged = await arrangeCourses(t, provider, PROVIDER, [
    ...Object.values(COURSES),
    aCourse({ title: { de: 'Feed Entwurf A1' }, status: 'draft' }),
    aCourse({ title: { de: 'Feed Archiviert A1' } }),
    aCourse({ title: { de: 'Feed Gerade archiviert A1' } }),
  ]);
  const names = [...Object.keys(COURSES), 'draft', 'archived', 'unpublishedUnindexed'] as Array<keyof typeof id>;
  arranged.forEach((course, i) => {
    id[names[i]!] = course.id;
    body.set(course.id, course.body);
  });
  expect((await t.http.delete(`/api/v1/courses/${id.archived}`).set(provider.auth)).status).toBe(204);
  await t.settle();
  // Archived in MongoDB behind the index's back (as if the sync had not caught up yet): still a search hit.
  await courseModel(t.services.deps.db).updateOne({ _id: id.unpublishedUnindexed }, { $set: { status: 'archived' } });
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function feed(params: Record<string, string> = {}, auth: Record<string, string> = {}): Promise<ParsedCalendar> {
  const res = await t.http.get('/api/v1/courses.ics').query(params).set(auth);
  expect(res.status).toBe(200);
  return parseCalendar(res.text);
}

/** `<courseId>-<session>@…` or `<courseId>@…` → the course id */
const courseOf = (uid: string) => uid.split(/[-@]/)[0] ?? '';
const courseIds = (calendar: ParsedCalendar) => [...new Set(calendar.events.map((event) => courseOf(event.uid)))];

describe('GET /api/v1/courses.ics', () => {
  it('is one iCalendar download, not the search page or a course', async () => {
    const res = await t.http.get('/api/v1/courses.ics').query({ lang: 'en' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="sprachkurse.ics"');
    expect(res.text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(res.text).toContain('\r\nX-WR-CALNAME:Sprachkursfinder\r\n');
  });

  it.each<Record<string, string>>([
    {},
    { level: 'A1' },
    { level: 'A2,B1' },
    { days: 'mon,wed,fri' },
    { timeOfDay: 'evening' },
    { mode: 'online' },
    { q: 'London' },
    { startFrom: '2027-03-01' },
    { postcode: '76829', radiusKm: '10' },
    { level: 'C2' },
  ])('holds exactly the courses the search finds for %j', async (filters) => {
    const found = idsOf(await search(t, { ...filters, perPage: 100 }));
    const calendar = await feed(filters);
    // the one course the index still lists after it was archived is the only difference
    expect(courseIds(calendar).sort()).toEqual(found.filter((course) => course !== id.unpublishedUnindexed).sort());
  });

  it('keeps the search order and ignores page and perPage', async () => {
    const found = idsOf(await search(t, { sort: 'start', perPage: 100 }));
    expect(found.length).toBeGreaterThan(3);
    expect(courseIds(await feed({ sort: 'start', page: '2', perPage: '1' }))).toEqual(found.filter((course) => course !== id.unpublishedUnindexed));
  });

  it('gives every session of every course one weekly event on its weekday, at its local time in its zone, over the whole course', async () => {
    const calendar = await feed();
    expect(calendar.zones.sort()).toEqual(['Europe/Berlin', 'Europe/London']);
    const published = Object.values(COURSES).filter((course) => !course.schedule.flexible);
    expect(calendar.events.filter((event) => !event.allDay)).toHaveLength(published.reduce((n, course) => n + (course.schedule.sessions ?? []).length, 0));
    for (const courseId of courseIds(calendar)) {
      const course = body.get(courseId)!;
      const zone = course.schedule.timezone ?? 'Europe/Berlin';
      (course.schedule.sessions ?? []).forEach((session) => {
        const events = calendar.events.filter((event) => event.uid === `${courseId}-${session.day}-${session.start.replace(':', '')}@sprachkursfinder`);
        expect(events).toHaveLength(1);
        const [event] = events;
        expect(event!.tzid).toBe(zone);
        expect(event!.rrule?.toString()).toMatch(/^FREQ=WEEKLY;/);
        expect([event!.end.weekday, event!.end.toFormat('HH:mm')]).toEqual([event!.start.weekday, session.end]);
        const dates = occurrences(event!);
        for (const at of dates) expect([DAYS[at.weekday - 1], at.toFormat('HH:mm'), at.zoneName]).toEqual([session.day, session.start, zone]);
        const [first, last] = [dates[0]!, dates.at(-1)!];
        // the first occurrence is the first such weekday on or after startDate, the last the last one up to endDate
        expect(first.toISODate()! >= course.startDate && first.minus({ weeks: 1 }).toISODate()! < course.startDate).toBe(true);
        expect(last.toISODate()! <= course.endDate && last.plus({ weeks: 1 }).toISODate()! > course.endDate).toBe(true);
      });
    }
  });

  it('writes the London course in London time and the Berlin ones in Berlin time, both across their own clock changes', async () => {
    const calendar = await feed();
    const london = calendar.events.find((event) => courseOf(event.uid) === id.london)!;
    const saturdays = occurrences(london).filter((at) => at.toISODate()! >= '2027-03-20' && at.toISODate()! <= '2027-04-03');
    expect(saturdays.map((at) => at.toISO())).toEqual(['2027-03-20T10:00:00.000+00:00', '2027-03-27T10:00:00.000+00:00', '2027-04-03T10:00:00.000+01:00']);
    const autumn = calendar.events.find((event) => courseOf(event.uid) === id.autumn)!;
    expect(occurrences(autumn).map((at) => at.toUTC().toISO())).toEqual(
      ['2027-10-18', '2027-10-25', '2027-11-01', '2027-11-08'].map((date) => DateTime.fromISO(`${date}T09:00`, { zone: 'Europe/Berlin' }).toUTC().toISO()),
    );
    expect(occurrences(autumn).map((at) => at.toFormat('HH:mm ZZ'))).toEqual(['09:00 +02:00', '09:00 +02:00', '09:00 +01:00', '09:00 +01:00']);
  });

  it('gives a flexible course one all-day event over its period', async () => {
    const events = (await feed({ mode: 'online' })).events;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ uid: `${id.flexible}@sprachkursfinder`, allDay: true, rrule: null, tzid: null });
    expect([events[0]!.start.toISODate(), events[0]!.end.toISODate()]).toEqual(['2027-04-01', '2027-10-01']);
  });

  it('uses the same UIDs on every request, each once, the same as in the course files', async () => {
    const [first, second] = [await feed(), await feed({ lang: 'en' })];
    const uids = first.events.map((event) => event.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(second.events.map((event) => event.uid)).toEqual(uids);
    const single = parseCalendar((await t.http.get(`/api/v1/courses/${id.berlinEvening}.ics`)).text);
    expect(single.events.map((event) => event.uid)).toEqual(uids.filter((uid) => courseOf(uid) === id.berlinEvening));
  });

  it('titles the events in the requested language, German where a course has no translation', async () => {
    const summaries = (lang: string) => feed({ lang, level: 'A1' }).then((calendar) => new Set(calendar.events.map((event) => event.summary)));
    expect(await summaries('en')).toEqual(new Set(['Feed integration course A1', 'Feed Herbstkurs A1', 'Feed Onlinekurs flexibel']));
    expect(await summaries('de')).toEqual(new Set(['Feed Integrationskurs A1', 'Feed Herbstkurs A1', 'Feed Onlinekurs flexibel']));
  });

  it('never holds drafts or archived courses, not even for their own provider', async () => {
    const ids = courseIds(await feed({ q: 'Feed' }, provider.auth));
    expect(ids.length).toBeGreaterThan(0);
    for (const hidden of [id.draft, id.archived, id.unpublishedUnindexed]) expect(ids).not.toContain(hidden);
  });

  it.each([
    ['level=Z9', 'level'],
    ['days=monday', 'days'],
    ['sort=distance', 'sort'],
    ['postcode=00000', 'postcode'],
    ['startFrom=2027-02-30', 'startFrom'],
  ])('answers %s with 400 naming %s, as the search does', async (query, param) => {
    const res = await t.http.get(`/api/v1/courses.ics?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.error.code).toBe('invalid_query');
    expect(res.body.error.details.map((d: { param: string }) => d.param)).toEqual([param]);
  });

  it('is documented in the OpenAPI description as text/calendar with the search parameters', async () => {
    const spec = (await t.http.get('/api/v1/openapi.json')).body as {
      paths: Record<string, { get?: { parameters?: Array<{ name: string; in: string }>; responses: Record<string, { content?: Record<string, unknown> }> } }>;
    };
    const operation = spec.paths['/api/v1/courses.ics']?.get;
    expect(Object.keys(operation?.responses['200']?.content ?? {})).toEqual(['text/calendar']);
    const names = (operation?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    expect(names).toEqual(spec.paths['/api/v1/courses']?.get?.parameters?.filter((p) => p.in === 'query').map((p) => p.name));
    expect(names).toEqual(expect.arrayContaining(['level', 'days', 'near', 'lang']));
  });

  it('holds the first courses of the search order up to its cap', async () => {
    const filters = { sort: 'start', startFrom: '2027-02-01' };
    const found = idsOf(await search(t, { ...filters, perPage: 100 }));
    expect(found.length).toBeGreaterThan(2);
    const query = searchQuerySchema.parse(filters);
    const calendar = parseCalendar(await t.services.searchCalendar.feed(query, 'http://kurse.example', 2));
    expect(courseIds(calendar)).toEqual(found.slice(0, 2));
    expect(calendar.events.find((event) => courseOf(event.uid) === found[0])?.event.component.getFirstPropertyValue('url')).toBe(`http://kurse.example/courses/${found[0]}`);
  });
});

describe('GET /api/v1/courses.ics over more than 500 matching courses', () => {
  let big: TestApp;
  beforeAll(async () => {
    big = await createTestApp('searchcalendarcap');
    const now = new Date();
    await importCatalog(
      big.services.deps.db,
      now,
      [{ content: aProvider(), verified: true }],
      Array.from({ length: FEED_MAX_COURSES + 1 }, (_, i) => ({
        providerIndex: 0,
        content: aCourse({ title: { de: `Massenkurs ${i}` }, days: ['wed'] }),
        confirmedDaysAgo: 0,
      })),
    );
    await big.settle(60_000);
  }, 90_000);
  afterAll(async () => {
    await big?.close();
  });

  it('stops at 500 courses', async () => {
    expect((await big.http.get('/api/v1/courses').query({ perPage: 1 })).body.total).toBe(FEED_MAX_COURSES + 1);
    const res = await big.http.get('/api/v1/courses.ics');
    expect(res.status).toBe(200);
    const calendar = parseCalendar(res.text);
    expect(FEED_MAX_COURSES).toBe(500);
    expect(courseIds(calendar)).toHaveLength(500);
    expect(calendar.events).toHaveLength(500);
  });
});
