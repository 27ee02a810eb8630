import type { Connection } from 'mongoose';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';

/** A job that runs every `everyMs` on exactly one of the app's instances. */
export type ScheduledJob = {
  name: string;
  everyMs: number;
  /** the longest one run may take; after that another instance may claim it (the runner crashed) */
  maxRunMs?: number;
  run(now: Date): Promise<unknown>;
};

type JobState = {
  _id: string;
  nextRunAt: Date;
  lockedUntil: Date;
  lastRunAt?: Date;
  lastError?: string | null;
};

const EPOCH = new Date(0);
const RETRY_AFTER_FAILURE_MS = 5 * 60_000;

/**
 * Runs periodic jobs (reminders, retention) safely with several app instances: each due run is claimed with one atomic
 * update on the job's document in MongoDB (`scheduled_jobs`), so exactly one instance runs it; a claim expires after
 * `maxRunMs`, so a crashed runner does not block the job forever. The schedule survives restarts.
 */
export function createJobScheduler(deps: { db: Connection; clock: Clock; logger: Logger }) {
  const states = deps.db.collection<JobState>('scheduled_jobs');
  const jobs = new Map<string, ScheduledJob>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  function register(job: ScheduledJob): void {
    if (jobs.has(job.name)) throw new Error(`scheduled job ${job.name} is registered twice`);
    jobs.set(job.name, job);
  }

  async function claim(job: ScheduledJob, now: Date): Promise<boolean> {
    try {
      // First sight of the job anywhere: due at once. Two instances inserting together: one wins, the other sees 11000.
      await states.updateOne({ _id: job.name }, { $setOnInsert: { nextRunAt: now, lockedUntil: EPOCH } }, { upsert: true });
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
    }
    const claimed = await states.findOneAndUpdate(
      { _id: job.name, nextRunAt: { $lte: now }, lockedUntil: { $lte: now } },
      { $set: { lockedUntil: new Date(now.getTime() + (job.maxRunMs ?? 10 * 60_000)) } },
    );
    return claimed !== null;
  }

  /** Runs every job that is due now and not claimed by another instance; returns the names of the jobs it ran. */
  async function runDue(): Promise<string[]> {
    const ran: string[] = [];
    for (const job of jobs.values()) {
      const now = deps.clock.now();
      if (!(await claim(job, now))) continue;
      try {
        await job.run(now);
        await states.updateOne({ _id: job.name }, { $set: { lastRunAt: now, lastError: null, lockedUntil: EPOCH, nextRunAt: new Date(now.getTime() + job.everyMs) } });
        ran.push(job.name);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        deps.logger.warn({ job: job.name, err: message }, 'scheduled job failed; retrying later');
        const retryAt = new Date(now.getTime() + Math.min(job.everyMs, RETRY_AFTER_FAILURE_MS));
        await states.updateOne({ _id: job.name }, { $set: { lastError: message, lockedUntil: EPOCH, nextRunAt: retryAt } });
      }
    }
    return ran;
  }

  /** Checks for due jobs every `tickMs` (and once right away); the timer never keeps the process alive. */
  function start(tickMs = 60_000): void {
    if (timer) return;
    const tick = () => {
      running = runDue().catch((error: unknown) => deps.logger.warn({ err: error instanceof Error ? error.message : error }, 'scheduled jobs could not run; MongoDB unreachable?'));
    };
    timer = setInterval(tick, tickMs);
    timer.unref();
    tick();
  }

  async function stop(): Promise<void> {
    if (timer) clearInterval(timer);
    timer = undefined;
    await running;
  }

  /** For the admin console: when each job last ran, when it runs next, and its last error. */
  async function status(): Promise<JobState[]> {
    return states.find({ _id: { $in: [...jobs.keys()] } }).sort({ _id: 1 }).toArray();
  }

  return { register, runDue, start, stop, status };
}

export type JobScheduler = ReturnType<typeof createJobScheduler>;
