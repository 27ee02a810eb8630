import { z } from 'zod';
import { defineRoute } from '../lib/api-route';
import type { AppServices } from '../app-services';
import { searchQuerySchema } from './search-query.schema';

const searchResponseSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  perPage: z.number().int(),
  hits: z.array(z.record(z.string(), z.unknown())),
  facets: z.record(z.string(), z.record(z.string(), z.number().int())),
});

export function searchRoutes({ search }: AppServices) {
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
  ];
}
