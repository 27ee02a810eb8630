import { DateTime } from 'luxon';
import { aCourse, givenProvider, loginAs, type Session } from '../support/builders';
import { occurrences, parseCalendar } from '../support/ical';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let provider: Session;
beforeAll(async () => {
  t = await createTestApp('ical');
  provider = await loginAs(t, 'provider', await givenProvider(t));
});
afterAll(async () => {
  await t.close();
});

async function create(body: object): Promise<string> {
  const res = await t.http.post('/api/v1/courses').set(provider.auth).send(body);
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** iCalendar folds long lines; unfold before reading. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');

describe('GET /api/v1/courses/:id.ics', () => {
  it('gives one weekly event per session, starting on the first such weekday, in the course time zone', async () => {
    // 2027-01-11 is a Monday: Tuesday's first session is on the 12th, Thursday's on the 14th.
    const id = await create(aCourse({ days: ['tue', 'thu'], start: '09:00', end: '12:00', startDate: '2027-01-11', endDate: '2027-07-30' }));
    const res = await t.http.get(`/api/v1/courses/${id}.ics`).query({ lang: 'en' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    const ics = unfold(res.text);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(ics).toContain('DTSTART;TZID=Europe/Berlin:20270112T090000');
    expect(ics).toContain('DTEND;TZID=Europe/Berlin:20270112T120000');
    expect(ics).toContain('DTSTART;TZID=Europe/Berlin:20270114T090000');
    expect(ics).toMatch(/RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270730T215959Z/);
    expect(ics).toMatch(/RRULE:FREQ=WEEKLY;BYDAY=TH;UNTIL=20270730T215959Z/);
    expect(ics).toContain('SUMMARY:Integration course A1');
    expect(ics).toContain('LOCATION:Haus am Maulbeerbaum\\, Marktstraße 1\\, 76829 Landau in der Pfalz');
  });

  it('gives a flexible course one all-day event over its period', async () => {
    const id = await create(aCourse({ schedule: { timezone: 'Europe/Berlin', flexible: true, sessions: [] }, startDate: '2027-03-01', endDate: '2027-03-31' }));
    const ics = unfold((await t.http.get(`/api/v1/courses/${id}.ics`)).text);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(ics).toContain('DTSTART;VALUE=DATE:20270301');
    expect(ics).toContain('DTEND;VALUE=DATE:20270401');
    expect(ics).not.toContain('RRULE');
    const [event] = parseCalendar(ics).events;
    expect(event).toMatchObject({ uid: `${id}@sprachkursfinder`, allDay: true, rrule: null });
    expect([event?.start.toISODate(), event?.end.toISODate()]).toEqual(['2027-03-01', '2027-04-01']);
  });

  it('is valid RFC 5545: each TZID has its VTIMEZONE, DTSTAMP is UTC, and a calendar app reads the times back', async () => {
    const id = await create(aCourse({ days: ['tue', 'thu'], start: '09:00', end: '12:00', startDate: '2027-01-11', endDate: '2027-07-30' }));
    const res = await t.http.get(`/api/v1/courses/${id}.ics`).query({ lang: 'en' });
    expect(res.headers['content-disposition']).toBe(`attachment; filename="sprachkurs-${id}.ics"`);
    const calendar = parseCalendar(res.text);
    expect(calendar.name).toBe('Integration course A1');
    expect(calendar.zones).toEqual(['Europe/Berlin']);
    expect(calendar.events.map((e) => [e.uid, e.tzid, e.start.toISO({ includeOffset: false }), e.end.toFormat('HH:mm')])).toEqual([
      [`${id}-tue-0900@sprachkursfinder`, 'Europe/Berlin', '2027-01-12T09:00:00.000', '12:00'],
      [`${id}-thu-0900@sprachkursfinder`, 'Europe/Berlin', '2027-01-14T09:00:00.000', '12:00'],
    ]);
    const tuesdays = occurrences(calendar.events[0]!);
    expect(tuesdays).toHaveLength(29); // every Tuesday from 12 January to 27 July 2027
    expect(tuesdays.at(-1)?.toISODate()).toBe('2027-07-27');
    expect(tuesdays.every((at) => at.weekday === 2 && at.toFormat('HH:mm') === '09:00')).toBe(true);
  });

  it('keeps a session\'s UID when another session is removed, so a subscribed calendar does not move it to another day', async () => {
    const id = await create(aCourse({ days: ['tue', 'thu'], start: '09:00', end: '12:00' }));
    const before = parseCalendar((await t.http.get(`/api/v1/courses/${id}.ics`)).text);
    const thursday = before.events.find((e) => e.start.weekday === 4)!;
    const edited = await t.http
      .patch(`/api/v1/courses/${id}`)
      .set(provider.auth)
      .send({ version: 1, schedule: { timezone: 'Europe/Berlin', flexible: false, sessions: [{ day: 'thu', start: '09:00', end: '12:00' }] } });
    expect(edited.status).toBe(200);
    const after = parseCalendar((await t.http.get(`/api/v1/courses/${id}.ics`)).text);
    expect(after.events.map((e) => [e.uid, e.start.weekday])).toEqual([[thursday.uid, 4]]);
  });

  it("links each event to the course's page, in the calendar's language", async () => {
    const id = await create(aCourse());
    const german = parseCalendar((await t.http.get(`/api/v1/courses/${id}.ics`)).text).events;
    const pageUrl = expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/courses/${id}$`));
    expect(german.map(({ event }) => event.component.getFirstPropertyValue('url'))).toEqual([pageUrl, pageUrl]);
    const arabic = unfold((await t.http.get(`/api/v1/courses/${id}.ics`).query({ lang: 'ar' })).text);
    expect(arabic).toMatch(new RegExp(`URL;VALUE=URI:http://127\\.0\\.0\\.1:\\d+/courses/${id}\\?lang=ar`));
    expect(arabic).not.toContain('/api/v1/courses/');
  });

  it('keeps a 09:00 Berlin session at 09:00 local time across the October switch to winter time', async () => {
    // 2027-10-31 is the last Sunday of October: CEST (+02:00) ends. Mondays 25 October and 1 November.
    const id = await create(aCourse({ days: ['mon'], start: '09:00', end: '10:30', startDate: '2027-10-18', endDate: '2027-11-08' }));
    const [event] = parseCalendar((await t.http.get(`/api/v1/courses/${id}.ics`)).text).events;
    const expected = ['2027-10-18', '2027-10-25', '2027-11-01', '2027-11-08'].map((date) => DateTime.fromISO(`${date}T09:00`, { zone: 'Europe/Berlin' }));
    const got = occurrences(event!);
    expect(got.map((at) => at.toISO())).toEqual(expected.map((at) => at.toISO()));
    expect(got.map((at) => at.offset)).toEqual([120, 120, 60, 60]);
    expect(got.map((at) => at.toUTC().toFormat('HH:mm'))).toEqual(['07:00', '07:00', '08:00', '08:00']);
  });

  it('writes a course in London in London time, with the London VTIMEZONE', async () => {
    // 2027-03-28 is the last Sunday of March: BST starts in London, CEST in Berlin, both that night.
    const id = await create(aCourse({ days: ['wed'], start: '18:00', end: '20:00', startDate: '2027-03-15', endDate: '2027-04-07', schedule: { timezone: 'Europe/London', flexible: false, sessions: [{ day: 'wed', start: '18:00', end: '20:00' }] } }));
    const calendar = parseCalendar((await t.http.get(`/api/v1/courses/${id}.ics`)).text);
    expect(calendar.zones).toEqual(['Europe/London']);
    const [event] = calendar.events;
    expect(event?.tzid).toBe('Europe/London');
    expect(occurrences(event!).map((at) => at.toISO())).toEqual(
      ['2027-03-17', '2027-03-24', '2027-03-31', '2027-04-07'].map((date) => DateTime.fromISO(`${date}T18:00`, { zone: 'Europe/London' }).toISO()),
    );
  });

  it('keeps drafts private like the course page does', async () => {
    const id = await create(aCourse({ status: 'draft' }));
    expect((await t.http.get(`/api/v1/courses/${id}.ics`)).status).toBe(404);
    expect((await t.http.get(`/api/v1/courses/${id}.ics`).set(provider.auth)).status).toBe(200);
  });

  it('answers 404 for an unknown course', async () => {
    expect((await t.http.get('/api/v1/courses/0123456789abcdef01234567.ics')).status).toBe(404);
  });
});
