/**
 * Matching a client to courses (domain.md → Matching, api.md → Matching) through POST /api/v1/match against real
 * MongoDB + Meilisearch: each constraint excludes exactly what it should, matches are the search API's answer for the
 * same filters, near-misses fail exactly the one constraint they name, and "nothing fits" names what excludes most.
 * Checked on named courses and, against the matching oracle, on varied ones.
 */
import { clientProfileSchema, type ClientProfile, type ClientProfileInput } from '../../src/matching/client-profile.schema';
import { matchSearchParams } from '../../src/matching/match-constraints';
import type { MatchAnswer } from '../../src/matching/matching.service';
import type { CourseContentInput } from '../../src/courses/course.schema';
import { postcodePoint } from '../../src/places/places';
import { aCourse, aVenue, givenProvider, loginAs, type Session } from '../support/builders';
import { expectedExcludedMost, expectedMatching, ORACLE_CONSTRAINTS } from '../support/match-oracle';
import { arrangeCourses, pointAtDistance, search, sortedIds, variedCourses } from '../support/search-helpers';
import type { ArrangedCourse } from '../support/search-oracle';
import { createTestApp, type TestApp } from '../support/test-app';

const NOW = new Date('2026-12-01T09:00:00Z');
const TODAY = '2026-12-01';
const HOME = postcodePoint('76829') ?? { lat: 49.2, lng: 8.12 };
const PROVIDER = 'Volkshochschule Landau';

/** The mother of a one-year-old who can come only on Tuesday and Thursday mornings. */
const MOTHER: ClientProfileInput = {
  level: 'A1',
  slots: ['tue-morning', 'thu-morning'],
  childAgesMonths: [14],
  womenOnly: 'required',
  location: { postcode: '76829' },
  maxDistanceKm: 10,
  onlinePossible: false,
  freeOnly: true,
  startBy: '2027-03-01',
  lang: 'en',
};

const fits = aCourse({
  title: { de: 'Frauenkurs mit Kinderbetreuung' },
  womenOnly: true,
  childcare: { available: true, minAgeMonths: 6, maxAgeMonths: 36 },
  venue: aVenue(pointAtDistance(HOME, 0, 2)),
  startDate: '2027-01-11',
  endDate: '2027-07-30',
});

const FIXTURES = {
  fits,
  fitsRunning: { ...fits, title: { de: 'Läuft schon, Einstieg jederzeit' }, startDate: '2026-10-05', endDate: '2027-05-01', rollingEntry: true },
  fitsFlexible: { ...fits, title: { de: 'Zeiten nach Absprache' }, schedule: { timezone: 'Europe/Berlin', flexible: true, sessions: [] } },
  levelA2: { ...fits, title: { de: 'A2-Kurs' }, level: 'A2' },
  wednesdayToo: { ...fits, title: { de: 'Auch mittwochs' }, schedule: aCourse({ days: ['tue', 'wed'] }).schedule },
  childcareFromTwo: { ...fits, title: { de: 'Betreuung ab 2 Jahren' }, childcare: { available: true, minAgeMonths: 24 } },
  noChildcare: { ...fits, title: { de: 'Ohne Betreuung' }, childcare: { available: false } },
  mixed: { ...fits, title: { de: 'Für alle' }, womenOnly: false },
  onlineOnly: { ...fits, title: { de: 'Online' }, mode: 'online', venue: undefined },
  farAway: { ...fits, title: { de: 'Weit weg' }, venue: aVenue({ city: 'Neustadt', ...pointAtDistance(HOME, 0, 12.3) }) },
  paid: { ...fits, title: { de: 'Kostenpflichtig' }, cost: { free: false, pricePerLessonEur: 3 } },
  startsLate: { ...fits, title: { de: 'Beginnt im April' }, startDate: '2027-04-01', endDate: '2027-09-01' },
  ended: { ...fits, title: { de: 'Schon vorbei' }, startDate: '2026-09-01', endDate: '2026-11-20', rollingEntry: true },
  startedWithoutRollingEntry: { ...fits, title: { de: 'Hat schon begonnen' }, startDate: '2026-11-02' },
  draft: { ...fits, title: { de: 'Entwurf' }, status: 'draft' },
  levelAndPaid: { ...fits, title: { de: 'Zwei Gründe' }, level: 'A2', cost: { free: false } },
} satisfies Record<string, CourseContentInput>;
type Name = keyof typeof FIXTURES;

