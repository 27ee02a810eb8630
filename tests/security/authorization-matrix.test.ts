/**
 * The authorization matrix (issue 10): every state-changing API route and page route × anonymous, provider A,
 * provider B, a counselor and an admin — the expected status, and after every refusal the data unchanged.
 * A completeness check fails when a state-changing route exists that this table does not list.
 */
import type { Express, Router } from 'express';
import request from 'supertest';
import { apiRoutes } from '../../src/app';
import { courseContentSchema, createCourseBodySchema } from '../../src/courses/course.schema';
import { createProviderBodySchema } from '../../src/providers/provider.schema';
import { clientBodySchema } from '../../src/clients/client.schema';
import { formFromCourse } from '../../src/workspace/course-form';
import { aCourse, aProvider, aVenue, givenProvider } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';
import { anonymousVisitor, loginAs } from '../support/web-session';

type Actor = 'anonymous' | 'providerA' | 'providerB' | 'counselor' | 'admin';
const ACTORS: Actor[] = ['anonymous', 'providerA', 'providerB', 'counselor', 'admin'];

/** What each row may use, created fresh for every request: provider A's published course, the counselor's client with
 *  that course on its shortlist, a spare provider and a spare user for the admin's actions, an upload of provider A. */
type Fixture = { providerA: string; providerAVersion: number; providerB: string; courseA: string; versionA: number; clientC: string; spareProvider: string; spareProviderVersion: number; spareUser: string; pendingA: string };
type Expected = Record<Actor, number>;
type Row = {
  /** `METHOD /path` exactly as the route is declared (API paths without /api/v1) */
  route: string;
  kind: 'api' | 'page';
  path(f: Fixture): string;
  body?(f: Fixture): Record<string, unknown> | string;
  contentType?: string;
  expect: Expected;
};

const onlyAdmin = (ok: number): Expected => ({ anonymous: 401, providerA: 403, providerB: 403, counselor: 403, admin: ok });
const ownerOrAdmin = (ok: number): Expected => ({ anonymous: 401, providerA: ok, providerB: 403, counselor: 403, admin: ok });
const anyoneLoggedIn = (ok: number): Expected => ({ anonymous: 401, providerA: ok, providerB: ok, counselor: ok, admin: ok });
/** api.md: a client belongs to its counselor; providers 403, any other counselor or an admin 404. */
const ownCounselor = (ok: number): Expected => ({ anonymous: 401, providerA: 403, providerB: 403, counselor: ok, admin: 404 });
/** Pages: an anonymous POST has no session and so no valid `_csrf`: 403, nothing runs. */
const pageForAnyoneLoggedIn = (ok: number): Expected => ({ anonymous: 403, providerA: ok, providerB: ok, counselor: ok, admin: ok });
const adminPage = (ok: number): Expected => ({ anonymous: 403, providerA: 403, providerB: 403, counselor: 403, admin: ok });
const counselorPage = (ok: number): Expected => ({ anonymous: 403, providerA: 403, providerB: 403, counselor: ok, admin: 403 });
/** Provider A's course: A and admins; provider B does not learn it exists (404); counselors have no workspace (403). */
const providerCoursePage = (ok: number): Expected => ({ anonymous: 403, providerA: ok, providerB: 404, counselor: 403, admin: ok });

const NEW_PASSWORD = 'pfälzer wald im herbst';
const PAGE_PASSWORD = 'kurse finden in landau';
const versionForm = (f: Fixture) => ({ version: String(f.versionA) });
/** Nested form values as a browser names them (`sessions[0][day]`, `childcare[available]`). */
function browserForm(value: unknown, prefix = ''): Record<string, string> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object') return { [prefix]: typeof value === 'boolean' ? (value ? 'on' : '') : String(value) };
  return Object.assign({}, ...Object.entries(value).map(([key, inner]) => browserForm(inner, prefix ? `${prefix}[${key}]` : key)));
}
const courseForm = (f: Fixture) => ({ ...browserForm(formFromCourse(courseContentSchema.parse(aCourse()), [aVenue()])), version: String(f.versionA) });
const clientForm = () => ({ label: 'M-17', level: 'A1', slots: ['tue-morning', 'thu-morning'], childAgesMonths: ['14'], womenOnly: 'preferred', place: '76829', maxDistanceKm: '10', lang: 'ar' });

