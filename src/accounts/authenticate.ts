import type { RequestHandler } from 'express';
import { unauthorized } from '../lib/errors';
import type { AccountsService } from './accounts.service';

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** Resolves `Authorization: Bearer …` to the request's actor; a token that is given but unknown or expired is a 401. */
export function authenticate(accounts: AccountsService): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (header === undefined) return next();
    const token = bearerToken(header);
    const actor = token ? await accounts.actorForToken(token) : undefined;
    if (!actor) return next(unauthorized('The bearer token is invalid or expired.'));
    res.locals.actor = actor;
    next();
  };
}
