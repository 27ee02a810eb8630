import type { Settings } from 'meilisearch';

export const COURSE_INDEX_SETTINGS: Settings = {
  searchableAttributes: ['title', 'providerName', 'city', 'description'],
  filterableAttributes: [
    'status', 'providerId', 'type', 'level', 'mode', 'days', 'timeOfDay', 'childcare', 'childMinAgeMonths',
    'childMaxAgeMonths', 'womenOnly', 'free', 'seatsAvailable', 'startDate', 'endDate', 'rollingEntry', '_geo',
  ],
  sortableAttributes: ['startDate', 'lastConfirmedAt', 'staleRank', '_geo'],
  // `sort` first: an explicit order wins, and under relevance stale listings sink below fresh ones.
  rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'],
  displayedAttributes: ['*'],
  pagination: { maxTotalHits: 1_000_000 },
  faceting: { maxValuesPerFacet: 100 },
};
