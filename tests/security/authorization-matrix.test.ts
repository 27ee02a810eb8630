/**
 * The authorization matrix (issue 10): every state-changing API route and page route × anonymous, provider A,
 * provider B, a counselor and an admin — the expected status, and after every refusal the data unchanged.
 * A completeness check fails when a state-changing route exists that this table does not list.
 */
import type { Express, Router } from 'express';
import request from 'supertest';
import { apiRoutes } from '../../src/app';
import { createCourseBodySchema } from '../../src/courses/course.schema';
import { aCourse, givenProvider, loginAs } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';
import { anonymousVisitor, webSessionAs } from '../support/web-session';

type Actor = 'anonymous' | 'providerA' | 'providerB' | 'counselor' | 'admin';
const ACTORS: Actor[] = ['anonymous', 'providerA', 'providerB', 'counselor', 'admin'];

/** What each row may use: provider A owns a fresh published course per request. */
type Fixture = { providerA: string; providerB: string; courseA: string; versionA: number };
type Expected = Record<Actor, number>;
type Row = {
  /** `METHOD /path` exactly as the route is declared (API paths without /api/v1) */
  route: string;
  kind: 'api' | 'page';
  path(f: Fixture): string;
  body?(f: Fixture): Record<string, unknown>;
  expect: Expected;
};

const onlyAdmin = (ok: number): Expected => ({ anonymous: 401, providerA: 403, providerB: 403, counselor: 403, admin: ok });
const ownerOrAdmin = (ok: number): Expected => ({ anonymous: 401, providerA: ok, providerB: 403, counselor: 403, admin: ok });
const anyoneLoggedIn = (ok: number): Expected => ({ anonymous: 401, providerA: ok, providerB: ok, counselor: ok, admin: ok });
/** Pages: an anonymous POST has no session and so no valid `_csrf`: 403, nothing runs. */
const pageForAnyoneLoggedIn = (ok: number): Expected => ({ anonymous: 403, providerA: ok, providerB: ok, counselor: ok, admin: ok });

const NEW_PASSWORD = 'pfälzer wald im herbst';

const MATRIX: Row[] = [
  // API (bearer tokens)
  { route: 'POST /providers', kind: 'api', path: () => '/api/v1/providers', body: () => ({ name: 'Neue Sprachschule', contact: { email: 'neu@test.example' }, venues: [] }), expect: onlyAdmin(201) },
  { route: 'PATCH /providers/:id', kind: 'api', path: (f) => `/api/v1/providers/${f.providerA}`, body: () => ({ description: { de: 'Geändert von der Matrix' } }), expect: ownerOrAdmin(200) },
  { route: 'POST /users', kind: 'api', path: () => '/api/v1/users', body: () => ({ email: `neu-${Math.random().toString(36).slice(2)}@test.example`, password: NEW_PASSWORD, role: 'counselor' }), expect: onlyAdmin(201) },
  { route: 'POST /courses', kind: 'api', path: () => '/api/v1/courses', body: (f) => ({ ...aCourse({ title: { de: 'Matrixkurs' } }), providerId: f.providerA }), expect: ownerOrAdmin(201) },
  { route: 'PATCH /courses/:id', kind: 'api', path: (f) => `/api/v1/courses/${f.courseA}`, body: (f) => ({ version: f.versionA, seats: { available: 0 } }), expect: ownerOrAdmin(200) },
  { route: 'DELETE /courses/:id', kind: 'api', path: (f) => `/api/v1/courses/${f.courseA}`, expect: ownerOrAdmin(204) },
  { route: 'POST /courses/:id/confirm', kind: 'api', path: (f) => `/api/v1/courses/${f.courseA}/confirm`, expect: ownerOrAdmin(200) },
  { route: 'POST /auth/token', kind: 'api', path: () => '/api/v1/auth/token', body: () => ({ email: 'niemand@test.example', password: 'falsch' }), expect: { anonymous: 401, providerA: 401, providerB: 401, counselor: 401, admin: 401 } },
  { route: 'DELETE /auth/token', kind: 'api', path: () => '/api/v1/auth/token', expect: anyoneLoggedIn(204) },
  { route: 'POST /match', kind: 'api', path: () => '/api/v1/match', body: () => ({ level: 'A1' }), expect: { anonymous: 401, providerA: 403, providerB: 403, counselor: 200, admin: 200 } },
  // Pages (cookie session + `_csrf`)
  { route: 'POST /logout', kind: 'page', path: () => '/logout', expect: pageForAnyoneLoggedIn(303) },
  { route: 'POST /account/password', kind: 'page', path: () => '/account/password', body: () => ({ current: PAGE_PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD }), expect: pageForAnyoneLoggedIn(200) },
  { route: 'POST /login', kind: 'page', path: () => '/login', body: () => ({ email: 'niemand@test.example', password: 'falsch' }), expect: { anonymous: 401, providerA: 401, providerB: 401, counselor: 401, admin: 401 } },
  { route: 'POST /reset/:token', kind: 'page', path: () => '/reset/abgelaufen', body: () => ({ password: NEW_PASSWORD, confirm: NEW_PASSWORD }), expect: { anonymous: 410, providerA: 410, providerB: 410, counselor: 410, admin: 410 } },
];
const PAGE_PASSWORD = 'kurse finden in landau';

