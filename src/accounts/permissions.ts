import { forbidden } from '../lib/errors';
import type { Role } from './account.enums';
import type { Actor } from './actor';

/** Who may use a route: everyone, or the listed roles. Declared as data beside each API route and page area. */
export type Access = 'public' | readonly Role[];

/** The one rule for API routes and pages alike. */
export function allows(access: Access, actor: Pick<Actor, 'role'> | undefined): boolean {
  return access === 'public' || (actor !== undefined && access.includes(actor.role));
}

/**
 * The website's areas that need a login (api.md → Website). Which provider's data a provider user may touch is
 * decided per record by `canManageProvider`, in the services.
 */
export const PAGE_ACCESS = {
  '/provider': ['provider', 'admin'],
  '/counselor': ['counselor'],
  '/admin': ['admin'],
  '/account': ['admin', 'counselor', 'provider'],
} as const satisfies Record<string, Access>;

/** Admins manage every provider; a provider's own users manage only that provider and its courses. */
export function canManageProvider(actor: Actor | undefined, providerId: string): boolean {
  if (!actor) return false;
  return actor.role === 'admin' || (actor.role === 'provider' && actor.providerId === providerId);
}

export function assertCanManageProvider(actor: Actor, providerId: string): void {
  if (!canManageProvider(actor, providerId)) throw forbidden('You can only change your own organisation and its courses.');
}
