import type { Response } from 'supertest';
import { courseModel, type CourseRecord } from '../../src/courses/course.model';
import type { CourseResponse } from '../../src/courses/course.presenter';
import { errorOf, paramsOf } from '../support/api-errors';
import { aCourse, aVenue, type CourseOverrides, type Session } from '../support/builders';
import { givenCast, type Cast, type Who } from '../support/cast';
import { createTestApp, type TestApp } from '../support/test-app';

type JsonBody = Record<string, unknown>;

let t: TestApp;
let ownProviderId: string;
let own: Session;
let admin: Session;
let authOf: Cast['authOf'];

beforeAll(async () => {
  t = await createTestApp('coursewrites');
  ({ ownProviderId, own, admin, authOf } = await givenCast(t, ['Volkshochschule Landau', 'Sprachschule Kaiserslautern']));
});
afterAll(async () => {
  await t.close();
});

const courses = () => courseModel(t.services.deps.db);
const stored = (id: string): Promise<CourseRecord> => t.services.courses.findRecord(id);
const courseUrl = (id: string) => `/api/v1/courses/${id}`;
const courseOf = (res: Response) => res.body as CourseResponse;

/** A published course of the own provider, created through the API. */
async function aStoredCourse(overrides: CourseOverrides = {}): Promise<CourseResponse> {
  const res = await t.http.post('/api/v1/courses').set(own.auth).send(aCourse(overrides));
  if (res.status !== 201) throw new Error(`could not create a course: ${res.status} ${JSON.stringify(res.body)}`);
  return courseOf(res);
}

async function auditActionsFor(id: string): Promise<string[]> {
  return (await t.services.audit.listFor('course', id)).map((entry) => entry.action);
}

