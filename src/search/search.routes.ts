import { z } from 'zod';
import { defineRoute } from '../lib/api-route';
import type { AppServices } from '../app-services';
import { FEED_MAX_COURSES } from '../exports/search-calendar';
import { searchQuerySchema } from './search-query.schema';

const searchResponseSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  perPage: z.number().int(),
  hits: z.array(z.record(z.string(), z.unknown())),
  facets: z.record(z.string(), z.record(z.string(), z.number().int())),
});

export function searchRoutes({ search, searchCalendar }: AppServices) {
  return [
    defineRoute({
      method: 'get',
      path: '/courses',
      summary: 'Search published courses with filters and disjunctive facet counts',
      tag: 'search',
      access: 'public',
      query: searchQuerySchema,
      responses: { 200: { description: 'One page of hits, the total and facet counts', schema: searchResponseSchema } },
      handle: async ({ query }) => ({ json: await search.search(query) }),
    }),
    defineRoute({
      method: 'get',
      // Not caught by `/courses/:id.ics`: path-to-regexp 8 needs the slash before `:id` (tests/api/search-calendar.test.ts).
      path: '/courses.ics',
      summary: `Every course the search finds for these filters (page and perPage do not apply; at most ${FEED_MAX_COURSES}) as one calendar feed to subscribe to`,
      tag: 'search',
      access: 'public',
      query: searchQuerySchema,
      responses: {
        200: { description: 'iCalendar (RFC 5545): one weekly repeating event per session, one all-day event per flexible course', schema: z.string(), contentType: 'text/calendar' },
      },
      handle: async ({ query, origin }) => ({
        body: await searchCalendar.feed(query, origin),
        contentType: 'text/calendar; charset=utf-8',
        headers: { 'Content-Disposition': 'attachment; filename="sprachkurse.ics"' },
      }),
    }),
  ];
}
