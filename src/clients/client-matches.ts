import type { Actor } from '../accounts/actor';
import type { AppServices } from '../app-services';
import { serviceUnavailable } from '../lib/errors';

/**
 * The match answer for a stored profile (api.md → Matching), from the one matching service the API and the counselor
 * pages share. Opening the matches counts as a use of the profile.
 */
export async function matchesForClient(services: AppServices, actor: Actor, id: string) {
  const record = await services.clients.profile(actor, id);
  void record;
  throw serviceUnavailable('matching_unavailable', 'Matching is not available yet.');
}
