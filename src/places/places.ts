/**
 * German places people type, resolved offline to the point where people live (domain.md → `postcode`/`place`).
 * Data: the generated `places-data.json` (sources, licences and rules: seed/places/README.md).
 *
 * Names match case-, accent- and whitespace-insensitively; a name with an umlaut also matches its transcription
 * ("Zweibrücken" = "zweibrucken" = "zweibruecken"). A name several places carry is ambiguous; the qualified
 * form `Name (PLZ)` names one place in one postcode, and every name `suggestPlaces` returns resolves to that
 * same place through `resolvePlace`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { distanceKm, type GeoPoint } from '../search/geo';
import type { PlacesData } from './places-data.schema';

export type Place = { name: string; postcode: string; lat: number; lng: number };
export type PlaceResolution = { kind: 'found'; place: Place } | { kind: 'unknown' } | { kind: 'ambiguous'; candidates: Place[] };

export const MAX_SUGGESTIONS = 10;
const POSTCODE = /^\d{5}$/;
const POSTCODE_PREFIX = /^\d{1,5}$/;
const SHORT_PREFIX = 2;
/** The qualified form: a name, then a five-digit postcode in brackets, e.g. `Neustadt (01844)`. */
const QUALIFIED = /^(.*?)\s*\((\d{5})\)$/;

type Group = {
  name: string;
  lat: number;
  lng: number;
  /** ascending; the first is the place's own postcode in `Place` */
  postcodes: string[];
  /** its bare name is unique (after normalization); otherwise it is written qualified */
  unique: boolean;
  /** position in the suggestion order (more postcodes, i.e. a bigger town, first; then by name) */
  rank: number;
};
type PostcodeInfo = { lat: number; lng: number; groups: number[] };
type Index = {
  groups: Group[];
  postcodes: Map<string, PostcodeInfo>;
  /** postcodes that have a named place, ascending */
  namedPostcodes: string[];
  /** normalized name → groups carrying it (its own name or its umlaut transcription) */
  byKey: Map<string, number[]>;
  /** normalized short name → groups whose official name adds a qualifier to it ("Neustadt" → "Neustadt an der Weinstraße") */
  byBase: Map<string, number[]>;
  /** every (key, group), sorted by key, for prefix search */
  keys: string[];
  keyGroups: number[];
  /** answers for prefixes of at most SHORT_PREFIX characters */
  shortPrefixes: Map<string, Place[]>;
};

/** Lowercase, umlauts and other accents folded to their base letter, ß → ss, hyphens and runs of spaces → one space. */
export function normalizePlaceName(text: string): string {
  return text
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\s-]+/g, ' ')
    .trim();
}

/** "Zweibrücken" is also written "Zweibruecken". */
function transcribed(name: string): string {
  return name.replace(/[äöüÄÖÜ]/g, (c) => `${c.normalize('NFD').charAt(0)}e`);
}

function keysOf(name: string): string[] {
  return [...new Set([normalizePlaceName(name), normalizePlaceName(transcribed(name))])];
}

/**
 * The name people say before the official qualifier: "Landau in der Pfalz" → "Landau", "Neustadt a.Main" →
 * "Neustadt", "Halle (Saale)" → "Halle". Typed alone, such a short name is ambiguous whenever it could mean
 * any of several places (domain.md: "there are many Neustadts").
 */
