import { execFile } from 'node:child_process';
import type { Express, Request, Response } from 'express';
import { notFoundHandler } from '../../src/lib/error-handler';
import { loginAs, type Session } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';

type OpenApiOperation = {
  operationId?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: unknown }>;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
};
type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, { type?: string; properties?: Record<string, { properties?: Record<string, unknown>; required?: string[] }> }> };
};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** The query parameters of GET /api/v1/courses as api.md lists them. */
const SEARCH_PARAMETERS = [
  'q', 'level', 'type', 'mode', 'days', 'timeOfDay', 'childcare', 'childAgeMonths', 'womenOnly', 'free', 'seats', 'near', 'radiusKm',
  'postcode', 'place', 'includeOnline', 'slots', 'startFrom', 'startTo', 'sort', 'page', 'perPage', 'lang',
];

/**
 * Validates with @seriousme/openapi-schema-validator (the OpenAPI Initiative's JSON schemas for 2.0–3.2).
 * The OAS 3.1 meta-schema treats every Schema Object as an opaque object, so each one is also checked against
 * the JSON Schema 2020-12 meta-schema with the validator's own Ajv. The package is ESM-only and reads its schemas
 * via import.meta, so it runs in a plain Node child process.
 */
function validateOpenApi(document: unknown): Promise<{ valid: boolean; version?: string; errors?: unknown; schemaErrors: unknown[]; schemasChecked: number }> {
  const script = `
    import { createRequire } from 'node:module';
    import { Validator } from '@seriousme/openapi-schema-validator';
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(input));
    const schemaErrors = [];
    let schemasChecked = 0;
    if (result.valid) {
      const fromValidator = createRequire(import.meta.resolve('@seriousme/openapi-schema-validator'));
      const Ajv2020 = fromValidator('ajv/dist/2020.js').default;
      const ajv = new Ajv2020({ strict: false, validateSchema: true });
      const spec = validator.resolveRefs();
      const check = (where, schema) => {
        schemasChecked += 1;
        if (!ajv.validateSchema(schema)) schemaErrors.push({ where, errors: ajv.errors });
      };
      for (const [name, schema] of Object.entries(spec.components?.schemas ?? {})) check('components.schemas.' + name, schema);
      for (const [path, item] of Object.entries(spec.paths ?? {})) {
        for (const [method, op] of Object.entries(item)) {
          for (const p of op.parameters ?? []) check(method + ' ' + path + ' parameter ' + p.name, p.schema);
          for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) check(method + ' ' + path + ' body ' + type, media.schema);
          for (const [status, response] of Object.entries(op.responses ?? {})) {
            for (const [type, media] of Object.entries(response.content ?? {})) check(method + ' ' + path + ' ' + status + ' ' + type, media.schema);
          }
        }
      }
    }
    process.stdout.write(JSON.stringify({ ...result, version: validator.version, schemaErrors, schemasChecked }));
  `;
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`validator failed: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout));
    });
    child.stdin?.end(JSON.stringify(document));
  });
}

type RouterLayer = {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
  rawPath?: string | string[];
};

/** Every method + path the Express app registers, found by walking the router stacks (Express 5 / router 2). */
function registeredRoutes(app: Express): Array<{ method: string; path: string }> {
  const found: Array<{ method: string; path: string }> = [];
  const walk = (stack: RouterLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) {
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && method !== '_all') found.push({ method, path: `${prefix}${path}` });
          }
        }
      } else if (layer.handle?.stack) {
        const mounts = Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath ?? '/'];
        for (const mount of mounts) {
          if (typeof mount !== 'string') throw new Error('a router is mounted on a non-string path; extend this walk');
          walk(layer.handle.stack, mount === '/' ? prefix : `${prefix}${mount}`);
        }
      }
    }
  };
  const router = (app as unknown as { router: { stack: RouterLayer[] } }).router;
  walk(router.stack, '');
  return found;
}

/** The message the app's catch-all answers with when no route matches. */
function routeNotFoundMessage(): string {
  let message = '';
  notFoundHandler({} as Request, {} as Response, (error?: unknown) => {
    message = (error as Error).message;
  });
  if (!message) throw new Error('notFoundHandler did not pass an error on');
  return message;
}

let t: TestApp;
let admin: Session;
let doc: OpenApiDocument;

beforeAll(async () => {
  t = await createTestApp('openapi');
  admin = await loginAs(t, 'admin');
  const res = await t.http.get('/api/v1/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  doc = res.body;
});
afterAll(async () => {
  await t.close();
});

it('is an OpenAPI 3.1 document that passes schema validation', async () => {
  expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  const result = await validateOpenApi(doc);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
  expect(result.version).toBe('3.1');
  // Every parameter, body and response schema is a valid JSON Schema 2020-12 schema.
  expect(result.schemaErrors).toEqual([]);
  expect(result.schemasChecked).toBeGreaterThan(20);
});

it('the validator really rejects a broken document (the check above can fail)', async () => {
  const broken = structuredClone(doc);
  const [firstPath] = Object.keys(broken.paths);
  const operation = broken.paths[firstPath!]!.get ?? Object.values(broken.paths[firstPath!]!)[0]!;
  (operation as unknown as { responses: unknown }).responses = 'none';
  expect((await validateOpenApi(broken)).valid).toBe(false);

  const badSchema = structuredClone(doc);
  (badSchema.components!.schemas!.Error as unknown as { type: unknown }).type = 'not-a-json-schema-type';
  const result = await validateOpenApi(badSchema);
  expect(result.valid).toBe(true); // the OAS meta-schema alone does not look inside Schema Objects …
  expect(result.schemaErrors).not.toEqual([]); // … the 2020-12 meta-schema check does
});

it('has unique operationIds and declares every path template parameter', () => {
  const ids: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.includes(method)) continue;
      if (operation.operationId) ids.push(operation.operationId);
      const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path');
      expect({ path, method, params: pathParams.map((p) => p.name).sort() }).toEqual({ path, method, params: templated });
      for (const p of pathParams) expect(p.required).toBe(true);
    }
  }
  expect(ids.length).toBeGreaterThan(0);
  expect(new Set(ids).size).toBe(ids.length);
});

it('documents every route the app registers under /api/v1', () => {
  const routes = registeredRoutes(t.app).filter((r) => r.path === '/api/v1' || r.path.startsWith('/api/v1/'));
  // The walk must see the app's real routes, or this test would pass vacuously.
  expect(routes).toEqual(expect.arrayContaining([{ method: 'get', path: '/api/v1/courses' }, { method: 'patch', path: '/api/v1/courses/:id' }]));
  const missing = routes
    .map((r) => ({ method: r.method, path: r.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}') }))
    .filter((r) => doc.paths[r.path]?.[r.method] === undefined);
  expect(missing).toEqual([]);
});

it('every documented operation is served by a route (never the catch-all 404)', async () => {
  const catchAll = routeNotFoundMessage();
  // Sanity: the catch-all really answers like this for an unknown address.
  const unknown = await t.http.get('/api/v1/no-such-endpoint').set(admin.auth);
  expect(unknown.status).toBe(404);
  expect(unknown.body.error.message).toBe(catchAll);

  const answers: Array<{ method: string; path: string; status: number; message?: string }> = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item).filter((m) => HTTP_METHODS.includes(m))) {
      const url = path.replace(/\{[^}]+\}/g, '0123456789abcdef01234567');
      // DELETE /auth/token would revoke the session used for the other calls; it gets its own token.
      const auth = method === 'delete' && path === '/api/v1/auth/token' ? (await loginAs(t, 'admin')).auth : admin.auth;
      const res = await (t.http as unknown as Record<string, (u: string) => import('supertest').Test>)[method]!(url).set(auth).send({});
      answers.push({ method, path, status: res.status, message: res.body?.error?.message });
    }
  }
  expect(answers.length).toBeGreaterThanOrEqual(10);
  expect(answers.filter((a) => a.status === 404 && a.message === catchAll)).toEqual([]);
  expect(answers.filter((a) => a.status >= 500)).toEqual([]);
});

it('documents all search parameters of api.md as query parameters of GET /api/v1/courses', () => {
  const operation = doc.paths['/api/v1/courses']?.get;
  expect(operation).toBeDefined();
  const query = (operation!.parameters ?? []).filter((p) => p.in === 'query');
  expect(query.map((p) => p.name)).toEqual(expect.arrayContaining(SEARCH_PARAMETERS));
  for (const p of query) {
    expect(p.required).toBe(false);
    expect(p.schema).toBeDefined();
  }
});

it('documents If-Match on the writes that read it, as an optional header', () => {
  for (const [path, method] of [['/api/v1/courses/{id}', 'patch'], ['/api/v1/courses/{id}', 'delete'], ['/api/v1/providers/{id}', 'patch']] as const) {
    const header = (doc.paths[path]?.[method]?.parameters ?? []).find((p) => p.in === 'header');
    expect({ path, method, header }).toEqual({ path, method, header: expect.objectContaining({ name: 'If-Match', required: false }) });
  }
  expect((doc.paths['/api/v1/courses']?.get?.parameters ?? []).filter((p) => p.in === 'header')).toEqual([]);
});

it('has the error schema of api.md and uses it for error responses', () => {
  const error = doc.components?.schemas?.Error;
  expect(error).toBeDefined();
  expect(error!.type).toBe('object');
  const inner = error!.properties?.error;
  expect(Object.keys(inner?.properties ?? {})).toEqual(expect.arrayContaining(['code', 'message', 'details']));
  expect(inner?.required).toEqual(expect.arrayContaining(['code', 'message', 'details']));

  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.includes(method)) continue;
      const errorStatuses = Object.keys(operation.responses).filter((s) => /^[45]/.test(s));
      expect({ path, method, hasErrors: errorStatuses.length > 0 }).toEqual({ path, method, hasErrors: true });
      for (const status of errorStatuses) {
        expect({ path, method, status, ref: operation.responses[status]?.content?.['application/json']?.schema?.$ref }).toEqual({
          path,
          method,
          status,
          ref: '#/components/schemas/Error',
        });
      }
    }
  }
  // Writes that carry a version document the 409 conflict; search documents 400 for bad parameters.
  expect(doc.paths['/api/v1/courses/{id}']?.patch?.responses['409']).toBeDefined();
  expect(doc.paths['/api/v1/courses']?.get?.responses['400']).toBeDefined();
});

it('documents the errors every route can give, so that a new route is described truthfully without extra work', () => {
  type Operation = OpenApiOperation & { requestBody?: unknown; security?: Array<Record<string, unknown>> };
  const seen: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
      if (!HTTP_METHODS.includes(method)) continue;
      seen.push(`${method} ${path}`);
      const statuses = Object.keys(operation.responses);
      // Any request may carry a bearer token, and an invalid one is a 401 everywhere; any route needs the database.
      expect({ path, method, has401and503: ['401', '503'].every((s) => statuses.includes(s)) }).toEqual({ path, method, has401and503: true });
      if (operation.requestBody) expect({ path, method, statuses }).toEqual({ path, method, statuses: expect.arrayContaining(['400', '413', '415']) });
      if ((operation.parameters ?? []).length > 0) expect({ path, method, statuses }).toEqual({ path, method, statuses: expect.arrayContaining(['400']) });
      // Public routes take a token too (a provider sees its own drafts): anonymous or bearer.
      expect(operation.security).toEqual(operation.security?.length === 2 ? [{}, { bearer: [] }] : [{ bearer: [] }]);
    }
  }
  expect(seen.length).toBeGreaterThanOrEqual(12);
  expect(Object.keys(doc.paths['/api/v1/users']!.post!.responses)).toContain('409');
  expect(Object.keys(doc.paths['/api/v1/auth/token']!.post!.responses)).toEqual(expect.arrayContaining(['401', '429']));
  expect(doc.paths['/api/v1/courses']!.get!).toMatchObject({ security: [{}, { bearer: [] }] });
});
