import type { Response } from 'supertest';
import type { CourseResponse } from '../../src/courses/course.presenter';
import { providerModel } from '../../src/providers/provider.model';
import type { ProviderResponse } from '../../src/providers/providers.service';
import type { CourseHit } from '../../src/search/search.service';
import { errorOf, paramsOf } from '../support/api-errors';
import { aCourse, aProvider, aVenue, givenProvider, loginAs, type CourseOverrides, type Session } from '../support/builders';
import { givenCast, type Cast, type Who } from '../support/cast';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let ownProviderId: string;
let own: Session;
let admin: Session;
let authOf: Cast['authOf'];

beforeAll(async () => {
  t = await createTestApp('providerwrites');
  ({ ownProviderId, own, admin, authOf } = await givenCast(t, ['Bildungswerk Südpfalz', 'Sprachinstitut Westpfalz']));
});
afterAll(async () => {
  await t.close();
});

const providers = () => providerModel(t.services.deps.db);
const stored = (id: string) => t.services.providers.getRecord(id);
const providerOf = (res: Response) => res.body as ProviderResponse;
const providerUrl = (id: string) => `/api/v1/providers/${id}`;

/** A fresh provider for one test, so versions start at 1. */
async function aFreshProvider(name: string): Promise<{ id: string; session: Session }> {
  const id = await givenProvider(t, { name });
  return { id, session: await loginAs(t, 'provider', id) };
}

