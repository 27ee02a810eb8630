import type { ClientResponse } from '../../src/clients/client.schema';
import { clientModel, shareLinkModel } from '../../src/clients/client.models';
import { RETENTION_JOB } from '../../src/clients/clients.service';
import { errorOf, paramsOf } from '../support/api-errors';
import { aCourse, givenProvider, loginAs, type Session } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let now = new Date('2027-01-04T09:00:00Z');
const clock = { now: () => now };
let counselor: Session;
let otherCounselor: Session;
let admin: Session;
let provider: Session;
let courseIds: string[];

const DAY = 86_400_000;
const aProfile = (overrides: Record<string, unknown> = {}) => ({
  label: 'AZ-2027-14',
  note: 'called on Monday; prefers mornings',
  level: 'A1',
  slots: ['tue-morning', 'thu-morning'],
  childAgesMonths: [12],
  womenOnly: 'preferred',
  location: { postcode: '76829' },
  maxDistanceKm: 10,
  lang: 'ar',
  ...overrides,
});

async function aClient(session: Session = counselor, overrides: Record<string, unknown> = {}): Promise<ClientResponse> {
  const res = await t.http.post('/api/v1/clients').set(session.auth).send(aProfile(overrides));
  if (res.status !== 201) throw new Error(`could not create a client: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ClientResponse;
}

beforeAll(async () => {
  t = await createTestApp('clientsapi', { clock });
  const providerId = await givenProvider(t);
  [counselor, otherCounselor, admin, provider] = await Promise.all([loginAs(t, 'counselor'), loginAs(t, 'counselor'), loginAs(t, 'admin'), loginAs(t, 'provider', providerId)]);
  courseIds = [];
  for (const title of ['Deutsch A1 am Vormittag', 'Deutsch A1 mit Kinderbetreuung']) {
    const res = await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ title: { de: title }, startDate: '2027-02-01', endDate: '2027-06-30' }));
    courseIds.push((res.body as { id: string }).id);
  }
});
afterAll(() => t.close());

describe('client profiles through the API', () => {
  it('round-trips a profile with the domain defaults, and lists it only to its counselor', async () => {
    const created = await aClient(counselor, { womenOnly: undefined, maxDistanceKm: undefined });
    expect(created).toMatchObject({ label: 'AZ-2027-14', note: 'called on Monday; prefers mornings', level: 'A1', slots: ['tue-morning', 'thu-morning'], womenOnly: 'no', maxDistanceKm: 25, onlinePossible: false, freeOnly: false, lang: 'ar', shortlist: [], share: null });
    const read = await t.http.get(`/api/v1/clients/${created.id}`).set(counselor.auth);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.id, location: { postcode: '76829' } });
    const mine = await t.http.get('/api/v1/clients').set(counselor.auth);
    expect((mine.body as { items: ClientResponse[] }).items.map((c) => c.id)).toContain(created.id);
    const theirs = await t.http.get('/api/v1/clients').set(otherCounselor.auth);
    expect((theirs.body as { items: ClientResponse[] }).items.map((c) => c.id)).not.toContain(created.id);
  });

  it('changes a profile by merge patch and removes the location with null', async () => {
    const created = await aClient();
    const res = await t.http.patch(`/api/v1/clients/${created.id}`).set(counselor.auth).send({ level: 'A2', location: null, note: '' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ level: 'A2', note: '', label: 'AZ-2027-14', slots: ['tue-morning', 'thu-morning'] });
    expect((res.body as ClientResponse).location).toBeUndefined();
  });

  it('rejects a long label, an unknown field and a start date in the past, naming the field', async () => {
    expect(paramsOf(await t.http.post('/api/v1/clients').set(counselor.auth).send(aProfile({ label: 'Fatima Mohammadi Rahimzadeh' })))).toEqual(['label']);
    const unknown = await t.http.post('/api/v1/clients').set(counselor.auth).send({ ...aProfile(), name: 'Fatima' });
    expect(unknown.status).toBe(400);
    expect(paramsOf(await t.http.post('/api/v1/clients').set(counselor.auth).send(aProfile({ startBy: '2027-01-03' })))).toEqual(['startBy']);
    const created = await aClient();
    expect(paramsOf(await t.http.patch(`/api/v1/clients/${created.id}`).set(counselor.auth).send({ label: '' }))).toEqual(['label']);
  });

  it('keeps an ordered shortlist with a note per course', async () => {
    const created = await aClient();
    const items = [
      { courseId: courseIds[1], note: 'Bitte Frau Keller anrufen' },
      { courseId: courseIds[0], note: '' },
    ];
    const res = await t.http.put(`/api/v1/clients/${created.id}/shortlist`).set(counselor.auth).send({ items });
    expect(res.status).toBe(200);
    expect((res.body as ClientResponse).shortlist).toEqual(items);
    const twice = await t.http.put(`/api/v1/clients/${created.id}/shortlist`).set(counselor.auth).send({ items: [items[0], items[0]] });
    expect(twice.status).toBe(400);
  });

  it('deletes a profile at once, with its share link', async () => {
    const created = await aClient();
    await t.http.post(`/api/v1/clients/${created.id}/share`).set(counselor.auth).expect(201);
    expect((await t.http.delete(`/api/v1/clients/${created.id}`).set(counselor.auth)).status).toBe(204);
    expect((await t.http.get(`/api/v1/clients/${created.id}`).set(counselor.auth)).status).toBe(404);
    expect(await shareLinkModel(t.services.deps.db).countDocuments({ clientId: created.id })).toBe(0);
  });
});

describe('matches for a stored profile', () => {
  it('answer exactly what POST /api/v1/match answers for the same profile, reasons in the client language', async () => {
    const profile = { level: 'A1', slots: ['tue-morning', 'thu-morning'], childAgesMonths: [], womenOnly: 'no', location: { postcode: '76829' }, maxDistanceKm: 10, lang: 'en' };
    const created = await aClient(counselor, { ...profile });
    await t.settle();
    const stored = await t.http.get(`/api/v1/clients/${created.id}/matches`).set(counselor.auth);
    expect(stored.status).toBe(200);
    const direct = await t.http.post('/api/v1/match').set(counselor.auth).send(profile);
    expect(direct.status).toBe(200);
    expect(stored.body).toEqual(direct.body);
    const ids = (stored.body as { matches: Array<{ course: { id: string } }> }).matches.map((m) => m.course.id);
    expect(ids.sort()).toEqual([...courseIds].sort());
  });
});

describe('privacy of client profiles', () => {
  const routes = (id: string) =>
    [
      ['get', `/api/v1/clients/${id}`],
      ['patch', `/api/v1/clients/${id}`],
      ['delete', `/api/v1/clients/${id}`],
      ['get', `/api/v1/clients/${id}/matches`],
      ['put', `/api/v1/clients/${id}/shortlist`],
      ['post', `/api/v1/clients/${id}/share`],
      ['delete', `/api/v1/clients/${id}/share`],
    ] as const;
  const bodyFor = (method: string) => (method === 'put' ? { items: [] } : method === 'patch' ? { level: 'B1' } : undefined);

  it('answers another counselor and an admin 404 on every route of a profile, and changes nothing', async () => {
    const created = await aClient();
    await t.http.put(`/api/v1/clients/${created.id}/shortlist`).set(counselor.auth).send({ items: [{ courseId: courseIds[0], note: '' }] });
    for (const session of [otherCounselor, admin]) {
      for (const [method, url] of routes(created.id)) {
        const res = await t.http[method](url).set(session.auth).send(bodyFor(method));
        expect([method, url, res.status]).toEqual([method, url, 404]);
      }
    }
    const stored = await clientModel(t.services.deps.db).findById(created.id).lean();
    expect(stored).toMatchObject({ label: 'AZ-2027-14', profile: { level: 'A1' } });
    expect(stored?.shortlist).toHaveLength(1);
    expect(await shareLinkModel(t.services.deps.db).countDocuments({ clientId: created.id })).toBe(0);
  });

  it('answers providers 403 and anonymous callers 401 on every client route', async () => {
    const created = await aClient();
    for (const [method, url] of [...routes(created.id), ['get', '/api/v1/clients'], ['post', '/api/v1/clients']] as const) {
      expect((await t.http[method](url).set(provider.auth).send(bodyFor(method))).status).toBe(403);
      const anonymous = await t.http[method](url).send(bodyFor(method));
      expect(anonymous.status).toBe(401);
      expect(errorOf(anonymous).code).toBe('unauthorized');
    }
  });

  it('gives admins counts only', async () => {
    await aClient(otherCounselor);
    const counts = await t.services.clients.countsForAdmin();
    expect(counts.profiles).toBeGreaterThanOrEqual(2);
    expect(counts.counselors).toBeGreaterThanOrEqual(2);
    expect(Object.keys(counts).sort()).toEqual(['counselors', 'liveShareLinks', 'profiles', 'shortlistedCourses']);
  });
});

describe('share links', () => {
  it('are unguessable, stored only hashed, expire after SHARE_LINK_DAYS and can be revoked', async () => {
    const created = await aClient();
    const res = await t.http.post(`/api/v1/clients/${created.id}/share`).set(counselor.auth);
    expect(res.status).toBe(201);
    const { url, expiresAt } = res.body as { url: string; expiresAt: string };
    const token = url.split('/s/')[1] ?? '';
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(new Date(expiresAt).getTime()).toBe(now.getTime() + 30 * DAY);
    const stored = await shareLinkModel(t.services.deps.db).findOne({ clientId: created.id }).lean();
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await t.services.clients.openShare(token)).status).toBe('found');

    const later = now;
    now = new Date(later.getTime() + 30 * DAY + 1000);
    expect((await t.services.clients.openShare(token)).status).toBe('gone');
    now = later;

    await t.http.delete(`/api/v1/clients/${created.id}/share`).set(counselor.auth).expect(204);
    expect((await t.services.clients.openShare(token)).status).toBe('gone');
    expect((await t.http.get(`/api/v1/clients/${created.id}`).set(counselor.auth)).body).toMatchObject({ share: null });
  });

  it('one per client: a new link replaces the old one', async () => {
    const created = await aClient();
    const first = ((await t.http.post(`/api/v1/clients/${created.id}/share`).set(counselor.auth)).body as { url: string }).url;
    const second = ((await t.http.post(`/api/v1/clients/${created.id}/share`).set(counselor.auth)).body as { url: string }).url;
    expect(second).not.toBe(first);
    expect((await t.services.clients.openShare(first.split('/s/')[1] ?? '')).status).toBe('missing');
    expect((await t.services.clients.openShare(second.split('/s/')[1] ?? '')).status).toBe('found');
    expect(await shareLinkModel(t.services.deps.db).countDocuments({ clientId: created.id })).toBe(1);
  });
});

describe('retention', () => {
  it('deletes exactly the profiles unused for CLIENT_RETENTION_DAYS, with their shortlists and share links', async () => {
    const clients = clientModel(t.services.deps.db);
    const links = shareLinkModel(t.services.deps.db);
    const start = now;
    const forgotten = await aClient(counselor, { label: 'OLD-1' });
    await t.http.put(`/api/v1/clients/${forgotten.id}/shortlist`).set(counselor.auth).send({ items: [{ courseId: courseIds[0], note: '' }] });
    await t.http.post(`/api/v1/clients/${forgotten.id}/share`).set(counselor.auth).expect(201);
    const kept = await aClient(counselor, { label: 'KEPT-1' });
    await t.http.post(`/api/v1/clients/${kept.id}/share`).set(counselor.auth).expect(201);
    const before = { clients: await clients.countDocuments(), links: await links.countDocuments() };

    now = new Date(start.getTime() + 100 * DAY);
    // used again (the API token has expired by now, so through the service): its retention clock restarts
    await t.services.clients.get({ userId: counselor.userId, role: 'counselor' }, kept.id);
    // every other profile of this file was last used at `start` too; keep them alive the same way
    const others = (await clients.find({ _id: { $nin: [forgotten.id, kept.id] } }).lean()).map((c) => c._id);
    await clients.updateMany({ _id: { $in: others } }, { $set: { lastUsedAt: now } });

    now = new Date(start.getTime() + 180 * DAY + 1000);
    expect(await t.services.jobs.runDue()).toContain(RETENTION_JOB);
    expect(await clients.findById(forgotten.id).lean()).toBeNull();
    expect(await links.countDocuments({ clientId: forgotten.id })).toBe(0);
    expect(await clients.findById(kept.id).lean()).not.toBeNull();
    expect(await links.countDocuments({ clientId: kept.id })).toBe(1);
    expect({ clients: await clients.countDocuments(), links: await links.countDocuments() }).toEqual({ clients: before.clients - 1, links: before.links - 1 });
    expect((await t.services.courses.getVisible(undefined, courseIds[0] ?? '')).id).toBe(courseIds[0]);
    now = start;
  });
});
