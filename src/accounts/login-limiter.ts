import type { Connection } from 'mongoose';
import { RateLimiterMongo, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../lib/errors';

export type LoginLimits = { maxFailures: number; windowSeconds: number };

/** How many more failures the wider counters allow than the one for a single client and account. */
const PER_ACCOUNT_FACTOR = 4;
const PER_CLIENT_FACTOR = 30;

/**
 * Failed logins, counted in MongoDB so that every app instance sees them, on three keys: one client guessing one
 * account (the tight limit), one account guessed from many addresses, and one address trying many accounts.
 * Every attempt is counted atomically *before* the slow password check (parallel guesses cannot slip through);
 * a successful login takes its own attempt back.
 */
export function createLoginLimiter(db: Connection, limits: LoginLimits) {
  const counter = (keyPrefix: string, factor: number) =>
    new RateLimiterMongo({ storeClient: db, tableName: 'login_failures', keyPrefix, points: limits.maxFailures * factor, duration: limits.windowSeconds });
  const perClientAndAccount = counter('login', 1);
  const perAccount = counter('login-account', PER_ACCOUNT_FACTOR);
  const perClient = counter('login-client', PER_CLIENT_FACTOR);

  async function beginAttempt(clientKey: string, email: string): Promise<void> {
    const results = await Promise.allSettled([
      perClientAndAccount.consume(`${clientKey}|${email}`),
      perAccount.consume(email),
      perClient.consume(clientKey),
    ]);
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const unexpected = refused.find((reason) => !(reason instanceof RateLimiterRes));
    if (unexpected) throw unexpected;
    if (refused.length > 0) {
      const waitMs = Math.max(...refused.map((reason) => (reason as RateLimiterRes).msBeforeNext));
      throw new AppError('rate_limited', 'Too many failed logins. Please wait and try again later.', 429, [], {
        retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
      });
    }
  }

  async function succeeded(clientKey: string, email: string): Promise<void> {
    await Promise.all([perClientAndAccount.delete(`${clientKey}|${email}`), perAccount.reward(email, 1), perClient.reward(clientKey, 1)]);
  }

  return { beginAttempt, succeeded };
}
