import { createMultiSearch, SearchEngineResponseError, SearchEngineUnreachableError, type MultiSearch } from './meili-multi-search';
import { Meilisearch, MeilisearchApiError, MeilisearchRequestError, MeilisearchRequestTimeOutError, type EnqueuedTask, type Task } from 'meilisearch';

export type SearchEngine = {
  /** for reads (searches, task polls): every request gives up after REQUEST_TIMEOUT_MS */
  client: Meilisearch;
  /**
   * for index writes: requests are never abandoned, because Meilisearch still runs a request it got before the
   * client gave up (a frozen engine keeps it in its socket buffers). Bound the wait with search-sync's `send`.
   */
  writer: Meilisearch;
  /** the hot path of every search, without the client's `fetch` */
  multiSearch: MultiSearch;
  indexPrefix: string;
  url: string;
  apiKey: string | undefined;
};

/** How long one request to Meilisearch may take: a frozen or unreachable engine is an error, never a hang. */
export const REQUEST_TIMEOUT_MS = 5000;
const TASK_POLL_INTERVAL_MS = 50;

export function connectMeilisearch(url: string, apiKey: string | undefined, indexPrefix: string): SearchEngine {
  const options = {
    host: url,
    ...(apiKey ? { apiKey } : {}),
    // With the default `Accept-Encoding: gzip` every search took ~44 ms instead of ~2 ms (environment.md).
    requestInit: { headers: { 'Accept-Encoding': 'identity' } },
  };
  const client = new Meilisearch({ ...options, timeout: REQUEST_TIMEOUT_MS });
  const writer = new Meilisearch(options);
  return { client, writer, multiSearch: createMultiSearch(url, apiKey, REQUEST_TIMEOUT_MS), indexPrefix, url, apiKey };
}

/** Up means usable by this app: reachable *and* accepting our key (`/version` needs one; `/health` does not). */
export async function isSearchUp(engine: SearchEngine): Promise<boolean> {
  try {
    const response = await fetch(`${engine.url}/version`, {
      headers: engine.apiKey ? { Authorization: `Bearer ${engine.apiKey}` } : {},
      signal: AbortSignal.timeout(1500),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Any failure of the search engine: unreachable, or refusing what this app sent (a missing index after a reset,
 * a rotated key). Inputs are validated before they reach the engine, so none of these is the caller's fault:
 * the caller gets a 503 and the details go to the log.
 */
export function isSearchEngineError(error: unknown): boolean {
  return (
    error instanceof MeilisearchRequestError ||
    error instanceof MeilisearchRequestTimeOutError ||
    error instanceof MeilisearchApiError ||
    error instanceof SearchEngineUnreachableError ||
    error instanceof SearchEngineResponseError
  );
}

/**
 * Waits until a Meilisearch task has finished (succeeded, failed or canceled), each poll bounded by
 * REQUEST_TIMEOUT_MS. Use this instead of the client's `waitTask`: meilisearch-js 0.62 hands every poll its own
 * AbortSignal, which switches off the client's per-request timeout, so against a frozen engine (SIGSTOP, a
 * black-holed network) one poll hung for the whole wait (minutes) and the failure never showed in /health.
 */
export async function waitForTask(engine: SearchEngine, task: number | EnqueuedTask | Promise<EnqueuedTask>, timeoutMs: number): Promise<Task> {
  const uid = typeof task === 'number' ? task : (await task).taskUid;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await engine.client.tasks.getTask(uid, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    if (current.status !== 'enqueued' && current.status !== 'processing') return current;
    if (Date.now() >= deadline) throw new Error(`Meilisearch task ${uid} did not finish within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, TASK_POLL_INTERVAL_MS));
  }
}
