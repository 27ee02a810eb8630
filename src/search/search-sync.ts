import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Connection } from 'mongoose';
import type { Logger } from '../lib/logger';
import type { Clock } from '../lib/clock';
import { REQUEST_TIMEOUT_MS, waitForTask, type SearchEngine } from '../infra/meili';
import { staleBefore } from '../courses/course-facts';
import { courseModel, type CourseRecord } from '../courses/course.model';
import { providerModel } from '../providers/provider.model';
import { isPubliclyVisible, publicCoursesFilter } from '../courses/public-visibility';
import { COURSE_INDEX_SETTINGS } from './index-settings';
import { toSearchDocument, type CourseSearchDocument } from './search-document';
import { courseIndexName } from './search.service';
import { MeilisearchApiError, type EnqueuedTask, type Task } from 'meilisearch';
import { isWriteTimeoutError } from '../infra/mongo';

export type SearchSyncOptions = {
  batchSize?: number;
  pollIntervalMs?: number;
  maxBackoffMs?: number;
  /** how long one instance may hold the worker lease without renewing it */
  leaseMs?: number;
  staleSweepIntervalMs?: number;
  /** time limit of the worker's own updates in MongoDB (WRITE_TIMEOUT_MS) */
  writeTimeoutMs?: number;
  /**
   * time limit of clearing one course's mark: a course whose document another transaction holds (one a killed
   * instance left open) stays marked and is tried again later, instead of holding up every other course
   */
  clearTimeoutMs?: number;
  /** a round still running after this long is stuck: the worker stops renewing its lease, so another instance takes over */
  maxRoundMs?: number;
};

const TASK_TIMEOUT_MS = 120_000;
/** Marks cleared per command: small enough to finish well within the clear time limit. */
const CLEAR_CHUNK = 100;
// Small batches keep the app's memory flat during a rebuild; Meilisearch merges consecutive tasks into larger batches anyway.
const REBUILD_BATCH = 1_000;
/** Courses written this long before a rebuild started are pushed again after the swap (clock skew between instances). */
const REBUILD_OVERLAP_MS = 5_000;
/** A course whose mark could not be cleared is tried again after 1 s, 2 s, 4 s … at most this long. */
const MAX_HOLD_BACK_MS = 30_000;
/** At most this many held-back courses are left out of a round's query (more: they are simply tried again). */
const MAX_HELD_IN_QUERY = 500;
/** /health counts a course as stuck when its mark is older than this. */
export const STUCK_AFTER_MS = 60_000;

/**
 * The update that marks courses for indexing again without writing a new version (rebuild catch-up, stale sweep,
 * a provider rename). The mark gets a fresh `markId`: a push that read the course before cannot match it in its
 * conditional clear, even though `pendingVersion` may hold the very same number as before (no ABA).
 */
export function markAgainUpdate() {
  return [{ $set: { 'search.pendingVersion': '$version', 'search.markId': { $literal: randomUUID() }, 'search.markedAt': '$$NOW' } }];
}

function assertSucceeded(task: Task): void {
  if (task.status !== 'succeeded') throw new Error(`Meilisearch task ${task.uid} (${task.type}) ${task.status}: ${task.error?.message ?? 'no detail'}`);
}

/**
 * Keeps the search index equal to MongoDB (architecture.md, "write flow and index sync"):
 * services mark a course with `search.pendingVersion` in the same update that changes it; this worker
 * pushes marked courses, waits for Meilisearch to succeed, and clears a mark only if it still holds the
 * version it pushed. One instance at a time works the queue (a lease in MongoDB, renewed while a round runs), so
 * pushes do not reorder; an instance that stops renewing (crashed, or cut off from MongoDB for longer than the lease)
 * is taken over after `leaseMs`.
 */
