import { Types, type Connection, type QueryFilter } from 'mongoose';
import { courseModel, type CourseRecord } from '../courses/course.model';
import { PUBLIC_PROVIDERS_FILTER, publicCoursesFilter } from '../courses/public-visibility';
import { createTranslations } from '../i18n/i18n';
import type { Clock } from '../lib/clock';
import { badRequest, notFound } from '../lib/errors';
import { providerModel, type ProviderRecord } from '../providers/provider.model';
import type { SearchService } from '../search/search.service';
import { searchQuerySchema } from '../search/search-query.schema';
import { createFormatters } from '../web/format';
import { toHsdsOrganization, toHsdsOrganizationListItem, toHsdsService, toHsdsServiceListItem, type MapperContext, type MappableCourse, type MappableProvider } from './hsds-mapper';
import { createIdIndex } from './hsds-id-index';
import { buildTaxonomy, type TermCondition, type TermEntry } from './hsds-taxonomy';
import { DEFAULT_PROXIMITY_METRES, type OrganizationsQuery, type Paging, type ServicesQuery, type TaxonomyTermsQuery } from './hsds.schema';
import type { HsdsFullOrganization, HsdsPage, HsdsService, HsdsServiceListItem, HsdsTaxonomy, HsdsTaxonomyTerm, HsdsOrganization, HsdsOrganizationListItem } from './hsds.types';

/** HSDS version of the vendored schemas the answers are tested against. */
export const HSDS_VERSION = '3.1';
export const OPEN_DATA_PATH = '/open-data';
/** The most courses a `search` or `postcode` filter takes from the search engine before paging (a larger match is cut there). */
const MAX_SEARCH_MATCHES = 10_000;

/**
 * A deactivated provider is kept with its data (nothing is deleted) and marked with `deactivatedAt`; it and its
 * courses leave the open data until it is active again.
 */
const ACTIVE_PROVIDER: QueryFilter<ProviderRecord> = PUBLIC_PROVIDERS_FILTER;

/** What the mapper never reads (the search index's marks, the edit version) is not sent from MongoDB. */
const COURSE_FIELDS = { search: 0, version: 0 } as const;

