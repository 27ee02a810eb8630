/**
 * The public pages every quality check walks (issue 9 → Quality bars), on the demo catalogue:
 * the same list for the accessibility, layout and HTML-validity checks.
 */

/** A typical search (demo data): a beginner in Landau who can come on weekday mornings. Page weight and screenshots use it. */
export const TYPICAL_RESULTS_QUERY = new URLSearchParams([
  ['level', 'A1'],
  ...['mon', 'tue', 'wed', 'thu', 'fri'].map((day): [string, string] => ['slots', `${day}-morning`]),
  ['place', 'Landau in der Pfalz'],
]).toString();

/** Nothing in the demo catalogue fits: the page explains why and offers relaxations. */
export const NO_HITS_QUERY = 'level=C2&womenOnly=true&slots=sun-evening';

export type SitePage = { name: string; path: string; status: number };

/** Ids of one published demo course and its provider, through the public API. */
export type SampleIds = { courseId: string; providerId: string };

type ApiPage = { hits: Array<{ id: string; provider: { id: string } }> };

export async function sampleIds(baseUrl: string): Promise<SampleIds> {
  const res = await fetch(`${baseUrl}/api/v1/courses?${TYPICAL_RESULTS_QUERY}`);
  const body = (await res.json()) as ApiPage;
  const first = body.hits[0];
  if (!first) throw new Error('the demo catalogue has no course for the typical search');
  return { courseId: first.id, providerId: first.provider.id };
}

/** Every main page in one language. */
export function sitePages(ids: SampleIds, lang: 'de' | 'ar'): SitePage[] {
  const pages: SitePage[] = [
    { name: 'start page', path: '/', status: 200 },
    { name: 'results', path: `/courses?${TYPICAL_RESULTS_QUERY}`, status: 200 },
    { name: 'results without hits', path: `/courses?${NO_HITS_QUERY}`, status: 200 },
    { name: 'course page', path: `/courses/${ids.courseId}`, status: 200 },
    { name: 'provider page', path: `/providers/${ids.providerId}`, status: 200 },
    { name: 'about', path: '/about', status: 200 },
    { name: 'privacy', path: '/privacy', status: 200 },
    { name: 'imprint', path: '/imprint', status: 200 },
    { name: 'open data', path: '/open-data', status: 200 },
    { name: 'invalid search (400)', path: '/courses?level=Z9&radiusKm=abc', status: 400 },
    { name: 'unknown page (404)', path: '/no-such-page', status: 404 },
  ];
  // The language is always named: a browser's Accept-Language or a remembered cookie would choose otherwise.
  return pages.map((page) => ({ ...page, path: `${page.path}${page.path.includes('?') ? '&' : '?'}lang=${lang}` }));
}
