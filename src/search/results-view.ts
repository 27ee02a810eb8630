import { COURSE_TYPES, DAYS, LEVELS, MODES, TIMES_OF_DAY, slotOf, type Slot } from '../courses/course.enums';
import type { Translate } from '../i18n/i18n';
import type { Formatters } from '../web/format';
import type { FacetGroup } from './facets';
import { searchHref, type SearchChange } from './search-url';
import { DEFAULT_RADIUS_KM, SORTS, type SearchQuery } from './search-query.schema';
import type { CardSearchResult } from './search.service';

export const RESULTS_PATH = '/courses';

export type Chip = { label: string; href: string };
export type Option = { value: string; label: string; count?: number; checked: boolean };
export type Relaxation = { label: string; count: number; href: string };

/**
 * The week grid: rows are days, columns parts of the day; each cell a labelled checkbox for one slot. On the results
 * page each cell also says how many courses meet then (disjunctive, like the other facets; formatted for the reader).
 */
export type WeekGrid = {
  times: Array<{ value: string; label: string }>;
  rows: Array<{ day: string; label: string; short: string; cells: Array<{ slot: Slot; label: string; checked: boolean; count?: string }> }>;
};

export function weekGrid(selected: readonly string[], fmt: Formatters, t: Translate, counts?: Readonly<Record<string, number>>): WeekGrid {
  return {
    times: TIMES_OF_DAY.map((time) => ({ value: time, label: fmt.timeOfDay(time) })),
    rows: DAYS.map((day) => ({
      day,
      label: fmt.day(day),
      short: fmt.dayShort(day),
      cells: TIMES_OF_DAY.map((time) => {
        const slot = slotOf(day, time);
        const label = t('search:when.cell', { day: fmt.day(day), time: fmt.timeOfDay(time) });
        return { slot, label, checked: selected.includes(slot), ...(counts ? { count: fmt.number(counts[slot] ?? 0) } : {}) };
      }),
    })),
  };
}

/** How the search's location is described ("within 25 km of Landau in der Pfalz"). */
function locationLabel(query: SearchQuery, fmt: Formatters, t: Translate): string | undefined {
  const distance = fmt.distance(query.radiusKm ?? DEFAULT_RADIUS_KM);
  if (query.near) return t('search:chip.nearMe', { distance });
  const where = query.place ?? query.postcode;
  return where ? t('search:chip.near', { distance, place: where }) : undefined;
}

function without<K extends keyof SearchQuery>(query: SearchQuery, name: K, value: unknown): SearchChange {
  const list = query[name] as unknown[] | undefined;
  const rest = (list ?? []).filter((item) => item !== value);
  return { [name]: rest.length > 0 ? rest : undefined, page: 1 } as SearchChange;
}

/** One removable chip per active filter value; removing one goes back to the first page. */
export function activeFilterChips(query: SearchQuery, fmt: Formatters, t: Translate): Chip[] {
  const href = (change: SearchChange) => searchHref(RESULTS_PATH, query, { ...change, page: 1 });
  const chips: Chip[] = [];
  if (query.q) chips.push({ label: t('search:chip.words', { words: query.q }), href: href({ q: undefined }) });
  const where = locationLabel(query, fmt, t);
  if (where) {
    chips.push({
      label: where,
      href: href({ place: undefined, postcode: undefined, near: undefined, radiusKm: undefined, includeOnline: undefined, sort: query.sort === 'distance' ? 'relevance' : query.sort }),
    });
  }
  if (query.includeOnline && where) chips.push({ label: t('search:chip.includeOnline'), href: href({ includeOnline: undefined }) });
  for (const level of query.level ?? []) chips.push({ label: fmt.level(level), href: href(without(query, 'level', level)) });
  for (const type of query.type ?? []) chips.push({ label: fmt.courseType(type), href: href(without(query, 'type', type)) });
  for (const mode of query.mode ?? []) chips.push({ label: fmt.mode(mode), href: href(without(query, 'mode', mode)) });
  for (const day of query.days ?? []) chips.push({ label: fmt.day(day), href: href(without(query, 'days', day)) });
  for (const time of query.timeOfDay ?? []) chips.push({ label: fmt.timeOfDay(time), href: href(without(query, 'timeOfDay', time)) });
  for (const slot of query.slots ?? []) {
    const [day, time] = slot.split('-') as [(typeof DAYS)[number], (typeof TIMES_OF_DAY)[number]];
    chips.push({ label: t('search:when.cell', { day: fmt.day(day), time: fmt.timeOfDay(time) }), href: href(without(query, 'slots', slot)) });
  }
  if (query.childcare === true && !query.childAgeMonths) chips.push({ label: t('search:chip.childcare'), href: href({ childcare: undefined }) });
  for (const age of query.childAgeMonths ?? []) {
    chips.push({ label: t('search:chip.childAge', { age: fmt.ageMonths(age) }), href: href({ ...without(query, 'childAgeMonths', age), childcare: query.childcare }) });
  }
  if (query.womenOnly === true) chips.push({ label: t('search:chip.womenOnly'), href: href({ womenOnly: undefined }) });
  if (query.free === true) chips.push({ label: t('search:chip.free'), href: href({ free: undefined }) });
  if (query.seats === 'available') chips.push({ label: t('search:chip.seats'), href: href({ seats: undefined }) });
  if (query.startFrom) chips.push({ label: t('search:chip.startFrom', { date: fmt.date(query.startFrom) }), href: href({ startFrom: undefined }) });
  if (query.startTo) chips.push({ label: t('search:chip.startTo', { date: fmt.date(query.startTo) }), href: href({ startTo: undefined }) });
  return chips;
}

