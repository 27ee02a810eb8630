import { z } from 'zod';

/** UI and content languages. `de` is the fallback for every localized text. */
export const LANGUAGES = ['de', 'en', 'ar', 'fa', 'uk', 'ru', 'tr'] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;
export const FALLBACK_LANGUAGE: Language = 'de';

/**
 * Language-code keys only (`de`, `pt-BR`): keys are stored as MongoDB field names,
 * so `$`-prefixed or dotted keys must never get through.
 */
const languageKey = z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language code such as "de" or "en"');

export function localizedTextSchema(maxLength: number) {
  return z.record(languageKey, z.string().trim().min(1).max(maxLength));
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
  if (!text) return '';
  return text[lang] ?? text[FALLBACK_LANGUAGE] ?? Object.values(text)[0] ?? '';
}
