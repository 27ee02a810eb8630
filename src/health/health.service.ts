import { isMongoUp } from '../infra/mongo';
import { isSearchUp } from '../infra/meili';
import type { AppServices } from '../app-services';

export type Health = { status: 'ok' | 'degraded'; mongo: 'up' | 'down'; search: 'up' | 'down'; searchBacklog: number | null; searchSync?: string };

/** `GET /health`: each dependency checked with a short timeout; any down → 503 with the same shape. */
export async function checkHealth(services: AppServices): Promise<Health> {
  const [mongoUp, searchUp] = await Promise.all([isMongoUp(services.deps.db), isSearchUp(services.deps.engine)]);
  const backlog = mongoUp ? await services.sync.backlog().catch(() => null) : null;
  const sync = services.sync.status();
  return {
    status: mongoUp && searchUp ? 'ok' : 'degraded',
    mongo: mongoUp ? 'up' : 'down',
    search: searchUp ? 'up' : 'down',
    searchBacklog: backlog,
    ...(sync.failing && sync.lastError ? { searchSync: `retrying: ${sync.lastError}` } : {}),
  };
}
