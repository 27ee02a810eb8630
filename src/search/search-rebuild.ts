import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { SearchSync } from './search-sync';

export type RebuildState =
  | { state: 'idle' }
  | { state: 'running'; startedAt: Date }
  | { state: 'done'; startedAt: Date; finishedAt: Date; documents: number }
  | { state: 'failed'; startedAt: Date; finishedAt: Date; error: string };

/**
 * The admins' "rebuild index" button: starts the zero-downtime rebuild (`sync.rebuild()`) in the background and
 * answers at once; a second press while one runs starts nothing. The state is this instance's.
 */
export function createRebuildRunner(deps: { sync: Pick<SearchSync, 'rebuild'>; clock: Clock; logger: Logger }) {
  let current: RebuildState = { state: 'idle' };
  let running: Promise<void> | undefined;

  function start(): { started: boolean } {
    if (current.state === 'running') return { started: false };
    const startedAt = deps.clock.now();
    current = { state: 'running', startedAt };
    running = deps.sync.rebuild().then(
      (result) => {
        current = { state: 'done', startedAt, finishedAt: deps.clock.now(), documents: result.documents };
        deps.logger.info({ documents: result.documents, ms: result.ms }, 'search index rebuilt');
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        current = { state: 'failed', startedAt, finishedAt: deps.clock.now(), error: message };
        deps.logger.warn({ err: message }, 'search index rebuild failed');
      },
    );
    return { started: true };
  }

  return {
    start,
    state: (): RebuildState => current,
    /** for tests and shutdown: resolves when the rebuild that is running (if any) has ended */
    settled: (): Promise<void> => running ?? Promise.resolve(),
  };
}

export type RebuildRunner = ReturnType<typeof createRebuildRunner>;
