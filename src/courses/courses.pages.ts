import { Router } from 'express';
import type { AppServices } from '../app-services';
import { requestOrigin } from '../lib/request-origin';
import { currentUser } from '../web/page-auth';
import type { PageLocals } from '../web/page-context';
import { coursePage, qrCodeSvg } from './course-page';

/**
 * `/courses/:id` (everything needed to decide and register) and `/courses/:id/print` (the same on one A4 page, with a
 * QR code back to the page). Drafts, archived and unknown courses are the friendly 404 page (thrown by the service).
 */
export function coursePages(services: AppServices): Router {
  const router = Router();
  const { map } = services.deps.config;

  router.get('/courses/:id', async (req, res) => {
    const { lang } = res.locals as PageLocals;
    const page = await coursePage(services, req.params.id, { origin: requestOrigin(req), lang });
    // A logged-in counselor may put the course on one of their clients' shortlists (src/clients).
    const user = currentUser(res);
    const courseChoices = user?.role === 'counselor' ? (await services.clients.list(user)).map((client) => ({ id: client.id, label: client.label })) : undefined;
    services.stats.countCourse(page.course.id, 'views');
    res.render('courses/detail', { page, map: { tileUrl: map.tileUrl, attribution: map.attribution }, courseChoices });
  });

  router.get('/courses/:id/print', async (req, res) => {
    const { lang } = res.locals as PageLocals;
    const page = await coursePage(services, req.params.id, { origin: requestOrigin(req), lang });
    res.render('courses/print', { page, qrCode: await qrCodeSvg(page.urls.canonical) });
  });

  return router;
}