const MATRIX: Row[] = [
  // API (bearer tokens)
  { route: 'POST /providers', kind: 'api', path: () => '/api/v1/providers', body: () => ({ name: 'Neue Sprachschule', contact: { email: 'neu@test.example' }, venues: [] }), expect: onlyAdmin(201) },
  { route: 'PATCH /providers/:id', kind: 'api', path: (f) => `/api/v1/providers/${f.providerA}`, body: () => ({ description: { de: 'Geändert von der Matrix' } }), expect: ownerOrAdmin(200) },
  { route: 'POST /users', kind: 'api', path: () => '/api/v1/users', body: () => ({ email: `neu-${Math.random().toString(36).slice(2)}@test.example`, password: NEW_PASSWORD, role: 'counselor' }), expect: onlyAdmin(201) },
  { route: 'POST /courses', kind: 'api', path: () => '/api/v1/courses', body: (f) => ({ ...aCourse({ title: { de: 'Matrixkurs' } }), providerId: f.providerA }), expect: ownerOrAdmin(201) },
  { route: 'PATCH /courses/:id', kind: 'api', path: (f) => `/api/v1/courses/${f.courseA}`, body: (f) => ({ version: f.versionA, seats: { available: 0 } }), expect: ownerOrAdmin(200) },
  { route: 'DELETE /courses/:id', kind: 'api', path: (f) => `/api/v1/courses/${f.courseA}`, expect: ownerOrAdmin(204) },
  { route: 'POST /courses/:id/confirm', kind: 'api', path: (f) => `/api/v1/courses/${f.courseA}/confirm`, expect: ownerOrAdmin(200) },
  // Each provider imports into its own organisation; an admin's file names the provider (here it does not: row errors, nothing saved).
  { route: 'POST /courses/import', kind: 'api', path: () => '/api/v1/courses/import', contentType: 'text/csv', body: () => csvTemplate, expect: { anonymous: 401, providerA: 200, providerB: 200, counselor: 403, admin: 200 } },
  // The anonymous share/register counter: changes no one's data, so everyone may send it.
  { route: 'POST /courses/:id/actions/:action', kind: 'api', path: (f) => `/api/v1/courses/${f.courseA}/actions/share`, expect: { anonymous: 204, providerA: 204, providerB: 204, counselor: 204, admin: 204 } },
  { route: 'POST /auth/token', kind: 'api', path: () => '/api/v1/auth/token', body: () => ({ email: 'niemand@test.example', password: 'falsch' }), expect: { anonymous: 401, providerA: 401, providerB: 401, counselor: 401, admin: 401 } },
  { route: 'DELETE /auth/token', kind: 'api', path: () => '/api/v1/auth/token', expect: anyoneLoggedIn(204) },
  { route: 'POST /match', kind: 'api', path: () => '/api/v1/match', body: () => ({ level: 'A1' }), expect: { anonymous: 401, providerA: 403, providerB: 403, counselor: 200, admin: 200 } },
  { route: 'POST /clients', kind: 'api', path: () => '/api/v1/clients', body: () => ({ label: 'K-1', level: 'A2' }), expect: { anonymous: 401, providerA: 403, providerB: 403, counselor: 201, admin: 403 } },
  { route: 'PATCH /clients/:id', kind: 'api', path: (f) => `/api/v1/clients/${f.clientC}`, body: () => ({ note: 'geändert' }), expect: ownCounselor(200) },
  { route: 'DELETE /clients/:id', kind: 'api', path: (f) => `/api/v1/clients/${f.clientC}`, expect: ownCounselor(204) },
  { route: 'PUT /clients/:id/shortlist', kind: 'api', path: (f) => `/api/v1/clients/${f.clientC}/shortlist`, body: (f) => ({ items: [{ courseId: f.courseA, note: 'Dienstag' }] }), expect: ownCounselor(200) },
  { route: 'POST /clients/:id/share', kind: 'api', path: (f) => `/api/v1/clients/${f.clientC}/share`, expect: ownCounselor(201) },
  { route: 'DELETE /clients/:id/share', kind: 'api', path: (f) => `/api/v1/clients/${f.clientC}/share`, expect: ownCounselor(204) },
  // Pages (cookie session + `_csrf`): logins and passwords
  { route: 'POST /logout', kind: 'page', path: () => '/logout', expect: pageForAnyoneLoggedIn(303) },
  // Set to the same password: the row runs again for every actor (its sessions elsewhere end, as they should).
  { route: 'POST /account/password', kind: 'page', path: () => '/account/password', body: () => ({ current: PAGE_PASSWORD, password: PAGE_PASSWORD, confirm: PAGE_PASSWORD }), expect: pageForAnyoneLoggedIn(200) },
  { route: 'POST /login', kind: 'page', path: () => '/login', body: () => ({ email: 'niemand@test.example', password: 'falsch' }), expect: { anonymous: 401, providerA: 401, providerB: 401, counselor: 401, admin: 401 } },
  { route: 'POST /reset/:token', kind: 'page', path: () => '/reset/abgelaufen', body: () => ({ password: NEW_PASSWORD, confirm: NEW_PASSWORD }), expect: { anonymous: 410, providerA: 410, providerB: 410, counselor: 410, admin: 410 } },
  // Provider workspace
  { route: 'POST /provider/courses/:id/confirm', kind: 'page', path: (f) => `/provider/courses/${f.courseA}/confirm`, expect: providerCoursePage(303) },
  { route: 'POST /provider/courses/:id/seats', kind: 'page', path: (f) => `/provider/courses/${f.courseA}/seats`, body: (f) => ({ ...versionForm(f), available: '0', waitlist: '3' }), expect: providerCoursePage(303) },
  { route: 'POST /provider/courses/:id/edit', kind: 'page', path: (f) => `/provider/courses/${f.courseA}/edit`, body: courseForm, expect: providerCoursePage(303) },
  { route: 'POST /provider/courses/:id/duplicate', kind: 'page', path: (f) => `/provider/courses/${f.courseA}/duplicate`, expect: providerCoursePage(303) },
  { route: 'POST /provider/courses/:id/publish', kind: 'page', path: (f) => `/provider/courses/${f.courseA}/publish`, body: versionForm, expect: providerCoursePage(303) },
  { route: 'POST /provider/courses/:id/unpublish', kind: 'page', path: (f) => `/provider/courses/${f.courseA}/unpublish`, body: versionForm, expect: providerCoursePage(303) },
  { route: 'POST /provider/courses/:id/archive', kind: 'page', path: (f) => `/provider/courses/${f.courseA}/archive`, body: versionForm, expect: providerCoursePage(303) },
  // Organisation-wide actions: each provider acts on its own organisation (the `provider` parameter is for admins only;
  // provider B saving its own profile with A's version number gets the conflict answer, and nothing changes).
  { route: 'POST /provider/confirm-all', kind: 'page', path: (f) => `/provider/confirm-all?provider=${f.providerA}`, expect: { anonymous: 403, providerA: 303, providerB: 303, counselor: 403, admin: 303 } },
  { route: 'POST /provider/courses/new', kind: 'page', path: (f) => `/provider/courses/new?provider=${f.providerA}`, body: courseForm, expect: { anonymous: 403, providerA: 303, providerB: 303, counselor: 403, admin: 303 } },
  { route: 'POST /provider/profile', kind: 'page', path: (f) => `/provider/profile?provider=${f.providerA}`, body: (f) => ({ version: String(f.providerAVersion) }), expect: { anonymous: 403, providerA: 303, providerB: 409, counselor: 403, admin: 303 } },
  { route: 'POST /provider/import', kind: 'page', path: (f) => `/provider/import?provider=${f.providerA}`, body: (f) => ({ text: csvTemplate, providerId: f.providerA }), expect: { anonymous: 403, providerA: 200, providerB: 200, counselor: 403, admin: 200 } },
  // Provider A's upload waiting for confirmation: only the user who uploaded it may confirm it.
  { route: 'POST /provider/import/confirm', kind: 'page', path: () => '/provider/import/confirm', body: (f) => ({ pendingId: f.pendingA }), expect: { anonymous: 403, providerA: 200, providerB: 404, counselor: 403, admin: 404 } },
  // Administration
  { route: 'POST /admin/providers/new', kind: 'page', path: () => '/admin/providers/new', body: () => ({ name: 'Sprachtreff Annweiler', email: 'treff@test.example' }), expect: adminPage(303) },
  { route: 'POST /admin/providers/:id/edit', kind: 'page', path: (f) => `/admin/providers/${f.spareProvider}/edit`, body: (f) => ({ version: String(f.spareProviderVersion), name: 'Umbenannt', email: 'neu@test.example' }), expect: adminPage(303) },
  { route: 'POST /admin/providers/:id/verify', kind: 'page', path: (f) => `/admin/providers/${f.spareProvider}/verify`, body: (f) => ({ version: String(f.spareProviderVersion), verified: 'true' }), expect: adminPage(303) },
  { route: 'POST /admin/providers/:id/deactivate', kind: 'page', path: (f) => `/admin/providers/${f.spareProvider}/deactivate`, body: (f) => ({ version: String(f.spareProviderVersion) }), expect: adminPage(303) },
  { route: 'POST /admin/providers/:id/reactivate', kind: 'page', path: (f) => `/admin/providers/${f.spareProvider}/reactivate`, body: (f) => ({ version: String(f.spareProviderVersion) }), expect: adminPage(303) },
  { route: 'POST /admin/users', kind: 'page', path: () => '/admin/users', body: () => ({ email: `neu-${Math.random().toString(36).slice(2)}@test.example`, password: NEW_PASSWORD, role: 'counselor' }), expect: adminPage(303) },
  { route: 'POST /admin/users/:id/deactivate', kind: 'page', path: (f) => `/admin/users/${f.spareUser}/deactivate`, expect: adminPage(303) },
  { route: 'POST /admin/users/:id/reactivate', kind: 'page', path: (f) => `/admin/users/${f.spareUser}/reactivate`, expect: adminPage(303) },
  { route: 'POST /admin/users/:id/reset-link', kind: 'page', path: (f) => `/admin/users/${f.spareUser}/reset-link`, expect: adminPage(200) },
  { route: 'POST /admin/stale/:providerId/remind', kind: 'page', path: (f) => `/admin/stale/${f.spareProvider}/remind`, expect: adminPage(303) },
  { route: 'POST /admin/search/rebuild', kind: 'page', path: () => '/admin/search/rebuild', expect: adminPage(303) },
  // Counselor workspace: the counselor's own client
  { route: 'POST /counselor/clients', kind: 'page', path: () => '/counselor/clients', body: clientForm, expect: counselorPage(303) },
  { route: 'POST /counselor/clients/:id/edit', kind: 'page', path: (f) => `/counselor/clients/${f.clientC}/edit`, body: clientForm, expect: counselorPage(303) },
  { route: 'POST /counselor/clients/:id/shortlist', kind: 'page', path: (f) => `/counselor/clients/${f.clientC}/shortlist`, body: (f) => ({ action: 'note', courseId: f.courseA, note: 'Bitte anrufen' }), expect: counselorPage(303) },
  { route: 'POST /counselor/shortlist', kind: 'page', path: () => '/counselor/shortlist', body: (f) => ({ clientId: f.clientC, courseId: f.courseA }), expect: counselorPage(303) },
  { route: 'POST /counselor/clients/:id/share', kind: 'page', path: (f) => `/counselor/clients/${f.clientC}/share`, expect: counselorPage(201) },
  { route: 'POST /counselor/clients/:id/share/revoke', kind: 'page', path: (f) => `/counselor/clients/${f.clientC}/share/revoke`, expect: counselorPage(303) },
  { route: 'POST /counselor/clients/:id/delete', kind: 'page', path: (f) => `/counselor/clients/${f.clientC}/delete`, expect: counselorPage(303) },
];

