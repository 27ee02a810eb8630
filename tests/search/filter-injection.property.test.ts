/**
 * Property-based: no query parameter can change what a Meilisearch filter means.
 * - `quote` and `buildSearchFilter` (src/search/filter-builder.ts) directly, for arbitrary strings;
 * - the same quoting against the real Meilisearch parser;
 * - GET /api/v1/courses with random and hostile strings in every parameter: a 400, or exactly the ids of
 *   the same query without the hostile part (for `q`: a subset of the query without `q`), and never a draft.
 */
import fc from 'fast-check';
import { DAYS, LEVELS, COURSE_TYPES, MODES, SLOTS, TIMES_OF_DAY } from '../../src/courses/course.enums';
import { buildSearchFilter, quote, type FilterInput } from '../../src/search/filter-builder';
import { FACET_GROUPS } from '../../src/search/facets';
import { aCourse, givenProvider, loginAs } from '../support/builders';
import { arrangeCourses, variedCourses } from '../support/search-helpers';
import { createTestApp, type TestApp } from '../support/test-app';

/** Walks a quoted Meilisearch string literal; returns the decoded value, or undefined if a `"` ends it early. */
function decodeQuoted(literal: string): string | undefined {
  if (literal.length < 2 || !literal.startsWith('"') || !literal.endsWith('"')) return undefined;
  const inner = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (ch === '"') return undefined; // an unescaped quote inside
    if (ch === '\\') {
      if (i + 1 >= inner.length) return undefined; // would escape the closing quote
      out += inner[++i]!;
    } else out += ch;
  }
  return out;
}

/** Replaces every quoted literal by `""` (quote-aware scan), so the filter's structure can be compared. */
function skeleton(expression: string): string {
  let out = '';
  for (let i = 0; i < expression.length; i++) {
    if (expression[i] !== '"') {
      out += expression[i];
      continue;
    }
    let j = i + 1;
    while (j < expression.length && expression[j] !== '"') j += expression[j] === '\\' ? 2 : 1;
    if (j >= expression.length) return `${out}<UNTERMINATED>`;
    out += '""';
    i = j;
  }
  return out;
}

const HOSTILE = [
  '"', '\\', '\\"', '"\\', '\\\\"', '" OR status = "draft', '"] OR status = "draft" OR level IN ["', "' OR '1'='1", 'OR', 'AND NOT',
  'OR status = draft', 'status = draft', 'status = "draft"', 'NOT status = "published"', ']', '[', ')', '(', '"]', '")', ') OR (',
  'A1" OR "1"="1', '_geoRadius(0, 0, 100000000)', 'IS NULL', 'IS EMPTY', 'EXISTS', '1 TO 99999999', '!=', '\u0000', '\n', '\r\n',
  '\t', '\u202e', '\ufeff', 'ä', 'ß', 'İ', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '😀', '👩‍👧', '%', '%22', '&level=Z9', '#frag', '$ne', '{"$gt":""}', '__proto__',
  '<script>alert(1)</script>', '*', '?', ',', ' ', '', 'x'.repeat(3000), '"'.repeat(200), '\\'.repeat(201),
];

const encodable = (s: string) => {
  try {
    encodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
};

/** Hostile strings. Purely numeric-looking strings are left out: they can be valid values (page=2, radiusKm=5). */
const hostile = fc
  .oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 2, arbitrary: fc.array(fc.constantFrom(...HOSTILE.filter((h) => h.length < 100)), { minLength: 2, maxLength: 5 }).map((parts) => parts.join(' ')) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('"', '\\', ' ', ',', 'O', 'R', '[', ']', '=', 'd'), maxLength: 30 }) },
  )
  .filter(encodable)
  .filter((s) => !/^[\d\s.,+-]*\d[\d\s.,+-]*$/.test(s));

describe('quote (unit)', () => {
  it('starts and ends with ", contains no unescaped " inside, and decodes back to the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom(...HOSTILE), fc.string({ unit: fc.constantFrom('"', '\\', 'a') })), (s) => {
        const quoted = quote(s);
        expect(quoted.startsWith('"')).toBe(true);
        expect(quoted.endsWith('"')).toBe(true);
        expect(quoted.length).toBeGreaterThanOrEqual(2);
        expect(decodeQuoted(quoted)).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });

  it('the decoder used here does catch broken quoting', () => {
    expect(decodeQuoted('"a"b"')).toBeUndefined();
    expect(decodeQuoted('"a\\"')).toBeUndefined();
    expect(decodeQuoted('"a\\\\"')).toBe('a\\');
  });
});