describe('who may write courses', () => {
  describe('POST /api/v1/courses', () => {
    type Case = { who: Who; providerId: 'own' | 'none'; status: number; code?: string; param?: string };
    it.each<Case>([
      { who: 'anonymous', providerId: 'own', status: 401, code: 'unauthorized' },
      { who: 'a counselor', providerId: 'own', status: 403, code: 'forbidden' },
      { who: 'a provider of another organisation', providerId: 'own', status: 403, code: 'forbidden' },
      { who: 'the own provider', providerId: 'none', status: 201 },
      { who: 'the own provider', providerId: 'own', status: 201 },
      { who: 'an admin', providerId: 'own', status: 201 },
      { who: 'an admin', providerId: 'none', status: 400, code: 'invalid_body', param: 'providerId' },
    ])('answers $status when $who creates a course (providerId: $providerId)', async ({ who, providerId, status, code, param }) => {
      const marker = `Matrixkurs ${who} ${providerId}`;
      const body = { ...aCourse({ title: { de: marker } }), ...(providerId === 'own' ? { providerId: ownProviderId } : {}) };

      const res = await t.http.post('/api/v1/courses').set(authOf(who)).send(body);

      expect(res.status).toBe(status);
      const saved = await courses().find({ 'title.de': marker }).lean();
      if (status === 201) {
        expect(courseOf(res)).toMatchObject({ providerId: ownProviderId, version: 1, status: 'published', title: { de: marker } });
        expect(saved).toHaveLength(1);
        expect(saved[0]?.providerId.toString()).toBe(ownProviderId);
        expect(saved[0]?._id.toString()).toBe(courseOf(res).id);
        expect(res.headers.etag).toBe('"1"');
      } else {
        expect(errorOf(res).code).toBe(code);
        if (param) expect(paramsOf(res)).toContain(param);
        expect(saved).toHaveLength(0);
      }
    });

    it('refuses an admin naming a provider that does not exist', async () => {
      const res = await t.http
        .post('/api/v1/courses')
        .set(admin.auth)
        .send({ ...aCourse({ title: { de: 'Kurs ohne Träger' } }), providerId: 'aaaaaaaaaaaaaaaaaaaaaaaa' });
      expect(res.status).toBe(400);
      expect(paramsOf(res)).toEqual(['providerId']);
      expect(await courses().countDocuments({ 'title.de': 'Kurs ohne Träger' })).toBe(0);
    });
  });

  const refusals: Array<{ who: Who; status: number; code: string }> = [
    { who: 'anonymous', status: 401, code: 'unauthorized' },
    { who: 'a counselor', status: 403, code: 'forbidden' },
    { who: 'a provider of another organisation', status: 403, code: 'forbidden' },
  ];
  const permitted: Who[] = ['the own provider', 'an admin'];

  describe('PATCH /api/v1/courses/:id', () => {
    it.each(refusals)('refuses $who editing a course with $status', async ({ who, status, code }) => {
      const course = await aStoredCourse();
      const res = await t.http.patch(courseUrl(course.id)).set(authOf(who)).send({ version: 1, seats: { available: 2 } });
      expect(res.status).toBe(status);
      expect(errorOf(res).code).toBe(code);
      const after = await stored(course.id);
      expect(after.version).toBe(1);
      expect(after.seats.available).toBe(5);
      expect(await auditActionsFor(course.id)).toEqual(['create']);
    });

    it.each(permitted)('lets %s edit the course', async (who) => {
      const course = await aStoredCourse();
      const res = await t.http.patch(courseUrl(course.id)).set(authOf(who)).send({ version: 1, seats: { available: 2 } });
      expect(res.status).toBe(200);
      expect(courseOf(res)).toMatchObject({ id: course.id, version: 2, seats: { capacity: 20, available: 2 } });
      expect(res.headers.etag).toBe('"2"');
      const after = await stored(course.id);
      expect(after.version).toBe(2);
      expect(after.seats.available).toBe(2);
    });
  });

  describe('DELETE /api/v1/courses/:id', () => {
    it.each(refusals)('refuses $who archiving a course with $status', async ({ who, status, code }) => {
      const course = await aStoredCourse();
      const res = await t.http.delete(courseUrl(course.id)).set(authOf(who));
      expect(res.status).toBe(status);
      expect(errorOf(res).code).toBe(code);
      const after = await stored(course.id);
      expect(after).toMatchObject({ status: 'published', version: 1 });
    });

    it.each(permitted)('lets %s archive the course', async (who) => {
      const course = await aStoredCourse();
      const res = await t.http.delete(courseUrl(course.id)).set(authOf(who));
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(await stored(course.id)).toMatchObject({ status: 'archived', version: 2 });
    });
  });

  describe('POST /api/v1/courses/:id/confirm', () => {
    it.each(refusals)('refuses $who confirming a course with $status', async ({ who, status, code }) => {
      const course = await aStoredCourse();
      const before = await stored(course.id);
      const res = await t.http.post(`${courseUrl(course.id)}/confirm`).set(authOf(who));
      expect(res.status).toBe(status);
      expect(errorOf(res).code).toBe(code);
      const after = await stored(course.id);
      expect(after.version).toBe(1);
      expect(after.lastConfirmedAt).toEqual(before.lastConfirmedAt);
    });

    it.each(permitted)('lets %s confirm the course', async (who) => {
      const course = await aStoredCourse();
      const res = await t.http.post(`${courseUrl(course.id)}/confirm`).set(authOf(who));
      expect(res.status).toBe(200);
      expect(courseOf(res).version).toBe(2);
      expect((await stored(course.id)).version).toBe(2);
    });
  });

  it('answers 404 for a course that does not exist', async () => {
    const res = await t.http.patch(courseUrl('aaaaaaaaaaaaaaaaaaaaaaaa')).set(own.auth).send({ version: 1, seats: { available: 1 } });
    expect(res.status).toBe(404);
    expect(errorOf(res).code).toBe('not_found');
  });
});

