import { z } from 'zod';

/**
 * zod's own e-mail syntax, with each domain label 1–63 characters that neither starts nor ends with a hyphen
 * (RFC 1035). Written without lookaheads, because API clients and fuzzers generate test data from it.
 */
const EMAIL_PATTERN = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const MAX_LOCAL_PART = 64;

/**
 * An e-mail address, for input and output alike: the API description says `format: email`, so the API accepts
 * only what a standard `email` format check accepts too (RFC 5321: at most 64 characters before the `@`).
 * Otherwise a stored address would later break the documented response schema.
 */
export const emailAddressSchema = z
  .email({ pattern: EMAIL_PATTERN })
  .max(200)
  .refine((email) => email.indexOf('@') <= MAX_LOCAL_PART, `must have at most ${MAX_LOCAL_PART} characters before the @`);

/**
 * RFC 3986 characters only, every `%` starting an escape such as `%20`. The WHATWG serialisation still lets a
 * few through that RFC 3986 forbids (`|`, `^`, a stray `%`).
 */
const RFC3986_URI = /^https?:\/\/(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;

/**
 * An http(s) address. The description promises `format: uri` (RFC 3986), but people type `https://müller.de/a b`:
 * such an address is stored as its WHATWG serialisation (`new URL(…).href`: host in punycode, spaces and non-ASCII
 * percent-encoded); one that already is a URI is kept exactly as written.
 */
/** What zod's check below accepts; anything else is left to its error alone. */
function isHttpUrl(url: string): boolean {
  return URL.canParse(url) && /^https?:$/.test(new URL(url).protocol);
}

export const webUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(500)
  // zod runs these even when the check above failed: they leave an unparsable value to its error (and never throw).
  .overwrite((url) => (RFC3986_URI.test(url) || !isHttpUrl(url) ? url : new URL(url).href))
  .refine((url) => !isHttpUrl(url) || (RFC3986_URI.test(url) && url.length <= 500), 'must be a web address such as https://example.org, of at most 500 characters');
