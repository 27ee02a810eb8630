import type { Settings } from 'meilisearch';

/** The live index is `<prefix>courses`; a rebuild fills `<prefix>courses_build_…` and swaps it in. */
export const COURSE_INDEX = 'courses';

export const COURSE_INDEX_SETTINGS: Settings = {
  searchableAttributes: ['title', 'providerName', 'city', 'description'],
  filterableAttributes: [
    'status', 'type', 'level', 'mode', 'days', 'timeOfDay', 'slots', 'childcare', 'childMinAgeMonths',
    'childMaxAgeMonths', 'womenOnly', 'free', 'seatsAvailable', 'startDate', 'endDate', 'rollingEntry', '_geo',
  ],
  sortableAttributes: ['startDate', 'lastConfirmedAt', 'staleRank', '_geo'],
  // `sort` first: an explicit order wins, and under relevance stale listings sink below fresh ones.
  rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'],
  displayedAttributes: ['*'],
  // Measured on 100,000 courses (bench/README.md): word proximity per attribute instead of per word position
  // cut bulk indexing from ~35 s to ~27 s; facet-value search is an endpoint this app never calls.
  proximityPrecision: 'byAttribute',
  facetSearch: false,
  pagination: { maxTotalHits: 1_000_000 },
  faceting: { maxValuesPerFacet: 100 },
};
