import { z } from 'zod';

/** UI and content languages. `de` is the fallback for every localized text. */
export const LANGUAGES = ['de', 'en', 'ar', 'fa', 'uk', 'ru', 'tr'] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;
export const FALLBACK_LANGUAGE: Language = 'de';

/** The `lang` of a request: any two-letter code; texts missing in it fall back to German. */
export const requestLanguageSchema = z.string().regex(/^[a-z]{2}$/, 'must be a two-letter language code');

/**
 * Language-code keys only (`de`, `pt-BR`): keys are stored as MongoDB field names,
 * so `$`-prefixed or dotted keys must never get through.
 */
const languageKey = z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language code such as "de" or "en"');

/** More than enough for every language of the city's migrants; keeps a text from flooding the index with fields. */
const MAX_LANGUAGES = 20;

export function localizedTextSchema(maxLength: number) {
  return z
    .record(languageKey, z.string().trim().min(1).max(maxLength))
    .refine((map) => Object.keys(map).length <= MAX_LANGUAGES, `may hold at most ${MAX_LANGUAGES} languages`);
}

export function requiredGermanTextSchema(maxLength: number) {
  return localizedTextSchema(maxLength).refine((map) => typeof map.de === 'string' && map.de.length > 0, {
    message: 'a German text ("de") is required',
    path: ['de'],
  });
}

export type LocalizedText = Record<string, string>;

/** The text in `lang`, else German, else any language present. */
export function pickLocalized(text: LocalizedText | undefined, lang: string): string {
  return pickLocalizedWithLanguage(text, lang).text;
}

/** Like `pickLocalized`, and which language the text is in, so a page can mark a German fallback `lang="de"`. */
export function pickLocalizedWithLanguage(text: LocalizedText | undefined, lang: string): { text: string; lang: string } {
  if (!text) return { text: '', lang };
  const own = text[lang];
  if (own !== undefined) return { text: own, lang };
  const german = text[FALLBACK_LANGUAGE];
  if (german !== undefined) return { text: german, lang: FALLBACK_LANGUAGE };
  const [anyLang, anyText] = Object.entries(text)[0] ?? [lang, ''];
  return { text: anyText, lang: anyLang };
}