describe('two editors of the same course (optimistic concurrency)', () => {
  it('lets exactly one of two concurrent edits of the same version win, and the loser learns the current version', async () => {
    const course = await aStoredCourse();
    const [seenByProvider, seenByAdmin] = await Promise.all([
      t.http.get(courseUrl(course.id)).set(own.auth),
      t.http.get(courseUrl(course.id)).set(admin.auth),
    ]);
    expect(courseOf(seenByProvider).version).toBe(1);
    expect(courseOf(seenByAdmin).version).toBe(1);

    const edits = [
      { by: own, change: { seats: { available: 1 } } },
      { by: admin, change: { title: { de: 'Integrationskurs A1 – Vormittag' } } },
    ];
    const responses = await Promise.all(edits.map((e) => t.http.patch(courseUrl(course.id)).set(e.by.auth).send({ version: 1, ...e.change })));

    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const winnerAt = responses.findIndex((r) => r.status === 200);
    const winner = responses[winnerAt]!;
    const loser = responses[1 - winnerAt]!;
    expect(courseOf(winner).version).toBe(2);
    expect(errorOf(loser)).toMatchObject({ code: 'version_conflict', currentVersion: 2 });

    const afterRace = await stored(course.id);
    expect(afterRace.version).toBe(2);
    const retitled = { ...course.title, de: 'Integrationskurs A1 – Vormittag' };
    if (winnerAt === 0) {
      expect(afterRace.seats.available).toBe(1);
      expect(afterRace.title).toEqual(course.title);
    } else {
      expect(afterRace.title).toEqual(retitled);
      expect(afterRace.seats.available).toBe(5);
    }

    // The loser reloads and applies the change again: both changes are kept.
    const reloaded = await t.http.get(courseUrl(course.id)).set(edits[1 - winnerAt]!.by.auth);
    const retry = await t.http
      .patch(courseUrl(course.id))
      .set(edits[1 - winnerAt]!.by.auth)
      .send({ version: courseOf(reloaded).version, ...edits[1 - winnerAt]!.change });
    expect(retry.status).toBe(200);
    expect(courseOf(retry).version).toBe(3);
    const final = await stored(course.id);
    expect(final.version).toBe(3);
    expect(final.seats.available).toBe(1);
    expect(final.title).toEqual(retitled);
  });

  it('stores exactly one of five concurrent edits of the same version, and audits only that one', async () => {
    const course = await aStoredCourse();
    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map((available) => t.http.patch(courseUrl(course.id)).set(own.auth).send({ version: 1, seats: { available } })),
    );
    const winners = responses.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    for (const loser of responses.filter((r) => r.status !== 200)) {
      expect(loser.status).toBe(409);
      expect(errorOf(loser).currentVersion).toBe(2);
    }
    const after = await stored(course.id);
    expect(after.version).toBe(2);
    expect(after.seats.available).toBe(courseOf(winners[0]!).seats.available);
    expect(await auditActionsFor(course.id)).toEqual(['create', 'update']);
  });

  it('accepts the version as an If-Match header, like the body field', async () => {
    const course = await aStoredCourse();
    const res = await t.http.patch(courseUrl(course.id)).set(own.auth).set('If-Match', '"1"').send({ seats: { waitlist: 3 } });
    expect(res.status).toBe(200);
    expect(courseOf(res).version).toBe(2);
    expect(res.headers.etag).toBe('"2"');

    const stale = await t.http.patch(courseUrl(course.id)).set(own.auth).set('If-Match', '"1"').send({ seats: { waitlist: 9 } });
    expect(stale.status).toBe(409);
    expect(errorOf(stale)).toMatchObject({ code: 'version_conflict', currentVersion: 2 });

    const after = await stored(course.id);
    expect(after.version).toBe(2);
    expect(after.seats.waitlist).toBe(3);
  });

  it('refuses an edit without a version, naming version', async () => {
    const course = await aStoredCourse();
    const res = await t.http.patch(courseUrl(course.id)).set(own.auth).send({ seats: { available: 0 } });
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('invalid_body');
    expect(paramsOf(res)).toEqual(['version']);
    expect(await stored(course.id)).toMatchObject({ version: 1, seats: { available: 5 } });
  });

  it('refuses a body version that contradicts If-Match', async () => {
    const course = await aStoredCourse();
    const res = await t.http.patch(courseUrl(course.id)).set(own.auth).set('If-Match', '"2"').send({ version: 1, seats: { available: 0 } });
    expect(res.status).toBe(400);
    expect(paramsOf(res)).toEqual(['version']);
    expect((await stored(course.id)).seats.available).toBe(5);
  });
});

