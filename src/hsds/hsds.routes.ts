import { Router } from 'express';
import type { AppServices } from '../app-services';
import { authenticate } from '../accounts/authenticate';
import { defineRoute, mountRoutes, type ApiRoute } from '../lib/api-route';
import { buildOpenApiDocument } from '../lib/openapi';
import { HSDS_VERSION, OPEN_DATA_PATH } from './hsds.service';
import { idParamsSchema, organizationsQuerySchema, pagingQuerySchema, servicesQuerySchema, taxonomyTermsQuerySchema } from './hsds.schema';
import { openDataLicence } from './open-data-licence';

export const HSDS_BASE_PATH = '/api/hsds';
const SCHEMA_BASE = 'https://github.com/openreferral/specification/blob/3.1/schema';
const TAG = 'HSDS 3 (Open Referral)';

function described(object: string, what: string) {
  return { 200: { description: `${what}: HSDS ${HSDS_VERSION} ${object} (${SCHEMA_BASE}/${object}.json)` } };
}

/** The HSDS 3 read API (api.md → Open data): every answer built from MongoDB by src/hsds/hsds-mapper.ts. */
export function hsdsRoutes(services: AppServices): ApiRoute[] {
  const { hsds } = services;
  return [
    defineRoute({
      method: 'get',
      path: '/',
      summary: 'About this API and its relationship with HSDS: version, profile (the developers\' page), OpenAPI description',
      tag: TAG,
      access: 'public',
      responses: { 200: { description: '`version`, `profile`, `openapi_url`' } },
      handle: async ({ origin }) => ({
        json: { version: HSDS_VERSION, profile: `${origin}${OPEN_DATA_PATH}`, openapi_url: `${origin}${HSDS_BASE_PATH}/openapi.json` },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/services',
      summary: 'Published courses as HSDS services, paged (`total_items`, `total_pages`, `page_number`, `size`, `first_page`, `last_page`, `empty`, `contents`)',
      tag: TAG,
      access: 'public',
      query: servicesQuerySchema,
      responses: described('service_list', 'A page of services'),
      handle: async ({ query, origin }) => ({ json: await hsds.services(query, origin) }),
    }),
    defineRoute({
      method: 'get',
      path: '/services/:id',
      summary: 'One published course as a fully nested HSDS service',
      tag: TAG,
      access: 'public',
      params: idParamsSchema,
      responses: described('service', 'The service'),
      handle: async ({ params, origin }) => ({ json: await hsds.service(params.id, origin) }),
    }),
    defineRoute({
      method: 'get',
      path: '/organizations',
      summary: 'Active providers as HSDS organizations, paged',
      tag: TAG,
      access: 'public',
      query: organizationsQuerySchema,
      responses: described('organization_list', 'A page of organizations'),
      handle: async ({ query, origin }) => ({ json: await hsds.organizations(query, origin) }),
    }),
    defineRoute({
      method: 'get',
      path: '/organizations/:id',
      summary: 'One provider as a fully nested HSDS organization with its published courses as services',
      tag: TAG,
      access: 'public',
      params: idParamsSchema,
      responses: described('organization', 'The organization'),
      handle: async ({ params, origin }) => ({ json: await hsds.organization(params.id, origin) }),
    }),
    defineRoute({
      method: 'get',
      path: '/taxonomies',
      summary: 'The site\'s own taxonomy (course type, level, mode, women only, childcare), paged',
      tag: TAG,
      access: 'public',
      query: pagingQuerySchema,
      responses: described('taxonomy', 'A page of taxonomies'),
      handle: async ({ query, origin }) => ({ json: hsds.taxonomies(query, origin) }),
    }),
    defineRoute({
      method: 'get',
      path: '/taxonomy_terms',
      summary: 'The terms of the site\'s taxonomy, paged; their ids filter /services (`taxonomy_term_id`)',
      tag: TAG,
      access: 'public',
      query: taxonomyTermsQuerySchema,
      responses: described('taxonomy_term', 'A page of taxonomy terms'),
      handle: async ({ query, origin }) => ({ json: hsds.taxonomyTerms(query, origin) }),
    }),
  ];
}

/** The router for /api/hsds: the routes above and their own small OpenAPI description (the root's `openapi_url`). */
export function hsdsApi(services: AppServices): Router {
  const licence = openDataLicence(services.deps.config.openData.licence);
  const describeApi = defineRoute({
    method: 'get',
    path: '/openapi.json',
    summary: 'This OpenAPI 3.1 description of the HSDS API',
    tag: TAG,
    access: 'public',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
    handle: async () => ({ json: openapi }),
  });
  const routes = [...hsdsRoutes(services), describeApi];
  const openapi = buildOpenApiDocument(
    routes,
    {
      title: 'Sprachkursfinder – HSDS 3 API (Open Referral)',
      version: HSDS_VERSION,
      description: `German language courses as HSDS ${HSDS_VERSION} services. Mapping decisions and examples: ${OPEN_DATA_PATH}.`,
      license: { name: licence.name, url: licence.url },
    },
    HSDS_BASE_PATH,
  );
  const router = Router();
  router.use(authenticate(services.accounts));
  router.use(mountRoutes(routes, { jsonBodyLimit: services.deps.config.jsonBodyLimit, clientKey: services.clientKeys }));
  return router;
}
