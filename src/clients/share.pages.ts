import { Router, type Request, type Response } from 'express';
import type { AppServices } from '../app-services';
import { isUiLanguage, type UiLanguage } from '../i18n/languages';
import { requestOrigin } from '../lib/request-origin';
import type { PageLocalizer } from '../web/page-context';
import type { ShortlistItem } from './client.schema';
import { handoutCourses } from './handout';

/**
 * Renders the one handout template in the client's language (unless the reader chose another with `?lang=`):
 * `lang` and `dir` of the page follow it, so Arabic and Farsi handouts are right to left.
 */
export async function renderHandout(
  services: AppServices,
  localize: PageLocalizer,
  req: Request,
  res: Response,
  handout: { lang: UiLanguage; shortlist: readonly ShortlistItem[]; backHref?: string },
): Promise<void> {
  const asked = req.query.lang;
  const lang = isUiLanguage(asked) ? asked : handout.lang;
  localize(req, res, lang);
  const courses = await handoutCourses(services, handout.shortlist, { origin: requestOrigin(req), lang });
  res.render('counselor/handout', { handout: { courses, backHref: handout.backHref } });
}

/**
 * `GET /s/:token`: a shared handout, without login. The address is the only key, so it must not leak: no referrer to
 * the links on the page, not indexed, not cached anywhere. Expired and revoked links answer 410, unknown ones 404.
 */
export function sharePages(services: AppServices, localize: PageLocalizer): Router {
  const router = Router();
  router.get('/s/:token', async (req, res, next) => {
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Robots-Tag', 'noindex');
    res.setHeader('Cache-Control', 'private, no-store');
    const found = await services.clients.openShare(req.params.token);
    if (found.status === 'missing') {
      next();
      return;
    }
    if (found.status === 'gone') {
      res.status(410).render('counselor/share-gone');
      return;
    }
    await renderHandout(services, localize, req, res, found.handout);
  });
  return router;
}
