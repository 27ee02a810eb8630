import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError } from '../lib/errors';
import { toAppError } from '../lib/error-handler';
import type { Logger } from '../lib/logger';
import { resolvePlace } from '../places/places';
import { distanceKm, type GeoPoint } from '../search/geo';
import { guidedForm } from '../search/search-form';
import type { PageLocals } from './page-context';

/** Where on the guided form each search parameter is asked, for the error summary's links. */
const FIELD_IDS: Record<string, string> = {
  level: 'step-level',
  slots: 'step-when',
  childAgeMonths: 'child-1',
  childcare: 'child-1',
  womenOnly: 'womenOnly',
  place: 'place',
  postcode: 'place',
  near: 'place',
  radiusKm: 'radiusKm',
  includeOnline: 'includeOnline',
  free: 'free',
};
/** Parameters with a message of their own; any other is named in a general one. */
const EXPLAINED = new Set(['level', 'slots', 'childAgeMonths', 'place', 'postcode', 'near', 'radiusKm', 'startFrom', 'startTo', 'sort', 'page', 'perPage', 'q', 'lang']);

export type PlaceChoice = { name: string; href: string };

/** The places a short name could mean, nearest to the home region first (a reader in Landau means Landau in der Pfalz). */
function placeChoices(req: Request, regionCentre: GeoPoint): PlaceChoice[] {
  const typed = req.query.place;
  if (typeof typed !== 'string') return [];
  const found = resolvePlace(typed);
  if (found.kind !== 'ambiguous') return [];
  const nearestFirst = [...found.candidates].sort((a, b) => distanceKm(regionCentre, a) - distanceKm(regionCentre, b));
  return nearestFirst.slice(0, 8).map((place) => {
    const url = new URL(req.originalUrl, 'http://site.invalid');
    url.searchParams.set('place', place.name);
    return { name: place.name, href: `${url.pathname}?${url.searchParams.toString()}` };
  });
}

function renderBadQuery(req: Request, res: Parameters<RequestHandler>[1], error: AppError, regionCentre: GeoPoint) {
  const { t, fmt } = res.locals as PageLocals;
  const params = [...new Set(error.details.map((detail) => detail.param))];
  const errors = params.map((param) => ({
    fieldId: FIELD_IDS[param] ?? 'search-form',
    message: EXPLAINED.has(param) ? t(`search:errors.${param}`) : t('search:errors.other'),
  }));
  res.status(400).render('errors/bad-query', { errors, form: guidedForm(req.query, fmt, t), placeChoices: placeChoices(req, regionCentre) });
}

/**
 * Errors on pages: a friendly page in the reader's language with the right status, never a stack trace. An invalid
 * search shows the search form again, filled in, with an error summary that links to each field (GOV.UK pattern).
 */
export function pageErrorHandler(logger: Logger, regionCentre: GeoPoint): ErrorRequestHandler {
  return (error, req, res, next) => {
    const appError = toAppError(error);
    if (appError.status >= 500) logger.error({ err: error, reqId: (req as { id?: unknown }).id, code: appError.code }, 'page failed');
    if (res.headersSent) {
      next(error);
      return;
    }
    const retryAfter = appError.extra.retryAfterSeconds;
    if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    if (appError.status === 400 && appError.code === 'invalid_query') {
      renderBadQuery(req, res, appError, regionCentre);
      return;
    }
    const kind = appError.code === 'csrf_invalid' ? 'formExpired' : appError.status === 404 ? 'notFound' : appError.status === 503 ? 'unavailable' : appError.status === 403 ? 'forbidden' : appError.status < 500 ? 'badRequest' : 'internal';
    if (kind === 'unavailable' && !res.getHeader('Retry-After')) res.setHeader('Retry-After', '10');
    res.status(appError.status).render('errors/error', { kind });
  };
}

export const pageNotFound: RequestHandler = (_req, _res, next) => {
  next(new AppError('not_found', 'There is nothing at this address.', 404));
};
