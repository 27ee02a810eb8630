import { FALLBACK_LANGUAGE } from '../lib/localized-text';
import type { SearchQuery } from './search-query.schema';

/** Parameters that hold a list: written as repeated parameters, as a form's checkboxes send them. */
const LIST_PARAMS = ['level', 'type', 'mode', 'days', 'timeOfDay', 'slots', 'childAgeMonths'] as const;
type ListParam = (typeof LIST_PARAMS)[number];

/** The parts of a search a link may change or drop (paging included). */
export type SearchChange = Partial<{ [K in keyof SearchQuery]: SearchQuery[K] | undefined }>;

/**
 * A validated search written back as query parameters, in one order, without defaults: the one place that
 * turns a search into a link (chips, paging, "without this filter", the calendar feed, the language switcher).
 */
export function searchParamsOf(query: SearchQuery, change: SearchChange = {}): URLSearchParams {
  const merged = { ...query, ...change } as SearchQuery;
  const params = new URLSearchParams();
  const put = (name: string, value: string | number | boolean | undefined) => {
    if (value !== undefined) params.append(name, String(value));
  };
  put('q', merged.q);
  put('place', merged.place);
  put('postcode', merged.postcode);
  if (merged.near) put('near', `${merged.near.lat},${merged.near.lng}`);
  put('radiusKm', merged.radiusKm);
  if (merged.includeOnline) put('includeOnline', true);
  for (const name of LIST_PARAMS) for (const value of (merged[name as ListParam] as Array<string | number> | undefined) ?? []) put(name, value);
  if (merged.childcare !== undefined) put('childcare', merged.childcare);
  if (merged.womenOnly !== undefined) put('womenOnly', merged.womenOnly);
  if (merged.free !== undefined) put('free', merged.free);
  put('seats', merged.seats);
  put('startFrom', merged.startFrom);
  put('startTo', merged.startTo);
  if (merged.sort !== 'relevance') put('sort', merged.sort);
  if (merged.page > 1) put('page', merged.page);
  if (merged.perPage !== 20) put('perPage', merged.perPage);
  // German is the default; any other language stays in the address, so a shared link opens as it was seen.
  if (merged.lang !== FALLBACK_LANGUAGE) put('lang', merged.lang);
  return params;
}

export function searchHref(path: string, query: SearchQuery, change: SearchChange = {}): string {
  const params = searchParamsOf(query, change).toString();
  return params ? `${path}?${params}` : path;
}
