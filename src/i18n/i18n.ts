import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { FALLBACK_LANGUAGE } from '../lib/localized-text';
import { UI_LANGUAGES, type UiLanguage } from './languages';

/** One folder per language, one JSON file per namespace (a feature of the site): `locales/<lang>/<namespace>.json`. */
export const LOCALES_DIR = path.join(__dirname, 'locales');

type Messages = Record<string, unknown>;

const NUMBER_FORMATS = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: string | undefined): Intl.NumberFormat {
  const key = lang ?? FALLBACK_LANGUAGE;
  let format = NUMBER_FORMATS.get(key);
  if (!format) {
    format = new Intl.NumberFormat(key);
    NUMBER_FORMATS.set(key, format);
  }
  return format;
}

export function readLocaleFiles(dir = LOCALES_DIR): Record<UiLanguage, Record<string, Messages>> {
  const resources = {} as Record<UiLanguage, Record<string, Messages>>;
  for (const lang of UI_LANGUAGES) {
    const namespaces: Record<string, Messages> = {};
    for (const file of readdirSync(path.join(dir, lang)).filter((name) => name.endsWith('.json'))) {
      namespaces[path.basename(file, '.json')] = JSON.parse(readFileSync(path.join(dir, lang, file), 'utf8')) as Messages;
    }
    resources[lang] = namespaces;
  }
  return resources;
}

/** `t(key, options)`: a key `namespace:key.path` (or a key of `common`) and its interpolation values and `count`. */
export type Translate = (key: string, options?: Record<string, string | number>) => string;

/** Distinct texts remembered per language before the memo starts over (a results page asks for ~300, most repeated). */
const MEMO_LIMIT = 20_000;

/**
 * i18next resolves a key in ~20–50 µs (namespace split, fallbacks, plural rules, interpolation); a results page asks
 * ~300 times, mostly for the same texts. Texts depend only on the key and the values, so each is worked out once.
 */
function memoized(t: TFunction): Translate {
  const memo = new Map<string, string>();
  return (key, options) => {
    let id = key;
    // Names and values, without JSON.stringify's quoting: a third of the memo's cost on a results page.
    if (options) for (const name in options) id += `\u0000${name}\u0001${options[name]}`;
    let text = memo.get(id);
    if (text === undefined) {
      text = String(t(key, options));
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(id, text);
    }
    return text;
  };
}

/**
 * The site's translations, loaded once at start (synchronously: a page never waits for them). Plurals follow each
 * language's CLDR rules through Intl.PluralRules (`_zero`, `_one`, `_two`, `_few`, `_many`, `_other`). A key missing
 * in a language falls back to German, so a page is never blank; tests/i18n check that none is missing.
 */
export function createTranslations(dir = LOCALES_DIR) {
  const resources = readLocaleFiles(dir);
  const namespaces = Object.keys(resources[FALLBACK_LANGUAGE]);
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: FALLBACK_LANGUAGE,
    fallbackLng: FALLBACK_LANGUAGE,
    supportedLngs: [...UI_LANGUAGES],
    ns: namespaces,
    defaultNS: 'common',
    // EJS escapes on output (`<%= %>`); escaping here too would show `&amp;` to readers.
    // Numbers in the reader's digits (Farsi ۱۲, German 1.000), like the numbers the formatters write.
    interpolation: { escapeValue: false, alwaysFormat: true, format: (value: unknown, _format, lng) => (typeof value === 'number' ? numberFormat(lng).format(value) : value) as string },
    returnNull: false,
    // No advertisement on the console at start.
    showSupportNotice: false,
    initAsync: false,
  });
  const fixed = new Map<UiLanguage, Translate>(UI_LANGUAGES.map((lang) => [lang, memoized(instance.getFixedT(lang))]));
  return {
    namespaces,
    /** `t` for one language; keys are `namespace:key.path` or a key of `common`. */
    forLanguage(lang: UiLanguage): Translate {
      const t = fixed.get(lang);
      if (!t) throw new Error(`no translations for ${lang}`);
      return t;
    },
  };
}

export type Translations = ReturnType<typeof createTranslations>;
