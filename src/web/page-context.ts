import type { Request, RequestHandler, Response } from 'express';
import type { Clock } from '../lib/clock';
import type { Translate, Translations } from '../i18n/i18n';
import { LANGUAGE_NAMES, UI_LANGUAGES, directionOf, type UiLanguage } from '../i18n/languages';
import { createFormatters, type Formatters } from './format';
import { icon } from './icons';
import { LANGUAGE_COOKIE, chooseLanguage, inEachLanguage, pathInLanguage } from './page-language';

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

export type PageLocals = {
  lang: UiLanguage;
  dir: 'ltr' | 'rtl';
  t: Translate;
  fmt: Formatters;
  languages: LanguageLink[];
  path: string;
  cspNonce: string;
  icon: typeof icon;
  /** a site path in the reader's language (`/courses` → `/courses?lang=ar`) */
  localPath: (path: string) => string;
};

export type LanguageLink = { code: UiLanguage; name: string; href: string; current: boolean; dir: 'ltr' | 'rtl' };

/** Sets the page locals for one language: the page context's work, and a page's own (a handout in the client's language). */
export type PageLocalizer = (req: Request, res: Response, lang: UiLanguage) => void;

export function pageLocalizer(deps: { translations: Translations; clock: Clock }): PageLocalizer {
  return (req, res, lang) => {
    const t = deps.translations.forLanguage(lang);
    const hrefs = inEachLanguage(req.originalUrl);
    res.setHeader('Content-Language', lang);
    const locals: Omit<PageLocals, 'cspNonce'> = {
      lang,
      dir: directionOf(lang),
      t,
      fmt: createFormatters(lang, t, deps.clock.now()),
      languages: UI_LANGUAGES.map((code): LanguageLink => ({ code, name: LANGUAGE_NAMES[code], href: hrefs[code], current: code === lang, dir: directionOf(code) })),
      path: req.path,
      icon,
      localPath: (sitePath: string) => pathInLanguage(sitePath, lang),
    };
    Object.assign(res.locals, locals);
  };
}

/**
 * Fills `res.locals` once per page request: the reader's language and direction, `t`, the formatters, the
 * language switcher's links and the CSP nonce. Every template reads these and nothing else global.
 */
export function pageContext(deps: { translations: Translations; clock: Clock }): RequestHandler {
  const localize = pageLocalizer(deps);
  return (req, res, next) => {
    const { lang, fromQuery } = chooseLanguage(req);
    if (fromQuery && req.cookies?.[LANGUAGE_COOKIE] !== lang) {
      res.cookie(LANGUAGE_COOKIE, lang, { maxAge: ONE_YEAR_MS, sameSite: 'lax', httpOnly: true, secure: req.secure, path: '/' });
    }
    res.vary('Accept-Language');
    res.vary('Cookie');
    localize(req, res, lang);
    next();
  };
}
