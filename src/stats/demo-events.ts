import type { Connection } from 'mongoose';
import { mulberry32 } from '../../seed/random';
import type { Level, Slot, TimeOfDay } from '../courses/course.enums';
import { CHILD_AGE_BUCKETS, hourOf, type ChildAgeBucket, type SearchEvent } from './search-event';
import { SEARCH_EVENTS } from './stats-recorder';

/** Seeded, so the demo statistics are the same on every load. */
const random = mulberry32;

function pick<T>(rnd: () => number, weighted: ReadonlyArray<readonly [T, number]>): T {
  const total = weighted.reduce((sum, [, w]) => sum + w, 0);
  let at = rnd() * total;
  for (const [value, weight] of weighted) {
    at -= weight;
    if (at < 0) return value;
  }
  return (weighted[weighted.length - 1] as readonly [T, number])[0];
}

const LANGUAGES = [['de', 40], ['ar', 16], ['uk', 14], ['tr', 9], ['fa', 9], ['ru', 7], ['en', 5]] as const;
const AREAS = [['768', 45], ['767', 15], ['766', 10], ['672', 8], ['673', 8], ['674', 6], [null, 8]] as const;
const LEVEL_WEIGHTS = [['alpha', 6], ['A1', 30], ['A2', 18], ['B1', 16], ['B2', 6], [null, 24]] as const;

/**
 * About six months of plausible anonymous searches ending at `now`, a little more every month, so the dashboard of
 * the demo is not empty: many parents asking for childcare (often for toddlers, in the mornings), women-only courses,
 * most in the Landau area; searches for childcare under two in the mornings mostly find nothing, as in the real
 * catalogue gaps the city wants to see.
 */
export function demoSearchEvents(now: Date, months = 6): SearchEvent[] {
  const rnd = random(20_260_101);
  const events: SearchEvent[] = [];
  const days = months * 30;
  for (let day = days; day >= 0; day--) {
    const perDay = Math.round(8 + (12 * (days - day)) / days + rnd() * 6);
    for (let i = 0; i < perDay; i++) {
      const at = new Date(now.getTime() - day * 86_400_000 - Math.floor(rnd() * 14) * 3_600_000);
      if (at > now) continue;
      const childcare = rnd() < 0.28;
      const childAges: ChildAgeBucket[] = childcare && rnd() < 0.7 ? [pick(rnd, CHILD_AGE_BUCKETS.map((b, k) => [b, [5, 6, 4, 3, 1][k] ?? 1] as const))] : [];
      const womenOnly = rnd() < (childcare ? 0.25 : 0.08);
      const time = pick<TimeOfDay | null>(rnd, [['morning', childcare ? 60 : 25], ['afternoon', 10], ['evening', childcare ? 3 : 20], [null, 40]]);
      const slots: Slot[] = time && rnd() < 0.3 ? [`tue-${time}`, `thu-${time}`] : [];
      const level = pick<Level | null>(rnd, LEVEL_WEIGHTS);
      const area = pick<string | null>(rnd, AREAS);
      const youngChild = childAges.some((b) => b === '0-11' || b === '12-23');
      const emptyChance = 0.08 + (youngChild ? 0.55 : 0) + (womenOnly ? 0.15 : 0) + (time === 'morning' && childcare ? 0.1 : 0);
      const results = rnd() < emptyChance ? 0 : 1 + Math.floor(rnd() * 12);
      events.push({
        hour: hourOf(at),
        lang: pick(rnd, LANGUAGES),
        levels: level ? [level] : [],
        types: rnd() < 0.1 ? ['integration_parents'] : [],
        modes: rnd() < 0.05 ? ['online'] : [],
        times: time ? [time] : [],
        slots,
        childcare,
        childAges,
        womenOnly,
        free: rnd() < 0.12,
        seats: rnd() < 0.2,
        radius: area ? pick(rnd, [['≤10', 40], ['≤25', 45], ['≤50', 15]] as const) : 'none',
        area,
        text: rnd() < 0.15,
        results,
        empty: results === 0,
      });
    }
  }
  return events;
}

export async function seedDemoSearchEvents(db: Connection, now: Date): Promise<number> {
  const events = demoSearchEvents(now);
  await db.collection<SearchEvent>(SEARCH_EVENTS).insertMany(events, { ordered: false });
  return events.length;
}
