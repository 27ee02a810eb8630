import { z } from 'zod';
import { LANGUAGES, type Language } from '../lib/localized-text';

/** The website speaks the same seven languages the content may be written in. */
export const UI_LANGUAGES = LANGUAGES;
export type UiLanguage = Language;
export const uiLanguageSchema = z.enum(UI_LANGUAGES);

/** Each language named in itself, for the switcher. */
export const LANGUAGE_NAMES: Record<UiLanguage, string> = {
  de: 'Deutsch',
  en: 'English',
  ar: 'العربية',
  fa: 'فارسی',
  tr: 'Türkçe',
  uk: 'Українська',
  ru: 'Русский',
};

const RIGHT_TO_LEFT: ReadonlySet<UiLanguage> = new Set(['ar', 'fa']);

export function directionOf(lang: UiLanguage): 'ltr' | 'rtl' {
  return RIGHT_TO_LEFT.has(lang) ? 'rtl' : 'ltr';
}

export function isUiLanguage(value: unknown): value is UiLanguage {
  return typeof value === 'string' && (UI_LANGUAGES as readonly string[]).includes(value);
}