describe('editing with a merge patch', () => {
  it('changes only the seat count that was sent and keeps the capacity', async () => {
    const course = await aStoredCourse();
    const res = await t.http.patch(courseUrl(course.id)).set(own.auth).send({ version: 1, seats: { available: 0 } });
    expect(res.status).toBe(200);
    expect(courseOf(res).seats).toMatchObject({ capacity: 20, available: 0, waitlist: 0 });
    const after = await stored(course.id);
    expect(after.seats).toMatchObject({ capacity: 20, available: 0, waitlist: 0 });
    expect(after.title).toEqual(course.title);
    expect(after.schedule).toEqual(course.schedule);
    expect(after.venue).toEqual(course.venue);
  });

  it('removes an optional field that is set to null, also inside an object', async () => {
    const course = await aStoredCourse({ exam: 'DTZ', childcare: { available: true, minAgeMonths: 12, maxAgeMonths: 36 } });
    const res = await t.http
      .patch(courseUrl(course.id))
      .set(own.auth)
      .send({ version: 1, exam: null, description: null, childcare: { minAgeMonths: null } });
    expect(res.status).toBe(200);
    expect(courseOf(res)).not.toHaveProperty('exam');
    expect(courseOf(res)).not.toHaveProperty('description');
    expect(courseOf(res).childcare).toEqual({ available: true, maxAgeMonths: 36 });
    const after = await stored(course.id);
    expect(after).not.toHaveProperty('exam');
    expect(after).not.toHaveProperty('description');
    expect(after.childcare).toEqual({ available: true, maxAgeMonths: 36 });
    expect(after.title).toEqual(course.title);
  });

  it('refuses null for a required field', async () => {
    const course = await aStoredCourse();
    const res = await t.http.patch(courseUrl(course.id)).set(own.auth).send({ version: 1, title: null });
    expect(res.status).toBe(400);
    expect(paramsOf(res)).toContain('title');
    expect((await stored(course.id)).title).toEqual(course.title);
  });
});

describe('archiving and confirming', () => {
  it('archives a deleted course: kept in the database, gone for the public, still there for its provider', async () => {
    const course = await aStoredCourse({ title: { de: 'Archivkurs Quokka' } });
    await t.settle();
    const findQuokka = async () => (await t.http.get('/api/v1/courses').query({ q: 'Quokka' })).body.hits.map((h: { id: string }) => h.id);
    expect(await findQuokka()).toEqual([course.id]);

    const res = await t.http.delete(courseUrl(course.id)).set(own.auth);
    expect(res.status).toBe(204);

    const record = await courses().findById(course.id).lean();
    expect(record).toMatchObject({ status: 'archived', version: 2, title: { de: 'Archivkurs Quokka' } });
    expect((await t.http.get(courseUrl(course.id))).status).toBe(404);
    const forOwner = await t.http.get(courseUrl(course.id)).set(own.auth);
    expect(forOwner.status).toBe(200);
    expect(courseOf(forOwner)).toMatchObject({ status: 'archived', version: 2 });
    await t.settle();
    expect(await findQuokka()).toEqual([]);
  });

  it('answers 204 again for a course that is already archived, without a new version', async () => {
    const course = await aStoredCourse();
    expect((await t.http.delete(courseUrl(course.id)).set(own.auth)).status).toBe(204);
    expect((await t.http.delete(courseUrl(course.id)).set(own.auth)).status).toBe(204);
    expect(await stored(course.id)).toMatchObject({ status: 'archived', version: 2 });
  });

  it('makes a stale listing current again when its provider confirms it', async () => {
    const course = await aStoredCourse();
    const longAgo = new Date(Date.now() - 100 * 86_400_000);
    await courses().updateOne({ _id: course.id }, { $set: { lastConfirmedAt: longAgo } });
    expect(courseOf(await t.http.get(courseUrl(course.id))).stale).toBe(true);

    const before = Date.now();
    const res = await t.http.post(`${courseUrl(course.id)}/confirm`).set(own.auth);
    const after = Date.now();

    expect(res.status).toBe(200);
    expect(courseOf(res)).toMatchObject({ version: 2, stale: false });
    const confirmedAt = new Date(courseOf(res).lastConfirmedAt).getTime();
    expect(confirmedAt).toBeGreaterThanOrEqual(before);
    expect(confirmedAt).toBeLessThanOrEqual(after);
    const record = await stored(course.id);
    expect(record.version).toBe(2);
    expect(record.lastConfirmedAt.getTime()).toBe(confirmedAt);
    expect(record.title).toEqual(course.title);
  });

  it('counts an edit by the provider as a confirmation, but not an admin\'s fix or an archive', async () => {
    const longAgo = new Date(Date.now() - 100 * 86_400_000);
    const makeStale = async (id: string) => courses().updateOne({ _id: id }, { $set: { lastConfirmedAt: longAgo } });

    const byAdmin = await aStoredCourse();
    await makeStale(byAdmin.id);
    const fixed = await t.http.patch(courseUrl(byAdmin.id)).set(admin.auth).send({ version: 1, title: { de: 'Tippfehler behoben' } });
    expect(fixed.status).toBe(200);
    expect(courseOf(fixed).stale).toBe(true);
    expect((await stored(byAdmin.id)).lastConfirmedAt).toEqual(longAgo);

    const archived = await aStoredCourse();
    await makeStale(archived.id);
    expect((await t.http.delete(courseUrl(archived.id)).set(own.auth)).status).toBe(204);
    expect((await stored(archived.id)).lastConfirmedAt).toEqual(longAgo);

    const byProvider = await aStoredCourse();
    await makeStale(byProvider.id);
    const edited = await t.http.patch(courseUrl(byProvider.id)).set(own.auth).send({ version: 1, seats: { available: 2 } });
    expect(courseOf(edited).stale).toBe(false);
    expect((await stored(byProvider.id)).lastConfirmedAt.getTime()).toBeGreaterThan(longAgo.getTime());
  });
});

