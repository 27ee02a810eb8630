import { Router } from 'express';
import { z } from 'zod';
import type { AppServices } from '../app-services';
import { defineRoute } from '../lib/api-route';
import { idParamsSchema } from '../lib/api-schemas';
import type { CourseAction } from './stats-recorder';

/** The actions a page reports by beacon (views and calendar downloads are counted by their own routes). */
const BEACON_ACTIONS = { share: 'shares', register: 'registers' } as const satisfies Record<string, CourseAction>;

/** The beacon's path for a course and action: what the course page puts in `data-beacon`. */
export function beaconPath(courseId: string, action: keyof typeof BEACON_ACTIONS): string {
  return `/api/v1/courses/${encodeURIComponent(courseId)}/actions/${action}`;
}

/** The link "register online" points to: counts the click, then sends the reader on to the provider's page. */
export function registerLinkPath(courseId: string): string {
  return `/courses/${encodeURIComponent(courseId)}/register`;
}

/**
 * `POST /api/v1/courses/:id/actions/share|register`: the course page's script sends this (navigator.sendBeacon)
 * when someone shares the course or clicks a way to register. It carries no body, no cookie is read and nothing is
 * stored but +1 on the course's monthly counter, so there is no personal data in it; it changes no one's data
 * either, so it needs no CSRF token (a forged beacon can at most add one to a counter, as a real click would).
 */
export function courseActionRoutes({ courses, stats }: AppServices) {
  return [
    defineRoute({
      method: 'post',
      path: '/courses/:id/actions/:action',
      summary: 'Count one share of a published course or one click on a way to register (anonymous; no body)',
      tag: 'statistics',
      access: 'public',
      params: idParamsSchema.extend({ action: z.enum(['share', 'register']) }),
      responses: { 204: { description: 'Counted' } },
      handle: async ({ params }) => {
        // Published courses only (404 otherwise): nobody can fill the counters with made-up ids.
        const course = await courses.getVisible(undefined, params.id);
        stats.countCourse(course.id, BEACON_ACTIONS[params.action]);
        return { status: 204 };
      },
    }),
  ];
}

/**
 * `GET /courses/:id/register`: the "register online" link without JavaScript. It counts the click and answers 303
 * to the provider's registration page (never to an address from the request: no open redirect), or back to the
 * course's registration section when the course has none. `rel="nofollow"` keeps crawlers from counting.
 */
export function courseActionPages({ courses, stats }: AppServices): Router {
  const router = Router();
  router.get('/courses/:id/register', async (req, res) => {
    const course = await courses.getVisible(undefined, req.params.id);
    const url = course.registration?.url;
    if (!url) {
      res.redirect(303, `/courses/${encodeURIComponent(course.id)}#register-heading`);
      return;
    }
    stats.countCourse(course.id, 'registers');
    res.redirect(303, url);
  });
  return router;
}
