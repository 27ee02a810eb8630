import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Role } from '../accounts/account.enums';
import type { SessionUser } from '../accounts/accounts.service';
import { PAGE_ACCESS, allows, type Access } from '../accounts/permissions';
import type { AppServices } from '../app-services';
import { forbidden } from '../lib/errors';
import { SESSION_COOKIE, csrfTokenFor, renewCsrfToken, sessionOf } from './session';

export type PageUser = SessionUser;

/** The logged-in person of this page request, or undefined. */
export function currentUser(res: Response): PageUser | undefined {
  return res.locals.user as PageUser | undefined;
}

/** Where each role starts after logging in. */
export const HOME_OF_ROLE: Record<Role, string> = { provider: '/provider', counselor: '/counselor', admin: '/admin' };

/** A `next` address after login: only a path on this site (never `//evil.example` or `https://…`). */
export function safeNextPath(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length > 500) return undefined;
  return /^\/(?![/\\])[^\s]*$/.test(next) ? next : undefined;
}

function promisify(run: (done: (error?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((error) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve())));
}

/** Logs in: a NEW session id (no fixation), a new form token, and the moments the timeouts count from. */
export async function startSession(req: Request, user: PageUser, now: Date): Promise<void> {
  await promisify((done) => req.session.regenerate(done));
  req.session.userId = user.userId;
  req.session.sessionEpoch = user.sessionEpoch;
  req.session.startedAt = now.getTime();
  req.session.lastSeenAt = now.getTime();
  renewCsrfToken(req);
  await promisify((done) => req.session.save(done));
}

/** Logs out: the session is deleted from the store and its cookie cleared. */
export async function endSession(req: Request, res: Response): Promise<void> {
  await promisify((done) => req.session.destroy(done));
  res.clearCookie(SESSION_COOKIE, { path: '/' });
}

/**
 * Reads the session's user on every page request (fresh from MongoDB: a deactivated account or a changed password
 * ends its sessions at once) and enforces the idle and absolute timeouts on the server, whatever the cookie says.
 * Sets the template locals `user` and, for logged-in people, `csrfToken`.
 */
export function sessionUser(services: AppServices): RequestHandler {
  const { clock, config } = services.deps;
  const idleMs = config.session.idleMinutes * 60_000;
  const absoluteMs = config.session.absoluteHours * 3_600_000;
  return async (req, res, next) => {
    const data = sessionOf(req);
    if (!data?.userId) {
      next();
      return;
    }
    const now = clock.now().getTime();
    const expired = now - (data.lastSeenAt ?? 0) > idleMs || now - (data.startedAt ?? 0) > absoluteMs;
    const user = expired ? undefined : await services.accounts.sessionUser(data.userId, data.sessionEpoch ?? 0);
    if (!user) {
      await endSession(req, res);
      res.locals.sessionEnded = true;
      next();
      return;
    }
    data.lastSeenAt = now;
    res.locals.user = user;
    res.locals.userHome = HOME_OF_ROLE[user.role];
    res.locals.csrfToken = csrfTokenFor(req);
    next();
  };
}

/**
 * Pages for some roles only: anonymous → 303 to the login (and back here afterwards), a wrong role → 403 page.
 * Which records a role may touch inside its area is the services' check (`canManageProvider`, client ownership).
 */
export function requirePageAccess(access: Access): RequestHandler {
  return (req, res, next) => {
    const user = currentUser(res);
    if (allows(access, user)) {
      next();
      return;
    }
    if (!user) {
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      res.redirect(303, `/login${next}`);
      return;
    }
    next(forbidden());
  };
}

export function requirePageRole(...roles: Role[]): RequestHandler {
  return requirePageAccess(roles);
}

/** The website's protected areas, guarded in one place from PAGE_ACCESS (src/accounts/permissions.ts). */
export function pageAccessGuards(): Router {
  const router = Router();
  for (const [prefix, access] of Object.entries(PAGE_ACCESS)) router.use(prefix, requirePageAccess(access));
  return router;
}
