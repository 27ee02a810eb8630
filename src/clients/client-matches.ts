import type { Actor } from '../accounts/actor';
import type { AppServices } from '../app-services';
import type { UiLanguage } from '../i18n/languages';
import type { MatchAnswer } from '../matching/matching.service';

/**
 * The match answer for a stored profile (api.md → Matching), from the one matching service the API and the counselor
 * pages share; reasons in the client's language, or in `readerLang` for the counselor's own page. Opening the
 * matches counts as a use of the profile.
 */
export async function matchesForClient(services: AppServices, actor: Actor, id: string, readerLang?: UiLanguage): Promise<MatchAnswer> {
  const record = await services.clients.profile(actor, id);
  return services.matching.match(readerLang ? { ...record.profile, lang: readerLang } : record.profile);
}
