import { createHash, createHmac } from 'node:crypto';
import type { Logger } from '../lib/logger';
import { COURSE_INDEX } from '../search/index-settings';

/**
 * The app works with a scoped Meilisearch API key, never with the master key: the master key stays with process
 * management (the embedded engine) and the CLI, which derive the key here. The key may only touch this app's own
 * indexes (`appKeyIndexes`) and do what the app does: search, write documents, manage its indexes and settings, read tasks.
 * It cannot manage keys, take dumps or snapshots, or read any other index.
 */
export const APP_KEY_ACTIONS = [
  'search',
  'documents.add',
  'documents.get',
  'documents.delete',
  'indexes.create',
  'indexes.get',
  'indexes.update',
  'indexes.delete',
  'indexes.swap',
  'settings.get',
  'settings.update',
  'tasks.get',
  'stats.get',
  'version',
] as const;

const REQUEST_TIMEOUT_MS = 3000;
const RETRY_MS = 2000;

/** A stable key uid per index prefix (UUID v4 layout, as Meilisearch expects), so every instance finds the same key. */
export function appKeyUid(indexPrefix: string): string {
  const bytes = createHash('sha256').update(`sprachkursfinder-app-key:${indexPrefix}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Meilisearch derives a key's value from its uid and the master key (HMAC-SHA256, hex), so the value is known before
 * the engine answers: an app that starts while the engine is down uses it at once and creates the key later.
 */
export function appKeyValue(masterKey: string, uid: string): string {
  return createHmac('sha256', masterKey).update(uid).digest('hex');
}

type KeyDescription = { uid: string; key: string; actions: string[]; indexes: string[]; expiresAt: string | null };

async function keysRequest(url: string, masterKey: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(new URL(path, url), {
    method,
    headers: { Authorization: `Bearer ${masterKey}`, 'Content-Type': 'application/json', 'Accept-Encoding': 'identity' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

/**
 * The app's indexes: `<prefix>courses` and the builds a rebuild swaps in (`<prefix>courses_build_…`). Named exactly,
 * so that even without a prefix (the default) the key reaches no other index on a shared engine.
 */
export function appKeyIndexes(indexPrefix: string): string[] {
  return [`${indexPrefix}${COURSE_INDEX}`, `${indexPrefix}${COURSE_INDEX}_*`];
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item) => b.includes(item));

/**
 * Creates the app's key with exactly the rights above, or finds it; a key with other rights under the same uid
 * (an older release) is replaced. Returns the key's value.
 */
export async function provisionAppKey(url: string, masterKey: string, indexPrefix: string): Promise<string> {
  const uid = appKeyUid(indexPrefix);
  const wanted = {
    uid,
    name: `sprachkursfinder ${indexPrefix || '(no prefix)'}`,
    description: 'Sprachkursfinder app: its own indexes only',
    actions: [...APP_KEY_ACTIONS],
    indexes: appKeyIndexes(indexPrefix),
    expiresAt: null,
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    const created = await keysRequest(url, masterKey, 'POST', '/keys', wanted);
    if (created.ok) return ((await created.json()) as KeyDescription).key;
    const error = (await created.json().catch(() => ({}))) as { code?: string; message?: string };
    if (error.code !== 'api_key_already_exists') throw new Error(`Meilisearch refused to create the app's API key: ${error.message ?? created.status}`);
    const existing = await keysRequest(url, masterKey, 'GET', `/keys/${uid}`);
    if (!existing.ok) throw new Error(`Meilisearch did not show the app's API key (${existing.status})`);
    const key = (await existing.json()) as KeyDescription;
    if (sameSet(key.actions, wanted.actions) && sameSet(key.indexes, wanted.indexes) && key.expiresAt === null) return key.key;
    // Rights cannot be changed in place (PATCH takes name and description only): replace the key.
    await keysRequest(url, masterKey, 'DELETE', `/keys/${uid}`);
  }
  throw new Error("Meilisearch kept an API key with other rights under the app's key uid");
}

export type AppKey = { apiKey: string; stop(): void };

/**
 * The key the app uses: `MEILI_API_KEY` as given, or one derived from the master key. When the engine does not answer
 * yet, the derived value is used at once and the key is created in the background as soon as the engine answers
 * (until then every request is refused, exactly as while the engine is down).
 */
export async function resolveAppKey(options: {
  url: string;
  masterKey: string | undefined;
  apiKey: string | undefined;
  indexPrefix: string;
  logger: Logger;
}): Promise<AppKey> {
  if (options.apiKey) return { apiKey: options.apiKey, stop: () => undefined };
  if (!options.masterKey) throw new Error('Meilisearch needs MEILI_API_KEY or MEILI_MASTER_KEY');
  const masterKey = options.masterKey;
  const apiKey = appKeyValue(masterKey, appKeyUid(options.indexPrefix));
  try {
    await provisionAppKey(options.url, masterKey, options.indexPrefix);
    return { apiKey, stop: () => undefined };
  } catch (error) {
    options.logger.warn({ err: error instanceof Error ? error.message : error }, 'could not create the Meilisearch API key yet; retrying in the background');
  }
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const retry = () => {
    timer = setTimeout(() => {
      provisionAppKey(options.url, masterKey, options.indexPrefix).then(
        () => options.logger.info('Meilisearch API key created'),
        () => {
          if (!stopped) retry();
        },
      );
    }, RETRY_MS);
    timer.unref();
  };
  retry();
  return {
    apiKey,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
