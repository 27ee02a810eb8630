/**
 * The generated places data (seed/places/build-places.ts) and the points it gives: where people live,
 * not the middle of a postcode area.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { placesDataSchema } from '../../src/places/places-data.schema';
import { placesInPostcode, postcodePoint, resolvePlace, type Place } from '../../src/places/places';
import { distanceKm } from '../../src/search/geo';
import { knownPostcodes, postcodeCentroid } from '../../src/search/postcodes';

const LANDAU_CENTRE = { lat: 49.19844, lng: 8.11692 };
const KAISERSLAUTERN_CENTRE = { lat: 49.443, lng: 7.77161 };

function found(name: string): Place {
  const result = resolvePlace(name);
  if (result.kind !== 'found') throw new Error(`${name}: ${result.kind}`);
  return result.place;
}

describe('the generated places file', () => {
  const file = path.join(__dirname, '../../src/places/places-data.json');

  it('has the documented shape and stays compact', () => {
    const text = readFileSync(file, 'utf8');
    const data = placesDataSchema.parse(JSON.parse(text));
    expect(Buffer.byteLength(text)).toBeLessThan(1_000_000);
    expect(data.places.length).toBeGreaterThan(10_000);
    for (const [, , ...members] of Object.values(data.postcodes)) {
      for (const g of members) expect(data.places[g]).toBeDefined();
    }
  });

  it('knows a point for every postcode that has an area centroid', () => {
    const missing = knownPostcodes().filter((code) => postcodePoint(code) === undefined);
    expect(missing).toEqual([]);
  });
});

describe('a postcode resolves to where its people live', () => {
  it('76829 is Landau’s centre, not the middle of the postcode area 11 km north-west', () => {
    const point = postcodePoint('76829');
    expect(point).toBeDefined();
    expect(point?.lat).toBeCloseTo(49.198, 2);
    expect(point?.lng).toBeCloseTo(8.117, 2);
    expect(distanceKm(point!, LANDAU_CENTRE)).toBeLessThan(1.5);
    const areaCentroid = postcodeCentroid('76829')!;
    expect(areaCentroid.lat).toBeCloseTo(49.275, 2);
    expect(distanceKm(point!, areaCentroid)).toBeGreaterThan(8);
  });

  it('names Landau in der Pfalz as the main place of 76829', () => {
    expect(placesInPostcode('76829')[0]?.name).toBe('Landau in der Pfalz (76829)');
  });

  it.each(['67655', '67657', '67659', '67661', '67663'])('Kaiserslautern %s lies in Kaiserslautern, near 49.44 N 7.77 E', (code) => {
    const point = postcodePoint(code)!;
    // A town spread over several postcodes: each postcode is its own district (its area centroid), all within the town.
    expect(distanceKm(point, KAISERSLAUTERN_CENTRE)).toBeLessThan(6);
    expect(placesInPostcode(code).map((p) => p.name)).toEqual([`Kaiserslautern (${code})`]);
  });

  it('the centre of the town is where “Kaiserslautern” resolves', () => {
    expect(distanceKm(found('Kaiserslautern'), KAISERSLAUTERN_CENTRE)).toBeLessThan(0.5);
  });

  it('says nothing for unknown or malformed postcodes', () => {
    for (const code of ['00000', '99999', '7682', '768299', 'abcde', '', ' 76829x']) expect(postcodePoint(code)).toBeUndefined();
  });
});

describe('villages of the Südliche Weinstraße that share a postcode keep their own names and points', () => {
  it.each([
    ['Ramberg', '76829', { lat: 49.2603, lng: 8.0083 }],
    ['Billigheim-Ingenheim', '76831', { lat: 49.1367, lng: 8.0906 }],
    ['Klingenmünster', '76889', { lat: 49.1406, lng: 8.0186 }],
  ])('%s (%s)', (name, code, centre) => {
    const inPostcode = placesInPostcode(code);
    const village = inPostcode.find((p) => p.name === `${name} (${code})`);
    expect(village).toBeDefined();
    expect(distanceKm(village!, centre)).toBeLessThan(0.1);
    // not the postcode's point: it is another place's
    expect(distanceKm(village!, postcodePoint(code)!)).toBeGreaterThan(2);
    expect(inPostcode.length).toBeGreaterThan(2);
    expect(distanceKm(found(name), centre)).toBeLessThan(0.1);
  });

  it('villages GeoNames has no coordinates for keep their name, at their postcode area’s centroid', () => {
    for (const name of ['Leinsweiler', 'Ranschbach']) {
      const place = found(name);
      expect(place.postcode).toBe('76829');
      expect(distanceKm(place, postcodeCentroid('76829')!)).toBeLessThan(0.05);
    }
  });
});
