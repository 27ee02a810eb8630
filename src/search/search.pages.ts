import { Router } from 'express';
import type { AppServices } from '../app-services';
import { parseInput } from '../lib/validation';
import type { PageLocals } from '../web/page-context';
import { guidedForm } from './search-form';
import { activeFilterChips, facetOptions, paging, relaxations, sortOptions, weekGrid, RESULTS_PATH } from './results-view';
import { searchQuerySchema, type SearchQuery } from './search-query.schema';
import { searchHref, searchParamsOf } from './search-url';

/** Parameters the results page's filter form has no control for: carried along as hidden fields. */
function hiddenParams(query: SearchQuery): Array<[string, string]> {
  const shown = new Set(['lang', 'q', 'place', 'postcode', 'radiusKm', 'includeOnline', 'level', 'slots', 'childcare', 'womenOnly', 'free', 'seats', 'mode', 'type', 'startFrom', 'sort', 'page']);
  return [...searchParamsOf(query).entries()].filter(([name]) => !shown.has(name));
}

const POSTCODE = /^\s*(\d{5})\s*$/;

/** `/` (the guided search) and `/courses` (results): the API's query schema and search service, rendered. */
export function searchPages(services: AppServices): Router {
  const router = Router();
  const { map } = services.deps.config;

  router.get('/', (req, res) => {
    const { fmt, t } = res.locals as PageLocals;
    res.render('search/start', { form: guidedForm(req.query, fmt, t) });
  });

  router.get(RESULTS_PATH, async (req, res) => {
    const locals = res.locals as PageLocals;
    // One field for "postcode or place" on the forms: five digits are a postcode, and the address says so. A place
    // typed into a form that still carries an earlier "my location" (hidden `near`) replaces that location.
    const placeText = typeof req.query.place === 'string' ? req.query.place.trim() : '';
    const typed = POSTCODE.exec(placeText);
    if ((typed && req.query.postcode === undefined) || (placeText !== '' && typeof req.query.near === 'string' && req.query.near !== '')) {
      const url = new URL(req.originalUrl, 'http://site.invalid');
      url.searchParams.delete('near');
      if (typed) {
        url.searchParams.delete('place');
        url.searchParams.set('postcode', typed[1] ?? '');
      }
      res.redirect(303, `${url.pathname}?${url.searchParams.toString()}`);
      return;
    }
    const query: SearchQuery = { ...parseInput(searchQuerySchema, req.query, 'query'), lang: locals.lang };
    const result = await services.search.searchCards(query);
    const { fmt, t } = locals;
    res.render('search/results', {
      query,
      result,
      view: {
        title: t('search:results.pageTitle', { count: result.total }),
        chips: activeFilterChips(query, fmt, t),
        facets: facetOptions(query, result, fmt),
        grid: weekGrid(query.slots ?? [], fmt, t, result.facets.slots),
        sorts: sortOptions(query, t),
        paging: paging(query, result.total),
        relaxations: result.total === 0 ? relaxations(query, result, fmt, t) : [],
        hidden: hiddenParams(query),
        calendarHref: searchHref('/api/v1/courses.ics', { ...query, page: 1, perPage: 20 }),
        map: { tileUrl: map.tileUrl, attribution: map.attribution },
      },
    });
  });

  return router;
}
