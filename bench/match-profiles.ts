/** The client profiles of the matching benchmark (bench/match-bench.ts). */
import { LEVELS, SLOTS, type Level } from '../src/courses/course.enums';
import type { ClientProfileInput } from '../src/matching/client-profile.schema';
import { mulberry32 } from '../seed/random';

/** Main postcodes of big cities in the synthetic data and of the home region (as bench/query-mix.ts). */
const POSTCODES = ['10115', '20095', '80331', '50667', '60311', '70173', '40210', '04109', '44135', '28195', '30159', '90402', '68159', '76133', '55116', '67655', '76829'];
const grid = (days: string[], times: string[]) => SLOTS.filter((slot) => days.some((d) => slot.startsWith(`${d}-`)) && times.some((t) => slot.endsWith(`-${t}`)));
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];
const SLOT_SETS: string[][] = [
  [],
  ['tue-morning', 'thu-morning'],
  grid(WEEKDAYS, ['morning']),
  grid(WEEKDAYS, ['evening']),
  grid(['sat', 'sun'], ['morning', 'afternoon', 'evening']),
  ['mon-morning', 'tue-morning', 'wed-afternoon', 'thu-afternoon', 'fri-morning'],
  grid(WEEKDAYS, ['morning', 'afternoon']),
];
const CHILDREN: number[][] = [[], [], [], [14], [30], [8, 40]];
const DISTANCES = [5, 10, 15, 25, 40];

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A deterministic mix of client profiles as counselors describe them (levels, week grids, children, places, wishes). */
export function buildProfiles(count: number, seed: number, today: string): ClientProfileInput[] {
  const rng = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
  const chance = (p: number) => rng() < p;
  return Array.from({ length: count }, () => ({
    level: pick(LEVELS.slice(0, 5)) as Level,
    slots: pick(SLOT_SETS) as ClientProfileInput['slots'],
    childAgesMonths: pick(CHILDREN),
    womenOnly: pick(['no', 'no', 'preferred', 'required'] as const),
    ...(chance(0.9) ? { location: { postcode: pick(POSTCODES) }, maxDistanceKm: pick(DISTANCES) } : {}),
    onlinePossible: chance(0.3),
    freeOnly: chance(0.4),
    ...(chance(0.4) ? { startBy: addDays(today, 30 + Math.floor(rng() * 150)) } : {}),
    lang: pick(['de', 'ar', 'en', 'uk', 'fa'] as const),
  }));
}

