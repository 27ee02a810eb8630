import request from 'supertest';
import { courseModel } from '../../src/courses/course.model';
import { createCourseBodySchema } from '../../src/courses/course.schema';
import { aCourse, givenProvider } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';
import { webSessionAs, type WebSession } from '../support/web-session';

let t: TestApp;
let admin: WebSession;

beforeAll(async () => {
  t = await createTestApp('providerdeact');
  admin = await webSessionAs(t, 'admin');
});
afterAll(() => t.close());

async function searchIds(): Promise<string[]> {
  const res = await t.http.get('/api/v1/courses').query({ lang: 'de', perPage: 50 });
  expect(res.status).toBe(200);
  return (res.body.hits as Array<{ id: string }>).map((hit) => hit.id);
}

async function versionOf(providerId: string): Promise<string> {
  return String((await t.services.providers.getRecord(providerId)).version);
}

describe('deactivating a provider', () => {
  it('takes its courses out of search, the course and provider pages and the API, deletes nothing, and reactivation brings them back', async () => {
    const providerId = await givenProvider(t, { name: 'Volkshochschule Pause' });
    const otherId = await givenProvider(t, { name: 'Bleibt sichtbar' });
    const actor = { userId: '000000000000000000000001', role: 'admin' } as const;
    const course = await t.services.courses.create(actor, createCourseBodySchema.parse({ ...aCourse(), providerId }));
    const other = await t.services.courses.create(actor, createCourseBodySchema.parse({ ...aCourse(), providerId: otherId }));
    await t.settle();
    expect(await searchIds()).toEqual(expect.arrayContaining([course.id, other.id]));

    expect((await admin.post(`/admin/providers/${providerId}/deactivate`, { version: await versionOf(providerId) })).status).toBe(303);
    await t.settle();
    expect(await searchIds()).toEqual([other.id]);
    expect((await request(t.app).get(`/courses/${course.id}`)).status).toBe(404);
    expect((await request(t.app).get(`/providers/${providerId}`)).status).toBe(404);
    expect((await t.http.get(`/api/v1/courses/${course.id}`)).status).toBe(404);
    expect((await t.http.get(`/api/v1/providers/${providerId}`)).status).toBe(404);
    // Open data follows the same rule: the CSV and JSON exports and HSDS leave the provider's courses out.
    const csv = await t.http.get('/api/v1/courses/export.csv');
    const json = await t.http.get('/api/v1/export/courses.json');
    const hsds = await t.http.get('/api/hsds/services?per_page=100');
    expect(JSON.parse(json.text).map((c: { id: string }) => c.id)).toEqual([other.id]);
    expect(csv.text.split('\n').filter((line) => line.trim()).length).toBe(2);
    expect(hsds.body.total_items).toBe(1);
    // nothing deleted: the course is still there, published, and its provider still sees it
    expect(await courseModel(t.services.deps.db).findById(course.id).lean()).toMatchObject({ status: 'published' });
    // a full rebuild keeps it out too (the same rule decides)
    await t.services.sync.rebuild();
    await t.settle();
    expect(await searchIds()).toEqual([other.id]);

    expect((await admin.post(`/admin/providers/${providerId}/reactivate`, { version: await versionOf(providerId) })).status).toBe(303);
    await t.settle();
    expect((await searchIds()).sort()).toEqual([course.id, other.id].sort());
    expect((await request(t.app).get(`/courses/${course.id}`)).status).toBe(200);
    expect((await request(t.app).get(`/providers/${providerId}`)).status).toBe(200);

    const trail = await t.services.audit.recent({ providerId });
    expect(trail.filter((entry) => entry.fields.includes('deactivatedAt'))).toHaveLength(2);
  });
});
