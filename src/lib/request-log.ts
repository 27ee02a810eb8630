import { randomUUID } from 'node:crypto';
import { pinoHttp } from 'pino-http';
import type { Logger } from './logger';

/** pino-http's view of a request (pino-std-serializers): `url` is Express's `originalUrl`. */
type SerializedRequest = { id?: unknown; method?: string; url?: string };

/** The path of a request without its query: `/courses?q=Anna` → `/courses`. */
export function pathOnly(url: string | undefined): string {
  const raw = url ?? '';
  const at = raw.search(/[?#]/);
  return at === -1 ? raw : raw.slice(0, at);
}

/** Paths that carry a secret (a shared handout, a password reset link): logged with the secret masked. */
const SECRET_IN_PATH = /^(\/(?:s|reset)\/)[^/]+/;

/** The path as the log keeps it: no query, and no secret token. */
export function loggedPath(url: string | undefined): string {
  return pathOnly(url).replace(SECRET_IN_PATH, '$1…');
}

/**
 * The request log: one line per request. By default it names the request's id, method and path (no query values),
 * the status and the time taken, and nothing about the person: no user agent, referer, forwarded or client address,
 * no cookies (issue 12: the anonymous statistics must not be undone by the log). `details` (LOG_REQUEST_DETAILS,
 * for debugging only) logs the full URL, the headers (authorization and cookies still redacted) and the address.
 */
export function requestLogger(logger: Logger, options: { details: boolean }) {
  const brief = (req: SerializedRequest) => ({ id: req.id, method: req.method, path: loggedPath(req.url) });
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = typeof req.headers['x-request-id'] === 'string' && /^[\w-]{1,64}$/.test(req.headers['x-request-id']) ? req.headers['x-request-id'] : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: { ignore: (req) => req.url === '/health' },
    serializers: {
      // A response is logged by its status: its own headers are the same security headers every time, and
      // serialising them doubled each line and its cost (bench/README.md).
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      ...(options.details ? {} : { req: brief }),
    },
  });
}
