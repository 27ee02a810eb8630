import { z } from 'zod';
import type { AppServices } from '../app-services';
import { defineRoute } from '../lib/api-route';
import { idParamsSchema } from '../lib/api-schemas';
import { clientBodySchema, clientPatchSchema, clientResponseSchema, shareResponseSchema, shortlistBodySchema } from './client.schema';
import { matchesForClient } from './client-matches';

/** Counselors' own clients; admins reach only their own too (they see counts on the admin pages). */
const ACCESS = ['counselor', 'admin'] as const;
const TAG = 'clients';

export function shareUrl(origin: string, token: string): string {
  return `${origin}/s/${token}`;
}

export function clientsRoutes(services: AppServices) {
  const { clients } = services;
  return [
    defineRoute({
      method: 'get',
      path: '/clients',
      summary: 'My client profiles, most recently used first',
      tag: TAG,
      access: ACCESS,
      responses: { 200: { description: 'The profiles', schema: z.object({ items: z.array(clientResponseSchema) }) } },
      handle: async ({ actor }) => ({ json: { items: await clients.list(actor) } }),
    }),
    defineRoute({
      method: 'post',
      path: '/clients',
      summary: 'Create a client profile (a case number or initials as label — never a name)',
      tag: TAG,
      // Profiles are the counselors' own: admins see counts only, so they do not create any either.
      access: ['counselor'],
      body: clientBodySchema,
      responses: { 201: { description: 'Created', schema: clientResponseSchema } },
      handle: async ({ actor, body }) => ({ status: 201, json: await clients.create(actor, body) }),
    }),
    defineRoute({
      method: 'get',
      path: '/clients/:id',
      summary: 'One of my client profiles',
      tag: TAG,
      access: ACCESS,
      params: idParamsSchema,
      responses: { 200: { description: 'The profile', schema: clientResponseSchema } },
      handle: async ({ actor, params }) => ({ json: await clients.get(actor, params.id) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/clients/:id',
      summary: 'Change a client profile (JSON merge patch)',
      tag: TAG,
      access: ACCESS,
      params: idParamsSchema,
      body: clientPatchSchema,
      responses: { 200: { description: 'Updated', schema: clientResponseSchema } },
      handle: async ({ actor, params, body }) => ({ json: await clients.update(actor, params.id, body) }),
    }),
    defineRoute({
      method: 'delete',
      path: '/clients/:id',
      summary: 'Delete a client profile now, with its shortlist and share link',
      tag: TAG,
      access: ACCESS,
      params: idParamsSchema,
      responses: { 204: { description: 'Deleted' } },
      handle: async ({ actor, params }) => {
        await clients.remove(actor, params.id);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/clients/:id/matches',
      summary: 'The match answer for a stored client profile',
      tag: TAG,
      access: ACCESS,
      params: idParamsSchema,
      responses: { 200: { description: 'Matches, near-misses and, when nothing fits, the constraint that excludes the most' } },
      handle: async ({ actor, params }) => ({ json: await matchesForClient(services, actor, params.id) }),
    }),
    defineRoute({
      method: 'put',
      path: '/clients/:id/shortlist',
      summary: "Replace a client's shortlist (ordered; each note is written for the client and appears on the handout)",
      tag: TAG,
      access: ACCESS,
      params: idParamsSchema,
      body: shortlistBodySchema,
      responses: { 200: { description: 'The profile with its new shortlist', schema: clientResponseSchema } },
      handle: async ({ actor, params, body }) => ({ json: await clients.setShortlist(actor, params.id, body.items) }),
    }),
    defineRoute({
      method: 'post',
      path: '/clients/:id/share',
      summary: "Create the client's share link to the handout (replaces an older one)",
      tag: TAG,
      access: ACCESS,
      params: idParamsSchema,
      responses: { 201: { description: 'The link; its address is shown only now', schema: shareResponseSchema } },
      handle: async ({ actor, params, origin }) => {
        const link = await clients.createShare(actor, params.id);
        return { status: 201, json: { url: shareUrl(origin, link.token), expiresAt: link.expiresAt.toISOString() } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/clients/:id/share',
      summary: "Revoke the client's share link",
      tag: TAG,
      access: ACCESS,
      params: idParamsSchema,
      responses: { 204: { description: 'Revoked' } },
      handle: async ({ actor, params }) => {
        await clients.revokeShare(actor, params.id);
        return { status: 204 };
      },
    }),
  ];
}
