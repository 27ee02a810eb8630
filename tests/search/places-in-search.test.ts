/**
 * Places people type (domain.md → `postcode`/`place`): both search around the point where people live, the centre
 * of the place, not the geometric centroid of the postcode area; through GET /api/v1/courses.
 */
import fc from 'fast-check';
import { postcodePoint, resolvePlace, suggestPlaces } from '../../src/places/places';
import { distanceKm } from '../../src/search/geo';
import { postcodeCentroid } from '../../src/search/postcodes';
import { aCourse, aVenue, givenProvider, loginAs } from '../support/builders';
import { arrangeCourses, pointAtDistance, search, sortedIds } from '../support/search-helpers';
import { expectedIds, toParams, type ArrangedCourse, type OracleQuery } from '../support/search-oracle';
import { createTestApp, type TestApp } from '../support/test-app';

const LANDAU_CENTRE = { lat: 49.19844, lng: 8.11692 };
const KAISERSLAUTERN = { lat: 49.443, lng: 7.7716 };

let t: TestApp;
let all: ArrangedCourse[] = [];
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp('placesearch');
  const provider = await loginAs(t, 'provider', await givenProvider(t, { name: 'VHS Landau' }));
  const bodies = {
    landauMarket: aCourse({ title: { de: 'Kurs am Rathausplatz' }, venue: aVenue({ ...pointAtDistance(LANDAU_CENTRE, 10, 0.4) }) }),
    landauSouth: aCourse({ title: { de: 'Kurs in Queichheim' }, venue: aVenue({ ...pointAtDistance(LANDAU_CENTRE, 120, 2.5) }) }),
    landauWest: aCourse({ title: { de: 'Kurs in Godramstein' }, venue: aVenue({ ...pointAtDistance(LANDAU_CENTRE, 280, 4.2) }) }),
    kaiserslautern: aCourse({ title: { de: 'Kurs in Kaiserslautern' }, venue: aVenue({ city: 'Kaiserslautern', postcode: '67655', ...KAISERSLAUTERN }) }),
    online: aCourse({ title: { de: 'Onlinekurs' }, mode: 'online', venue: undefined }),
  };
  const arranged = await arrangeCourses(t, provider, 'VHS Landau', Object.values(bodies));
  Object.keys(bodies).forEach((name, i) => (ids[name] = arranged[i]!.id));
  all = arranged;
  await t.settle();
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function check(query: OracleQuery): Promise<string[]> {
  const body = await search(t, toParams(query, { perPage: 100 }));
  expect(sortedIds(body)).toEqual(expectedIds(all, query));
  return sortedIds(body);
}

const idsOf = (...names: string[]) => names.map((name) => ids[name]!).sort();

describe('postcode: where people live', () => {
  it('76829 is Landau\'s centre, not the centroid of the postcode area 11 km away', () => {
    const point = postcodePoint('76829')!;
    expect(distanceKm(point, LANDAU_CENTRE)).toBeLessThan(1);
    expect(distanceKm(postcodeCentroid('76829')!, LANDAU_CENTRE)).toBeGreaterThan(9);
  });

  it('a Landau resident who types 76829 finds every Landau course within 5 km, and no Kaiserslautern one', async () => {
    expect(await check({ postcode: '76829', radiusKm: 5 })).toEqual(idsOf('landauMarket', 'landauSouth', 'landauWest'));
  });

  it('distances are measured from the place, so the nearest course comes first', async () => {
    const body = await search(t, { postcode: '76829', radiusKm: 5, sort: 'distance' });
    expect(body.hits.map((hit) => hit.id)).toEqual([ids.landauMarket, ids.landauSouth, ids.landauWest]);
    expect(body.hits.map((hit) => hit.distanceKm)).toEqual([0.4, 2.5, 4.2]);
  });
});

describe('place: a name as the suggestions write it', () => {
  it('"Landau in der Pfalz" searches around the same point as 76829 and as near=<Landau\'s centre>', async () => {
    const byPlace = await search(t, { place: 'Landau in der Pfalz', radiusKm: 5, sort: 'distance' });
    const byPostcode = await search(t, { postcode: '76829', radiusKm: 5, sort: 'distance' });
    expect(byPlace.hits).toEqual(byPostcode.hits);
    const found = resolvePlace('Landau in der Pfalz');
    expect(found.kind).toBe('found');
    await check({ place: 'Landau in der Pfalz', radiusKm: 5 });
  });

  it('is case- and umlaut-insensitive, and a suggestion\'s name is a valid place', async () => {
    expect(await check({ place: 'landau in der pfalz', radiusKm: 5 })).toEqual(idsOf('landauMarket', 'landauSouth', 'landauWest'));
    const suggestion = suggestPlaces('Kaiserslautern')[0]!;
    expect(await check({ place: suggestion.name, radiusKm: 10 })).toEqual(idsOf('kaiserslautern'));
    expect(await check({ place: 'Zweibruecken', radiusKm: 40 })).toEqual(idsOf('kaiserslautern'));
  });

  it('combines with includeOnline and sort=distance', async () => {
    expect(await check({ place: 'Kaiserslautern', radiusKm: 10, includeOnline: true })).toEqual(idsOf('kaiserslautern', 'online'));
    const body = await search(t, { place: 'Kaiserslautern', radiusKm: 100, sort: 'distance', includeOnline: 'true' });
    expect(body.hits[0]?.id).toBe(ids.kaiserslautern);
    expect(body.hits.at(-1)?.id).toBe(ids.online);
  });
});

describe('400 naming the parameter', () => {
  it.each([
    ['place=Atlantis', 'place', /not a known German place/],
    ['place=Neustadt', 'place', /names \d+ places/],
    ['place=Landau', 'place', /not a known German place|names/],
    [`place=${'x'.repeat(101)}`, 'place', /at most 100/],
    ['place=Kaiserslautern&postcode=67655', 'place', /cannot be combined/],
    ['place=Kaiserslautern&near=49.4,7.7', 'place', /cannot be combined/],
    ['postcode=00000', 'postcode', /not a known German postcode/],
  ])('%s → %s', async (query, param, message) => {
    const res = await t.http.get(`/api/v1/courses?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_query');
    expect(res.body.error.details).toEqual([{ param, message: expect.stringMatching(message) }]);
  });

  it('an ambiguous name lists qualified names that do resolve', async () => {
    const res = await t.http.get('/api/v1/courses?place=Neustadt');
    const quoted = [...String(res.body.error.details[0].message).matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    expect(quoted.length).toBeGreaterThan(0);
    for (const name of quoted) expect((await t.http.get('/api/v1/courses').query({ place: name })).status).toBe(200);
  });

  it('any text in place is a 200 or a 400 naming place, never a 500, and never a way to change the filter', async () => {
    const draftSafe = await search(t, { perPage: 100 });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('" OR status = "draft', '\\', '%', '(', '_geoRadius(0,0,1)')), async (place) => {
        const res = await t.http.get('/api/v1/courses').query({ place, perPage: 100 });
        if (res.status === 200) {
          for (const hit of res.body.hits as Array<{ id: string }>) expect(sortedIds(draftSafe)).toContain(hit.id);
        } else {
          expect(res.status).toBe(400);
          expect(res.body.error.code).toBe('invalid_query');
          expect(res.body.error.details[0].param).toBe('place');
        }
      }),
      { numRuns: 150 },
    );
  });
});
