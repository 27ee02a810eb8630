import { z } from 'zod';
import { defineRoute } from '../lib/api-route';
import { idParamsSchema, langQuerySchema } from '../lib/api-schemas';
import { expectedVersion, ifMatchHeadersSchema } from '../lib/version';
import type { AppServices } from '../app-services';
import { createProviderBodySchema } from './provider.schema';

const providerResponseSchema = createProviderBodySchema.extend({
  id: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const providerPatchSchema = z
  .record(z.string(), z.unknown())
  .describe('JSON merge patch of the provider fields; optional `version` (or If-Match) guards against lost updates.');

export function providersRoutes({ providers, catalog }: AppServices) {
  return [
    defineRoute({
      method: 'post',
      path: '/providers',
      summary: 'Create a provider',
      tag: 'providers',
      access: ['admin'],
      body: createProviderBodySchema,
      responses: { 201: { description: 'Created', schema: providerResponseSchema } },
      handle: async ({ body, actor }) => ({ status: 201, json: await providers.create(actor, body) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/providers/:id',
      summary: "Update a provider (admins, or the provider's own users)",
      tag: 'providers',
      access: ['admin', 'provider'],
      headers: ifMatchHeadersSchema,
      params: idParamsSchema,
      body: providerPatchSchema,
      responses: { 200: { description: 'Updated', schema: providerResponseSchema } },
      handle: async ({ params, body, actor, header }) => {
        const { version, ...patch } = body;
        return { json: await providers.update(actor, params.id, patch, expectedVersion(version, header('if-match'), false)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/providers/:id',
      summary: 'A provider with its published courses',
      tag: 'providers',
      access: 'public',
      params: idParamsSchema,
      query: langQuerySchema,
      responses: { 200: { description: 'The provider', schema: providerResponseSchema.extend({ courses: z.array(z.record(z.string(), z.unknown())) }) } },
      handle: async ({ params, query }) => ({ json: await catalog.provider(params.id, query.lang) }),
    }),
  ];
}
