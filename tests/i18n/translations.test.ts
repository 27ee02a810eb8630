import { createTranslations, readLocaleFiles } from '../../src/i18n/i18n';
import { UI_LANGUAGES, type UiLanguage } from '../../src/i18n/languages';
import { MIN_PASSWORD_LENGTH } from '../../src/accounts/password-policy';

/**
 * The translations are complete and safe to show: German is the source, every other language has every German text
 * (plurals in all the forms its grammar needs), keeps the placeholders the code fills in, and the five migrant
 * languages are really translated, not English copies. A namespace or key added in German and English only makes
 * this fail on purpose until it is translated.
 */

const SOURCE: UiLanguage = 'de';
const HELPER: UiLanguage = 'en';
const OTHERS = UI_LANGUAGES.filter((lang) => lang !== SOURCE);
const TRANSLATED = UI_LANGUAGES.filter((lang) => lang !== SOURCE && lang !== HELPER);

/** Texts that are the same in every language on purpose (texts made only of placeholders and punctuation are too). */
const SAME_IN_EVERY_LANGUAGE = new Set(['common:site.name', 'admin:overview.app', 'opendata:page.hsdsHeading', ...['A1', 'A2', 'B1', 'B2', 'C1', 'C2'].map((level) => `common:enum.level.${level}`)]);

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const PLACEHOLDER = /\{\{\s*([^,}\s]+)[^}]*\}\}/g;

const resources = readLocaleFiles();

/** One language's texts as `namespace:key.path` → value (every namespace German has, even if the file is missing). */
function textsOf(lang: UiLanguage): Map<string, unknown> {
  const texts = new Map<string, unknown>();
  const walk = (value: unknown, key: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [child, inner] of Object.entries(value)) walk(inner, key.endsWith(':') ? `${key}${child}` : `${key}.${child}`);
    } else {
      texts.set(key, value);
    }
  };
  const namespaces = new Set([...Object.keys(resources[SOURCE]), ...Object.keys(resources[lang])]);
  for (const namespace of namespaces) walk(resources[lang][namespace] ?? {}, `${namespace}:`);
  return texts;
}

const german = textsOf(SOURCE);
const english = textsOf(HELPER);

/** Keys that German writes with plural suffixes (`search:results.count` for `count_zero`, `count_one`, `count_other`). */
const pluralBases = new Set([...german.keys()].filter((key) => PLURAL_SUFFIX.test(key)).map((key) => key.replace(PLURAL_SUFFIX, '')));

function categoriesOf(lang: UiLanguage): string[] {
  return new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
}

/** The keys a language must have: German's, with each plural in the language's own CLDR forms (+ German's explicit zero). */
function requiredKeys(lang: UiLanguage): Set<string> {
  const keys = new Set<string>();
  for (const key of german.keys()) if (!PLURAL_SUFFIX.test(key)) keys.add(key);
  for (const base of pluralBases) {
    for (const category of categoriesOf(lang)) keys.add(`${base}_${category}`);
    if (german.has(`${base}_zero`)) keys.add(`${base}_zero`);
  }
  return keys;
}

function split(key: string): { base: string; category: string | undefined } {
  const match = PLURAL_SUFFIX.exec(key);
  return match && pluralBases.has(key.replace(PLURAL_SUFFIX, '')) ? { base: key.replace(PLURAL_SUFFIX, ''), category: match[1] } : { base: key, category: undefined };
}

/** The German (or English) text a key of another language translates: the same plural form, else the general one. */
function sourceText(texts: Map<string, unknown>, key: string): string | undefined {
  const { base, category } = split(key);
  const value = texts.get(key) ?? (category ? texts.get(`${base}_other`) : undefined);
  return typeof value === 'string' ? value : undefined;
}

function placeholdersOf(text: string): Set<string> {
  return new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ''));
}

/**
 * A plural form used for one number only (Arabic "zero", "one", "two", an explicit zero) may say the number in words
 * ("دورة واحدة", "Kein Kurs"), so it need not contain {{count}}.
 */
function namesOneNumber(lang: UiLanguage, category: string): boolean {
  if (category === 'zero' && !categoriesOf(lang).includes('zero')) return true;
  const rules = new Intl.PluralRules(lang);
  let matches = 0;
  for (let n = 0; n <= 1000; n += 1) if (rules.select(n) === category) matches += 1;
  return matches === 1;
}

