/**
 * How POST /api/v1/match orders and explains its matches (domain.md → Matching: "Ranking" and reasons), and who may
 * ask: counselors and admins; anonymous 401, providers 403; a start date in the past is a 400 naming startBy.
 */
import type { ClientProfileInput } from '../../src/matching/client-profile.schema';
import type { MatchAnswer } from '../../src/matching/matching.service';
import type { CourseContentInput } from '../../src/courses/course.schema';
import { postcodePoint } from '../../src/places/places';
import { paramsOf } from '../support/api-errors';
import { aCourse, aVenue, givenProvider, loginAs, type Session } from '../support/builders';
import { arrangeCourses, DAY_MS, pointAtDistance, setLastConfirmedAt } from '../support/search-helpers';
import { createTestApp, type TestApp } from '../support/test-app';

const NOW = new Date('2026-12-01T09:00:00Z');
const HOME = postcodePoint('76829') ?? { lat: 49.2, lng: 8.12 };

/** Every ranking fact at its worst: starts in 9 months, full with a long waiting list, 24 km away, women and men. */
const worst = aCourse({
  title: { de: 'Ranking B1' },
  level: 'B1',
  targetLevel: 'B2',
  startDate: '2027-09-01',
  endDate: '2028-03-01',
  seats: { capacity: 15, available: 0, waitlist: 30 },
  venue: aVenue(pointAtDistance(HOME, 180, 24)),
  womenOnly: false,
});
const best = {
  soon: { startDate: '2026-12-08' },
  seats: { seats: { capacity: 15, available: 4, waitlist: 0 } },
  near: { venue: aVenue(pointAtDistance(HOME, 180, 0.5)) },
  women: { womenOnly: true },
} satisfies Record<string, Partial<CourseContentInput>>;

/** Courses that differ in ranking facts only; `stale` ones are confirmed 80 days ago (the others just now). */
const RANKED = {
  // Each one fully ahead on one fact and behind on it for every course after it in the weight order.
  soonOnly: { ...worst, ...best.soon },
  runningOnly: { ...worst, startDate: '2026-10-01', rollingEntry: true },
  seatsAndBelow: { ...worst, ...best.seats, ...best.near, ...best.women },
  nearAndBelow: { ...worst, ...best.near, ...best.women },
  freshAndBelow: { ...worst, ...best.women },
  womenOnly: { ...worst, ...best.women },
  nothing: worst,
  // The same course but for its seats: free seats, then a short waiting list, then a long one.
  seatsFree: { ...worst, seats: { capacity: 15, available: 2 } },
  waitlistShort: { ...worst, seats: { capacity: 15, available: 0, waitlist: 1 } },
  waitlistLong: { ...worst, seats: { capacity: 15, available: 0, waitlist: 20 } },
} satisfies Record<string, CourseContentInput>;
type RankedName = keyof typeof RANKED;
const STALE: RankedName[] = ['soonOnly', 'runningOnly', 'seatsAndBelow', 'nearAndBelow', 'womenOnly', 'nothing', 'seatsFree', 'waitlistShort', 'waitlistLong'];

const RANKING_PROFILE: ClientProfileInput = { level: 'B1', location: { postcode: '76829' }, maxDistanceKm: 25, womenOnly: 'preferred', lang: 'en' };

/** A course that holds every constraint of the reasons profile and every ranking fact that can be told. */
const explained = aCourse({
  title: { de: 'Frauenkurs A1 mit Kinderbetreuung' },
  womenOnly: true,
  childcare: { available: true, minAgeMonths: 6, maxAgeMonths: 36 },
  venue: aVenue(pointAtDistance(HOME, 90, 3.2)),
  startDate: '2026-12-15',
  endDate: '2027-06-30',
  seats: { capacity: 15, available: 3, waitlist: 0 },
});
const REASONS_PROFILE: ClientProfileInput = {
  level: 'A1',
  slots: ['tue-morning', 'thu-morning'],
  childAgesMonths: [14],
  womenOnly: 'required',
  location: { postcode: '76829' },
  maxDistanceKm: 10,
  freeOnly: true,
  startBy: '2027-03-01',
};

