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