export function createSearchSync(deps: { db: Connection; engine: SearchEngine; clock: Clock; logger: Logger; options?: SearchSyncOptions }) {
  const courses = courseModel(deps.db);
  const providers = providerModel(deps.db);
  const leases = deps.db.collection<{ _id: string; holder: string; host?: string; pid?: number; expiresAt: Date }>('search_sync_lease');
  const { client, writer } = deps.engine;
  const indexUid = courseIndexName(deps.engine);
  const options = {
    batchSize: 2000,
    pollIntervalMs: 250,
    maxBackoffMs: 10_000,
    leaseMs: 30_000,
    staleSweepIntervalMs: 60_000,
    writeTimeoutMs: 5_000,
    clearTimeoutMs: 1_000,
    maxRoundMs: TASK_TIMEOUT_MS + 30_000,
    ...deps.options,
  };
  const me = randomUUID();
  /** until when (this process's clock) the lease is ours for sure: the last renewal's start plus the lease time */
  let leaseValidUntil = 0;
  /** whether this instance held the lease in its last round (if not, the next round is a takeover) */
  let holding = false;
  /** courses whose marks could not be cleared (their document is locked), with the mark they had and when to retry */
  const heldBack = new Map<string, { pendingVersion: number; markId: string | null; retryAt: number; attempts: number }>();

  let running = false;
  let wake: (() => void) | undefined;
  let kicked = false;
  let loop: Promise<void> | undefined;
  let failures = 0;
  let lastError: string | undefined;
  let lastSweep = 0;
  /** when this instance last finished a round holding the lease (for the admins' index page) */
  let lastSuccessAt: Date | undefined;
  /** documents the engine refused, until a later push of the same course succeeds */
  const rejectedDocuments = new Map<string, { at: Date; error: string }>();
  let unanswered: Promise<void> | undefined;
  /** courses a rebuild's catch-up could not mark again (locked by another transaction): retried every round */
  const remarkLater = new Set<string>();

  /** Rejects when `promise` has not settled within REQUEST_TIMEOUT_MS; the promise itself goes on. */
  function answerWithin<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  /**
   * Sends one index write, in order with every earlier write of this instance. A write that gets no answer in time
   * fails the round (visible in /health) but is not abandoned: a frozen engine still runs it when it wakes up, so
   * no newer write goes out until it has settled. Otherwise an older version of a course, pushed before the freeze,
   * could land after a newer one whose mark was already cleared: a lost update.
   */
  async function send(request: () => Promise<EnqueuedTask>): Promise<EnqueuedTask> {
    if (unanswered) await answerWithin(unanswered, 'Meilisearch has not answered an earlier write');
    const sent = request();
    const settled = sent.then(
      () => undefined,
      () => undefined,
    );
    unanswered = settled;
    void settled.then(() => {
      if (unanswered === settled) unanswered = undefined;
    });
    return answerWithin(sent, 'Meilisearch did not answer a write');
  }

  /** whether the live index exists with our settings (checked once per process, before the first push) */
  let liveIndexReady = false;

  async function indexExists(uid: string): Promise<boolean> {
    try {
      await client.getIndex(uid);
      return true;
    } catch (error) {
      if (error instanceof MeilisearchApiError && error.cause?.code === 'index_not_found') return false;
      throw error;
    }
  }

  async function ensureIndex(uid = indexUid): Promise<void> {
    if (!(await indexExists(uid))) {
      const created = await waitForTask(deps.engine, send(() => writer.createIndex(uid, { primaryKey: 'id' })), TASK_TIMEOUT_MS);
      // Another instance starting at the same moment may have created it first.
      if (created.error?.code !== 'index_already_exists') assertSucceeded(created);
    }
    assertSucceeded(await waitForTask(deps.engine, send(() => writer.index(uid).updateSettings(COURSE_INDEX_SETTINGS)), TASK_TIMEOUT_MS));
    if (uid === indexUid) liveIndexReady = true;
  }

  /**
   * Swaps a built index in. A swap task belongs to no index, so a key scoped to this app's indexes cannot read it
   * back ("task not found"). Tasks run in the order they were enqueued: a no-op settings task on the live index,
   * enqueued after the swap, has run only when the swap has. (Both indexes exist at this point, which is the one
   * thing a swap checks.)
   */
  async function swapIntoLive(buildUid: string, sentinelId: string): Promise<void> {
    const swap = await send(() => writer.swapIndexes([{ indexes: [indexUid, buildUid], rename: false }]));
    try {
      assertSucceeded(await waitForTask(deps.engine, swap, TASK_TIMEOUT_MS));
    } catch (error) {
      if (!(error instanceof MeilisearchApiError && error.cause?.code === 'task_not_found')) throw error;
      assertSucceeded(await waitForTask(deps.engine, send(() => writer.index(indexUid).updateSettings({})), TASK_TIMEOUT_MS));
      // It ran; whether it succeeded shows in the live index: it now holds the build's sentinel document.
      const swapped = await client.index(indexUid).getDocument(sentinelId).then(
        () => true,
        () => false,
      );
      if (!swapped) throw new Error('rebuild: the index swap did not take effect');
    }
    assertSucceeded(await waitForTask(deps.engine, send(() => writer.index(indexUid).deleteDocument(sentinelId)), TASK_TIMEOUT_MS));
  }

  /**
   * Marks courses again one by one, each with the write time limit; a course that stays locked (by a transaction a
   * dead instance left open) is remembered and tried again every round, so one lock never drops another's mark.
   */
  async function markAgainOneByOne(ids: string[]): Promise<void> {
    const results = await Promise.allSettled(
      ids.map((id) => courses.updateOne({ _id: id }, markAgainUpdate(), { updatePipeline: true, timestamps: false, maxTimeMS: options.writeTimeoutMs })),
    );
    results.forEach((result, i) => {
      const id = ids[i] ?? '';
      if (result.status === 'fulfilled') remarkLater.delete(id);
      else remarkLater.add(id);
    });
    if (remarkLater.size > 0) deps.logger.warn({ courses: [...remarkLater] }, 'could not mark courses for indexing again yet; retrying every round');
  }

  async function providersOf(records: CourseRecord[]): Promise<Map<string, { name: string; deactivatedAt?: Date }>> {
    const ids = [...new Set(records.map((c) => c.providerId.toString()))];
    const rows = await providers.find({ _id: { $in: ids } }, { name: 1, deactivatedAt: 1 }).lean();
    return new Map(rows.map((p) => [p._id.toString(), p]));
  }

  function documentsFor(records: CourseRecord[], names: Map<string, string>): CourseSearchDocument[] {
    const now = deps.clock.now();
    return records.map((course) => toSearchDocument(course, names.get(course.providerId.toString()) ?? '', now));
  }

  async function holdLease(): Promise<boolean> {
    const now = deps.clock.now();
    const asked = Date.now();
    try {
      await leases.updateOne(
        { _id: 'courses', $or: [{ holder: me }, { expiresAt: { $lt: now } }] },
        // host and pid only tell operators (and bench/instance-kill.ts) which process holds it
        { $set: { holder: me, host: os.hostname(), pid: process.pid, expiresAt: new Date(now.getTime() + options.leaseMs) } },
        { upsert: true, maxTimeMS: options.writeTimeoutMs },
      );
      leaseValidUntil = asked + options.leaseMs;
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false; // another instance holds it
      throw error;
    }
  }

  /**
   * Checked before every push: an instance that could not renew its lease (stuck, paused, cut off from MongoDB)
   * must not push after another instance may have taken over, or an older version could land after a newer one.
   * A quarter of the lease is kept as margin for the request's way to the engine.
   */
  function assertLeaseHeld(): void {
    if (Date.now() > leaseValidUntil - options.leaseMs / 4) throw new Error('search sync lost its lease; another instance takes over');
  }

  /**
   * After a takeover, pushes the previous holder sent may still be queued in the engine. Tasks of one index run in
   * the order they were enqueued, so a new push would land after them anyway; waiting for them first also keeps
   * this instance from clearing a mark on the strength of a task that ran before an older one still queued.
   */
  async function awaitQueuedTasks(): Promise<void> {
    const queued = await client.tasks.getTasks({ indexUids: [indexUid], statuses: ['enqueued', 'processing'], limit: 1 });
    const last = queued.results[0];
    if (last) await waitForTask(deps.engine, last.uid, TASK_TIMEOUT_MS);
  }

  /** Marks published courses that turned stale since they were indexed, so they sink in ranking. */
  async function sweepStale(): Promise<void> {
    const threshold = staleBefore(deps.clock.now());
    await courses.updateMany(
      { status: 'published', lastConfirmedAt: { $lt: threshold }, 'search.indexedStale': { $ne: true }, 'search.pendingVersion': { $exists: false } },
      markAgainUpdate(),
      { updatePipeline: true, timestamps: false, maxTimeMS: options.writeTimeoutMs },
    );
  }

  /**
   * Clears the marks of courses whose marked version is now in the live index — only where nobody wrote a newer
   * version or marked the course again meanwhile (`markId`); otherwise the mark stays and the next round pushes it.
   * A course whose document another transaction holds (an instance was killed mid-write, and MongoDB aborts its
   * transaction only after transactionLifetimeLimitSeconds) cannot be cleared now: it stays marked, is left out of
   * the next rounds for a while (`heldBack`) and tried again, and every other course goes on.
   */
  async function clearMarks(pushed: Array<Pick<CourseRecord, '_id' | 'search'>>, staleById: Map<string, boolean>): Promise<void> {
    const marked = pushed.filter((course) => course.search?.pendingVersion !== undefined);
    if (marked.length === 0) return;
    const clearOf = (course: Pick<CourseRecord, '_id' | 'search'>) => ({
      filter: { _id: course._id, 'search.pendingVersion': course.search?.pendingVersion, 'search.markId': course.search?.markId ?? null },
      update: {
        $unset: { 'search.pendingVersion': '', 'search.markId': '', 'search.markedAt': '' },
        $set: { 'search.indexedStale': staleById.get(course._id.toString()) ?? false },
      },
    });
    // Bookkeeping, not a change of the course: `updatedAt` stays as the last write left it.
    const limits = { timestamps: false, maxTimeMS: options.clearTimeoutMs } as const;
    const retrying = marked.filter((course) => heldBack.has(course._id.toString()));
    const fresh = marked.filter((course) => !heldBack.has(course._id.toString()));
    if (retrying.length > 0) clearOneByOne(retrying);
    // In chunks, each under the time limit: a limit meant to notice a locked document must not also bound the time a
    // whole batch takes (2,000 clears in one command ran past 1 s on a busy machine, and every batch of a bulk
    // import fell back to clearing one by one).
    for (let start = 0; start < fresh.length; start += CLEAR_CHUNK) {
      const chunk = fresh.slice(start, start + CLEAR_CHUNK);
      try {
        await courses.bulkWrite(
          chunk.map((course) => ({ updateOne: clearOf(course) })),
          { ordered: false, ...limits },
        );
      } catch (error) {
        if (!isWriteTimeoutError(error)) throw error;
        // Some course held this chunk up: each on its own, so only the locked ones stay behind.
        clearOneByOne(chunk);
      }
    }

    /**
     * Clears each course's mark on its own, without holding up the round: the conditional update is right whenever
     * it lands, as the push it follows has succeeded. Meanwhile the courses stay out of the queue (`retryAt`).
     */
    function clearOneByOne(list: Array<Pick<CourseRecord, '_id' | 'search'>>): void {
      // Each clear keeps its own entries: a clear that settles after a newer one for the same course started
      // (the worker's round and a rebuild's catch-up both clear) must not drop or reschedule the newer entry.
      const entries = list.map((course) => {
        const id = course._id.toString();
        const entry = { pendingVersion: course.search?.pendingVersion ?? 0, markId: course.search?.markId ?? null, attempts: heldBack.get(id)?.attempts ?? 0, retryAt: Number.POSITIVE_INFINITY };
        heldBack.set(id, entry);
        return { id, entry };
      });
      void Promise.allSettled(list.map((course) => courses.updateOne(clearOf(course).filter, clearOf(course).update, limits))).then((results) => {
        const now = Date.now();
        for (const [i, result] of results.entries()) {
          const own = entries[i];
          if (!own || heldBack.get(own.id) !== own.entry) continue;
          const { id, entry } = own;
          if (result.status === 'fulfilled') {
            heldBack.delete(id);
            continue;
          }
          entry.attempts += 1;
          entry.retryAt = now + Math.min(MAX_HOLD_BACK_MS, 1000 * 2 ** (entry.attempts - 1));
          deps.logger.warn(
            { course: id, attempts: entry.attempts, err: result.reason instanceof Error ? result.reason.message : String(result.reason) },
            'search sync could not clear a mark in time (document locked?); it stays marked and is tried again later',
          );
        }
      });
    }
  }

  /** The queue: marked courses, without those held back whose mark is unchanged and whose retry time has not come. */
  function queueFilter(now: number): Record<string, unknown> {
    const waiting = [...heldBack].filter(([, held]) => held.retryAt > now).slice(0, MAX_HELD_IN_QUERY);
    const filter: Record<string, unknown> = { 'search.pendingVersion': { $exists: true } };
    if (waiting.length > 0) {
      filter.$nor = waiting.map(([id, held]) => ({ _id: id, 'search.pendingVersion': held.pendingVersion, 'search.markId': held.markId }));
    }
    return filter;
  }

  /**
   * Drops held-back courses whose retry time has come but which are no longer in the queue: their mark went by
   * another route (a rebuild's catch-up cleared it, the course was deleted). Only called with the whole queue in hand
   * (a batch smaller than batchSize); otherwise they would stay in `heldBack` for ever, and in /health's count.
   */
  function forgetHeldBackGone(now: number, queue: Array<Pick<CourseRecord, '_id'>>): void {
    const queued = new Set(queue.map((course) => course._id.toString()));
    for (const [id, held] of heldBack) {
      if (held.retryAt <= now && !queued.has(id)) heldBack.delete(id);
    }
  }

  function pushUnderLease(request: () => Promise<EnqueuedTask>): Promise<EnqueuedTask> {
    assertLeaseHeld();
    return send(request);
  }

  /** Pushes one batch of marked courses; returns how many were handled. */
  async function pushBatch(): Promise<number> {
    const now = Date.now();
    const pending = await courses.find(queueFilter(now)).limit(options.batchSize).lean();
    if (pending.length < options.batchSize) forgetHeldBackGone(now, pending);
    if (pending.length === 0) return 0;
    const owners = await providersOf(pending);
    // The index holds exactly what the public may see; every other marked course is taken out of it.
    const published = pending.filter((c) => isPubliclyVisible(c, owners.get(c.providerId.toString())));
    const shown = new Set(published.map((c) => c._id.toString()));
    const withdrawn = pending.map((c) => c._id.toString()).filter((id) => !shown.has(id));
    const documents = documentsFor(published, new Map([...owners].map(([id, owner]) => [id, owner.name])));
    const index = writer.index<CourseSearchDocument>(indexUid);
    if (withdrawn.length > 0) assertSucceeded(await waitForTask(deps.engine, pushUnderLease(() => index.deleteDocuments(withdrawn)), TASK_TIMEOUT_MS));
    const rejected = documents.length > 0 ? await addDocuments(documents) : new Set<string>();
    const pushed = pending.filter((course) => !rejected.has(course._id.toString()));
    await clearMarks(pushed, new Map(documents.map((d) => [d.id, d.staleRank === 1])));
    if (rejected.size > 0) throw new Error(`Meilisearch rejected courses ${[...rejected].join(', ')}; they stay marked`);
    return pending.length;
  }

  /**
   * Adds (replaces) documents; returns the ids the engine rejected. When a batch task fails, its documents are
   * sent one by one, so one document the engine refuses cannot hold back every other course's update.
   */
  async function addDocuments(documents: CourseSearchDocument[]): Promise<Set<string>> {
    const index = writer.index<CourseSearchDocument>(indexUid);
    const add = (docs: CourseSearchDocument[]) => waitForTask(deps.engine, pushUnderLease(() => index.addDocuments(docs, { primaryKey: 'id' })), TASK_TIMEOUT_MS);
    const task = await add(documents);
    if (task.status === 'succeeded') {
      for (const document of documents) rejectedDocuments.delete(document.id);
      return new Set();
    }
    if (documents.length === 1) {
      const id = documents[0]?.id ?? '';
      rejectedDocuments.set(id, { at: deps.clock.now(), error: task.error?.message ?? 'rejected' });
      return new Set([id]);
    }
    deps.logger.warn({ err: task.error?.message, documents: documents.length }, 'search batch rejected; pushing its courses one by one');
    const rejected = new Set<string>();
    for (const document of documents) {
      const single = await add([document]);
      if (single.status === 'succeeded') {
        rejectedDocuments.delete(document.id);
      } else {
        rejected.add(document.id);
        rejectedDocuments.set(document.id, { at: deps.clock.now(), error: single.error?.message ?? 'rejected' });
      }
    }
    return rejected;
  }

  async function runOnce(): Promise<number> {
    let leased: boolean;
    try {
      leased = await holdLease();
    } catch (error) {
      // Cut off from MongoDB: by the time it answers again the lease may have passed to another instance and back,
      // so the next round that gets it is a takeover (it waits for the engine's queued tasks).
      holding = false;
      throw error;
    }
    if (!leased) {
      holding = false;
      return 0;
    }
    const started = Date.now();
    let stuckLogged = false;
    // A round can wait on the engine far longer than the lease lasts: keep renewing it while the round runs,
    // but only up to maxRoundMs: a round that is stuck lets the lease run out, so another instance takes over.
    const heartbeat = setInterval(() => {
      if (Date.now() - started > options.maxRoundMs) {
        if (!stuckLogged) deps.logger.warn({ ms: Date.now() - started }, 'search sync round is stuck; no longer renewing the lease');
        stuckLogged = true;
        return;
      }
      holdLease().catch((error: unknown) => deps.logger.warn({ err: error instanceof Error ? error.message : error }, 'search sync could not renew its lease'));
    }, Math.max(50, Math.floor(options.leaseMs / 3)));
    try {
      if (!holding) await awaitQueuedTasks();
      holding = true;
      const now = Date.now();
      if (now - lastSweep > options.staleSweepIntervalMs) {
        // A sweep that ran into a locked course is tried again at the next interval; it never stops the pushes.
        await sweepStale().catch((error: unknown) => deps.logger.warn({ err: error instanceof Error ? error.message : error }, 'stale sweep failed'));
        lastSweep = now;
      }
      // The app may have started while the engine was down: the index is created when it answers.
      if (!liveIndexReady) await ensureIndex();
      if (remarkLater.size > 0) await markAgainOneByOne([...remarkLater]);
      return await pushBatch();
    } catch (error) {
      holding = false;
      throw error;
    } finally {
      clearInterval(heartbeat);
      if (stuckLogged) holding = false;
    }
  }

  function kick(): void {
    kicked = true;
    wake?.();
  }

  /** Waits `ms`; a kick ends the wait only between polls, never a backoff (stopping always does). */
  function sleep(ms: number, endedByKick: boolean): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        if (!endedByKick && running) return;
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async function work(): Promise<void> {
    while (running) {
      let handled = 0;
      try {
        kicked = false;
        handled = await runOnce();
        if (holding) lastSuccessAt = deps.clock.now();
        if (failures > 0) deps.logger.info({ afterFailures: failures }, 'search sync recovered');
        failures = 0;
        lastError = undefined;
      } catch (error) {
        failures += 1;
        lastError = error instanceof Error ? error.message : String(error);
        if (failures === 1 || failures % 20 === 0) deps.logger.warn({ err: lastError, failures }, 'search sync failed; retrying with backoff');
      }
      if (!running) break;
      if (failures > 0) await sleep(Math.min(options.maxBackoffMs, 200 * 2 ** Math.min(failures - 1, 10)), false);
      else if (handled === 0 && !kicked) await sleep(options.pollIntervalMs, true);
    }
  }

  return {
    indexUid,
    ensureIndex,
    start(): void {
      if (running) return;
      running = true;
      loop = work();
    },
    async stop(): Promise<void> {
      running = false;
      wake?.();
      await loop;
      await leases.deleteOne({ _id: 'courses', holder: me }).catch(() => undefined);
    },
    /** A write just committed: look at the queue now instead of at the next poll. */
    kick,
    /** One round of the worker (lease, stale sweep when due, one batch); for tests and tools that drive it by hand. */
    runOnce,
    async backlog(): Promise<number> {
      return courses.countDocuments({ 'search.pendingVersion': { $exists: true } });
    },
    /** Marked courses whose mark is older than STUCK_AFTER_MS: a document locked for long, or a worker that is not working. */
    async stuck(): Promise<number> {
      return courses.countDocuments({ 'search.pendingVersion': { $exists: true }, 'search.markedAt': { $lt: new Date(Date.now() - STUCK_AFTER_MS) } });
    },
    status(): { failing: boolean; lastError: string | undefined; heldBack: number } {
      return { failing: failures > 0, lastError, heldBack: heldBack.size };
    },
    /** For the admins' index page: this instance's last successful round and the documents the engine refused. */
    details(): { lastSuccessAt: Date | undefined; rejected: Array<{ id: string; at: Date; error: string }> } {
      return { lastSuccessAt, rejected: [...rejectedDocuments].map(([id, entry]) => ({ id, ...entry })) };
    },

    /**
     * Full rebuild from MongoDB into a fresh index, swapped in atomically: search keeps answering from the
     * old index meanwhile. Courses written during the rebuild are marked again afterwards, so none is lost.
     */
    async rebuild(): Promise<{ documents: number; ms: number }> {
      const started = Date.now();
      const since = new Date(deps.clock.now().getTime() - REBUILD_OVERLAP_MS);
      const buildUid = `${indexUid}_build_${started}_${me.slice(0, 8)}`;
      const sentinelId = `rebuild-sentinel-${started}-${me.slice(0, 8)}`;
      await ensureIndex(indexUid);
      let count = 0;
      const streamed = new Map<string, { version: number; markId: string | undefined; stale: boolean }>();
      const markedWhenStreamed: Array<Pick<CourseRecord, '_id' | 'search'>> = [];
      const staleWhenStreamed = new Map<string, boolean>();
      /** provider names as written into the new index */
      const names = new Map<string, string>();
      try {
        await buildAndSwap();
      } catch (error) {
        // A failed rebuild leaves the live index as it was; its half-built copy is dropped (best effort).
        await waitForTask(deps.engine, client.deleteIndex(buildUid), TASK_TIMEOUT_MS).catch(() => undefined);
        throw error;
      }
      assertSucceeded(await waitForTask(deps.engine, send(() => writer.deleteIndex(buildUid)), TASK_TIMEOUT_MS));
      await catchUp();
      kick();
      return { documents: count, ms: Date.now() - started };

      /**
       * The new index holds each course as it was streamed. Courses written since (another version, a fresh mark,
       * a renamed provider, or new) are marked again; marks whose version the new index already holds are cleared,
       * so a rebuild after a bulk import does not push everything a second time.
       */
      async function catchUp(): Promise<void> {
        const changed = await courses
          .find({ updatedAt: { $gte: since } }, { version: 1, status: 1, 'search.markId': 1 })
          .lean<Array<Pick<CourseRecord, '_id' | 'version' | 'status' | 'search'>>>();
        const outdated = changed
          .filter((course) => {
            const seen = streamed.get(course._id.toString());
            if (!seen) return course.status === 'published';
            return seen.version !== course.version || (course.search?.markId !== undefined && course.search.markId !== seen.markId);
          })
          .map((course) => course._id);
        const renamed = (await providers.find({ updatedAt: { $gte: since } }, { name: 1 }).lean())
          .filter((p) => names.has(p._id.toString()) && names.get(p._id.toString()) !== p.name)
          .map((p) => p._id);
        // A listing that turned stale while it was streamed: the sweep's push went to the old index.
        const agedMeanwhile = (await courses.find({ status: 'published', 'search.indexedStale': true }, { _id: 1 }).lean())
          .filter((course) => streamed.get(course._id.toString())?.stale === false)
          .map((course) => course._id);
        outdated.push(...agedMeanwhile);
        if (outdated.length > 0 || renamed.length > 0) {
          // A push of one of these still in flight went to the old index: the fresh mark outlives its clear.
          const stale = { $or: [{ _id: { $in: outdated } }, { providerId: { $in: renamed } }] };
          try {
            await courses.updateMany(stale, markAgainUpdate(), { updatePipeline: true, timestamps: false, maxTimeMS: options.writeTimeoutMs });
          } catch {
            // updateMany is not atomic: a course locked by another transaction stops it part-way. The index has been
            // swapped already, so mark each course on its own; the locked ones are retried every round.
            const ids = (await courses.find(stale, { _id: 1 }).lean()).map((course) => course._id.toString());
            await markAgainOneByOne(ids);
          }
        }
        await clearMarks(markedWhenStreamed, staleWhenStreamed);
      }

      async function buildAndSwap(): Promise<void> {
        await ensureIndex(buildUid);
        const build = writer.index<CourseSearchDocument>(buildUid);
        for (const p of await providers.find({}, { name: 1 }).lean()) names.set(p._id.toString(), p.name);
        // Only the uid: waiting for every batch's task on the side left rejected, never-awaited promises behind.
        let lastTaskUid: number | undefined;
        let batch: CourseRecord[] = [];
        const flush = async () => {
          if (batch.length === 0) return;
          const documents = documentsFor(batch, names);
          for (const [i, course] of batch.entries()) {
            streamed.set(course._id.toString(), { version: course.version, markId: course.search?.markId, stale: documents[i]?.staleRank === 1 });
            if (course.search?.pendingVersion !== undefined) {
              markedWhenStreamed.push({ _id: course._id, search: course.search });
              staleWhenStreamed.set(course._id.toString(), documents[i]?.staleRank === 1);
            }
          }
          lastTaskUid = (await send(() => build.addDocuments(documents, { primaryKey: 'id' }))).taskUid;
          count += batch.length;
          batch = [];
        };
        for await (const course of courses.find(await publicCoursesFilter(deps.db)).lean().cursor({ batchSize: REBUILD_BATCH })) {
          batch.push(course as CourseRecord);
          if (batch.length >= REBUILD_BATCH) await flush();
        }
        await flush();
        // Marks the build, so that a swap which cannot be read back can be checked (swapIntoLive). Its status is not
        // "published": no search ever shows it, and it is deleted right after the swap.
        const sentinel = { id: sentinelId, status: 'rebuild-sentinel' };
        lastTaskUid = (await send(() => writer.index<typeof sentinel>(buildUid).addDocuments([sentinel], { primaryKey: 'id' }))).taskUid;
        // Tasks of one index run in order: when the last succeeded, all earlier ones have run.
        if (lastTaskUid !== undefined) assertSucceeded(await waitForTask(deps.engine, lastTaskUid, TASK_TIMEOUT_MS * 5));
        const failed = await client.tasks.getTasks({ indexUids: [buildUid], statuses: ['failed'] });
        if (failed.results.length > 0) throw new Error(`rebuild: ${failed.results.length} indexing tasks failed`);
        await swapIntoLive(buildUid, sentinelId);
      }
    },
  };
}

export type SearchSync = ReturnType<typeof createSearchSync>;
