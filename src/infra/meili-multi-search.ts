import http from 'node:http';
import https from 'node:https';
import type { MultiSearchQuery, MultiSearchResponse } from 'meilisearch';

/** Meilisearch could not be reached or did not answer in time. */
export class SearchEngineUnreachableError extends Error {
  override readonly name = 'SearchEngineUnreachableError';
}

/** Meilisearch answered with an error status. */
export class SearchEngineResponseError extends Error {
  override readonly name = 'SearchEngineResponseError';
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export type MultiSearch = <T extends Record<string, unknown>>(queries: MultiSearchQuery[]) => Promise<MultiSearchResponse<T>>;

/**
 * `POST /multi-search` over a keep-alive `http.Agent`: the one request on the hot path of every search.
 * The benchmark found most of the app's own time per search (at small catalogue sizes) inside the global
 * `fetch` the JS client uses; a plain request on a reused socket costs a fraction of it.
 */
export function createMultiSearch(url: string, apiKey: string | undefined, timeoutMs: number): MultiSearch {
  const target = new URL('/multi-search', url);
  const transport = target.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: 64 });
  return function multiSearch<T extends Record<string, unknown>>(queries: MultiSearchQuery[]) {
    return new Promise<MultiSearchResponse<T>>((resolve, reject) => {
      const payload = JSON.stringify({ queries });
      const request = transport.request(
        target,
        {
          method: 'POST',
          agent,
          timeout: timeoutMs,
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(payload),
            // With `Accept-Encoding: gzip` every search took ~44 ms instead of ~2 ms (environment.md).
            'Accept-Encoding': 'identity',
            ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => reject(new SearchEngineUnreachableError(error.message)));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              body = JSON.parse(text);
            } catch {
              return reject(new SearchEngineResponseError(response.statusCode ?? 0, undefined, 'Meilisearch sent no JSON'));
            }
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve(body as MultiSearchResponse<T>);
            const { code, message } = (body ?? {}) as { code?: string; message?: string };
            reject(new SearchEngineResponseError(status, code, message ?? `Meilisearch answered ${status}`));
          });
        },
      );
      request.on('timeout', () => request.destroy(new SearchEngineUnreachableError(`no answer within ${timeoutMs} ms`)));
      request.on('error', (error) =>
        reject(error instanceof SearchEngineUnreachableError ? error : new SearchEngineUnreachableError(error.message)),
      );
      request.end(payload);
    });
  };
}