const QUALIFIER = /\s*\(|\s*\/|,|\s+(?:an der|an dem|am|an|a\.|in der|im|in|ob der|bei|b\.|i\.|auf der|vor der|v\. ?d\.)(?=\s|\p{Lu})/u;

function baseOf(name: string): string | undefined {
  const base = name.split(QUALIFIER)[0]?.trim() ?? '';
  return base.length > 0 && base.length < name.trim().length ? base : undefined;
}

let index: Index | undefined;

function loadIndex(): Index {
  // Generated, checked against placesDataSchema by the generator and by tests/places/places-data.test.ts;
  // parsing it with zod here as well would cost about half a second at every start.
  const data = JSON.parse(readFileSync(path.join(__dirname, 'places-data.json'), 'utf8')) as PlacesData;
  const groups: Group[] = data.places.map(([name, lat, lng]) => ({ name, lat, lng, postcodes: [], unique: true, rank: 0 }));
  const postcodes = new Map<string, PostcodeInfo>();
  for (const code of Object.keys(data.postcodes).sort()) {
    const [lat, lng, ...members] = data.postcodes[code] ?? [];
    if (lat === undefined || lng === undefined) continue;
    postcodes.set(code, { lat, lng, groups: members });
    for (const g of members) groups[g]?.postcodes.push(code);
  }
  const byKey = new Map<string, number[]>();
  const byBase = new Map<string, number[]>();
  const pairs: Array<[string, number]> = [];
  groups.forEach((group, g) => {
    if (group.postcodes.length === 0) return; // not reachable from any postcode: nothing to qualify it with
    for (const key of keysOf(group.name)) {
      byKey.set(key, [...(byKey.get(key) ?? []), g]);
      pairs.push([key, g]);
    }
    const base = baseOf(group.name);
    if (base) for (const key of keysOf(base)) byBase.set(key, [...new Set([...(byBase.get(key) ?? []), g])]);
  });
  groups.forEach((group, g) => {
    const key = normalizePlaceName(group.name);
    // Written bare only when the bare name can mean nothing else: not another place's name, nor its short name.
    group.unique = (byKey.get(key)?.length ?? 0) === 1 && (byBase.get(key)?.length ?? 0) === 0;
    group.rank = g; // the generator writes places in suggestion order
  });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  return {
    groups,
    postcodes,
    namedPostcodes: [...postcodes.keys()].filter((code) => (postcodes.get(code)?.groups.length ?? 0) > 0),
    byKey,
    byBase,
    keys: pairs.map((p) => p[0]),
    keyGroups: pairs.map((p) => p[1]),
    shortPrefixes: new Map(),
  };
}

function getIndex(): Index {
  index ??= loadIndex();
  return index;
}

/** First position whose value is ≥ `prefix` in an ascending array. */
function lowerBound(sorted: readonly string[], prefix: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? '') < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The place `group` in `postcode`, written qualified: the postcode's main place lives at the postcode's point. */
function placeInPostcode(ix: Index, g: number, postcode: string): Place | undefined {
  const group = ix.groups[g];
  const info = ix.postcodes.get(postcode);
  if (!group || !info?.groups.includes(g)) return undefined;
  const at = info.groups[0] === g ? info : group;
  return { name: `${group.name} (${postcode})`, postcode, lat: at.lat, lng: at.lng };
}

/** A place as suggestions show it: its bare name when unique, else qualified with its first postcode. */
function placeOf(ix: Index, g: number): Place | undefined {
  const group = ix.groups[g];
  const first = group?.postcodes[0];
  if (!group || first === undefined) return undefined;
  if (!group.unique) return placeInPostcode(ix, g, first);
  return { name: group.name, postcode: first, lat: group.lat, lng: group.lng };
}

function present<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/** The point where the people of a five-digit German postcode live, or `undefined` for an unknown one. */
export function postcodePoint(postcode: string): { lat: number; lng: number } | undefined {
  const code = postcode.trim();
  if (!POSTCODE.test(code)) return undefined;
  const info = getIndex().postcodes.get(code);
  return info ? { lat: info.lat, lng: info.lng } : undefined;
}

/** An exact place name (normalized), or the qualified form `Name (PLZ)`. */
export function resolvePlace(name: string): PlaceResolution {
  const ix = getIndex();
  const qualified = QUALIFIED.exec(name.trim());
  if (qualified) {
    const [, bare = '', postcode = ''] = qualified;
    const key = normalizePlaceName(bare);
    const hits = (ix.postcodes.get(postcode)?.groups ?? [])
      .filter((g) => ix.byKey.get(key)?.includes(g))
      .map((g) => placeInPostcode(ix, g, postcode))
      .filter(present);
    return answer(hits);
  }
  const key = normalizePlaceName(name);
  const groups = ix.byKey.get(key) ?? [];
  // Folding makes "Munster" and "Münster" one key; whoever wrote the letters exactly means those places.
  const strict = strictForm(name);
  const exact = groups.filter((g) => strictForm(ix.groups[g]?.name ?? '') === strict);
  const named = exact.length > 0 ? exact : groups;
  // "Neustadt" may mean Neustadt (Hessen) or any Neustadt with a qualifier: all of them are candidates.
  const shortFor = (ix.byBase.get(key) ?? []).filter((g) => !named.includes(g));
  return answer([...named, ...shortFor].map((g) => placeOf(ix, g)).filter(present));
}

function strictForm(text: string): string {
  return text.toLowerCase().replace(/[\s-]+/g, ' ').trim();
}

function answer(places: Place[]): PlaceResolution {
  const [first] = places;
  if (!first) return { kind: 'unknown' };
  if (places.length === 1) return { kind: 'found', place: first };
  return { kind: 'ambiguous', candidates: places };
}

/**
 * Places whose name starts with `q` (normalized), or, for digits, postcodes that start with `q` (each as its
 * main place, qualified). Order: exact name first, then the nearest to `near` when given (people mostly look
 * for their own town: "Land" near Landau means Landau in der Pfalz, not Landshut), else places with more
 * postcodes (bigger towns); then by name. At most `limit` (at most 10).
 */
export function suggestPlaces(q: string, limit = MAX_SUGGESTIONS, near?: GeoPoint): Place[] {
  const ix = getIndex();
  const max = Math.max(0, Math.min(Math.floor(limit), MAX_SUGGESTIONS));
  const text = q.trim();
  if (max === 0 || text === '') return [];
  if (POSTCODE_PREFIX.test(text)) {
    const out: Place[] = [];
    for (let i = lowerBound(ix.namedPostcodes, text); out.length < max; i++) {
      const code = ix.namedPostcodes[i];
      if (code === undefined || !code.startsWith(text)) break;
      const main = ix.postcodes.get(code)?.groups[0];
      const place = main === undefined ? undefined : placeInPostcode(ix, main, code);
      if (place) out.push(place);
    }
    return out;
  }
  const prefix = normalizePlaceName(text);
  if (prefix === '') return [];
  // One or two letters match thousands of keys; their answers are few, so they are kept once computed.
  // Only plain Latin prefixes without a point are kept (at most 37² of them): anything else would let the
  // cache grow without bound.
  if (near || prefix.length > SHORT_PREFIX || !/^[a-z0-9 ]+$/.test(prefix)) return bestByName(ix, prefix, max, near);
  const cacheKey = `${max}:${prefix}`;
  let cached = ix.shortPrefixes.get(cacheKey);
  if (!cached) {
    cached = bestByName(ix, prefix, max);
    ix.shortPrefixes.set(cacheKey, cached);
  }
  return cached.map((place) => ({ ...place }));
}

type Candidate = { g: number; exact: boolean; km: number; rank: number };

/** Exact names first, then nearest (0 for all without a point), then the generator's order. */
function before(a: Candidate, b: Candidate): boolean {
  if (a.exact !== b.exact) return a.exact;
  if (a.km !== b.km) return a.km < b.km;
  return a.rank < b.rank;
}

function bestByName(ix: Index, prefix: string, max: number, near?: GeoPoint): Place[] {
  // Keep the best `max` of the prefix range in order; the range is walked once, no full sort per call.
  const best: Candidate[] = [];
  const seen = new Set<number>();
  for (let i = lowerBound(ix.keys, prefix); i < ix.keys.length; i++) {
    const key = ix.keys[i] ?? '';
    if (!key.startsWith(prefix)) break;
    const g = ix.keyGroups[i] ?? 0;
    const group = ix.groups[g];
    if (!group || seen.has(g)) continue;
    seen.add(g);
    const candidate = { g, exact: key === prefix, km: near ? distanceKm(near, group) : 0, rank: group.rank };
    const last = best[max - 1];
    if (last && !before(candidate, last)) continue;
    let at = best.length;
    while (at > 0 && before(candidate, best[at - 1] ?? candidate)) at--;
    best.splice(at, 0, candidate);
    if (best.length > max) best.pop();
  }
  return best.map(({ g }) => placeOf(ix, g)).filter(present);
}

/** Every place, written as `suggestPlaces` writes it (for checks over the whole data set). */
export function allPlaces(): Place[] {
  const ix = getIndex();
  return ix.groups.map((_, g) => placeOf(ix, g)).filter(present);
}

/** The places of a postcode, its main place first, each written qualified with this postcode. */
export function placesInPostcode(postcode: string): Place[] {
  const ix = getIndex();
  const code = postcode.trim();
  return (ix.postcodes.get(code)?.groups ?? []).map((g) => placeInPostcode(ix, g, code)).filter(present);
}