let t: TestApp;
let counselor: Session;
let all: ArrangedCourse[] = [];
const nameOf = new Map<string, Name>();

beforeAll(async () => {
  t = await createTestApp('matching', { clock: { now: () => NOW } });
  const providerId = await givenProvider(t, { name: PROVIDER });
  const provider = await loginAs(t, 'provider', providerId);
  counselor = await loginAs(t, 'counselor');
  const names = Object.keys(FIXTURES) as Name[];
  const named = await arrangeCourses(t, provider, PROVIDER, names.map((name) => FIXTURES[name]));
  named.forEach((course, i) => nameOf.set(course.id, names[i]!));
  const varied = await arrangeCourses(t, provider, PROVIDER, variedCourses(80, 11, 'Vielfalt '));
  all = [...named, ...varied].map((course) => ({ ...course, lastConfirmedAt: NOW }));
  await t.settle();
}, 180_000);

afterAll(async () => {
  await t?.close();
});

async function match(profile: ClientProfileInput): Promise<MatchAnswer> {
  const res = await t.http.post('/api/v1/match').set(counselor.auth).send(profile);
  if (res.status !== 200) throw new Error(`POST /match → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as MatchAnswer;
}

const named = (ids: string[]) => ids.map((id) => nameOf.get(id)).filter((name): name is Name => name !== undefined).sort();
const matchIds = (answer: MatchAnswer) => answer.matches.map((m) => m.course.id).sort();
const nearMissIds = (answer: MatchAnswer, code: string) => answer.nearMisses.filter((miss) => miss.failed === code).map((miss) => miss.course.id).sort();

describe('the mother of a one-year-old, Tuesday and Thursday mornings, 10 km around Landau', () => {
  let answer: MatchAnswer;
  beforeAll(async () => {
    answer = await match(MOTHER);
  });

  it('matches exactly the courses that hold every constraint and that she can still join', () => {
    expect(named(matchIds(answer))).toEqual(['fits', 'fitsFlexible', 'fitsRunning']);
  });

  it('lists each course that fails exactly one constraint under that constraint, and nothing that fails two or cannot be joined', () => {
    const byConstraint = Object.fromEntries(ORACLE_CONSTRAINTS.map((code) => [code, named(nearMissIds(answer, code))]));
    expect(byConstraint).toEqual({
      level: ['levelA2'],
      schedule: ['wednesdayToo'],
      childcare: ['childcareFromTwo', 'noChildcare'],
      womenOnly: ['mixed'],
      mode: ['onlineOnly'],
      distance: ['farAway'],
      cost: ['paid'],
      start: ['startsLate'],
    });
    const everywhere = named([...matchIds(answer), ...answer.nearMisses.map((miss) => miss.course.id)]);
    for (const never of ['ended', 'startedWithoutRollingEntry', 'draft', 'levelAndPaid'] as Name[]) expect(everywhere).not.toContain(never);
  });

  it('tells each near-miss with the reason the client understands', () => {
    const reasonOf = (name: Name) => answer.nearMisses.find((miss) => nameOf.get(miss.course.id) === name)?.reason;
    expect(reasonOf('levelA2')).toBe('Level A2, not A1');
    expect(reasonOf('wednesdayToo')).toBe('Also meets on Wednesday morning');
    expect(reasonOf('childcareFromTwo')).toBe('Childcare for children at least 2 years old; your child is 14 months');
    expect(reasonOf('noChildcare')).toBe('No childcare');
    expect(reasonOf('mixed')).toBe('Not only for women');
    expect(reasonOf('onlineOnly')).toBe('Online only');
    expect(reasonOf('farAway')).toBe('12.3 km: 2.3 km beyond your 10 km');
    expect(reasonOf('paid')).toBe('Not free of charge');
    expect(reasonOf('startsLate')).toBe('Starts on Apr 1, 2027, after Mar 1, 2027');
  });

  it('has no excludedMost when something matches', () => {
    expect(answer.excludedMost).toBeUndefined();
  });
});

/** Profiles over the named and the varied courses: every constraint set and unset, each kind of location. */
const PROFILES: ClientProfileInput[] = [
  MOTHER,
  { level: 'A1' },
  { level: 'B1', slots: ['mon-evening', 'tue-evening', 'wed-evening', 'thu-evening'], location: { place: 'Landau in der Pfalz' }, maxDistanceKm: 30 },
  { level: 'A2', childAgesMonths: [10, 30], onlinePossible: true, freeOnly: true },
  { level: 'alpha', womenOnly: 'required', location: { near: { lat: 49.25, lng: 8.05 } }, maxDistanceKm: 20, onlinePossible: true, startBy: '2027-02-15' },
  { level: 'C1', slots: ['sat-morning'], childAgesMonths: [20], location: { postcode: '76829' }, maxDistanceKm: 5, freeOnly: true, startBy: TODAY },
];

describe.each(PROFILES.map((input) => [JSON.stringify(input), clientProfileSchema.parse(input)] as [string, ClientProfile]))('the profile %s', (_title, profile) => {
  let answer: MatchAnswer;
  let expected: ReturnType<typeof expectedMatching>;
  beforeAll(async () => {
    answer = await match(profile);
    expected = expectedMatching(all, profile, TODAY, { now: NOW });
  });

  it('matches exactly what the domain says, and what GET /api/v1/courses finds for the same filters', async () => {
    expect(matchIds(answer)).toEqual(expected.matches);
    const body = await search(t, { ...matchSearchParams(profile, TODAY), perPage: 100 });
    expect(body.total).toBe(answer.matches.length);
    expect(sortedIds(body)).toEqual(matchIds(answer));
  });

  it('lists, per constraint, courses failing exactly that one: all of them up to 10', () => {
    for (const code of ORACLE_CONSTRAINTS) {
      const failingOnly = expected.failingOnly[code] ?? [];
      const listed = nearMissIds(answer, code);
      expect({ code, count: listed.length }).toEqual({ code, count: Math.min(10, failingOnly.length) });
      expect(listed.filter((id) => !failingOnly.includes(id))).toEqual([]);
    }
  });

  it('ranks best first, every score in [0, 1]', () => {
    const scores = answer.matches.map((m) => m.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const score of scores) expect(score >= 0 && score <= 1).toBe(true);
  });

  it('names the constraint that excludes the most only when nothing matches', () => {
    expect(answer.excludedMost).toBe(expected.matches.length === 0 ? expectedExcludedMost(expected.failingOnly) : undefined);
  });
});

describe('when nothing fits', () => {
  it('names the constraint whose removal admits the most courses', async () => {
    // Nothing at level C2 for the mother; without the level her courses (and the A2 one) would fit.
    const profile = clientProfileSchema.parse({ ...MOTHER, level: 'C2' });
    const expected = expectedMatching(all, profile, TODAY, { now: NOW });
    expect(expected.matches).toEqual([]);
    const answer = await match(profile);
    expect(answer.matches).toEqual([]);
    expect(answer.excludedMost).toBe('level');
    expect(expectedExcludedMost(expected.failingOnly)).toBe('level');
    expect(named(nearMissIds(answer, 'level'))).toEqual(['fits', 'fitsFlexible', 'fitsRunning', 'levelA2']);
  });

  it('names none when no single removal would admit a course', async () => {
    const profile = clientProfileSchema.parse({ level: 'C2', slots: ['sun-evening'], womenOnly: 'required', location: { near: { lat: 54.5, lng: 6.5 } }, maxDistanceKm: 5, freeOnly: true, startBy: TODAY });
    const expected = expectedMatching(all, profile, TODAY, { now: NOW });
    expect(expectedExcludedMost(expected.failingOnly)).toBeUndefined();
    const answer = await match(profile);
    expect(answer).toEqual({ matches: [], nearMisses: [] });
  });
});