/** Collections that change on their own (sessions touched on every request, login counters, the sync worker's state). */
const VOLATILE = [/^sessions$/, /^login_failures$/, /^search_/, /^scheduled_jobs$/, /^search_events/, /^stats_/];

/** Every collection's documents, after the search sync has caught up (it marks courses as indexed on its own). */
async function snapshot(t: TestApp): Promise<Record<string, string>> {
  await t.settle();
  const db = t.services.deps.db.db;
  if (!db) throw new Error('no database');
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((name) => !VOLATILE.some((re) => re.test(name))).sort();
  const dump: Record<string, string> = {};
  for (const name of names) dump[name] = JSON.stringify(await db.collection(name).find({}).sort({ _id: 1 }).toArray());
  return dump;
}

function changedCollections(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((name) => before[name] !== after[name] && !(before[name] === undefined && after[name] === '[]'));
}

/** Every non-GET route on the website's routers (they declare full paths; mounted without prefixes). */
function pageWriteRoutes(router: Router): string[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) if (!['get', 'head', 'options'].includes(method)) found.push(`${method.toUpperCase()} ${layer.route.path}`);
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((router as unknown as { stack: Layer[] }).stack);
  return [...new Set(found)].sort();
}

let t: TestApp;
let providerA: string;
let providerB: string;

beforeAll(async () => {
  t = await createTestApp('authzmatrix', { env: { LOGIN_MAX_FAILURES: '1000' } });
  [providerA, providerB] = await Promise.all([givenProvider(t, { name: 'Volkshochschule Landau' }), givenProvider(t, { name: 'Sprachschule Kaiserslautern' })]);
});
afterAll(() => t.close());

async function freshFixture(): Promise<Fixture> {
  const course = await t.services.courses.create({ userId: '000000000000000000000000', role: 'admin' }, createCourseBodySchema.parse({ ...aCourse(), providerId: providerA }));
  return { providerA, providerB, courseA: course.id, versionA: course.version };
}

const providerOf = (actor: Actor) => (actor === 'providerA' ? providerA : actor === 'providerB' ? providerB : undefined);
const roleOf = (actor: Exclude<Actor, 'anonymous'>) => (actor === 'providerA' || actor === 'providerB' ? 'provider' : actor);

/** Logs the actor in (which itself writes: a user, a token, a session), then returns how to send the request. */
async function prepare(app: Express, row: Row, actor: Actor, f: Fixture): Promise<() => Promise<request.Response>> {
  const body = row.body?.(f) ?? {};
  const method = row.route.split(' ')[0]?.toLowerCase() as 'post' | 'patch' | 'delete' | 'put';
  if (row.kind === 'api') {
    const auth = actor === 'anonymous' ? {} : (await loginAs(t, roleOf(actor), providerOf(actor))).auth;
    return () => request(app)[method](row.path(f)).set(auth).send(body);
  }
  if (actor === 'anonymous') {
    // A visitor who opened the login form has a session and a token, but no login: only /login and /reset accept it.
    const visitor = await anonymousVisitor(app);
    const withToken = row.route === 'POST /login' || row.route.startsWith('POST /reset');
    return () => visitor.agent[method](row.path(f)).type('form').send(withToken ? { ...body, _csrf: visitor.csrf } : body);
  }
  const session = await webSessionAs(t, roleOf(actor), providerOf(actor));
  await session.csrf();
  return () => session.post(row.path(f), body);
}

describe('authorization matrix', () => {
  it('lists every state-changing API route and page route', () => {
    const api = apiRoutes(t.services).filter((r) => r.method !== 'get').map((r) => `${r.method.toUpperCase()} ${r.path}`);
    const pages = pageWriteRoutes(t.app.router as unknown as Router);
    expect(pages).toEqual(expect.arrayContaining(['POST /login', 'POST /logout']));
    const listed = new Set(MATRIX.map((row) => row.route));
    expect([...new Set([...api, ...pages])].filter((route) => !listed.has(route))).toEqual([]);
  });

  describe.each(MATRIX.map((row) => [row.route, row] as const))('%s', (_name, row) => {
    it.each(ACTORS)('as %s', async (actor) => {
      const f = await freshFixture();
      const expected = row.expect[actor];
      const send = await prepare(t.app, row, actor, f);
      const before = await snapshot(t);
      const res = await send();
      expect(res.status).toBe(expected);
      if (expected >= 400) expect(changedCollections(before, await snapshot(t))).toEqual([]);
    });
  });
});