const isFormatOnly = (text: string) => !/\p{L}/u.test(text.replace(PLACEHOLDER, ''));

describe('the German texts', () => {
  it('are all non-empty strings', () => {
    const bad = [...german].filter(([, value]) => typeof value !== 'string' || value.trim() === '').map(([key]) => key);
    expect(bad).toEqual([]);
  });
});

describe.each(OTHERS)('the %s translation', (lang) => {
  const texts = textsOf(lang);
  const required = requiredKeys(lang);

  it('has every German text, with all the plural forms the language needs', () => {
    expect([...required].filter((key) => !texts.has(key)).sort()).toEqual([]);
  });

  it('has no text German does not have, and no plural form the language does not use', () => {
    expect([...texts.keys()].filter((key) => !required.has(key)).sort()).toEqual([]);
  });

  it('has no empty text', () => {
    const bad = [...texts].filter(([, value]) => typeof value !== 'string' || value.trim() === '').map(([key]) => key);
    expect(bad).toEqual([]);
  });

  it('keeps every placeholder of the German text and adds none', () => {
    const problems: string[] = [];
    for (const [key, value] of texts) {
      const source = sourceText(german, key);
      if (typeof value !== 'string' || source === undefined) continue;
      const { category } = split(key);
      const expected = placeholdersOf(source);
      const found = placeholdersOf(value);
      if (category) expected.add('count');
      for (const name of expected) {
        if (found.has(name)) continue;
        if (name === 'count' && category && namesOneNumber(lang, category)) continue;
        problems.push(`${key}: {{${name}}} is missing in "${value}"`);
      }
      for (const name of found) if (!expected.has(name)) problems.push(`${key}: {{${name}}} is not in German "${source}"`);
    }
    expect(problems).toEqual([]);
  });
});

describe.each(TRANSLATED)('the %s texts', (lang) => {
  it('are translated, not copied from English', () => {
    const copies = [...textsOf(lang)]
      .filter(([key, value]) => value === sourceText(english, key) && !SAME_IN_EVERY_LANGUAGE.has(split(key).base) && !isFormatOnly(String(value)))
      .map(([key, value]) => `${key}: "${String(value)}"`);
    expect(copies).toEqual([]);
  });
});