describe('audit trail', () => {
  it('records who created, changed, confirmed and archived a course, with the changed fields', async () => {
    const course = await aStoredCourse();
    expect((await t.http.patch(courseUrl(course.id)).set(admin.auth).send({ version: 1, title: { de: 'Neuer Titel' }, seats: { available: 4 } })).status).toBe(200);
    expect((await t.http.post(`${courseUrl(course.id)}/confirm`).set(own.auth)).status).toBe(200);
    expect((await t.http.delete(courseUrl(course.id)).set(own.auth)).status).toBe(204);

    const entries = await t.services.audit.listFor('course', course.id);
    const summary = entries.map((e) => ({ action: e.action, fields: e.fields, userId: e.actor.userId?.toString(), role: e.actor.role }));
    expect(summary).toEqual([
      { action: 'create', fields: expect.arrayContaining(['title', 'schedule', 'seats', 'venue', 'status']), userId: own.userId, role: 'provider' },
      { action: 'update', fields: ['seats', 'title'], userId: admin.userId, role: 'admin' },
      { action: 'confirm', fields: ['lastConfirmedAt'], userId: own.userId, role: 'provider' },
      { action: 'archive', fields: ['status'], userId: own.userId, role: 'provider' },
    ]);
    for (const entry of entries) expect(entry.entityId.toString()).toBe(course.id);
    for (const entry of entries) expect(entry.providerId?.toString()).toBe(own.providerId);
    expect(entries[1]?.changes).toEqual([
      { field: 'seats.available', from: 5, to: 4 },
      { field: 'title.de', from: 'Integrationskurs A1', to: 'Neuer Titel' },
    ]);
    expect(entries[3]?.changes).toEqual([{ field: 'status', from: 'published', to: 'archived' }]);
    const trail = await t.services.audit.recent({ providerId: own.providerId ?? '', entity: 'course', entityId: course.id });
    expect(trail.map((e) => e.action)).toEqual(['archive', 'confirm', 'update', 'create']);
  });
});

