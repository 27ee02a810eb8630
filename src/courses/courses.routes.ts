import { z } from 'zod';
import { defineRoute } from '../lib/api-route';
import { idParamsSchema, langQuerySchema } from '../lib/api-schemas';
import { courseToICal } from '../exports/course-ical';
import { expectedVersion, ifMatchHeadersSchema } from '../lib/version';
import type { AppServices } from '../app-services';
import { coursePageUrl } from '../web/page-language';
import { courseFieldsResponseSchema, createCourseBodySchema, patchCourseBodySchema } from './course.schema';
import { daySchema, slotSchema, timeOfDaySchema } from './course.enums';

const courseResponseSchema = courseFieldsResponseSchema.extend({
  id: z.string(),
  providerId: z.string(),
  provider: z.object({ id: z.string(), name: z.string() }).optional(),
  version: z.number().int(),
  lastConfirmedAt: z.string(),
  days: z.array(daySchema),
  timeOfDay: z.array(timeOfDaySchema),
  slots: z.array(slotSchema),
  flexible: z.boolean(),
  stale: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const WRITERS = ['admin', 'provider'] as const;

export function coursesRoutes({ courses, stats }: AppServices) {
  return [
    defineRoute({
      method: 'post',
      path: '/courses',
      summary: 'Create a course (providers: for their own organisation; admins: providerId required)',
      tag: 'courses',
      access: WRITERS,
      body: createCourseBodySchema,
      responses: { 201: { description: 'Created', schema: courseResponseSchema } },
      handle: async ({ body, actor }) => {
        const course = await courses.create(actor, body);
        return { status: 201, json: course, headers: { ETag: `"${course.version}"` } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/courses/:id.ics',
      summary: 'The course as an iCalendar file: one weekly repeating event per session',
      tag: 'courses',
      access: 'public',
      params: idParamsSchema,
      query: langQuerySchema,
      responses: { 200: { description: 'iCalendar (RFC 5545)', schema: z.string(), contentType: 'text/calendar' } },
      handle: async ({ params, query, actor, origin }) => {
        const course = await courses.getVisible(actor, params.id);
        if (course.status === 'published') stats.countCourse(course.id, 'ical');
        return {
          body: courseToICal(course, query.lang, coursePageUrl(origin, course.id, query.lang)),
          contentType: 'text/calendar; charset=utf-8',
          headers: { 'Content-Disposition': `attachment; filename="sprachkurs-${course.id}.ics"` },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/courses/:id',
      summary: 'One course (drafts and archived courses only for their provider and admins)',
      tag: 'courses',
      access: 'public',
      params: idParamsSchema,
      responses: { 200: { description: 'The course', schema: courseResponseSchema } },
      handle: async ({ params, actor }) => {
        const course = await courses.getVisible(actor, params.id);
        return { json: course, headers: { ETag: `"${course.version}"` } };
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/courses/:id',
      summary: 'Update a course: a JSON merge patch that carries the current version (body or If-Match)',
      tag: 'courses',
      access: WRITERS,
      headers: ifMatchHeadersSchema,
      params: idParamsSchema,
      body: patchCourseBodySchema,
      responses: { 200: { description: 'Updated, with the new version', schema: courseResponseSchema } },
      handle: async ({ params, body, actor, header }) => {
        const { version, ...patch } = body;
        const expected = expectedVersion(version, header('if-match'), true);
        const course = await courses.update(actor, params.id, patch, expected);
        return { json: course, headers: { ETag: `"${course.version}"` } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/courses/:id',
      summary: 'Archive a course (it is kept, never silently lost)',
      tag: 'courses',
      access: WRITERS,
      headers: ifMatchHeadersSchema,
      params: idParamsSchema,
      responses: { 204: { description: 'Archived' }, 409: { description: 'The If-Match version is stale, or someone else wrote meanwhile' } },
      handle: async ({ params, actor, header }) => {
        await courses.archive(actor, params.id, expectedVersion(undefined, header('if-match'), false));
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/courses/:id/confirm',
      summary: 'Confirm that the listing is still current',
      tag: 'courses',
      access: WRITERS,
      params: idParamsSchema,
      responses: {
        200: { description: 'Confirmed, with the new version', schema: courseResponseSchema },
        409: { description: 'Someone else wrote the course meanwhile' },
      },
      handle: async ({ params, actor }) => ({ json: await courses.confirm(actor, params.id) }),
    }),
  ];
}
