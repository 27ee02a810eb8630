import { Router } from 'express';
import { STALE_AFTER_DAYS } from '../courses/course-facts';

/** The plain-language pages about the site itself: what it is, what it records (nothing personal), who runs it. */
export function sitePages(clients: { retentionDays: number; shareLinkDays: number }): Router {
  const router = Router();
  router.get('/about', (_req, res) => res.render('site/about', { staleAfterDays: STALE_AFTER_DAYS }));
  router.get('/privacy', (_req, res) => res.render('site/privacy', { retention: clients }));
  router.get('/imprint', (_req, res) => res.render('site/imprint'));
  return router;
}