describe('bad request bodies', () => {
  const onlineCourse = { mode: 'online' as const, venue: undefined };
  const badCreates: Array<[string, JsonBody, string]> = [
    ['an unknown field', { ...aCourse(), colour: 'red' }, 'colour'],
    ['a $-prefixed key', { ...aCourse(), $where: 1 }, '$where'],
    ['a $-prefixed key inside the title', { ...aCourse(), title: { $gt: 'x' } }, 'title.$gt'],
    ['a dotted key', { ...aCourse(), 'title.de': 'x' }, 'title.de'],
    ['a dotted key inside the title', { ...aCourse(), title: { de: 'Kurs', 'a.b': 'x' } }, 'title.a.b'],
    ['a number for the level', { ...aCourse(), level: 5 }, 'level'],
    ['a string for womenOnly', { ...aCourse(), womenOnly: 'yes' }, 'womenOnly'],
    ['a string for the seat capacity', { ...aCourse(), seats: { capacity: 'twenty' } }, 'seats.capacity'],
    ['a plain string as title', { ...aCourse(), title: 'Kurs' }, 'title'],
    ['a number as start date', { ...aCourse(), startDate: 20270111 }, 'startDate'],
    ['a target level below the level', aCourse({ level: 'B1', targetLevel: 'A1' }), 'targetLevel'],
    ['a session that ends before it starts', aCourse({ start: '18:00', end: '17:00' }), 'schedule.sessions.0.end'],
    ['an in-person course without a venue', { ...aCourse(), venue: undefined }, 'venue'],
    ['a hybrid course without a venue', { ...aCourse({ mode: 'hybrid' }), venue: undefined }, 'venue'],
    ['a latitude of 91', aCourse({ venue: aVenue({ lat: 91 }) }), 'venue.lat'],
    ['a longitude of 200', aCourse({ venue: aVenue({ lng: 200 }) }), 'venue.lng'],
    ['the date 2027-02-30', aCourse({ endDate: '2027-02-30' }), 'endDate'],
    ['an end date before the start date', aCourse({ startDate: '2027-03-01', endDate: '2027-02-01' }), 'endDate'],
    ['an unknown course type', { ...aCourse(), type: 'cooking' }, 'type'],
    ['an unknown mode', { ...aCourse(), mode: 'telepathy' }, 'mode'],
    ['an unknown day', { ...aCourse(), schedule: { flexible: false, sessions: [{ day: 'monday', start: '09:00', end: '12:00' }] } }, 'schedule.sessions.0.day'],
    ['an unknown status', { ...aCourse(), status: 'hidden' }, 'status'],
    ['a time zone that does not exist', { ...aCourse(), schedule: { timezone: 'Europe/Landau', flexible: true, sessions: [] } }, 'schedule.timezone'],
  ];

  it('accepts an online course without a venue (the rule behind the venue cases)', async () => {
    const res = await t.http.post('/api/v1/courses').set(own.auth).send(aCourse(onlineCourse));
    expect(res.status).toBe(201);
    expect(courseOf(res)).not.toHaveProperty('venue');
  });

  it.each(badCreates)('refuses to create a course with %s, naming the field', async (_name, body, param) => {
    const countBefore = await courses().countDocuments();
    const res = await t.http.post('/api/v1/courses').set(own.auth).send(body);
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('invalid_body');
    expect(paramsOf(res)).toContain(param);
    expect(res.text).not.toMatch(/at .+\.(ts|js):\d+/);
    expect(await courses().countDocuments()).toBe(countBefore);
  });

  describe('on an existing course', () => {
    let course: CourseResponse;
    let before: CourseRecord;
    beforeAll(async () => {
      course = await aStoredCourse({ title: { de: 'Unverändert', en: 'Unchanged' } });
      // The sync worker's bookkeeping is done before the snapshot: from here on, nothing may change.
      await t.settle();
      before = await stored(course.id);
    });

    const badPatches: Array<[string, JsonBody, string]> = [
      ['an unknown field', { colour: 'red' }, 'colour'],
      ['a $-prefixed key', { $where: 1 }, '$where'],
      ['a $-prefixed operator inside the title', { title: { $gt: 'x' } }, 'title.$gt'],
      ['a $set operator', { $set: { status: 'draft' } }, '$set'],
      ['a dotted key', { 'title.de': 'x' }, 'title.de'],
      ['a dotted key inside the title', { title: { 'a.b': 'x' } }, 'title.a.b'],
      ['a number for the level', { level: 5 }, 'level'],
      ['an array for the seats', { seats: [1, 2] }, 'seats'],
      ['a target level below the level', { targetLevel: 'alpha' }, 'targetLevel'],
      ['a session that ends before it starts', { schedule: { sessions: [{ day: 'tue', start: '12:00', end: '09:00' }] } }, 'schedule.sessions.0.end'],
      ['the venue removed from an in-person course', { venue: null }, 'venue'],
      ['a latitude of 91', { venue: { lat: 91 } }, 'venue.lat'],
      ['a longitude of 200', { venue: { lng: 200 } }, 'venue.lng'],
      ['the date 2027-02-30', { startDate: '2027-02-30' }, 'startDate'],
      ['an unknown mode', { mode: 'telepathy' }, 'mode'],
      ['a new provider', { providerId: '0123456789abcdef01234567' }, 'providerId'],
      ['a version that is not a number', { version: 'latest' }, 'version'],
    ];

    it.each(badPatches)('refuses an edit with %s, naming the field, and loses no data', async (_name, patch, param) => {
      const res = await t.http.patch(courseUrl(course.id)).set(own.auth).send({ version: 1, ...patch });
      expect(res.status).toBe(400);
      expect(errorOf(res).code).toBe('invalid_body');
      expect(paramsOf(res)).toContain(param);
      expect(await stored(course.id)).toEqual(before);
    });

    // Written as raw JSON: in a JavaScript object literal `__proto__` would set the prototype, not a key.
    it.each([
      ['{"version":1,"__proto__":{"status":"draft"}}', '__proto__'],
      ['{"version":1,"title":{"__proto__":"x"}}', 'title.__proto__'],
      ['{"version":1,"schedule":{"sessions":[{"__proto__":{"day":"sun"}}]}}', 'schedule.sessions.0.__proto__'],
    ])('refuses the __proto__ key in %s instead of ignoring it', async (json, param) => {
      const res = await t.http.patch(courseUrl(course.id)).set(own.auth).set('Content-Type', 'application/json').send(json);
      expect(res.status).toBe(400);
      expect(errorOf(res).code).toBe('invalid_body');
      expect(paramsOf(res)).toEqual([param]);
      expect(await stored(course.id)).toEqual(before);
    });

    it('answers 400, not 500, for an edit nested thousands of levels deep', async () => {
      const depth = 40_000;
      const deep = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
      const res = await t.http.patch(courseUrl(course.id)).set(own.auth).set('Content-Type', 'application/json').send(`{"version":1,"title":${deep}}`);
      expect(res.status).toBe(400);
      expect(errorOf(res).code).toBe('invalid_body');
      expect(paramsOf(res)).toEqual(['title']);
      expect(await stored(course.id)).toEqual(before);
    });

    it('answers invalid_json for a malformed edit and changes nothing', async () => {
      const res = await t.http.patch(courseUrl(course.id)).set(own.auth).set('Content-Type', 'application/json').send('{"version": 1, "title": ');
      expect(res.status).toBe(400);
      expect(errorOf(res).code).toBe('invalid_json');
      expect(await stored(course.id)).toEqual(before);
    });
  });

  it('answers invalid_json for malformed JSON', async () => {
    const res = await t.http.post('/api/v1/courses').set(own.auth).set('Content-Type', 'application/json').send('{"title": {"de": "Kurs"');
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('invalid_json');
    expect(res.text).not.toContain('SyntaxError');
  });

  it('answers 413 for a body over the limit and stores nothing', async () => {
    const huge = aCourse({ title: { de: 'Riesenkurs' }, description: { de: 'Sehr ausführliche Beschreibung. '.repeat(10_000) } });
    expect(Buffer.byteLength(JSON.stringify(huge))).toBeGreaterThan(300_000);
    const res = await t.http.post('/api/v1/courses').set(own.auth).send(huge);
    expect(res.status).toBe(413);
    expect(errorOf(res).code).toBe('payload_too_large');
    expect(await courses().countDocuments({ 'title.de': 'Riesenkurs' })).toBe(0);
  });
});