describe('plural texts as the site shows them', () => {
  const translations = createTranslations();
  const courses = (lang: UiLanguage, count: number) => translations.forLanguage(lang)('search:results.count', { count });

  it('say "no course found" in every language when nothing is found', () => {
    for (const lang of UI_LANGUAGES) {
      const zero = (resources[lang].search?.results as Record<string, unknown> | undefined)?.count_zero;
      expect(courses(lang, 0)).toBe(zero);
      expect(courses(lang, 0)).not.toMatch(/0/);
    }
  });

  it('decline the Russian and Ukrainian noun after 1, 2, 5, 11 and 21', () => {
    expect([1, 2, 5, 11, 21].map((n) => courses('ru', n))).toEqual(['Найден 1 курс', 'Найдено 2 курса', 'Найдено 5 курсов', 'Найдено 11 курсов', 'Найден 21 курс']);
    expect([1, 2, 5, 11, 21].map((n) => courses('uk', n))).toEqual(['Знайдено 1 курс', 'Знайдено 2 курси', 'Знайдено 5 курсів', 'Знайдено 11 курсів', 'Знайдено 21 курс']);
  });

  it('use the Arabic dual and the forms for 3–10, 11–99 and 100', () => {
    expect([1, 2, 3, 11, 100].map((n) => courses('ar', n))).toEqual(['وجدنا دورة واحدة', 'وجدنا دورتين', 'وجدنا 3 دورات', 'وجدنا 11 دورة', 'وجدنا 100 دورة']);
    const t = translations.forLanguage('ar');
    expect([2, 5, 12].map((count) => t('common:age.months', { count }))).toEqual(['شهرين', '5 أشهر', '12 شهرًا']);
  });

  it('fall back to no German text for any count in any language', () => {
    const leaks: string[] = [];
    for (const lang of TRANSLATED) {
      const t = translations.forLanguage(lang);
      const de = translations.forLanguage(SOURCE);
      for (const base of pluralBases) {
        for (const count of [0, 1, 2, 3, 5, 11, 21, 100, 101]) {
          const options = { count, filter: 'X' };
          if (t(base, options) === de(base, options)) leaks.push(`${lang} ${base} ${count}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });
});

describe('numbers in sentences', () => {
  const translations = createTranslations();
  const de = translations.forLanguage('de');
  const en = translations.forLanguage('en');

  it('put one day, one course and one search in the singular in German and English', () => {
    expect(de('stats:summary.supplyTypes', { count: 1 })).toBe('Es gibt 1 veröffentlichten Kurs.');
    expect(de('stats:summary.supplyTypes', { count: 2 })).toBe('Es gibt 2 veröffentlichte Kurse.');
    expect(en('stats:summary.supplyTypes', { count: 1 })).toBe('There is 1 published course.');
    expect(de('stats:summary.supplyLevels', { count: 1 })).toBe('So verteilt sich 1 Kurs auf die Niveaus.');
    expect(de('stats:summary.demandMonths', { count: 1, childcare: 0, womenOnly: 0, empty: 100 })).toBe('1 Suche: 0 % mit Kinderbetreuung, 0 % nur für Frauen, 100 % ohne Ergebnis.');
    expect(de('stats:summary.demandFilters', { count: 1 })).toMatch(/^Welche Filter die 1 Suche benutzt hat /);
    expect(de('admin:search.rebuildState.done', { count: 1, date: 'heute' })).toBe('Fertig am heute: 1 Kurs.');
    expect(de('admin:stale.lead', { count: 1 })).toContain('Älter als 1 Tag:');
    expect(de('workspace:dashboard.lead', { count: 1 })).toContain('Nach 1 Tag ohne Bestätigung');
    expect(de('workspace:dashboard.staleWarning', { count: 1 })).toContain('seit mehr als 1 Tag nicht');
    expect(de('counselor:list.retention', { count: 1 })).toBe('Profile, die Sie 1 Tag nicht benutzen, werden automatisch gelöscht.');
    expect(de('counselor:share.text', { count: 1 })).toContain('läuft nach 1 Tag ab.');
    expect(de('counselor:privacy.text', { count: 1 })).toContain('Ein Profil, das 1 Tag nicht benutzt wird');
    expect(de('counselor:privacy.linkText', { count: 1 })).toBe('Ein Link zum Teilen gilt 1 Tag und zeigt nur die Liste der Kurse.');
    expect(de('site:about.stale', { count: 1 })).toMatch(/^Ist die letzte Bestätigung länger als 1 Tag her,/);
    expect(en('site:about.stale', { count: 1 })).toMatch(/^If the last confirmation is more than 1 day ago,/);
  });

  it('decline the days in Russian, Ukrainian and Arabic', () => {
    const days = (lang: UiLanguage, key: string) => [1, 2, 5, 21].map((count) => translations.forLanguage(lang)(key, { count }));
    expect(days('ru', 'counselor:list.retention')).toEqual(['1 день', '2 дня', '5 дней', '21 день'].map((d) => `Профили, которыми Вы не пользуетесь ${d}, удаляются автоматически.`));
    expect(days('uk', 'counselor:privacy.linkText')).toEqual(['1 день', '2 дні', '5 днів', '21 день'].map((d) => `Посилання, щоб поділитися, діє ${d} і показує лише список курсів.`));
    expect(days('ar', 'counselor:share.text').map((text) => text.split('بعد ')[1])).toEqual(['يوم واحد.', 'يومين.', '5 أيام.', '21 يومًا.']);
  });

  it('state the minimum password length the policy sets, in every language', () => {
    for (const lang of UI_LANGUAGES) {
      const t = translations.forLanguage(lang);
      const digits = new Intl.NumberFormat(lang).format(MIN_PASSWORD_LENGTH);
      for (const key of ['account:password.hint', 'admin:users.form.passwordHint']) {
        expect(t(key, { count: MIN_PASSWORD_LENGTH })).toContain(digits);
        expect(t(key, { count: 8 })).toContain(new Intl.NumberFormat(lang).format(8));
      }
    }
    expect(de('account:password.hint', { count: 8 })).toBe('Mindestens 8 Zeichen. Sonderzeichen sind nicht nötig.');
  });
});
