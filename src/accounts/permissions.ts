import { forbidden } from '../lib/errors';
import type { Actor } from './actor';

/** Admins manage every provider; a provider's own users manage only that provider and its courses. */
export function canManageProvider(actor: Actor | undefined, providerId: string): boolean {
  if (!actor) return false;
  return actor.role === 'admin' || (actor.role === 'provider' && actor.providerId === providerId);
}

export function assertCanManageProvider(actor: Actor, providerId: string): void {
  if (!canManageProvider(actor, providerId)) throw forbidden('You can only change your own organisation and its courses.');
}