/** Collections that change on their own (sessions touched on every request, login counters, the sync worker's state). */
const VOLATILE = [/^sessions$/, /^login_failures$/, /^search_/, /^scheduled_jobs$/, /^search_events/, /^stats_/];

/**
 * A fingerprint of every collection (MongoDB's own `dbHash`: an md5 per collection, computed in the server), taken
 * after the search sync has caught up (it marks courses as indexed on its own).
 */
async function snapshot(t: TestApp): Promise<Record<string, string>> {
  await t.settle();
  const db = t.services.deps.db.db;
  if (!db) throw new Error('no database');
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((name) => !VOLATILE.some((re) => re.test(name)));
  const { collections } = (await db.command({ dbHash: 1, collections: names })) as { collections: Record<string, string> };
  return collections;
}

/** dbHash of a collection without documents (one that appeared meanwhile, still empty, changed nothing). */
const EMPTY_HASH = 'd41d8cd98f00b204e9800998ecf8427e';

function changedCollections(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((name) => before[name] !== after[name] && !(before[name] === undefined && after[name] === EMPTY_HASH)).sort();
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
let csvTemplate: string;
/** One user per actor, logged in afresh for every request (a row may log out, revoke its token or end its sessions). */
const users = {} as Record<Exclude<Actor, 'anonymous'>, { id: string; email: string }>;
const actorOf = (who: Exclude<Actor, 'anonymous'>) => ({ userId: users[who].id, role: roleOf(who), ...(providerOf(who) ? { providerId: providerOf(who) } : {}) });
const providerOf = (actor: Actor) => (actor === 'providerA' ? providerA : actor === 'providerB' ? providerB : undefined);
const roleOf = (actor: Exclude<Actor, 'anonymous'>) => (actor === 'providerA' || actor === 'providerB' ? ('provider' as const) : actor);

beforeAll(async () => {
  t = await createTestApp('authzmatrix', { env: { LOGIN_MAX_FAILURES: '1000' } });
  [providerA, providerB] = await Promise.all([givenProvider(t, { name: 'Volkshochschule Landau' }), givenProvider(t, { name: 'Sprachschule Kaiserslautern' })]);
  for (const who of ['providerA', 'providerB', 'counselor', 'admin'] as const) {
    const email = `${who.toLowerCase()}@matrix.example`;
    const user = await t.services.accounts.createUser({ email, password: PAGE_PASSWORD, role: roleOf(who), ...(providerOf(who) ? { providerId: providerOf(who) } : {}) });
    users[who] = { id: user.id, email };
  }
  csvTemplate = (await t.http.get('/api/v1/courses/import/template.csv')).text;
});
afterAll(() => t.close());

async function freshFixture(): Promise<Fixture> {
  const system = { userId: users.admin.id, role: 'admin' as const };
  const course = await t.services.courses.create(system, createCourseBodySchema.parse({ ...aCourse(), providerId: providerA }));
  const client = await t.services.clients.create(actorOf('counselor'), clientBodySchema.parse({ label: 'M-17', level: 'A1' }));
  await t.services.clients.setShortlist(actorOf('counselor'), client.id, [{ courseId: course.id, note: '' }]);
  const spare = await t.services.providers.create('system', createProviderBodySchema.parse({ ...aProvider({ name: `Ersatz ${Math.random().toString(36).slice(2, 6)}` }), verified: false }));
  const spareUser = await t.services.accounts.createUser({ email: `ersatz-${Math.random().toString(36).slice(2)}@matrix.example`, password: PAGE_PASSWORD, role: 'provider', providerId: spare.id });
  const pending = await t.services.courseCsv.stashPreview(actorOf('providerA'), csvTemplate);
  const providerAVersion = (await t.services.providers.getRecord(providerA)).version;
  return { providerA, providerAVersion, providerB, courseA: course.id, versionA: course.version, clientC: client.id, spareProvider: spare.id, spareProviderVersion: spare.version, spareUser: spareUser.id, pendingA: pending.pendingId };
}

/** Logs the actor in (which itself writes: a token or a session), then returns how to send the request. */
async function prepare(app: Express, row: Row, actor: Actor, f: Fixture): Promise<() => Promise<request.Response>> {
  const body = row.body?.(f) ?? {};
  const method = row.route.split(' ')[0]?.toLowerCase() as 'post' | 'patch' | 'delete' | 'put';
  if (row.kind === 'api') {
    const auth = actor === 'anonymous' ? {} : { Authorization: `Bearer ${(await t.services.accounts.issueToken(users[actor].email, PAGE_PASSWORD, 'matrix')).token}` };
    return () => {
      const req = request(app)[method](row.path(f)).set(auth);
      return row.contentType ? req.set('Content-Type', row.contentType).send(body) : req.send(body);
    };
  }
  if (actor === 'anonymous') {
    // A visitor who opened the login form has a session and a token, but no login: only /login and /reset accept it.
    const visitor = await anonymousVisitor(app);
    const withToken = row.route === 'POST /login' || row.route.startsWith('POST /reset');
    return () => visitor.agent[method](row.path(f)).type('form').send(withToken ? { ...(body as object), _csrf: visitor.csrf } : body);
  }
  const session = await loginAs(app, users[actor].email, PAGE_PASSWORD);
  await session.csrf();
  return () => session.post(row.path(f), body as Record<string, unknown>);
}

describe('authorization matrix', () => {
  it('lists every state-changing API route and page route', () => {
    const api = apiRoutes(t.services).filter((r) => r.method !== 'get').map((r) => `${r.method.toUpperCase()} ${r.path}`);
    const pages = pageWriteRoutes(t.app.router as unknown as Router);
    expect(pages).toEqual(expect.arrayContaining(['POST /login', 'POST /logout']));
    const listed = new Set(MATRIX.map((row) => row.route));
    expect([...new Set([...api, ...pages])].filter((route) => !listed.has(route))).toEqual([]);
  });

  /**
   * The fixture of a case that was refused and, as dbHash proved, changed nothing is exactly a fresh one, so the
   * next case reuses it; after any other case (a write that went through, or a failure) the next builds its own.
   */
  let unchanged: Fixture | undefined;
  describe.each(MATRIX.map((row) => [row.route, row] as const))('%s', (_name, row) => {
    it.each(ACTORS)('as %s', async (actor) => {
      const f = unchanged ?? (await freshFixture());
      unchanged = undefined;
      const expected = row.expect[actor];
      const send = await prepare(t.app, row, actor, f);
      const before = await snapshot(t);
      const res = await send();
      expect(res.status).toBe(expected);
      if (expected >= 400) {
        expect(changedCollections(before, await snapshot(t))).toEqual([]);
        unchanged = f;
      }
    });
  });
});

describe('hand-made form bodies', () => {
  it('answers a course form with lists where fields belong with 400 beside the fields, never 500', async () => {
    const f = await freshFixture();
    const session = await loginAs(t.app, users.providerA.email, PAGE_PASSWORD);
    const res = await session.agent
      .post(`/provider/courses/${f.courseA}/edit`)
      .type('form')
      .send(`_csrf=${encodeURIComponent(await session.csrf())}&version=${f.versionA}&sessions[0][]=tue&sessions[0][]=09:00&childcare[]=1&title=Kurs`);
    expect(res.status).toBe(400);
    expect((await t.services.courses.findRecord(f.courseA)).version).toBe(f.versionA);
  });
});
