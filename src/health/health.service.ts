import { isMongoUp } from '../infra/mongo';
import { isSearchUp } from '../infra/meili';
import type { AppServices } from '../app-services';

export type Health = {
  status: 'ok' | 'degraded';
  mongo: 'up' | 'down';
  search: 'up' | 'down';
  searchBacklog: number | null;
  /** marked courses whose mark is older than a minute: a record locked for long, or indexing that is not working */
  searchStuck: number | null;
  searchSync?: string;
};

/** `GET /health`: each dependency checked with a short timeout; any down → 503 with the same shape. */
export async function checkHealth(services: AppServices): Promise<Health> {
  const [mongoUp, searchUp] = await Promise.all([isMongoUp(services.deps.db), isSearchUp(services.deps.engine)]);
  const [backlog, stuck] = mongoUp
    ? await Promise.all([services.sync.backlog().catch(() => null), services.sync.stuck().catch(() => null)])
    : [null, null];
  const sync = services.sync.status();
  return {
    status: mongoUp && searchUp ? 'ok' : 'degraded',
    mongo: mongoUp ? 'up' : 'down',
    search: searchUp ? 'up' : 'down',
    searchBacklog: backlog,
    searchStuck: stuck,
    ...(sync.failing && sync.lastError ? { searchSync: `retrying: ${sync.lastError}` } : {}),
  };
}
