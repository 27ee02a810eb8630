/**
 * GET /api/v1/places: suggestions as someone types, and a 400 in the api.md error shape for a bad `q`,
 * never a 500.
 */
import fc from 'fast-check';
import { errorOf, paramsOf } from '../support/api-errors';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp('placesapi');
});

afterAll(async () => {
  await t?.close();
});

type PlacesBody = { places: Array<{ name: string; postcode: string; lat: number; lng: number }> };

function namesOf(body: unknown): string[] {
  return (body as PlacesBody).places.map((p) => p.name);
}

describe('GET /api/v1/places', () => {
  it('suggests Landau in der Pfalz for “Land”, with its postcode and where people live', async () => {
    const res = await t.http.get('/api/v1/places').query({ q: 'Land' });
    expect(res.status).toBe(200);
    const { places } = res.body as PlacesBody;
    expect(places.length).toBeGreaterThan(0);
    expect(places.length).toBeLessThanOrEqual(10);
    expect(places).toContainEqual({ name: 'Landau in der Pfalz', postcode: '76829', lat: 49.1984, lng: 8.1169 });
  });

  it('completes umlauts written plainly and postcodes', async () => {
    const plain = await t.http.get('/api/v1/places').query({ q: ' zweibruecken ' });
    expect((plain.body as PlacesBody).places.map((p) => p.name)).toEqual(['Zweibrücken']);
    const digits = await t.http.get('/api/v1/places').query({ q: '6765' });
    expect((digits.body as PlacesBody).places.map((p) => p.name)).toEqual(['Kaiserslautern (67655)', 'Kaiserslautern (67657)', 'Kaiserslautern (67659)']);
  });

  it('puts the home region first: “Land” means Landau in der Pfalz before Landshut, which is bigger', async () => {
    const res = await t.http.get('/api/v1/places').query({ q: 'Land' });
    expect(namesOf(res.body)[0]).toBe('Landau in der Pfalz');
    expect(namesOf(res.body).indexOf('Landau in der Pfalz')).toBeLessThan(namesOf(res.body).indexOf('Landshut'));
  });

  it('orders names that match equally well by distance from near: near Landshut, Landshut comes first', async () => {
    const res = await t.http.get('/api/v1/places').query({ q: 'Land', near: '48.537,12.152' });
    expect(res.status).toBe(200);
    const names = namesOf(res.body);
    expect(names.slice(0, 2)).toEqual(['Landshut', 'Landau an der Isar']);
    expect(names.indexOf('Landshut')).toBeLessThan(names.indexOf('Landau in der Pfalz'));
  });

  it('still puts an exact name before nearer places that only start with it', async () => {
    // Near Landshut, Landsberg am Lech is much nearer than Landsberg by Halle, whose name is exactly “Landsberg”.
    const res = await t.http.get('/api/v1/places').query({ q: 'Landsberg', near: '48.537,12.152' });
    expect(namesOf(res.body)).toEqual(['Landsberg (06188)', 'Landsberg am Lech']);
  });

  it('keeps postcodes in their order wherever near is', async () => {
    const res = await t.http.get('/api/v1/places').query({ q: '6765', near: '53.55,10' });
    expect(namesOf(res.body)).toEqual(['Kaiserslautern (67655)', 'Kaiserslautern (67657)', 'Kaiserslautern (67659)']);
  });

  it('takes the home region from REGION_CENTRE', async () => {
    const bavarian = await createTestApp('placesregion', { env: { REGION_CENTRE: '48.537,12.152' } });
    try {
      const res = await bavarian.http.get('/api/v1/places').query({ q: 'Land' });
      expect(namesOf(res.body)[0]).toBe('Landshut');
    } finally {
      await bavarian.close();
    }
  });

  it.each([
    ['not a point', 'Landau'],
    ['out of range', '91,8'],
    ['repeated', ['49,8', '50,8']],
  ])('rejects a near that is %s with a 400 naming near', async (_what, near) => {
    const res = await t.http.get('/api/v1/places').query({ q: 'Land', near });
    expect(res.status).toBe(400);
    expect(paramsOf(res)).toEqual(['near']);
  });

  it('answers an empty list for a name it does not know', async () => {
    const res = await t.http.get('/api/v1/places').query({ q: 'Atlantis' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ places: [] });
  });

  it.each([
    ['missing', ''],
    ['empty', '?q='],
    ['blank', '?q=%20%20'],
    ['too long', `?q=${'a'.repeat(101)}`],
    ['repeated', '?q=Land&q=Kai'],
  ])('rejects a %s q with a 400 naming q', async (_what, search) => {
    const res = await t.http.get(`/api/v1/places${search}`);
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('invalid_query');
    expect(paramsOf(res)).toEqual(['q']);
  });

  it('is described in the OpenAPI document', async () => {
    const res = await t.http.get('/api/v1/openapi.json');
    const paths = (res.body as { paths: Record<string, { get?: { responses?: Record<string, unknown> } }> }).paths;
    expect(Object.keys(paths['/api/v1/places']?.get?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400']));
  });

  it('never answers an arbitrary q with a server error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.stringMatching(/^\d{0,6}$/)), async (q) => {
        const res = await t.http.get('/api/v1/places').query({ q });
        if (res.status === 200) {
          const { places } = res.body as PlacesBody;
          expect(places.length).toBeLessThanOrEqual(10);
        } else {
          expect(res.status).toBe(400);
          expect(paramsOf(res)).toEqual(['q']);
        }
      }),
      { numRuns: 200 },
    );
  });
});
