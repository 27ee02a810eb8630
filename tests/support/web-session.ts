/** Logging in on the website in route tests: an agent that keeps the session cookie, and the forms' CSRF tokens. */
import type { Express } from 'express';
import request from 'supertest';
import type { Role } from '../../src/accounts/account.enums';
import type { TestApp } from './test-app';

export type WebSession = {
  agent: ReturnType<typeof request.agent>;
  email: string;
  /** the `_csrf` value of the first form on a page (default: a page every logged-in person may open) */
  csrf(path?: string): Promise<string>;
  /** posts a form the way a browser does: urlencoded, with the session's `_csrf` */
  post(path: string, form?: Record<string, unknown>): Promise<request.Response>;
};

export function csrfTokenIn(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no _csrf field on this page');
  return token;
}

/** An anonymous visitor's agent with its login-form token (the session that a login form starts). */
export async function anonymousVisitor(app: Express) {
  const agent = request.agent(app);
  const page = await agent.get('/login');
  return { agent, csrf: csrfTokenIn(page.text) };
}

/** Logs in through `POST /login` as a browser would; throws unless the login redirects. */
export async function loginAs(app: Express, email: string, password: string): Promise<WebSession> {
  const { agent, csrf } = await anonymousVisitor(app);
  const res = await agent.post('/login').type('form').send({ email, password, _csrf: csrf });
  if (res.status !== 303) throw new Error(`website login failed: ${res.status}`);
  let token: string | undefined;
  const session: WebSession = {
    agent,
    email,
    async csrf(path = '/account/password') {
      const page = await agent.get(path);
      token = csrfTokenIn(page.text);
      return token;
    },
    async post(path, form = {}) {
      token ??= await session.csrf();
      return agent.post(path).type('form').send({ _csrf: token, ...form });
    },
  };
  return session;
}

export const WEB_PASSWORD = 'kurse finden in landau';

/** A new user of this role (a provider user needs its provider) logged in on the website. */
export async function webSessionAs(t: TestApp, role: Role, providerId?: string): Promise<WebSession & { userId: string }> {
  const email = `${role}-web-${Math.random().toString(36).slice(2, 10)}@test.example`;
  const user = await t.services.accounts.createUser({ email, password: WEB_PASSWORD, role, ...(providerId ? { providerId } : {}) });
  return { ...(await loginAs(t.app, email, WEB_PASSWORD)), userId: user.id };
}
