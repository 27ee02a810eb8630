import { z } from 'zod';
import { MAX_RADIUS_KM } from '../search/search-query.schema';

/** The most items one page holds; a larger `per_page` is capped to it (the envelope's `size` says how many came). */
export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 50;
/** `proximity` is in metres, as the HSDS API description defines it; at most the site search's largest radius. */
export const MAX_PROXIMITY_METRES = MAX_RADIUS_KM * 1000;
export const DEFAULT_PROXIMITY_METRES = 25_000;

/** A query-string value given once (a repeated parameter counts as its last value). */
const single = z.union([z.string(), z.array(z.string()).transform((values) => values[values.length - 1] ?? '')]);
const wholeNumber = single.pipe(z.string().regex(/^\d{1,6}$/, 'must be a whole number')).transform(Number);
const uuid = z.uuid('must be a UUID').transform((value) => value.toLowerCase());

const pagingShape = {
  page: wholeNumber.pipe(z.number().int().min(1, 'must be at least 1').max(100_000)).default(1).meta({ description: 'Page number, from 1.' }),
  per_page: wholeNumber
    .pipe(z.number().int().min(1, 'must be at least 1'))
    .transform((value) => Math.min(value, MAX_PER_PAGE))
    .default(DEFAULT_PER_PAGE)
    .meta({ description: `Items per page (default ${DEFAULT_PER_PAGE}; more than ${MAX_PER_PAGE} is capped to ${MAX_PER_PAGE}).` }),
};

export const pagingQuerySchema = z.object(pagingShape);

export const servicesQuerySchema = z
  .object({
    ...pagingShape,
    search: single.pipe(z.string().trim().max(200)).optional().meta({ description: 'Full text, through the site\'s own search (typo-tolerant: title, description, provider, city); results in its order of relevance.' }),
    modified_after: single
      .pipe(z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be a date-time such as 2027-01-31T12:00:00Z, or a date' }))
      .transform((value) => new Date(value))
      .optional()
      .meta({ description: 'Only services whose course changed on or after this moment (ISO 8601; a date means its start in UTC).' }),
    taxonomy_term_id: single
      .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item.length > 0))
      .pipe(z.array(uuid).min(1).max(20))
      .optional()
      .meta({ description: 'Only services with this term (an id from /taxonomy_terms); several, comma-separated, must all apply.' }),
    organization_id: single.pipe(uuid).optional().meta({ description: 'Only services of this organization.' }),
    postcode: single.pipe(z.string().regex(/^\d{5}$/, 'must be a German postcode of five digits')).optional().meta({ description: 'Only services at a venue within `proximity` of this postcode\'s main place (online-only courses have no venue and are left out).' }),
    proximity: wholeNumber
      .pipe(z.number().int().min(1, 'must be at least 1').max(MAX_PROXIMITY_METRES, `must be at most ${MAX_PROXIMITY_METRES}`))
      .optional()
      .meta({ description: `Metres around the postcode (default ${DEFAULT_PROXIMITY_METRES}, at most ${MAX_PROXIMITY_METRES}); needs postcode.` }),
  })
  .superRefine((query, ctx) => {
    if (query.proximity !== undefined && !query.postcode) ctx.addIssue({ code: 'custom', path: ['proximity'], message: 'needs postcode' });
  });
export type ServicesQuery = z.infer<typeof servicesQuerySchema>;

export const organizationsQuerySchema = z.object({
  ...pagingShape,
  search: single.pipe(z.string().trim().max(200)).optional().meta({ description: 'Part of the organization\'s name (case-insensitive).' }),
});
export type OrganizationsQuery = z.infer<typeof organizationsQuerySchema>;

export const taxonomyTermsQuerySchema = z.object({
  ...pagingShape,
  taxonomy_id: single.pipe(uuid).optional().meta({ description: 'Only terms of this taxonomy.' }),
  parent_id: single.pipe(uuid).optional().meta({ description: 'Only terms under this term.' }),
  top_only: single.pipe(z.enum(['true', 'false'])).transform((value) => value === 'true').optional().meta({ description: 'true: only terms without a parent.' }),
});
export type TaxonomyTermsQuery = z.infer<typeof taxonomyTermsQuerySchema>;

export const idParamsSchema = z.object({ id: uuid });

export type Paging = z.infer<typeof pagingQuerySchema>;
