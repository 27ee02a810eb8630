import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseDownError, isWriteTimeoutError } from '../infra/mongo';
import { isSearchEngineError } from '../infra/meili';
import { AppError, writeTimedOut } from './errors';
import type { Logger } from './logger';

/** Turns anything thrown into the error shape of api.md; internals never reach the client. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const status = (error as { status?: number; type?: string }).status;
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large') return new AppError('payload_too_large', 'The request body is too large.', 413);
  if (type === 'entity.parse.failed') return new AppError('invalid_json', 'The request body is not valid JSON.', 400, [{ param: '(body)', message: 'is not valid JSON' }]);
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new AppError('unsupported_encoding', 'Unsupported request encoding.', 415);
  if (isWriteTimeoutError(error)) return writeTimedOut();
  if (isDatabaseDownError(error)) return new AppError('database_unavailable', 'The database is temporarily unavailable. Please try again shortly.', 503);
  if (isSearchEngineError(error)) return new AppError('search_unavailable', 'Search is temporarily unavailable. Please try again shortly.', 503);
  if (typeof status === 'number' && status >= 400 && status < 500) return new AppError('bad_request', 'The request could not be processed.', status);
  return new AppError('internal_error', 'Something went wrong on our side. Please try again.', 500);
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const appError = toAppError(error);
    if (appError.status >= 500) logger.error({ err: error, reqId: (req as { id?: unknown }).id, code: appError.code }, 'request failed');
    const retryAfter = appError.extra.retryAfterSeconds;
    if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    res.status(appError.status).json({
      error: { code: appError.code, message: appError.message, details: appError.details, ...appError.extra },
    });
  };
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new AppError('not_found', 'There is nothing at this address.', 404));
};
