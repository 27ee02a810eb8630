import path from 'node:path';
import zlib from 'node:zlib';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import express, { Router } from 'express';
import type { AppServices } from '../app-services';
import { createTranslations } from '../i18n/i18n';
import { PROJECT_ROOT } from '../infra/embedded/project-paths';
import { accountPages } from '../accounts/account.pages';
import { adminPages } from '../admin/admin.pages';
import { coursePages } from '../courses/courses.pages';
import { providerPages } from '../providers/providers.pages';
import { courseCsvPages } from '../course-csv/course-csv.pages';
import { searchPages } from '../search/search.pages';
import { sitePages } from '../site/site.pages';
import { openDataPages } from '../hsds/open-data.pages';
import { sharePages } from '../clients/share.pages';
import { clientPages } from '../clients/clients.pages';
import { courseActionPages } from '../stats/course-actions';
import { statsPages } from '../stats/stats.pages';
import { workspacePages } from '../workspace/workspace.pages';
import { assignCspNonce, securityHeaders } from './content-security';
import { ICON_SPRITE, ICON_SPRITE_PATH } from './icons';
import { pageContext, pageLocalizer } from './page-context';
import { pageAccessGuards, sessionUser } from './page-auth';
import { pageErrorHandler, pageNotFound } from './page-errors';
import { csrfProtection, formBodies, sessionMiddleware } from './session';
import { compressedPages } from './compressed-pages';

export const VIEWS_DIR = path.join(PROJECT_ROOT, 'views');
const PUBLIC_DIR = path.join(PROJECT_ROOT, 'public');

/** Static files under /assets: the site's own CSS and scripts, and Leaflet from npm (no CDN). */
export function assetRoutes(): Router {
  const router = Router();
  const options = { maxAge: '1h', index: false } as const;
  router.get(ICON_SPRITE_PATH, (_req, res) => {
    res.type('image/svg+xml').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(ICON_SPRITE);
  });
  router.use('/assets/leaflet', express.static(path.dirname(require.resolve('leaflet/dist/leaflet.js')), options));
  router.use('/assets', express.static(PUBLIC_DIR, options));
  return router;
}

/** Every page for people (api.md → Website). Errors on these paths answer as pages, not JSON. */
export function websiteRoutes(services: AppServices): Router {
  const translations = createTranslations();
  const router = Router();
  router.use(assignCspNonce, securityHeaders({ tileOrigin: services.deps.config.map.tileOrigin }));
  // Rendered pages compress themselves in one step (compressed-pages.ts); the middleware serves everything else.
  router.use(compression({ level: 3, brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } } }));
  router.use(compressedPages);
  router.use(assetRoutes());
  router.use(cookieParser());
  // Sessions, form bodies and the CSRF check come before every page router, so none can forget them.
  router.use(sessionMiddleware({ db: services.deps.db, config: services.deps.config }));
  router.use(pageContext({ translations, clock: services.deps.clock }));
  const localize = pageLocalizer({ translations, clock: services.deps.clock });
  router.use(formBodies());
  router.use(csrfProtection);
  router.use(sessionUser(services));
  router.use(pageAccessGuards());
  router.use(accountPages(services));
  router.use(searchPages(services));
  router.use(coursePages(services));
  router.use(courseActionPages(services));
  router.use(providerPages(services));
  router.use(courseCsvPages(services));
  router.use(sitePages(services.deps.config.clients));
  router.use(openDataPages(services.deps.config));
  router.use(sharePages(services, localize));
  router.use(clientPages(services, localize));
  router.use(statsPages(services));
  router.use(adminPages(services));
  router.use(workspacePages(services));
  router.use(pageNotFound);
  router.use(pageErrorHandler(services.deps.logger, services.deps.config.regionCentre));
  return router;
}
