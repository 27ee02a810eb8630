import type { Connection } from 'mongoose';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { SearchQuery } from '../search/search-query.schema';
import { describeSearch, type SearchEvent } from './search-event';

export const SEARCH_EVENTS = 'search_events';
export const COURSE_COUNTERS = 'course_counters';

/** What people do with a course, counted per course and month, nothing about who did it. */
export const COURSE_ACTIONS = ['views', 'ical', 'shares', 'registers'] as const;
export type CourseAction = (typeof COURSE_ACTIONS)[number];

export type CourseCounterDoc = { _id: string; courseId: string; month: string } & Partial<Record<CourseAction, number>>;

export type RecorderOptions = {
  /** the longest events wait in memory before they are written */
  flushEveryMs: number;
  /** a flush starts early when this many events wait */
  flushAt: number;
  /** the most events (and course counters) kept while MongoDB does not answer; more are dropped, not queued */
  maxBuffered: number;
  /** a write that takes longer is given up (its events are dropped) */
  writeTimeoutMs: number;
};

export const DEFAULT_RECORDER_OPTIONS: RecorderOptions = { flushEveryMs: 10_000, flushAt: 500, maxBuffered: 10_000, writeTimeoutMs: 5_000 };

export function monthOf(time: Date): string {
  return time.toISOString().slice(0, 7);
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`statistics write took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Anonymous statistics, written fire-and-forget in batches: a search or a page view only pushes onto an in-memory
 * buffer (no await, no I/O); a timer writes the buffer every `flushEveryMs`, earlier when it is large. One write is
 * in flight at a time and each is cut off after `writeTimeoutMs`; while MongoDB is slow or down the buffer stops
 * at `maxBuffered` and further events are dropped (counted in `dropped`), so an outage costs statistics, never memory
 * or a search.
 */
export function createStatsRecorder(deps: { db: Connection; clock: Clock; logger: Logger; options?: Partial<RecorderOptions> }) {
  const options = { ...DEFAULT_RECORDER_OPTIONS, ...deps.options };
  const events = deps.db.collection<SearchEvent>(SEARCH_EVENTS);
  const counters = deps.db.collection<CourseCounterDoc>(COURSE_COUNTERS);
  let pendingEvents: SearchEvent[] = [];
  let pendingCounts = new Map<string, CourseCounterDoc>();
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let dropped = 0;
  let lastFailureLogged = 0;

  function push(event: SearchEvent): void {
    if (pendingEvents.length >= options.maxBuffered) {
      dropped++;
      return;
    }
    pendingEvents.push(event);
    if (pendingEvents.length >= options.flushAt) void flush();
  }

  /** Records one search (page 1 only: turning pages is the same search). Never throws, never waits. */
  function recordSearch(query: SearchQuery, results: number): void {
    if (query.page !== 1) return;
    try {
      push(describeSearch(query, results, deps.clock.now()));
    } catch (error) {
      deps.logger.warn({ err: error instanceof Error ? error.message : error }, 'a search could not be recorded for the statistics');
    }
  }

  /** Counts one view, calendar download, share or registration click of a course. Never throws, never waits. */
  function countCourse(courseId: string, action: CourseAction): void {
    const month = monthOf(deps.clock.now());
    const key = `${courseId}:${month}`;
    let entry = pendingCounts.get(key);
    if (!entry) {
      if (pendingCounts.size >= options.maxBuffered) {
        dropped++;
        return;
      }
      entry = { _id: key, courseId, month };
      pendingCounts.set(key, entry);
    }
    entry[action] = (entry[action] ?? 0) + 1;
  }

  async function write(batch: SearchEvent[], counts: CourseCounterDoc[]): Promise<void> {
    const writes: Array<Promise<unknown>> = [];
    if (batch.length > 0) writes.push(events.insertMany(batch, { ordered: false }));
    if (counts.length > 0) {
      writes.push(
        counters.bulkWrite(
          counts.map(({ _id, courseId, month, ...inc }) => ({
            updateOne: { filter: { _id }, update: { $setOnInsert: { courseId, month }, $inc: inc }, upsert: true },
          })),
          { ordered: false },
        ),
      );
    }
    await withTimeout(Promise.all(writes), options.writeTimeoutMs);
  }

  /** Writes what waits (one write at a time); a failed write drops its batch and logs at most once a minute. */
  function flush(): Promise<void> {
    if (inFlight) return inFlight;
    if (pendingEvents.length === 0 && pendingCounts.size === 0) return Promise.resolve();
    const batch = pendingEvents;
    const counts = [...pendingCounts.values()];
    pendingEvents = [];
    pendingCounts = new Map();
    inFlight = write(batch, counts)
      .catch((error: unknown) => {
        dropped += batch.length + counts.length;
        const now = Date.now();
        if (now - lastFailureLogged > 60_000) {
          lastFailureLogged = now;
          deps.logger.warn({ err: error instanceof Error ? error.message : error, dropped }, 'statistics could not be written; dropped');
        }
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  function start(): void {
    if (timer) return;
    timer = setInterval(() => void flush(), options.flushEveryMs);
    timer.unref();
  }

  /** Stops the timer and writes what still waits (after any write in flight). */
  async function stop(): Promise<void> {
    if (timer) clearInterval(timer);
    timer = undefined;
    await inFlight;
    await flush();
  }

  return {
    recordSearch,
    countCourse,
    flush: async () => {
      await inFlight;
      await flush();
    },
    start,
    stop,
    /** events and counters waiting in memory, and how many were dropped so far */
    state: () => ({ buffered: pendingEvents.length + pendingCounts.size, dropped }),
  };
}

export type StatsRecorder = ReturnType<typeof createStatsRecorder>;