describe('buildSearchFilter (unit)', () => {
  const subsetOf = <T>(values: readonly T[]) => fc.subarray([...values], { minLength: 1 });
  const validInput: fc.Arbitrary<FilterInput> = fc.record(
    {
      level: subsetOf(LEVELS),
      type: subsetOf(COURSE_TYPES),
      mode: subsetOf(MODES),
      days: subsetOf(DAYS),
      timeOfDay: subsetOf(TIMES_OF_DAY),
      slots: subsetOf(SLOTS),
      childcare: fc.boolean(),
      childAgeMonths: fc.array(fc.integer({ min: 0, max: 216 }), { minLength: 1, maxLength: 6 }),
      includeOnline: fc.boolean(),
      womenOnly: fc.boolean(),
      free: fc.boolean(),
      seats: fc.constant('available' as const),
      location: fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lng: fc.double({ min: -180, max: 180, noNaN: true }) }),
      radiusKm: fc.double({ min: 0.001, max: 200, noNaN: true }),
      startFrom: fc.constantFrom('2027-01-01', '2026-12-31', '0001-01-01', '9999-12-31'),
      startTo: fc.constantFrom('2027-01-01', '2028-02-29'),
    },
    { requiredKeys: ['radiusKm'] },
  );

  it('always keeps `status = "published"` as its own expression, with or without any facet group', () => {
    fc.assert(
      fc.property(validInput, fc.option(fc.constantFrom(...FACET_GROUPS), { nil: undefined }), (input, without) => {
        const expressions = buildSearchFilter(input, without);
        expect(expressions).toContain('status = "published"');
        for (const expression of expressions) {
          const shape = skeleton(expression);
          expect(shape).not.toContain('<UNTERMINATED>');
          expect(shape.split('[').length).toBe(shape.split(']').length);
          expect(shape.split('(').length).toBe(shape.split(')').length);
          expect(shape).not.toMatch(/NaN|Infinity|undefined/);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('hostile strings in list values stay inside their string literals', () => {
    const list = fc.array(fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom(...HOSTILE)), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(list, list, list, (level, type, mode) => {
        const expressions = buildSearchFilter({ level, type, mode, radiusKm: 25 } as unknown as FilterInput);
        const literals = (n: number) => Array.from({ length: n }, () => '""').join(', ');
        expect(expressions.map(skeleton)).toEqual([
          `level IN [${literals(level.length)}]`,
          `type IN [${literals(type.length)}]`,
          `mode IN [${literals(mode.length)}]`,
          'status = ""',
        ]);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses non-finite numbers instead of writing them into a filter', () => {
    expect(() => buildSearchFilter({ radiusKm: 25, location: { lat: Number.NaN, lng: 8 } } as FilterInput)).toThrow();
    expect(() => buildSearchFilter({ radiusKm: Number.POSITIVE_INFINITY, location: { lat: 49, lng: 8 } } as FilterInput)).toThrow();
  });
});

let t: TestApp;
const published: string[] = [];
const hidden = new Set<string>();

beforeAll(async () => {
  t = await createTestApp('searchinjection');
  const providerId = await givenProvider(t, { name: 'Sprachschule Draftwort' });
  const provider = await loginAs(t, 'provider', providerId);
  const shared = {
    title: { de: 'Geheimkurs Integrationskurs Deutsch' },
    childcare: { available: true },
    womenOnly: true,
    rollingEntry: true,
  };
  const [pub, draft, archived] = await arrangeCourses(t, provider, 'Sprachschule Draftwort', [
    aCourse(shared),
    aCourse({ ...shared, status: 'draft' }),
    aCourse(shared),
  ]);
  expect((await t.http.delete(`/api/v1/courses/${archived!.id}`).set(provider.auth)).status).toBe(204);
  hidden.add(draft!.id).add(archived!.id);
  published.push(pub!.id);
  const varied = await arrangeCourses(t, provider, 'Sprachschule Draftwort', variedCourses(12, 77));
  published.push(...varied.map((c) => c.id));
  await t.settle();
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('quote against the real Meilisearch filter parser', () => {
  it('`attr = quote(s)` matches the document holding s, and never the draft twin', async () => {
    const { client } = t.services.deps.engine;
    const uid = `${t.services.search.indexUid}_quote_probe`;
    await client.createIndex(uid, { primaryKey: 'id' }).waitTask();
    const index = client.index(uid);
    await index.updateSettings({ filterableAttributes: ['value', 'status'] }).waitTask();
    const strings = [
      ...HOSTILE.filter((h) => h.length < 200),
      ...fc.sample(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), { seed: 42, numRuns: 120 }),
      ...fc.sample(fc.string({ unit: fc.constantFrom('"', '\\', 'a', ' '), minLength: 1, maxLength: 12 }), { seed: 7, numRuns: 60 }),
    ].filter((s) => s.trim().length > 0 && !s.includes('\u0000'));
    const unique = [...new Set(strings)];
    const docs = unique.flatMap((value, i) => [
      { id: `p${i}`, value, status: 'published' },
      { id: `d${i}`, value, status: 'draft' },
    ]);
    const task = await index.addDocuments(docs).waitTask();
    expect(task.status).toBe('succeeded');
    const failures: string[] = [];
    for (const [i, value] of unique.entries()) {
      const res = await index.search('', { filter: [`value = ${quote(value)}`, 'status = "published"'], limit: 1000 });
      const ids = res.hits.map((h) => h.id as string);
      if (!ids.includes(`p${i}`) || ids.some((id) => id.startsWith('d'))) failures.push(`${JSON.stringify(value)} → ${JSON.stringify(ids.slice(0, 5))}`);
      // Nothing but twins of the value itself under Meilisearch's facet normalisation (trimmed, case-insensitive).
      const normal = (v: string) => v.trim().toLowerCase();
      const others = res.hits.filter((h) => normal(h.value as string) !== normal(value)).map((h) => JSON.stringify(h.value));
      if (others.length > 0) failures.push(`${JSON.stringify(value)} also matched ${others.slice(0, 3).join(', ')}`);
    }
    await client.deleteIndex(uid).waitTask();
    expect(failures).toEqual([]);
  });
});

type Pairs = Array<[string, string]>;

function url(pairs: Pairs): string {
  return `/api/v1/courses?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}

/** How often the HTTP properties saw each outcome, so a property that only ever met 400s is noticed. */
const outcomes = { ok: 0, rejected: 0 };

const cache = new Map<string, { status: number; ids?: string[] }>();

async function idsFor(pairs: Pairs): Promise<{ status: number; ids?: string[]; code?: string }> {
  const res = await t.http.get(url(pairs));
  if (res.status === 200) {
    const ids = (res.body.hits as Array<{ id: string }>).map((h) => h.id).sort();
    for (const id of ids) if (hidden.has(id)) throw new Error(`a draft/archived course was returned for ${url(pairs)}`);
    expect(res.body.total).toBe(ids.length);
    return { status: 200, ids };
  }
  return { status: res.status, code: res.body?.error?.code };
}

async function reference(pairs: Pairs) {
  const key = url(pairs);
  if (!cache.has(key)) cache.set(key, await idsFor(pairs));
  return cache.get(key)!;
}

const LISTS = new Set(['level', 'type', 'mode', 'days', 'timeOfDay']);

/** Valid queries that all find the published twin (perPage=100: ids are compared as whole sets). */
const BASES: Array<Record<string, string>> = [
  { perPage: '100' },
  {
    q: 'Integrationskurs', level: 'A1,B1', type: 'integration_general,integration_women', mode: 'in_person,hybrid', days: 'tue,thu,fri',
    timeOfDay: 'morning,afternoon', childcare: 'true', childAgeMonths: '12', womenOnly: 'true', free: 'true', seats: 'available',
    near: '49.1989,8.1169', radiusKm: '30', startFrom: '2027-01-01', startTo: '2027-06-30', sort: 'start', page: '1', perPage: '100', lang: 'de',
  },
  { postcode: '76829', radiusKm: '40', sort: 'distance', perPage: '100', lang: 'en', days: 'mon,tue,wed,thu,fri', childcare: 'false' },
  { q: 'Geheimkurs Deutsch', level: 'A1', sort: 'relevance', perPage: '100', womenOnly: 'false', free: 'false' },
];
const PARAMS = ['q', 'level', 'type', 'mode', 'days', 'timeOfDay', 'childcare', 'childAgeMonths', 'womenOnly', 'free', 'seats', 'near', 'radiusKm', 'postcode', 'startFrom', 'startTo', 'sort', 'page', 'perPage', 'lang'];

describe('GET /api/v1/courses with hostile parameter values (HTTP, property-based)', () => {
  it('the base queries are valid and find the published twin', async () => {
    for (const base of BASES) {
      const ref = await reference(Object.entries(base));
      expect(ref.status).toBe(200);
      expect(ref.ids).toContain(published[0]);
    }
  });

  it('a hostile value in any filter parameter gives a 400 or exactly the result without it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BASES),
        fc.constantFrom(...PARAMS.filter((p) => p !== 'q')),
        fc.constantFrom('replace', 'append', 'repeat'),
        hostile,
        async (base, param, how, value) => {
          const pairs: Pairs = Object.entries(base).filter(([k]) => !(how === 'replace' && k === param));
          let expected: Pairs;
          if (how === 'replace') {
            pairs.push([param, value]);
            expected = Object.entries(base).filter(([k]) => k !== param);
          } else if (how === 'append') {
            if (base[param] === undefined) pairs.push([param, value]);
            else pairs.splice(pairs.findIndex(([k]) => k === param), 1, [param, `${base[param]}${value}`]);
            expected = Object.entries(base);
          } else {
            pairs.push([param, value]);
            // A repeated list parameter joins its values; for any other the last value wins. An empty repeat is
            // dropped first (api.md: an empty value means absent; src/lib/validation.ts withoutEmptyParams).
            const dropped = value.trim() === '';
            expected = LISTS.has(param) || dropped ? Object.entries(base) : Object.entries(base).filter(([k]) => k !== param);
          }
          const actual = await idsFor(pairs);
          if (actual.status === 400) {
            outcomes.rejected += 1;
            expect(actual.code).toBe('invalid_query');
            return;
          }
          outcomes.ok += 1;
          expect(actual.status).toBe(200);
          const ref = await reference(expected);
          expect({ status: ref.status, ids: ref.ids }).toEqual({ status: 200, ids: actual.ids });
        },
      ),
      {
        numRuns: 100,
        // Always also run values that must be accepted without changing anything (blank list items, another language).
        examples: [
          [BASES[1]!, 'level', 'append', ' '],
          [BASES[1]!, 'days', 'repeat', ','],
          [BASES[0]!, 'near', 'repeat', ''],
          [BASES[1]!, 'near', 'repeat', ''],
          [BASES[1]!, 'type', 'append', ',,  ,'],
          [BASES[2]!, 'lang', 'replace', 'zz'],
          [BASES[0]!, 'mode', 'replace', ' , '],
          [BASES[3]!, 'timeOfDay', 'replace', ''],
        ],
      },
    );
    // Both branches were exercised: hostile values that were accepted (and changed nothing) and rejected ones.
    expect(outcomes.ok).toBeGreaterThanOrEqual(5);
    expect(outcomes.rejected).toBeGreaterThanOrEqual(20);
  });

  it('a hostile q gives a 400 or a subset of the result without q, never a draft', async () => {
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BASES),
        fc.constantFrom('', 'Geheimkurs ', 'Integrationskurs Deutsch ', 'Draftwort '),
        hostile,
        async (base, prefix, value) => {
          const withoutQ = Object.entries(base).filter(([k]) => k !== 'q');
          const actual = await idsFor([...withoutQ, ['q', `${prefix}${value}`]]);
          if (actual.status === 200 && actual.ids!.length > 0) nonEmpty += 1;
          if (actual.status === 400) {
            expect(actual.code).toBe('invalid_query');
            return;
          }
          expect(actual.status).toBe(200);
          const ref = await reference(withoutQ);
          for (const id of actual.ids!) expect(ref.ids).toContain(id);
        },
      ),
      {
        numRuns: 80,
        examples: [
          [BASES[0]!, 'Geheimkurs ', '" OR status = "draft'],
          [BASES[0]!, 'Integrationskurs Deutsch ', 'AND NOT'],
          [BASES[1]!, 'Integrationskurs Deutsch ', '\\'],
          [BASES[2]!, 'Geheimkurs ', ']'],
          [BASES[3]!, 'Draftwort ', 'status = draft'],
        ],
      },
    );
    expect(nonEmpty).toBeGreaterThanOrEqual(5);
  });

  it('unknown parameter names (also hostile ones) are ignored', async () => {
    const unknownKey = hostile.filter((k) => k.length > 0 && k.length < 200 && !PARAMS.includes(k));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...BASES), unknownKey, hostile, async (base, key, value) => {
        const actual = await idsFor([...Object.entries(base), [key, value]]);
        const ref = await reference(Object.entries(base));
        expect(actual).toEqual(ref);
      }),
      { numRuns: 60 },
    );
  });

  it('no query with words of the draft ever returns it', async () => {
    const words = fc.array(fc.constantFrom('Geheimkurs', 'Integrationskurs', 'Deutsch', 'Draftwort', 'draft', 'status', 'OR', 'NOT', '"', '-'), { minLength: 1, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(words, fc.constantFrom(...BASES), async (parts, base) => {
        const res = await idsFor([...Object.entries(base).filter(([k]) => k !== 'q'), ['q', parts.join(' ')]]);
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 60 },
    );
  });
});