describe('draft courses', () => {
  let draft: CourseResponse;
  beforeAll(async () => {
    draft = await aStoredCourse({ title: { de: 'Entwurf Kurs' }, status: 'draft' });
  });

  it.each<[Who, number]>([
    ['anonymous', 404],
    ['a counselor', 404],
    ['a provider of another organisation', 404],
    ['the own provider', 200],
    ['an admin', 200],
  ])('shows a draft to %s with %i', async (who, status) => {
    const res = await t.http.get(courseUrl(draft.id)).set(authOf(who));
    expect(res.status).toBe(status);
    if (status === 200) expect(courseOf(res)).toMatchObject({ id: draft.id, status: 'draft', title: { de: 'Entwurf Kurs' } });
    else expect(errorOf(res).code).toBe('not_found');
  });

  it('keeps a draft out of search and publishes it with an edit', async () => {
    await t.settle();
    const search = async () => (await t.http.get('/api/v1/courses').query({ q: 'Entwurf' })).body.total as number;
    expect(await search()).toBe(0);
    const res = await t.http.patch(courseUrl(draft.id)).set(own.auth).send({ version: draft.version, status: 'published' });
    expect(res.status).toBe(200);
    expect((await stored(draft.id)).status).toBe('published');
    await t.settle();
    expect(await search()).toBe(1);
    expect((await t.http.get(courseUrl(draft.id))).status).toBe(200);
  });
});
