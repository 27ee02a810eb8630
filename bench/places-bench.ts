/**
 * Lookup speed of the places module (src/places/places.ts), in one process, no servers.
 *   npx tsx bench/places-bench.ts [--rounds N]
 * Prints the one-off cost of loading the data and building the index, then µs per call of
 * suggestPlaces (prefixes of 1–8 characters of real names and postcodes), resolvePlace and postcodePoint.
 */
import { allPlaces, postcodePoint, resolvePlace, suggestPlaces } from '../src/places/places';

const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg >= 0 ? Number(process.argv[roundsArg + 1]) : 20;

function time(label: string, inputs: readonly string[], fn: (input: string) => unknown): void {
  for (const input of inputs.slice(0, 2000)) fn(input); // warm-up
  const start = process.hrtime.bigint();
  for (let r = 0; r < ROUNDS; r++) for (const input of inputs) fn(input);
  const ns = Number(process.hrtime.bigint() - start);
  const calls = ROUNDS * inputs.length;
  console.log(`${label.padEnd(34)} ${(ns / calls / 1000).toFixed(2).padStart(7)} µs/call  (${calls} calls)`);
}

const loadStart = process.hrtime.bigint();
postcodePoint('76829'); // the first call reads the data file and builds the index
console.log(`load + index: ${(Number(process.hrtime.bigint() - loadStart) / 1e6).toFixed(0)} ms (once per process)`);
const places = allPlaces();

// Deterministic sample: every 7th place, prefixes of 1..8 characters, plus postcode prefixes.
const sample = places.filter((_, i) => i % 7 === 0);
const namePrefixes = sample.flatMap((p) => [1, 2, 3, 5, 8].map((n) => p.name.slice(0, n).toLowerCase()));
const postcodePrefixes = sample.flatMap((p) => [1, 2, 3, 5].map((n) => p.postcode.slice(0, n)));
time('suggestPlaces(name prefix)', namePrefixes, (q) => suggestPlaces(q));
time('suggestPlaces(postcode prefix)', postcodePrefixes, (q) => suggestPlaces(q));
time('resolvePlace(name)', sample.map((p) => p.name), (n) => resolvePlace(n));
time('postcodePoint(postcode)', sample.map((p) => p.postcode), (c) => postcodePoint(c));
