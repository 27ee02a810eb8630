import cookieParser from 'cookie-parser';
import express from 'express';
import request from 'supertest';
import { SESSION_COOKIE, sessionMiddleware, sessionOf } from '../../src/web/session';
import { createTestApp, type TestApp } from '../support/test-app';

/** Which requests get a session object: public page views without a cookie none, everything else one. */
let t: TestApp;
let app: express.Express;

beforeAll(async () => {
  t = await createTestApp('sessionscope', { startSync: false });
  app = express();
  app.use(cookieParser(), sessionMiddleware({ db: t.services.deps.db, config: t.services.deps.config }));
  app.use((req, res) => {
    const session = sessionOf(req);
    // Touching the session as the login form does makes express-session store it and set the cookie.
    if (session && req.query.touch === '1') session.csrfToken = 'x';
    res.json({ session: session !== undefined });
  });
});
afterAll(() => t.close());

const hasSession = async (req: request.Test) => ((await req).body as { session: boolean }).session;

it('gives a visitor without a cookie no session on a page view', async () => {
  expect(await hasSession(request(app).get('/courses?level=A1'))).toBe(false);
  expect(await hasSession(request(app).get('/'))).toBe(false);
});

it('gives one to the pages whose forms carry a CSRF token, and to every form post', async () => {
  expect(await hasSession(request(app).get('/login'))).toBe(true);
  expect(await hasSession(request(app).get('/reset/abc123'))).toBe(true);
  expect(await hasSession(request(app).post('/login'))).toBe(true);
  expect(await hasSession(request(app).post('/provider/courses/1/edit'))).toBe(true);
});

it('keeps the session of a visitor who has one on every page', async () => {
  const agent = request.agent(app);
  const started = await agent.get('/login?touch=1');
  expect(started.headers['set-cookie']?.[0]).toMatch(new RegExp(`^${SESSION_COOKIE.replace('.', '\\.')}=`));
  expect(await hasSession(agent.get('/courses?level=A1'))).toBe(true);
});
