import type { Request } from 'express';
import { FALLBACK_LANGUAGE } from '../lib/localized-text';
import { UI_LANGUAGES, isUiLanguage, type UiLanguage } from '../i18n/languages';

export const LANGUAGE_COOKIE = 'lang';

function lastValue(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** api.md → Website: `?lang=`, then the remembered cookie, then `Accept-Language`, then German. */
export function chooseLanguage(req: Request): { lang: UiLanguage; fromQuery: boolean } {
  const asked = lastValue(req.query.lang);
  if (isUiLanguage(asked)) return { lang: asked, fromQuery: true };
  const remembered: unknown = (req.cookies as Record<string, unknown> | undefined)?.[LANGUAGE_COOKIE];
  if (isUiLanguage(remembered)) return { lang: remembered, fromQuery: false };
  const accepted = req.acceptsLanguages([...UI_LANGUAGES]);
  return { lang: isUiLanguage(accepted) ? accepted : FALLBACK_LANGUAGE, fromQuery: false };
}

/** The same address in each language (the language switcher): every other parameter kept, `lang` replaced; parsed once. */
export function inEachLanguage(originalUrl: string): Record<UiLanguage, string> {
  const url = new URL(originalUrl, 'http://site.invalid');
  const params = url.searchParams;
  const hrefs = {} as Record<UiLanguage, string>;
  for (const lang of UI_LANGUAGES) {
    params.set('lang', lang);
    hrefs[lang] = `${url.pathname}?${params.toString()}`;
  }
  return hrefs;
}

/** A site path in a page language (German, the default, needs no parameter; an unknown language is left out). */
export function pathInLanguage(path: string, lang: string): string {
  return isUiLanguage(lang) && lang !== FALLBACK_LANGUAGE ? `${path}?lang=${lang}` : path;
}

/** The public page of a course: what calendar entries and JSON-LD link to. */
export function coursePageUrl(origin: string, id: string, lang: string): string {
  return `${origin}${pathInLanguage(`/courses/${id}`, lang)}`;
}
