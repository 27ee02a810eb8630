/**
 * Offline German postcode centroids (WGS84), from the generated `postcode-centroids.json`.
 * Source, licence and how to regenerate: `seed/postcodes/README.md`. No online geocoder is ever called.
 */
import centroidData from './postcode-centroids.json';

export type LatLng = { lat: number; lng: number };

const POSTCODE_PATTERN = /^\d{5}$/;

/** `{ "76829": [49.2749, 8.0265], ... }`, loaded once with the module. */
const centroids: Readonly<Record<string, readonly number[]>> = centroidData;

let sortedPostcodes: readonly string[] | undefined;

/** The centroid of a five-digit German postcode, or `undefined` when it is malformed or unknown. */
export function postcodeCentroid(postcode: string): LatLng | undefined {
  const code = postcode.trim();
  if (!POSTCODE_PATTERN.test(code) || !Object.hasOwn(centroids, code)) return undefined;
  const pair = centroids[code];
  const lat = pair?.[0];
  const lng = pair?.[1];
  if (lat === undefined || lng === undefined) return undefined;
  return { lat, lng };
}

/** Every known postcode, sorted ascending (e.g. for the synthetic data generator). */
export function knownPostcodes(): readonly string[] {
  sortedPostcodes ??= Object.freeze(Object.keys(centroids).sort());
  return sortedPostcodes;
}
