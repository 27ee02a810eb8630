import type { Connection } from 'mongoose';
import { boundedTransaction } from '../infra/mongo';
import type { Clock } from '../lib/clock';
import type { ScheduledJob } from '../infra/scheduled-jobs';
import type { SearchEvent } from './search-event';
import { SEARCH_EVENTS, monthOf } from './stats-recorder';

export const SEARCH_MONTHLY = 'search_events_monthly';
/** Raw search events are kept this many months, then only their monthly sums (issue 12). */
export const RAW_RETENTION_MONTHS = 13;

/** What a monthly aggregate keeps of the searches it sums: everything asked, not the hour. */
export const SHAPE_FIELDS = ['lang', 'levels', 'types', 'modes', 'times', 'slots', 'childcare', 'childAges', 'womenOnly', 'free', 'seats', 'radius', 'area', 'text'] as const;
export type SearchShape = Pick<SearchEvent, (typeof SHAPE_FIELDS)[number]>;
export type MonthlyDoc = SearchShape & { _id: string; month: string; searches: number; empty: number; results: number };

/** The start of the first month whose raw events are still kept: everything before is folded. */
export function retentionCutoff(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - RAW_RETENTION_MONTHS, 1));
}

function monthRange(month: Date): { from: Date; to: Date } {
  const from = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1));
  return { from, to: new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1)) };
}

/**
 * Folds raw search events older than 13 months into monthly sums, one calendar month at a time: the month's sums
 * are added and its raw events deleted in one transaction, so a run that stops half-way (or a second instance)
 * never counts a search twice or loses one. Returns how many raw events were folded.
 */
export async function foldOldSearchEvents(db: Connection, now: Date): Promise<number> {
  const events = db.collection<SearchEvent>(SEARCH_EVENTS);
  const monthly = db.collection<MonthlyDoc>(SEARCH_MONTHLY);
  const cutoff = retentionCutoff(now);
  let folded = 0;
  for (;;) {
    const oldest = await events.find({ hour: { $lt: cutoff } }, { projection: { hour: 1 } }).sort({ hour: 1 }).limit(1).toArray();
    const first = oldest[0];
    if (!first) return folded;
    const { from, to } = monthRange(first.hour);
    const month = monthOf(from);
    const groups = await events
      .aggregate<{ _id: SearchShape; searches: number; empty: number; results: number }>([
        { $match: { hour: { $gte: from, $lt: to } } },
        {
          $group: {
            _id: Object.fromEntries(SHAPE_FIELDS.map((field) => [field, `$${field}`])),
            searches: { $sum: 1 },
            empty: { $sum: { $cond: ['$empty', 1, 0] } },
            results: { $sum: '$results' },
          },
        },
      ])
      .toArray();
    const count = groups.reduce((sum, group) => sum + group.searches, 0);
    await boundedTransaction(db, 30_000, async (session) => {
      if (groups.length > 0) {
        await monthly.bulkWrite(
          groups.map((group) => ({
            updateOne: {
              filter: { _id: `${month}|${JSON.stringify(SHAPE_FIELDS.map((field) => group._id[field]))}` },
              update: { $setOnInsert: { month, ...group._id }, $inc: { searches: group.searches, empty: group.empty, results: group.results } },
              upsert: true,
            },
          })),
          { session, ordered: true },
        );
      }
      const { deletedCount } = await events.deleteMany({ hour: { $gte: from, $lt: to } }, { session });
      // Someone else folded (part of) this month meanwhile: undo the sums, fold again on the next run.
      if (deletedCount !== count) throw new Error(`folded ${count} search events of ${month} but deleted ${deletedCount}`);
    });
    folded += count;
  }
}

/** The daily retention run (src/infra/scheduled-jobs.ts: one instance runs it). */
export function statsRetentionJob(deps: { db: Connection; clock: Clock }): ScheduledJob {
  return { name: 'stats-retention', everyMs: 24 * 3_600_000, maxRunMs: 30 * 60_000, run: (now) => foldOldSearchEvents(deps.db, now) };
}