let t: TestApp;
let counselor: Session;
let provider: Session;
const idOf = new Map<string, string>();

beforeAll(async () => {
  t = await createTestApp('matchranking', { clock: { now: () => NOW } });
  const providerId = await givenProvider(t, { name: 'Sprachschule Südpfalz' });
  provider = await loginAs(t, 'provider', providerId);
  counselor = await loginAs(t, 'counselor');
  const names = [...(Object.keys(RANKED) as RankedName[]), 'explained'];
  const courses = await arrangeCourses(t, provider, 'Sprachschule Südpfalz', [...Object.values(RANKED), explained]);
  courses.forEach((course, i) => idOf.set(names[i]!, course.id));
  // Indexed first: a confirmation date changed while the worker still pushes the new course could be marked done unseen.
  await t.settle();
  for (const name of STALE) await setLastConfirmedAt(t, idOf.get(name)!, new Date(NOW.getTime() - 80 * DAY_MS));
  await setLastConfirmedAt(t, idOf.get('explained')!, new Date(NOW.getTime() - 5 * DAY_MS));
  await t.settle();
}, 120_000);

afterAll(async () => {
  await t?.close();
});

async function match(profile: ClientProfileInput, session: Session = counselor): Promise<MatchAnswer> {
  const res = await t.http.post('/api/v1/match').set(session.auth).send(profile);
  if (res.status !== 200) throw new Error(`POST /match → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as MatchAnswer;
}

describe('ranking', () => {
  let order: string[];
  let answer: MatchAnswer;
  beforeAll(async () => {
    answer = await match(RANKING_PROFILE);
    const nameOf = new Map([...idOf].map(([name, id]) => [id, name]));
    order = answer.matches.map((m) => nameOf.get(m.course.id) ?? m.course.id);
  });
  const before = (a: RankedName, b: RankedName) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));

  it('follows the weight order: starts soon, then seats, then closer, then recently confirmed, then women-only when preferred', () => {
    expect(order.filter((name) => ['soonOnly', 'seatsAndBelow', 'nearAndBelow', 'freshAndBelow', 'womenOnly', 'nothing'].includes(name))).toEqual([
      'soonOnly',
      'seatsAndBelow',
      'nearAndBelow',
      'freshAndBelow',
      'womenOnly',
      'nothing',
    ]);
  });

  it('counts a running course with rolling entry as starting soon', () => {
    before('runningOnly', 'seatsAndBelow');
  });

  it('puts free seats before a short waiting list, and a short waiting list before a long one', () => {
    before('seatsFree', 'waitlistShort');
    before('waitlistShort', 'waitlistLong');
    before('waitlistLong', 'nothing');
  });

  it('scores in [0, 1], best first', () => {
    const scores = answer.matches.map((m) => m.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(Math.max(...scores)).toBeLessThanOrEqual(1);
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(0);
  });

  it('tells "women-only, as preferred" only for women-only courses', () => {
    const reasonCodes = (name: RankedName) => answer.matches.find((m) => m.course.id === idOf.get(name))?.reasons.map((r) => r.code);
    expect(reasonCodes('womenOnly')).toContain('womenPreferred');
    expect(reasonCodes('nothing')).not.toContain('womenPreferred');
  });
});

describe('reasons', () => {
  const reasonsIn = async (lang: 'de' | 'en') => {
    const answer = await match({ ...REASONS_PROFILE, lang });
    const found = answer.matches.find((m) => m.course.id === idOf.get('explained'));
    if (!found) throw new Error(`the explained course is no match: ${JSON.stringify(answer)}`);
    return found.reasons;
  };

  it('gives one reason per constraint the profile sets, then the ranking facts, in English', async () => {
    expect(await reasonsIn('en')).toEqual([
      { code: 'level', text: 'Level A1: fits' },
      { code: 'schedule', text: 'Tue & Thu 09:00 AM–12:00 PM: fits your times' },
      { code: 'childcare', text: 'Childcare for your child (14 months)' },
      { code: 'womenOnly', text: 'Only for women' },
      { code: 'mode', text: 'In person' },
      { code: 'distance', text: '3.2 km away' },
      { code: 'cost', text: 'Free of charge' },
      { code: 'start', text: 'Starts on Dec 15, 2026 (by Mar 1, 2027)' },
      { code: 'soon', text: 'Starts in 2 weeks' },
      { code: 'seats', text: '3 places free' },
      { code: 'near', text: 'Close by: 3.2 km' },
      { code: 'fresh', text: 'Confirmed 5 days ago' },
    ]);
  });

  it('says the same in German, with German numbers and dates', async () => {
    expect(await reasonsIn('de')).toEqual([
      { code: 'level', text: 'Niveau A1: passt' },
      { code: 'schedule', text: 'Di und Do 09:00–12:00: passt zu Ihren Zeiten' },
      { code: 'childcare', text: 'Kinderbetreuung für Ihr Kind (14 Monate)' },
      { code: 'womenOnly', text: 'Nur für Frauen' },
      { code: 'mode', text: 'Vor Ort' },
      { code: 'distance', text: '3,2 km entfernt' },
      { code: 'cost', text: 'Kostenlos' },
      { code: 'start', text: 'Beginnt am 15. Dez. 2026 (bis 1. März 2027)' },
      { code: 'soon', text: 'Beginnt in 2 Wochen' },
      { code: 'seats', text: '3 Plätze frei' },
      { code: 'near', text: 'In der Nähe: 3,2 km' },
      { code: 'fresh', text: 'Bestätigt vor 5 Tagen' },
    ]);
  });

  it('gives only the level among the constraints when the profile sets nothing else but online', async () => {
    const answer = await match({ level: 'A1', onlinePossible: true, lang: 'en' });
    const reasons = answer.matches.find((m) => m.course.id === idOf.get('explained'))?.reasons ?? [];
    expect(reasons.map((r) => r.code)).toEqual(['level', 'soon', 'seats', 'fresh']);
  });
});

describe('who may match', () => {
  it('asks anonymous callers to log in (401) and refuses providers (403)', async () => {
    expect((await t.http.post('/api/v1/match').send(RANKING_PROFILE)).status).toBe(401);
    expect((await t.http.post('/api/v1/match').set(provider.auth).send(RANKING_PROFILE)).status).toBe(403);
  });

  it('lets admins match too', async () => {
    const admin = await loginAs(t, 'admin');
    expect((await match(RANKING_PROFILE, admin)).matches.length).toBeGreaterThan(0);
  });

  it('refuses a start date before today in Berlin (400 naming startBy), and takes today', async () => {
    // 09:00 UTC on 1 December is 10:00 in Berlin: yesterday is 30 November.
    const res = await t.http.post('/api/v1/match').set(counselor.auth).send({ ...RANKING_PROFILE, startBy: '2026-11-30' });
    expect(res.status).toBe(400);
    expect(paramsOf(res)).toEqual(['startBy']);
    expect((await t.http.post('/api/v1/match').set(counselor.auth).send({ ...RANKING_PROFILE, startBy: '2026-12-01' })).status).toBe(200);
  });

  it('names the profile field of an unknown postcode, and of a field no profile has', async () => {
    const unknown = await t.http.post('/api/v1/match').set(counselor.auth).send({ ...RANKING_PROFILE, location: { postcode: '00000' } });
    expect(unknown.status).toBe(400);
    expect(paramsOf(unknown)).toEqual(['location.postcode']);
    const named = await t.http.post('/api/v1/match').set(counselor.auth).send({ ...RANKING_PROFILE, name: 'Fatima' });
    expect(named.status).toBe(400);
    expect(paramsOf(named)).toEqual(['name']);
  });
});
