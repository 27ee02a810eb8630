/** Reading rendered pages in route tests: the document's language, landmarks, scripts and JSON-LD. */
import type { Response } from 'supertest';
import { createTranslations } from '../../src/i18n/i18n';
import type { UiLanguage } from '../../src/i18n/languages';

const translations = createTranslations();

/** The site's own text for a key in a language, so tests hold when a translator replaces a file. */
export function text(lang: UiLanguage, key: string, options: Record<string, string | number> = {}): string {
  return String(translations.forLanguage(lang)(key, options));
}

/** HTML-escaped as EJS writes it. */
export function escaped(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

export type ScriptTag = { attributes: string; body: string };

export function scriptTags(html: string): ScriptTag[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attributes: m[1] ?? '', body: m[2] ?? '' }));
}

/** The JSON-LD blocks of a page, parsed. */
export function jsonLdBlocks(html: string): unknown[] {
  return scriptTags(html)
    .filter((tag) => /type="application\/ld\+json"/.test(tag.attributes))
    .map((tag) => JSON.parse(tag.body) as unknown);
}

/**
 * What every page promises (api.md → Website): the language and direction on <html>, one main landmark with an h1,
 * a strict CSP, and no inline script but JSON-LD carrying the response's nonce.
 */
export function expectPageBasics(res: Response, lang: UiLanguage, status = 200): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  const dir = lang === 'ar' || lang === 'fa' ? 'rtl' : 'ltr';
  expect(res.text).toMatch(new RegExp(`<html lang="${lang}" dir="${dir}">`));
  expect(res.text.match(/<main\b/g)).toHaveLength(1);
  const main = /<main\b[\s\S]*<\/main>/.exec(res.text)?.[0] ?? '';
  expect(main.match(/<h1\b/g)).toHaveLength(1);
  const csp = String(res.headers['content-security-policy'] ?? '');
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
  expect(csp).toContain("style-src 'self'");
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  for (const tag of scriptTags(res.text)) {
    if (/\bsrc="\/assets\/[^"]+\.js"/.test(tag.attributes)) {
      expect(tag.body).toBe('');
    } else {
      expect(tag.attributes).toContain('type="application/ld+json"');
      expect(tag.attributes).toContain(`nonce="${nonce}"`);
    }
  }
  expect(res.text).not.toMatch(/\sstyle="/);
  expect(res.text).not.toMatch(/\son[a-z]+="/);
}
