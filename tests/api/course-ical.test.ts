import { aCourse, givenProvider, loginAs, type Session } from '../support/builders';
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