/** What the filter of one facet group says, in words ("Tuesday morning, Thursday afternoon"). */
function describeGroup(group: FacetGroup, query: SearchQuery, fmt: Formatters, t: Translate): string {
  switch (group) {
    case 'level':
      return fmt.list((query.level ?? []).map(fmt.level));
    case 'type':
      return fmt.list((query.type ?? []).map(fmt.courseType));
    case 'mode':
      return fmt.list((query.mode ?? []).map(fmt.mode));
    case 'days':
      return fmt.list((query.days ?? []).map(fmt.day));
    case 'timeOfDay':
      return fmt.list((query.timeOfDay ?? []).map(fmt.timeOfDay));
    case 'slots':
      return t('search:relax.slots', { count: query.slots?.length ?? 0 });
    case 'childcare':
      return t('search:chip.childcare');
    case 'womenOnly':
      return t('search:chip.womenOnly');
    case 'free':
      return t('search:chip.free');
  }
}

const GROUP_PARAMS: Record<FacetGroup, SearchChange> = {
  level: { level: undefined },
  type: { type: undefined },
  mode: { mode: undefined },
  days: { days: undefined },
  timeOfDay: { timeOfDay: undefined },
  slots: { slots: undefined },
  childcare: { childcare: undefined, childAgeMonths: undefined },
  womenOnly: { womenOnly: undefined },
  free: { free: undefined },
};

/**
 * When nothing fits: for each filter that, dropped alone, would find courses, a link saying how many. Counted by the
 * page's own multi-search (the disjunctive query of each active group), and for days and times of day, whose counts
 * the page does not show, by a second one that `searchCards` sends only when nothing fits.
 */
export function relaxations(query: SearchQuery, result: CardSearchResult, fmt: Formatters, t: Translate): Relaxation[] {
  return (Object.entries(result.totalsWithout) as Array<[FacetGroup, number]>)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([group, count]) => ({ label: describeGroup(group, query, fmt, t), count, href: searchHref(RESULTS_PATH, query, { ...GROUP_PARAMS[group], page: 1 }) }));
}

export function facetOptions(query: SearchQuery, result: CardSearchResult, fmt: Formatters) {
  const checked = (list: readonly string[] | undefined, value: string) => (list ?? []).includes(value);
  return {
    level: LEVELS.map((value): Option => ({ value, label: fmt.level(value), count: result.facets.level[value] ?? 0, checked: checked(query.level, value) })),
    type: COURSE_TYPES.map((value): Option => ({ value, label: fmt.courseType(value), count: result.facets.type[value] ?? 0, checked: checked(query.type, value) })).filter(
      (option) => (option.count ?? 0) > 0 || option.checked,
    ),
    mode: MODES.map((value): Option => ({ value, label: fmt.mode(value), count: result.facets.mode[value] ?? 0, checked: checked(query.mode, value) })),
    childcare: result.facets.childcare.true ?? 0,
    womenOnly: result.facets.womenOnly.true ?? 0,
    free: result.facets.free.true ?? 0,
  };
}

export function sortOptions(query: SearchQuery, t: Translate): Option[] {
  const located = Boolean(query.place || query.postcode || query.near);
  return SORTS.filter((sort) => sort !== 'distance' || located).map((sort) => ({ value: sort, label: t(`search:sort.${sort}`), checked: query.sort === sort }));
}

export type Paging = { previous?: string; next?: string; pages: Array<{ number: number; href: string; current: boolean }>; lastPage: number };

export function paging(query: SearchQuery, total: number): Paging {
  const lastPage = Math.max(1, Math.ceil(total / query.perPage));
  const href = (page: number) => searchHref(RESULTS_PATH, query, { page });
  const first = Math.max(1, Math.min(query.page - 2, lastPage - 4));
  const numbers = Array.from({ length: Math.min(5, lastPage) }, (_, i) => first + i).filter((n) => n <= lastPage);
  return {
    ...(query.page > 1 ? { previous: href(Math.min(query.page - 1, lastPage)) } : {}),
    ...(query.page < lastPage ? { next: href(query.page + 1) } : {}),
    pages: numbers.map((number) => ({ number, href: href(number), current: number === query.page })),
    lastPage,
  };
}