export function page<T>(contents: T[], total: number, paging: Paging): HsdsPage<T> {
  const totalPages = Math.ceil(total / paging.per_page);
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: paging.page,
    size: contents.length,
    first_page: paging.page === 1,
    last_page: paging.page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

function conditionFilter(condition: TermCondition): QueryFilter<CourseRecord> {
  switch (condition.kind) {
    case 'group':
      return {};
    case 'value': {
      const field = condition.group === 'course_type' ? 'type' : condition.group;
      return { [field]: condition.value };
    }
    case 'women_only':
      return { womenOnly: true };
    case 'childcare':
      return { 'childcare.available': true };
  }
}

export function createHsdsService(deps: { db: Connection; clock: Clock; search: SearchService; stateProvince: string }) {
  const courses = courseModel(deps.db);
  const providers = providerModel(deps.db);
  const courseIds = createIdIndex(courses, 'service');
  const providerIds = createIdIndex(providers, 'organization');
  const t = createTranslations().forLanguage('de');

  function context(origin: string): MapperContext & { taxonomy: HsdsTaxonomy; termList: TermEntry[] } {
    const { taxonomy, terms } = buildTaxonomy(t, `${origin}${OPEN_DATA_PATH}`);
    return {
      origin,
      t,
      fmt: createFormatters('de', t, deps.clock.now()),
      terms: new Map(terms.map((entry) => [entry.term.code ?? entry.term.id, entry])),
      stateProvince: deps.stateProvince,
      taxonomy,
      termList: terms,
    };
  }

  /** Published courses of active providers: the only ones open data shows (src/courses/public-visibility.ts). */
  async function publicCourseFilter(): Promise<QueryFilter<CourseRecord>> {
    return publicCoursesFilter(deps.db);
  }

  async function providersById(ids: readonly Types.ObjectId[]): Promise<Map<string, MappableProvider>> {
    const unique = [...new Set(ids.map((id) => id.toString()))].map((id) => new Types.ObjectId(id));
    const found = await providers.find({ _id: { $in: unique }, ...ACTIVE_PROVIDER }).lean();
    return new Map(found.map((provider) => [provider._id.toString(), provider]));
  }

  /** The search engine's matches for `search`/`postcode`, in its order; undefined when neither is asked. */
  async function searchMatches(query: ServicesQuery): Promise<Types.ObjectId[] | undefined> {
    if (query.search === undefined && query.postcode === undefined) return undefined;
    const km = (query.proximity ?? DEFAULT_PROXIMITY_METRES) / 1000;
    const searchQuery = searchQuerySchema.parse({
      ...(query.search ? { q: query.search } : {}),
      ...(query.postcode ? { postcode: query.postcode, radiusKm: String(km) } : {}),
      sort: query.postcode && !query.search ? 'distance' : 'relevance',
    });
    const ids = await deps.search.matchingIds(searchQuery, MAX_SEARCH_MATCHES);
    return ids.map((id) => new Types.ObjectId(id));
  }

  async function servicesFilter(query: ServicesQuery, ctx: ReturnType<typeof context>): Promise<QueryFilter<CourseRecord> | undefined> {
    const parts: Array<QueryFilter<CourseRecord>> = [await publicCourseFilter()];
    if (query.modified_after) parts.push({ updatedAt: { $gte: query.modified_after } });
    for (const id of query.taxonomy_term_id ?? []) {
      const entry = ctx.termList.find((candidate) => candidate.term.id === id);
      if (!entry) throw badRequest('invalid_query', 'Invalid query parameter: taxonomy_term_id.', [{ param: 'taxonomy_term_id', message: 'is not a term of /api/hsds/taxonomy_terms' }]);
      parts.push(conditionFilter(entry.condition));
    }
    if (query.organization_id) {
      const providerId = await providerIds.resolve(query.organization_id);
      if (!providerId) return undefined;
      parts.push({ providerId: new Types.ObjectId(providerId) });
    }
    return { $and: parts };
  }

  /** Courses with their providers, the providers loaded in one query for the whole page (never one per course). */
  async function withProviders(found: MappableCourse[]): Promise<Array<{ course: MappableCourse; provider: MappableProvider }>> {
    const byId = await providersById(found.map((course) => course.providerId));
    return found.flatMap((course) => {
      const provider = byId.get(course.providerId.toString());
      return provider ? [{ course, provider }] : [];
    });
  }

  async function services(query: ServicesQuery, origin: string): Promise<HsdsPage<HsdsServiceListItem>> {
    const ctx = context(origin);
    const [filter, matches] = await Promise.all([servicesFilter(query, ctx), searchMatches(query)]);
    if (!filter) return page([], 0, query);
    const skip = (query.page - 1) * query.per_page;
    let total: number;
    let found: MappableCourse[];
    if (matches) {
      // The engine's order (relevance or distance) is kept: MongoDB narrows the matches, the page is cut in that order.
      const allowed = new Set((await courses.find({ $and: [filter, { _id: { $in: matches } }] }, { _id: 1 }).lean()).map((course) => course._id.toString()));
      const ordered = matches.filter((id) => allowed.has(id.toString()));
      total = ordered.length;
      const pageIds = ordered.slice(skip, skip + query.per_page);
      const loaded = new Map((await courses.find({ _id: { $in: pageIds } }, COURSE_FIELDS).lean()).map((course) => [course._id.toString(), course]));
      found = pageIds.flatMap((id) => loaded.get(id.toString()) ?? []);
    } else {
      [total, found] = await Promise.all([courses.countDocuments(filter), courses.find(filter, COURSE_FIELDS).sort({ _id: 1 }).skip(skip).limit(query.per_page).lean()]);
    }
    const rows = await withProviders(found);
    return page(rows.map(({ course, provider }) => toHsdsServiceListItem(course, provider, ctx)), total, query);
  }

  async function service(uuid: string, origin: string): Promise<HsdsService> {
    const id = await courseIds.resolve(uuid);
    const course = id ? await courses.findOne({ $and: [{ _id: new Types.ObjectId(id) }, await publicCourseFilter()] }, COURSE_FIELDS).lean() : null;
    const [row] = course ? await withProviders([course]) : [];
    if (!row) throw notFound('Service');
    return toHsdsService(row.course, row.provider, context(origin));
  }

  async function organizations(query: OrganizationsQuery, origin: string): Promise<HsdsPage<HsdsOrganizationListItem>> {
    const ctx = context(origin);
    const nameFilter = query.search ? { name: { $regex: query.search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' } } : {};
    const filter: QueryFilter<ProviderRecord> = { $and: [ACTIVE_PROVIDER, nameFilter] };
    const skip = (query.page - 1) * query.per_page;
    const [total, found] = await Promise.all([providers.countDocuments(filter), providers.find(filter).sort({ _id: 1 }).skip(skip).limit(query.per_page).lean()]);
    return page(found.map((provider) => toHsdsOrganizationListItem(provider, ctx)), total, query);
  }

  async function organization(uuid: string, origin: string): Promise<HsdsFullOrganization> {
    const id = await providerIds.resolve(uuid);
    const provider = id ? await providers.findOne({ $and: [{ _id: new Types.ObjectId(id) }, ACTIVE_PROVIDER] }).lean() : null;
    if (!provider) throw notFound('Organization');
    const ctx = context(origin);
    const published = await courses.find({ providerId: provider._id, status: 'published' }, COURSE_FIELDS).sort({ _id: 1 }).lean();
    const nested: HsdsOrganization = toHsdsOrganization(provider, ctx);
    return { ...nested, services: published.map((course) => toHsdsService(course, provider, ctx)) };
  }

  function taxonomies(paging: Paging, origin: string): HsdsPage<HsdsTaxonomy> {
    const { taxonomy } = context(origin);
    const all = [taxonomy];
    return page(all.slice((paging.page - 1) * paging.per_page, paging.page * paging.per_page), all.length, paging);
  }

  function taxonomyTerms(query: TaxonomyTermsQuery, origin: string): HsdsPage<HsdsTaxonomyTerm> {
    const all = context(origin)
      .termList.map((entry) => entry.term)
      .filter((term) => query.taxonomy_id === undefined || term.taxonomy_id === query.taxonomy_id)
      .filter((term) => query.parent_id === undefined || term.parent_id === query.parent_id)
      .filter((term) => !query.top_only || term.parent_id === undefined);
    return page(all.slice((query.page - 1) * query.per_page, query.page * query.per_page), all.length, query);
  }

  return { services, service, organizations, organization, taxonomies, taxonomyTerms };
}

export type HsdsApi = ReturnType<typeof createHsdsService>;
