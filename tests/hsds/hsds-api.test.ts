import { DateTime } from 'luxon';
import { Types } from 'mongoose';
import { v5 as uuidv5 } from 'uuid';
import { HSDS_NAMESPACE } from '../../src/hsds/hsds-ids';
import type { HsdsFullOrganization, HsdsOrganizationListItem, HsdsPage, HsdsSchedule, HsdsService, HsdsServiceListItem, HsdsTaxonomy, HsdsTaxonomyTerm } from '../../src/hsds/hsds.types';
import { aCourse, aProvider, aVenue, givenProvider, loginAs, type Session } from '../support/builders';
import { errorOf, paramsOf } from '../support/api-errors';
import { schemaErrors } from '../support/hsds-schemas';
import { createTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

type Root = { version: string; profile: string; openapi_url: string };
type OpenApi = { openapi: string; paths: Record<string, unknown>; info: { license: { name: string; url: string } } };

/** A fixed host: links in the answers are absolute, and each supertest request has its own port. */
const HOST = 'kurse.example';
let t: TestApp;
let provider: Session;
let providerId: string;
let hiddenProviderId: string;
const ids: Record<string, string> = {};
const VENUE = aVenue({ accessibility: { stepFree: true, note: 'Aufzug am Hintereingang' }, transitNote: 'Bus 531, Haltestelle Markt' });

const serviceUuid = (courseId: string) => uuidv5(`service:${courseId}`, HSDS_NAMESPACE);
const organizationUuid = (id: string) => uuidv5(`organization:${id}`, HSDS_NAMESPACE);

async function create(session: Session, body: object): Promise<string> {
  const res = await t.http.post('/api/v1/courses').set(session.auth).send(body);
  if (res.status !== 201) throw new Error(`create → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

async function get<T>(path: string, query: Record<string, string | number> = {}): Promise<T> {
  const res = await t.http.get(`/api/hsds${path}`).set('Host', HOST).query(query);
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

async function allServices(query: Record<string, string | number> = {}): Promise<HsdsServiceListItem[]> {
  return (await get<HsdsPage<HsdsServiceListItem>>('/services', { per_page: 100, ...query })).contents;
}

beforeAll(async () => {
  t = await createTestApp('hsdsapi');
  providerId = await givenProvider(
    t,
    aProvider({
      name: 'Volkshochschule Landau (Test)',
      contact: { email: 'vhs@test.example', phone: '06341 123-45', website: 'https://vhs.test.example/' },
      bamfApprovalNumber: '5-12345',
      staffLanguages: ['ar', 'tr'],
      venues: [VENUE],
    }),
  );
  provider = await loginAs(t, 'provider', providerId);
  // Tue 09:00–12:00 from January to July: across the change to summer time on 28 March 2027.
  ids.women = await create(provider, aCourse({
    days: ['tue'],
    venue: VENUE,
    womenOnly: true,
    type: 'integration_women',
    childcare: { available: true, minAgeMonths: 12, maxAgeMonths: 72 },
    seats: { capacity: 20, available: 5, waitlist: 2 },
    registration: { contact: 'Frau Beispiel', email: 'anmeldung@test.example', phone: '06341 999', url: 'https://vhs.test.example/anmeldung', deadline: '2027-01-08' },
  }));
  ids.online = await create(provider, aCourse({ mode: 'online', venue: undefined, title: { de: 'Online-Kurs B1' }, level: 'B1', targetLevel: 'B1', cost: { free: false, pricePerLessonEur: 3.5 }, schedule: { timezone: 'Europe/Berlin', flexible: true, sessions: [] } }));
  ids.evening = await create(provider, aCourse({ mode: 'hybrid', level: 'A2', days: ['mon', 'wed'], start: '18:00', end: '20:00', startDate: '2027-04-05', endDate: '2027-06-30', title: { de: 'Abendkurs A2' } }));
  ids.draft = await create(provider, aCourse({ status: 'draft', title: { de: 'Entwurf' } }));
  ids.archived = await create(provider, aCourse({ status: 'archived', title: { de: 'Archiviert' } }));
  hiddenProviderId = await givenProvider(t, aProvider({ name: 'Deaktivierter Anbieter (Test)' }));
  const hidden = await loginAs(t, 'provider', hiddenProviderId);
  ids.hidden = await create(hidden, aCourse({ title: { de: 'Kurs eines deaktivierten Anbieters' } }));
  // Deactivation (issue 10's admin feature) keeps the provider and marks it; open data leaves it and its courses out.
  await t.services.deps.db.collection('providers').updateOne({ _id: new Types.ObjectId(hiddenProviderId) }, { $set: { deactivatedAt: new Date() } });
  await t.settle();
});
afterAll(async () => {
  await t.close();
});

describe('HSDS root', () => {
  it('names the HSDS version, the profile (the developers\' page) and an OpenAPI description that answers', async () => {
    const root = await get<Root>('/');
    expect(root.version).toMatch(/^3\.\d/);
    expect(root.profile).toBe('http://kurse.example/open-data');
    const openapiPath = new URL(root.openapi_url).pathname;
    expect(openapiPath).toBe('/api/hsds/openapi.json');
    const openapi = (await t.http.get(openapiPath)).body as OpenApi;
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/hsds/services', '/api/hsds/services/{id}', '/api/hsds/organizations', '/api/hsds/taxonomy_terms']));
    expect(openapi.info.license.name).toBe('Datenlizenz Deutschland – Namensnennung – Version 2.0');
  });
});

describe('every object is valid against the official HSDS schemas (as published, and with no unknown fields)', () => {
  it('the second pass catches what the first lets through: a misspelled field, at any depth', async () => {
    const service = await get<HsdsService>(`/services/${serviceUuid(ids.women ?? '')}`);
    const [schedule] = service.schedules;
    const misspelled = { ...service, schedules: [{ ...schedule, open_at: schedule?.opens_at }] };
    expect(schemaErrors('service', [misspelled]).filter((error) => error.includes('(published)'))).toEqual([]);
    expect(schemaErrors('service', [misspelled])).toEqual([expect.stringContaining('(closed) /schedules/0 must NOT have additional properties {"additionalProperty":"open_at"}')]);
  });

  it('services, as listed and fully nested', async () => {
    const listed = await allServices();
    expect(schemaErrors('service_list', listed)).toEqual([]);
    const full = await Promise.all(listed.map((service) => get<HsdsService>(`/services/${service.id}`)));
    expect(schemaErrors('service', full)).toEqual([]);
  });

  it('organizations, as listed and fully nested with their services', async () => {
    const listed = (await get<HsdsPage<HsdsOrganizationListItem>>('/organizations')).contents;
    expect(schemaErrors('organization_list', listed)).toEqual([]);
    const full = await Promise.all(listed.map((organization) => get<HsdsFullOrganization>(`/organizations/${organization.id}`)));
    expect(schemaErrors('organization', full)).toEqual([]);
    expect(full.find((organization) => organization.id === organizationUuid(providerId))?.services).toHaveLength(3);
  });

  it('the taxonomy and its terms', async () => {
    expect(schemaErrors('taxonomy', (await get<HsdsPage<HsdsTaxonomy>>('/taxonomies')).contents)).toEqual([]);
    const terms = (await get<HsdsPage<HsdsTaxonomyTerm>>('/taxonomy_terms', { per_page: 100 })).contents;
    expect(schemaErrors('taxonomy_term', terms)).toEqual([]);
    expect(terms.map((term) => term.code)).toEqual(expect.arrayContaining(['course_type:job_language', 'level:A1', 'mode:online', 'women_only', 'childcare']));
  });
});

describe('what is published', () => {
  it('only published courses of active providers: no drafts, archived courses or deactivated providers', async () => {
    const listed = await allServices();
    expect(listed.map((service) => service.id).sort()).toEqual([ids.women, ids.online, ids.evening].map((id) => serviceUuid(id ?? '')).sort());
    for (const hidden of [ids.draft, ids.archived, ids.hidden]) {
      const res = await t.http.get(`/api/hsds/services/${serviceUuid(hidden ?? '')}`);
      expect(res.status).toBe(404);
      expect(errorOf(res).code).toBe('not_found');
    }
    const organizations = (await get<HsdsPage<HsdsOrganizationListItem>>('/organizations')).contents;
    expect(organizations.map((organization) => organization.id)).toEqual([organizationUuid(providerId)]);
    expect((await t.http.get(`/api/hsds/organizations/${organizationUuid(hiddenProviderId)}`)).status).toBe(404);
  });

  it('a course as a nested service: organization, location, languages, cost, free seats, eligibility, contacts and our attributes', async () => {
    const service = await get<HsdsService>(`/services/${serviceUuid(ids.women ?? '')}`);
    expect(service).toMatchObject({ name: 'Integrationskurs A1', alternate_name: 'Integration course A1', status: 'active', email: 'anmeldung@test.example' });
    expect(service.url).toMatch(new RegExp(`/courses/${ids.women}(\\?lang=de)?$`));
    expect(service.organization).toMatchObject({ id: organizationUuid(providerId), name: 'Volkshochschule Landau (Test)', website: 'https://vhs.test.example/', email: 'vhs@test.example' });
    expect(service.organization.phones[0]?.number).toBe('06341 123-45');
    expect(service.organization.organization_identifiers[0]?.identifier).toBe('5-12345');
    const [sal] = service.service_at_locations;
    expect(sal?.location).toMatchObject({ location_type: 'physical', name: 'Haus am Maulbeerbaum', latitude: 49.1989, longitude: 8.1169, transportation: 'Bus 531, Haltestelle Markt' });
    expect(sal?.location.addresses[0]).toMatchObject({ address_1: 'Marktstraße 1', postal_code: '76829', city: 'Landau in der Pfalz', country: 'DE', state_province: 'Rheinland-Pfalz' });
    expect(sal?.location_id).toBe(sal?.location.id);
    // The provider's venue and the course's are one location.
    expect(service.organization.locations.map((location) => location.id)).toEqual([sal?.location_id]);
    expect(sal?.location.accessibility[0]?.details).toBe('Aufzug am Hintereingang');
    expect(service.languages.map((language) => language.code)).toEqual(['de', 'ar', 'tr']);
    expect(service.cost_options).toEqual([expect.objectContaining({ amount: 0, currency: 'EUR' })]);
    expect(service.capacities).toEqual([expect.objectContaining({ available: 5, maximum: 20 })]);
    expect(service.eligibility_description).toContain('Nur für Frauen');
    expect(service.contacts[0]).toMatchObject({ name: 'Frau Beispiel', email: 'anmeldung@test.example' });
    expect(service.phones[0]?.number).toBe('06341 999');
    expect(service.additional_urls[0]?.url).toBe('https://vhs.test.example/anmeldung');
    const byCode = new Map(service.attributes.map((attribute) => [attribute.taxonomy_term.code, attribute]));
    expect([...byCode.keys()].sort()).toEqual(['childcare', 'course_type:integration_women', 'level:A1', 'mode:in_person', 'women_only']);
    expect(byCode.get('childcare')?.value).toBe('12-72');
    expect(byCode.get('level:A1')?.value).toBe('A1-B1');

    const online = await get<HsdsService>(`/services/${serviceUuid(ids.online ?? '')}`);
    expect(online.service_at_locations).toEqual([]);
    expect(online.cost_options).toEqual([expect.objectContaining({ amount: 3.5, currency: 'EUR' })]);
    expect(online.schedules).toEqual([expect.objectContaining({ description: expect.any(String) })]);
    expect(online.schedules[0]?.opens_at).toBeUndefined();
  });
});

describe('schedules', () => {
  /** Every meeting a schedule describes, read back as a moment and shown in Berlin. */
  function meetings(schedule: HsdsSchedule): Array<{ date: string; opens: DateTime; closes: DateTime }> {
    const found = [];
    const until = schedule.until ?? '';
    for (let date = DateTime.fromISO(schedule.dtstart ?? '', { zone: 'utc' }); (date.toISODate() ?? '') <= until; date = date.plus({ days: 1 })) {
      const byday = (schedule.byday ?? '').split(',');
      if (!byday.includes(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'][date.weekday - 1] ?? '')) continue;
      const day = date.toISODate() ?? '';
      found.push({ date: day, opens: DateTime.fromISO(`${day}T${schedule.opens_at ?? ''}`, { setZone: true }).setZone('Europe/Berlin'), closes: DateTime.fromISO(`${day}T${schedule.closes_at ?? ''}`, { setZone: true }).setZone('Europe/Berlin') });
    }
    return found;
  }

  it('a Tuesday 09:00 course across the change to summer time: one schedule per period, each with its UTC offset', async () => {
    const { schedules } = await get<HsdsService>(`/services/${serviceUuid(ids.women ?? '')}`);
    expect(schedules).toEqual([
      expect.objectContaining({ freq: 'WEEKLY', byday: 'TU', opens_at: '09:00+01:00', closes_at: '12:00+01:00', dtstart: '2027-01-12', until: '2027-03-23', timezone: 1 }),
      expect.objectContaining({ freq: 'WEEKLY', byday: 'TU', opens_at: '09:00+02:00', closes_at: '12:00+02:00', dtstart: '2027-03-30', until: '2027-07-27', timezone: 2 }),
    ]);
    for (const schedule of schedules) expect(schedule.notes).toContain('Europe/Berlin');
    const all = schedules.flatMap(meetings);
    expect(all).toHaveLength(29);
    for (const meeting of all) {
      expect(meeting.opens.weekday).toBe(2);
      expect(meeting.opens.toFormat('HH:mm')).toBe('09:00');
      expect(meeting.closes.toFormat('HH:mm')).toBe('12:00');
      expect(meeting.opens.toISODate()).toBe(meeting.date);
    }
    // In UTC: 08:00 in January, 07:00 in July.
    expect(all.find((meeting) => meeting.date === '2027-01-19')?.opens.toUTC().toFormat('HH:mm')).toBe('08:00');
    expect(all.find((meeting) => meeting.date === '2027-07-20')?.opens.toUTC().toFormat('HH:mm')).toBe('07:00');
  });

  it('a course within summer time has one schedule for its days with the same hours', async () => {
    const { schedules } = await get<HsdsService>(`/services/${serviceUuid(ids.evening ?? '')}`);
    expect(schedules).toEqual([expect.objectContaining({ byday: 'MO,WE', opens_at: '18:00+02:00', closes_at: '20:00+02:00', dtstart: '2027-04-05', until: '2027-06-30', valid_from: '2027-04-05', valid_to: '2027-06-30' })]);
    expect(meetings(schedules[0] ?? { id: '', service_id: '', valid_from: '', valid_to: '' }).map((meeting) => meeting.opens.weekday).slice(0, 4)).toEqual([1, 3, 1, 3]);
  });
});

describe('paging', () => {
  it('has the HSDS envelope: first, last, beyond the end', async () => {
    const first = await get<HsdsPage<HsdsServiceListItem>>('/services', { per_page: 2 });
    expect(first).toMatchObject({ total_items: 3, total_pages: 2, page_number: 1, size: 2, first_page: true, last_page: false, empty: false });
    const second = await get<HsdsPage<HsdsServiceListItem>>('/services', { per_page: 2, page: 2 });
    expect(second).toMatchObject({ total_items: 3, total_pages: 2, page_number: 2, size: 1, first_page: false, last_page: true, empty: false });
    expect([...first.contents, ...second.contents].map((service) => service.id).sort()).toEqual((await allServices()).map((service) => service.id).sort());
    const beyond = await get<HsdsPage<HsdsServiceListItem>>('/services', { per_page: 2, page: 7 });
    expect(beyond).toMatchObject({ total_items: 3, page_number: 7, size: 0, first_page: false, last_page: true, empty: true, contents: [] });
    expect((await get<HsdsPage<HsdsServiceListItem>>('/services', { per_page: 5000 })).size).toBe(3);
  });

  it.each([
    ['page', { page: '0' }],
    ['page', { page: 'abc' }],
    ['per_page', { per_page: '-1' }],
    ['modified_after', { modified_after: 'yesterday' }],
    ['taxonomy_term_id', { taxonomy_term_id: 'not-a-uuid' }],
    ['taxonomy_term_id', { taxonomy_term_id: '00000000-0000-5000-8000-000000000000' }],
    ['organization_id', { organization_id: '12' }],
    ['postcode', { postcode: '7682' }],
    ['proximity', { proximity: '1000' }],
    ['proximity', { postcode: '76829', proximity: '999999999' }],
  ])('a bad %s is a 400 in the API\'s error shape (%j)', async (param, query) => {
    const res = await t.http.get('/api/hsds/services').query(query);
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('invalid_query');
    expect(paramsOf(res)).toContain(param);
  });
});

describe('filters', () => {
  const idsOf = (services: HsdsServiceListItem[]) => services.map((service) => service.id).sort();
  const termIdOf = async (code: string) => (await get<HsdsPage<HsdsTaxonomyTerm>>('/taxonomy_terms', { per_page: 100 })).contents.find((term) => term.code === code)?.id ?? '';

  it('taxonomy terms, organization, modified_after', async () => {
    expect(idsOf(await allServices({ taxonomy_term_id: await termIdOf('women_only') }))).toEqual([serviceUuid(ids.women ?? '')]);
    expect(idsOf(await allServices({ taxonomy_term_id: await termIdOf('childcare') }))).toEqual([serviceUuid(ids.women ?? '')]);
    expect(idsOf(await allServices({ taxonomy_term_id: await termIdOf('level:A2') }))).toEqual([serviceUuid(ids.evening ?? '')]);
    expect(idsOf(await allServices({ taxonomy_term_id: await termIdOf('mode:online') }))).toEqual([serviceUuid(ids.online ?? '')]);
    expect(await allServices({ organization_id: organizationUuid(providerId) })).toHaveLength(3);
    expect(await allServices({ organization_id: organizationUuid(hiddenProviderId) })).toEqual([]);
    expect(await allServices({ modified_after: '2999-01-01T00:00:00Z' })).toEqual([]);
    expect(await allServices({ modified_after: '2000-01-01' })).toHaveLength(3);
  });

  it('search and postcode go through the site search; proximity is metres around the postcode', async () => {
    expect(idsOf(await allServices({ search: 'Abendkurs' }))).toEqual([serviceUuid(ids.evening ?? '')]);
    expect(idsOf(await allServices({ search: 'Entwurf' }))).toEqual([]);
    // Landau's venues, not the online course; Kaiserslautern (67655) is about 45 km away.
    expect(idsOf(await allServices({ postcode: '76829', proximity: 5000 }))).toEqual([ids.women, ids.evening].map((id) => serviceUuid(id ?? '')).sort());
    expect(await allServices({ postcode: '67655', proximity: 10000 })).toEqual([]);
  });
});

describe('ids', () => {
  it('are UUIDv5 and the same in two exports and on two app instances', async () => {
    const b = await createTestApp('hsdsapi', { sameDataAs: t, startSync: false });
    try {
      const fromA = [await get<HsdsPage<HsdsServiceListItem>>('/services'), await get<HsdsPage<HsdsServiceListItem>>('/services')];
      const fromB = (await b.http.get('/api/hsds/services').set('Host', HOST)).body as HsdsPage<HsdsServiceListItem>;
      expect(fromA[1]).toEqual(fromA[0]);
      expect(fromB).toEqual(fromA[0]);
      const id = serviceUuid(ids.women ?? '');
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const fullB = (await b.http.get(`/api/hsds/services/${id}`).set('Host', HOST)).body as HsdsService;
      expect(fullB).toEqual(await get<HsdsService>(`/services/${id}`));
      expect(fullB.schedules.map((schedule) => schedule.id)).toHaveLength(2);
    } finally {
      await b.close();
    }
  });
});
