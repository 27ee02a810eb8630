import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { Actor } from '../accounts/actor';
import { allows, type Access } from '../accounts/permissions';
import { forbidden, unauthorized } from './errors';
import { requestOrigin } from './request-origin';
import { parseInput } from './validation';

export type { Access };

export type ApiResult = {
  status?: number;
  json?: unknown;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** a body sent as it is produced (large exports), with backpressure: the source is read only as fast as the client takes it */
  stream?: Readable;
};

export type ResponseSpec = { description: string; schema?: z.ZodType; contentType?: string };

export type RouteContext<P, Q, B, A extends Access = Access> = {
  params: P;
  query: Q;
  body: B;
  /** checked before the handler runs: present whenever the route is not public */
  actor: A extends 'public' ? Actor | undefined : Actor;
  header(name: string): string | undefined;
  /** a keyed hash of the client's address (src/lib/client-key.ts), for rate limiting: never the address itself */
  clientKey: string;
  /** scheme and host this request reached, e.g. `https://kurse.landau.de`, for absolute links */
  origin: string;
};

export type ApiRoute = {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express path below /api/v1, e.g. `/courses/:id` */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodType;
  query?: z.ZodType;
  /** request headers the handler reads (an object schema; documented, each read through its own parser) */
  headers?: z.ZodType;
  body?: z.ZodType;
  /** the body is text of this media type (e.g. CSV) up to `limit` bytes instead of JSON; `body` then validates the string */
  textBody?: { contentType: string; limit: number | string };
  responses: Record<number, ResponseSpec>;
  handle(ctx: RouteContext<unknown, unknown, unknown, 'public'>): Promise<ApiResult>;
};

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

/** Declares an endpoint: its validation, its permissions and its handler, in one place that also feeds OpenAPI. */
export function defineRoute<
  A extends Access,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(
  spec: Omit<ApiRoute, 'access' | 'params' | 'query' | 'body' | 'handle'> & {
    access: A;
    params?: P;
    query?: Q;
    body?: B;
    handle(ctx: RouteContext<Infer<P>, Infer<Q>, Infer<B>, A>): Promise<ApiResult>;
  },
): ApiRoute {
  return spec as ApiRoute;
}

export function actorOf(res: Response): Actor | undefined {
  return res.locals.actor as Actor | undefined;
}

function checkAccess(access: Access, actor: Actor | undefined): void {
  if (allows(access, actor)) return;
  throw actor ? forbidden() : unauthorized();
}

/**
 * Pipes a streamed body. Once the first bytes are out, a failure can no longer become an error answer:
 * the connection is cut (the client sees an incomplete download, never a truncated file that looks complete).
 */
async function sendStream(req: Request, res: Response, stream: Readable, contentType: string): Promise<void> {
  res.type(contentType);
  try {
    await pipeline(stream, res);
  } catch (error) {
    stream.destroy();
    if (!res.headersSent) throw error;
    // The client sees the connection cut; the log says why (a client that went away is no failure of ours).
    if (!(error instanceof Error && 'code' in error && error.code === 'ERR_STREAM_PREMATURE_CLOSE')) req.log.error({ err: error }, 'streamed answer failed after its headers were sent');
    res.destroy();
  }
}

/**
 * Mounts the routes. Only a route that declares a body parses JSON: a body sent anywhere else is ignored, so
 * that no route answers an invalid or oversized JSON body with a 400 or 413 its description does not mention.
 */
export function mountRoutes(routes: readonly ApiRoute[], options: { jsonBodyLimit: string | number; clientKey: (address: string) => string }): Router {
  const router = Router();
  const parseJson: RequestHandler = express.json({ limit: options.jsonBodyLimit, strict: true });
  for (const route of routes) {
    const bodyParsers = route.textBody ? [express.text({ type: route.textBody.contentType, limit: route.textBody.limit })] : route.body ? [parseJson] : [];
    router[route.method](route.path, ...bodyParsers, async (req: Request, res: Response) => {
      const actor = actorOf(res);
      checkAccess(route.access, actor);
      const ctx: RouteContext<unknown, unknown, unknown, 'public'> = {
        params: route.params ? parseInput(route.params, req.params, 'params') : undefined,
        query: route.query ? parseInput(route.query, req.query, 'query') : undefined,
        body: route.body ? parseInput(route.body, req.body ?? {}, 'body') : undefined,
        actor,
        header: (name) => req.get(name),
        // Computed only by the routes that use them (an HMAC and the proxy chain are not free on every search).
        get clientKey() {
          return options.clientKey(req.ip ?? 'unknown');
        },
        get origin() {
          return requestOrigin(req);
        },
      };
      const result = await route.handle(ctx);
      for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
      res.status(result.status ?? 200);
      if (result.stream) await sendStream(req, res, result.stream, result.contentType ?? 'application/octet-stream');
      else if (result.body !== undefined) res.type(result.contentType ?? 'text/plain').send(result.body);
      else if (result.json !== undefined) res.json(result.json);
      else res.end();
    });
  }
  return router;
}
