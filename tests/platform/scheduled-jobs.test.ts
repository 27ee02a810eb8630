import { createJobScheduler } from '../../src/infra/scheduled-jobs';
import { createLogger } from '../../src/lib/logger';
import { createTestApp, type TestApp } from '../support/test-app';

describe('scheduled jobs with several app instances', () => {
  let t: TestApp;
  let now = new Date('2027-01-04T08:00:00Z');
  const clock = { now: () => now };
  beforeAll(async () => {
    t = await createTestApp('jobs');
  });
  afterAll(() => t.close());

  function instance() {
    return createJobScheduler({ db: t.services.deps.db, clock, logger: createLogger('silent') });
  }

  it('runs a due job on exactly one of two instances, and again only when it is due again', async () => {
    const runs: string[] = [];
    const a = instance();
    const b = instance();
    a.register({ name: 'weekly', everyMs: 7 * 86_400_000, run: async () => void runs.push('a') });
    b.register({ name: 'weekly', everyMs: 7 * 86_400_000, run: async () => void runs.push('b') });

    await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
    expect(runs).toHaveLength(1);

    now = new Date('2027-01-10T08:00:00Z');
    await Promise.all([a.runDue(), b.runDue()]);
    expect(runs).toHaveLength(1);

    now = new Date('2027-01-11T08:00:01Z');
    await Promise.all([a.runDue(), b.runDue()]);
    expect(runs).toHaveLength(2);
    const [state] = await a.status();
    expect(state).toMatchObject({ _id: 'weekly', lastRunAt: now, lastError: null });
  });

  it('retries a failed run after a few minutes and records the error', async () => {
    let attempts = 0;
    const a = instance();
    a.register({
      name: 'flaky',
      everyMs: 86_400_000,
      run: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('mail server down');
      },
    });
    expect(await a.runDue()).toEqual([]);
    expect((await a.status())[0]).toMatchObject({ lastError: 'mail server down' });
    expect(await a.runDue()).toEqual([]);
    now = new Date(now.getTime() + 5 * 60_000);
    expect(await a.runDue()).toEqual(['flaky']);
    expect(attempts).toBe(2);
  });
});
