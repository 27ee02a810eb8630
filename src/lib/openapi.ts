import { z } from 'zod';
import type { ApiRoute } from './api-route';
import { errorResponseSchema } from './api-schemas';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

/** Query and path parameters, one per property of an object schema. */
function parametersOf(schema: z.ZodType | undefined, location: 'query' | 'path' | 'header'): JsonSchema[] {
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

const ERROR_RESPONSE = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

/**
 * The error answers every route can give, derived from what the app does around its handlers, so that a new
 * route is described truthfully without remembering them. A route adds the ones only its service knows (e.g. 409
 * for a taken email, 429 for login throttling) to its `responses`.
 */
function genericErrors(route: ApiRoute): Record<string, string> {
  const errors: Record<string, string> = {};
  // `authenticate` runs before every route: a bearer token that is given but invalid or expired is a 401, on public routes too.
  errors['401'] = route.access === 'public' ? 'The bearer token (optional here) is invalid or expired' : 'Not logged in, or the bearer token is invalid or expired';
  if (route.access !== 'public') errors['403'] = 'Your role may not do this';
  if (route.params || route.query || route.body) errors['400'] = 'Invalid input; `details` names every offending parameter or field';
  if (route.params) errors['404'] = 'Not found (or not visible to you)';
  if (route.method === 'patch') errors['409'] = 'The version you edited is stale; `currentVersion` holds the current one';
  if (route.body) {
    errors['413'] = 'The request body is too large';
    errors['415'] = 'Unsupported request encoding or charset';
  }
  errors['503'] = 'The database or the search engine is temporarily unavailable';
  return errors;
}

/** OpenAPI 3.1 from the same route declarations (and zod schemas) that validate requests. */
export function buildOpenApiDocument(routes: readonly ApiRoute[], info: { title: string; version: string } & Record<string, unknown>, basePath = '/api/v1'): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `${basePath}${route.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`;
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      const schema = spec.schema ? { content: { [spec.contentType ?? 'application/json']: { schema: jsonSchema(spec.schema) } } } : Number(status) >= 400 ? ERROR_RESPONSE : {};
      responses[status] = { description: spec.description, ...schema };
    }
    for (const [status, description] of Object.entries(genericErrors(route))) responses[status] ??= { description, ...ERROR_RESPONSE };
    paths[path] ??= {};
    paths[path][route.method] = {
      summary: route.summary,
      tags: [route.tag],
      operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      // Public routes take a token too (a provider sees its own drafts): anonymous or bearer.
      security: route.access === 'public' ? [{}, { bearer: [] }] : [{ bearer: [] }],
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query'), ...parametersOf(route.headers, 'header')],
      ...(route.body ? { requestBody: { required: true, content: { [route.textBody?.contentType ?? 'application/json']: { schema: jsonSchema(route.body) } } } } : {}),
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
