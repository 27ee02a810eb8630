export type ErrorDetail = { param: string; message: string };

/** The one error type of the app: a code for machines, a message for people, an HTTP status. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details: ErrorDetail[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details: ErrorDetail[] = []) =>
  new AppError(code, message, 400, details);
export const unauthorized = (message = 'Please log in: a valid bearer token is required.') =>
  new AppError('unauthorized', message, 401);
export const forbidden = (message = 'You are not allowed to do this.') => new AppError('forbidden', message, 403);
export const notFound = (what = 'Resource') => new AppError('not_found', `${what} not found.`, 404);
export const conflict = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  new AppError(code, message, 409, [], extra);
export const serviceUnavailable = (code: string, message: string) => new AppError(code, message, 503);

/**
 * A write that hit its time limit (WRITE_TIMEOUT_MS), typically because another transaction holds the record
 * (one an instance left open when it died, until MongoDB aborts it). Trying again shortly works (a stale version then answers 409).
 */
export const writeTimedOut = () =>
  new AppError('write_timeout', 'The database could not finish this change in time. Please reload and try again shortly.', 503, [], {
    retryAfterSeconds: 2,
  });
