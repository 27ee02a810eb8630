import { z } from 'zod';
import type { AppServices } from '../app-services';
import { defineRoute } from '../lib/api-route';
import { pointTextSchema } from '../providers/venue.schema';
import { MAX_SUGGESTIONS, suggestPlaces } from './places';

const placesQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .meta({ description: 'What the person typed so far: the start of a place name (umlauts may be written ae/oe/ue or a/o/u) or of a postcode.' }),
  near: pointTextSchema.optional().meta({
    description: 'A point "lat,lng", e.g. where the person is: names that match equally well come nearest first. Without it: nearest to the home region (REGION_CENTRE).',
  }),
});

const placeSchema = z.object({
  name: z.string().meta({ description: 'Unique as written: pass it as `place=` to the course search. Equal names carry their postcode, e.g. `Neustadt (35279)`.' }),
  postcode: z.string().regex(/^\d{5}$/),
  lat: z.number(),
  lng: z.number(),
});

const placesResponseSchema = z.object({ places: z.array(placeSchema).max(MAX_SUGGESTIONS) });

export function placesRoutes(services: AppServices) {
  const { regionCentre } = services.deps.config;
  return [
    defineRoute({
      method: 'get',
      path: '/places',
      summary: 'Suggest German places and postcodes as someone types (offline data, at most 10)',
      tag: 'search',
      access: 'public',
      query: placesQuerySchema,
      // The 400 for a missing, empty or too long `q` (api.md error shape) is documented by buildOpenApiDocument.
      responses: { 200: { description: 'Matching places: exact names first, then the nearest, then by name; postcodes in order', schema: placesResponseSchema } },
      handle: async ({ query }) => ({ json: { places: suggestPlaces(query.q, MAX_SUGGESTIONS, query.near ?? regionCentre) } }),
    }),
  ];
}
