import { defineRoute } from '../lib/api-route';
import { unauthorized } from '../lib/errors';
import type { AppServices } from '../app-services';
import { bearerToken } from './authenticate';
import { createUserBodySchema, tokenRequestSchema, tokenResponseSchema, userResponseSchema } from './account.schema';


export function accountsRoutes({ accounts }: AppServices) {
  return [
    defineRoute({
      method: 'post',
      path: '/auth/token',
      summary: 'Exchange email and password for a bearer token',
      tag: 'auth',
      access: 'public',
      body: tokenRequestSchema,
      responses: {
        200: { description: 'A new token', schema: tokenResponseSchema },
        401: { description: 'Wrong email or password (the same answer whether the email exists or not)' },
        429: { description: 'Too many failed logins; `retryAfterSeconds` says when to try again' },
      },
      handle: async ({ body, clientKey }) => ({ json: await accounts.issueToken(body.email, body.password, clientKey) }),
    }),
    defineRoute({
      method: 'delete',
      path: '/auth/token',
      summary: 'Revoke the bearer token of this request',
      tag: 'auth',
      access: ['admin', 'counselor', 'provider'],
      responses: { 204: { description: 'Revoked' } },
      handle: async ({ header }) => {
        const token = bearerToken(header('authorization'));
        if (!token) throw unauthorized();
        await accounts.revokeToken(token);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/users',
      summary: 'Create a user account',
      tag: 'users',
      access: ['admin'],
      body: createUserBodySchema,
      responses: { 201: { description: 'Created', schema: userResponseSchema }, 409: { description: 'A user with this email already exists' } },
      handle: async ({ body }) => ({ status: 201, json: await accounts.createUser(body) }),
    }),
  ];
}

