import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MongoStore } from 'connect-mongo';
import { csrfSync } from 'csrf-sync';
import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import session from 'express-session';
import multer from 'multer';
import type { Connection } from 'mongoose';
import type { Config } from '../config';
import { AppError } from '../lib/errors';

declare module 'express-session' {
  interface SessionData {
    userId: string;
    /** the account's session epoch at login: a password changed since then ends this session */
    sessionEpoch: number;
    /** for the absolute timeout (ms) */
    startedAt: number;
    /** for the idle timeout (ms), checked on the server as well as by the cookie's expiry */
    lastSeenAt: number;
  }
}

export const SESSION_COOKIE = 'skf.sid';
export const FORM_BODY_LIMIT = '256kb';
export const UPLOAD_LIMIT_BYTES = 2 * 1024 * 1024;

// Tests build many apps in one process; they share one random secret (nothing outlives the process).
const TEST_SECRET = randomBytes(32).toString('base64url');

/**
 * The cookie-signing secret: SESSION_SECRET (required in production), else one generated once into DATA_DIR so that
 * sessions survive restarts of `npm start`.
 */
export function sessionSecret(config: Config): string {
  if (config.sessionSecret) return config.sessionSecret;
  if (config.env === 'test') return TEST_SECRET;
  const file = path.resolve(config.dataDir, 'session-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    try {
      writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      // Another instance wrote it first: use theirs.
      return readFileSync(file, 'utf8').trim();
    }
  }
}

/**
 * Cookie sessions kept in MongoDB (`sessions`), shared by every instance. Nothing is stored for a visitor who never
 * logs in or opens a form (`saveUninitialized: false`), so public pages stay cookie-free and cacheable. The cookie is
 * HttpOnly, SameSite=Lax, Secure whenever the request came over HTTPS (directly or through a trusted proxy), and
 * expires after the idle time unless the person keeps using the site (`rolling`).
 */
export function sessionMiddleware(deps: { db: Connection; config: Config }): RequestHandler {
  const idleMs = deps.config.session.idleMinutes * 60_000;
  const store = MongoStore.create({
    client: deps.db.getClient(),
    dbName: deps.db.db?.databaseName,
    collectionName: 'sessions',
    ttl: idleMs / 1000,
    autoRemove: 'native',
    stringify: false,
  });
  const withSession = session({
    name: SESSION_COOKIE,
    secret: sessionSecret(deps.config),
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: idleMs, path: '/' },
  });
  // A visitor without a session cookie who reads a page gets no session object at all: express-session would build
  // one (a random id, a cookie, a wrapped `res.end`) only to drop it, ~0.3 ms of every public page (bench/README.md).
  // The pages that start an anonymous session (their forms carry a CSRF token) and every form post still get one.
  return (req, res, next) => {
    const reading = req.method === 'GET' || req.method === 'HEAD';
    const hasCookie = typeof (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE] === 'string';
    if (reading && !hasCookie && !SESSION_STARTING_PAGE.test(req.path)) {
      next();
      return;
    }
    withSession(req, res, next);
  };
}

/** GET pages that give an anonymous visitor a session: their forms need its CSRF token. */
const SESSION_STARTING_PAGE = /^\/(login|reset\/[^/]+)\/?$/;

/** The session of this request, if it has one (see sessionMiddleware: anonymous page views have none). */
export function sessionOf(req: Request): session.Session & Partial<session.SessionData> | undefined {
  return (req as { session?: session.Session & Partial<session.SessionData> }).session;
}

const csrf = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as { _csrf?: unknown } | undefined;
    return typeof body?._csrf === 'string' ? body._csrf : undefined;
  },
  size: 32,
});

/** The form token of this session, created on first use (a login form is what creates an anonymous session). */
export function csrfTokenFor(req: Request): string {
  return csrf.generateToken(req);
}

/** A new token, e.g. at login, so a token seen before login is worthless after it. */
export function renewCsrfToken(req: Request): string {
  return csrf.generateToken(req, true);
}

/**
 * Bodies of the website's forms: urlencoded (nested names like `sessions[0][day]` become objects) and multipart with
 * one file field `file` (kept in memory, at most 2 MB) for CSV uploads. Parsed here, before the CSRF check reads
 * `_csrf` from them, so no form route can forget either.
 */
export function formBodies(): Array<RequestHandler | ErrorRequestHandler> {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 500, fieldSize: 256 * 1024 } }).single('file');
  const uploadErrors: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
    if (error instanceof multer.MulterError) {
      next(error.code === 'LIMIT_FILE_SIZE' ? new AppError('payload_too_large', 'The file is too large.', 413) : new AppError('bad_request', 'The upload could not be read.', 400));
      return;
    }
    next(error);
  };
  const multipartOnly: RequestHandler = (req, res, next) => (req.is('multipart/form-data') ? upload(req, res, next) : next());
  return [express.urlencoded({ extended: true, limit: FORM_BODY_LIMIT, parameterLimit: 2000 }), multipartOnly, uploadErrors];
}

/**
 * Every state-changing website request carries the session's `_csrf` token (synchronizer token pattern, csrf-sync);
 * without it: 403 and nothing runs.
 */
export const csrfProtection: RequestHandler = (req, res, next) => {
  csrf.csrfSynchronisedProtection(req, res, (error?: unknown) => {
    if (error) {
      next(new AppError('csrf_invalid', 'This form has expired. Please reload the page and try again.', 403));
      return;
    }
    next();
  });
};
