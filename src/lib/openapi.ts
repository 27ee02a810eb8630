import { z } from 'zod';
import type { ApiRoute } from './api-route';
import { errorResponseSchema } from './api-schemas';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

/** Query and path parameters, one per property of an object schema. */
function parametersOf(schema: z.ZodType | undefined, location: 'query' | 'path'): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchema(schema);
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: location,
      required: location === 'path' || (required.has(name) && !('default' in property)),
      ...(typeof description === 'string' ? { description } : {}),
      schema: propertySchema,
    };
  });
}

const ERROR_RESPONSE = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

/** OpenAPI 3.1 from the same route declarations (and zod schemas) that validate requests. */
export function buildOpenApiDocument(routes: readonly ApiRoute[], info: { title: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `/api/v1${route.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`;
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      responses[status] = {
        description: spec.description,
        ...(spec.schema ? { content: { [spec.contentType ?? 'application/json']: { schema: jsonSchema(spec.schema) } } } : {}),
      };
    }
    const errors = ['503'];
    if (route.params || route.query || route.body) errors.push('400');
    if (route.access !== 'public') errors.push('401', '403');
    if (route.params) errors.push('404');
    if (route.method === 'patch' || route.method === 'delete' || route.path.endsWith('/confirm')) errors.push('409');
    if (route.body) errors.push('413');
    if (route.path === '/auth/token' && route.method === 'post') errors.push('401', '429');
    for (const status of errors) responses[status] ??= ERROR_RESPONSE;
    paths[path] ??= {};
    paths[path][route.method] = {
      summary: route.summary,
      tags: [route.tag],
      operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      ...(route.access === 'public' ? { security: [] } : { security: [{ bearer: [] }] }),
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Error: jsonSchema(errorResponseSchema) },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from POST /api/v1/auth/token' } },
    },
  };
}