async function aCourseOf(session: Session, overrides: CourseOverrides = {}): Promise<CourseResponse> {
  const res = await t.http.post('/api/v1/courses').set(session.auth).send(aCourse(overrides));
  if (res.status !== 201) throw new Error(`could not create a course: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as CourseResponse;
}

describe('POST /api/v1/providers', () => {
  it('lets an admin add a provider, unverified unless said otherwise', async () => {
    const res = await t.http.post('/api/v1/providers').set(admin.auth).send(aProvider({ name: 'Neue Sprachschule Annweiler' }));
    expect(res.status).toBe(201);
    expect(providerOf(res)).toMatchObject({ id: expect.stringMatching(/^[a-f0-9]{24}$/), name: 'Neue Sprachschule Annweiler', verified: false, version: 1 });
    const record = await stored(providerOf(res).id);
    expect(record).toMatchObject({ name: 'Neue Sprachschule Annweiler', verified: false, version: 1, venues: [aVenue()] });
    const audit = await t.services.audit.listFor('provider', providerOf(res).id);
    expect(audit.map((e) => ({ action: e.action, role: e.actor.role, userId: e.actor.userId?.toString() }))).toEqual([
      { action: 'create', role: 'admin', userId: admin.userId },
    ]);
  });

  it('lets an admin add a verified provider', async () => {
    const res = await t.http.post('/api/v1/providers').set(admin.auth).send({ ...aProvider({ name: 'Verifizierte Schule Edenkoben' }), verified: true });
    expect(res.status).toBe(201);
    expect((await stored(providerOf(res).id)).verified).toBe(true);
  });

  it.each<[Who, number, string]>([
    ['the own provider', 403, 'forbidden'],
    ['a counselor', 403, 'forbidden'],
    ['anonymous', 401, 'unauthorized'],
  ])('refuses %s adding a provider with %i', async (who, status, code) => {
    const name = `Unerlaubter Anbieter (${who})`;
    const res = await t.http.post('/api/v1/providers').set(authOf(who)).send(aProvider({ name }));
    expect(res.status).toBe(status);
    expect(errorOf(res).code).toBe(code);
    expect(await providers().countDocuments({ name })).toBe(0);
  });

  it.each([
    ['an unknown field', { ...aProvider({ name: 'Ungültig 1' }), owner: 'me' }, 'owner'],
    ['an empty name', aProvider({ name: '' }), 'name'],
    ['a venue at latitude 91', aProvider({ name: 'Ungültig 2', venues: [aVenue({ lat: 91 })] }), 'venues.0.lat'],
    ['a $-prefixed key in the description', aProvider({ name: 'Ungültig 3', description: { $ne: 'x' } }), 'description.$ne'],
  ])('refuses a provider with %s, naming the field', async (_name, body, param) => {
    const before = await providers().countDocuments();
    const res = await t.http.post('/api/v1/providers').set(admin.auth).send(body);
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('invalid_body');
    expect(paramsOf(res)).toContain(param);
    expect(await providers().countDocuments()).toBe(before);
  });
});

describe('PATCH /api/v1/providers/:id', () => {
  it('lets a provider edit its own organisation', async () => {
    const { id, session } = await aFreshProvider('Volkshochschule Bad Bergzabern');
    const res = await t.http
      .patch(providerUrl(id))
      .set(session.auth)
      .send({ version: 1, description: { de: 'Kurse am Vormittag mit Kinderbetreuung.' }, contact: { phone: '06343 1234' } });
    expect(res.status).toBe(200);
    expect(providerOf(res)).toMatchObject({ id, version: 2, contact: { email: 'kurse@test.example', phone: '06343 1234' } });
    const record = await stored(id);
    expect(record).toMatchObject({ version: 2, description: { de: 'Kurse am Vormittag mit Kinderbetreuung.' }, contact: { email: 'kurse@test.example', phone: '06343 1234' }, verified: true });
    const audit = await t.services.audit.listFor('provider', id);
    expect(audit.at(-1)).toMatchObject({ action: 'update', fields: ['contact', 'description'], actor: { role: 'provider' } });
    expect(audit.at(-1)?.actor.userId?.toString()).toBe(session.userId);
  });

  it.each<[Who, number, string]>([
    ['a provider of another organisation', 403, 'forbidden'],
    ['a counselor', 403, 'forbidden'],
    ['anonymous', 401, 'unauthorized'],
  ])("refuses %s editing a provider's organisation with %i", async (who, status, code) => {
    const before = await stored(ownProviderId);
    const res = await t.http.patch(providerUrl(ownProviderId)).set(authOf(who)).send({ name: 'Übernommen' });
    expect(res.status).toBe(status);
    expect(errorOf(res).code).toBe(code);
    expect(await stored(ownProviderId)).toEqual(before);
  });

  it('lets an admin edit any provider', async () => {
    const { id } = await aFreshProvider('Caritas Landau');
    const res = await t.http.patch(providerUrl(id)).set(admin.auth).send({ version: 1, staffLanguages: ['ar', 'uk'] });
    expect(res.status).toBe(200);
    expect(providerOf(res)).toMatchObject({ version: 2, staffLanguages: ['ar', 'uk'] });
    expect(await stored(id)).toMatchObject({ version: 2, staffLanguages: ['ar', 'uk'] });
  });

  it('refuses a provider setting its own verified flag, naming verified', async () => {
    const { id, session } = await aFreshProvider('Selbstverifiziert e. V.');
    await providers().updateOne({ _id: id }, { $set: { verified: false } });
    const res = await t.http.patch(providerUrl(id)).set(session.auth).send({ version: 1, verified: true });
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('invalid_body');
    expect(paramsOf(res)).toEqual(['verified']);
    expect(await stored(id)).toMatchObject({ verified: false, version: 1 });
  });

  it('lets an admin verify and unverify a provider', async () => {
    const { id } = await aFreshProvider('Zu prüfender Anbieter');
    const unverify = await t.http.patch(providerUrl(id)).set(admin.auth).send({ version: 1, verified: false });
    expect(unverify.status).toBe(200);
    expect(providerOf(unverify)).toMatchObject({ verified: false, version: 2 });
    expect((await stored(id)).verified).toBe(false);
    const verify = await t.http.patch(providerUrl(id)).set(admin.auth).send({ version: 2, verified: true });
    expect(verify.status).toBe(200);
    expect(await stored(id)).toMatchObject({ verified: true, version: 3 });
  });

  it('answers 409 with the current version for a stale version, and keeps the newer data', async () => {
    const { id, session } = await aFreshProvider('Zwei Redakteure GmbH');
    expect((await t.http.patch(providerUrl(id)).set(session.auth).send({ version: 1, contact: { phone: '111' } })).status).toBe(200);

    const stale = await t.http.patch(providerUrl(id)).set(admin.auth).send({ version: 1, contact: { phone: '222' } });
    expect(stale.status).toBe(409);
    expect(errorOf(stale)).toMatchObject({ code: 'version_conflict', currentVersion: 2 });
    const viaHeader = await t.http.patch(providerUrl(id)).set(admin.auth).set('If-Match', '"1"').send({ contact: { phone: '333' } });
    expect(viaHeader.status).toBe(409);
    expect(await stored(id)).toMatchObject({ version: 2, contact: { phone: '111' } });
  });

  it('lets exactly one of two concurrent edits of the same version win', async () => {
    const { id, session } = await aFreshProvider('Gleichzeitig e. V.');
    const responses = await Promise.all([
      t.http.patch(providerUrl(id)).set(session.auth).send({ version: 1, contact: { phone: 'A' } }),
      t.http.patch(providerUrl(id)).set(admin.auth).send({ version: 1, contact: { phone: 'B' } }),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = responses.find((r) => r.status === 200)!;
    const loser = responses.find((r) => r.status === 409)!;
    expect(errorOf(loser).currentVersion).toBe(2);
    expect(await stored(id)).toMatchObject({ version: 2, contact: { phone: providerOf(winner).contact.phone } });
  });

  it('refuses a bad edit, naming the field, and loses no data', async () => {
    const before = await stored(ownProviderId);
    for (const [patch, param] of [
      [{ name: null }, 'name'],
      [{ venues: [{ ...aVenue(), lng: 200 }] }, 'venues.0.lng'],
      [{ $rename: { name: 'x' } }, '$rename'],
      [{ 'contact.email': 'x@test.example' }, 'contact.email'],
    ] as const) {
      const res = await t.http.patch(providerUrl(ownProviderId)).set(own.auth).send(patch);
      expect(res.status).toBe(400);
      expect(paramsOf(res)).toContain(param);
    }
    expect(await stored(ownProviderId)).toEqual(before);
  });
});

describe('GET /api/v1/providers/:id', () => {
  it('shows a provider with its published courses only', async () => {
    const { id, session } = await aFreshProvider('Sprachtreff Herxheim');
    const published = await aCourseOf(session, { title: { de: 'Veröffentlicht' } });
    const draft = await aCourseOf(session, { title: { de: 'Entwurf' }, status: 'draft' });
    const archived = await aCourseOf(session, { title: { de: 'Archiviert' } });
    expect((await t.http.delete(`/api/v1/courses/${archived.id}`).set(session.auth)).status).toBe(204);
    await aCourseOf(own, { title: { de: 'Kurs eines anderen Anbieters' } });

    const res = await t.http.get(providerUrl(id));
    expect(res.status).toBe(200);
    const body = res.body as ProviderResponse & { courses: CourseHit[] };
    expect(body).toMatchObject({ id, name: 'Sprachtreff Herxheim', verified: true });
    expect(body.courses.map((c) => c.id)).toEqual([published.id]);
    expect(body.courses[0]).toMatchObject({ title: 'Veröffentlicht', provider: { id, name: 'Sprachtreff Herxheim' } });
    expect(JSON.stringify(body)).not.toContain(draft.id);
    expect(JSON.stringify(body)).not.toContain(archived.id);
  });

  it('answers 404 for a provider that does not exist', async () => {
    const res = await t.http.get(providerUrl('aaaaaaaaaaaaaaaaaaaaaaaa'));
    expect(res.status).toBe(404);
    expect(errorOf(res).code).toBe('not_found');
  });
});

describe('renaming a provider', () => {
  it("shows the new name in the search hits of the provider's courses", async () => {
    const { id, session } = await aFreshProvider('Alte Turnhalle Sprachschule');
    const course = await aCourseOf(session, { title: { de: 'Sprachcafé Morgenrot' } });
    await t.settle();
    const hitsFor = async (q: string) => ((await t.http.get('/api/v1/courses').query({ q })).body as { hits: CourseHit[] }).hits;
    expect((await hitsFor('Morgenrot')).map((h) => h.provider)).toEqual([{ id, name: 'Alte Turnhalle Sprachschule' }]);

    const res = await t.http.patch(providerUrl(id)).set(session.auth).send({ version: 1, name: 'Lindenblüte Bildungswerk' });
    expect(res.status).toBe(200);
    expect((await stored(id)).name).toBe('Lindenblüte Bildungswerk');
    await t.settle();

    expect((await hitsFor('Morgenrot')).map((h) => h.provider)).toEqual([{ id, name: 'Lindenblüte Bildungswerk' }]);
    expect((await hitsFor('Lindenblüte')).map((h) => h.id)).toEqual([course.id]);
    const detail = await t.http.get(`/api/v1/courses/${course.id}`);
    expect(detail.body.provider).toEqual({ id, name: 'Lindenblüte Bildungswerk' });
  });
});
