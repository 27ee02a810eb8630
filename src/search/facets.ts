import { COURSE_TYPES, DAYS, LEVELS, MODES, SLOTS, TIMES_OF_DAY } from '../courses/course.enums';

/** Facet groups, their index attribute, and every value a count is reported for (0 included). */
export const FACETS = {
  level: LEVELS,
  type: COURSE_TYPES,
  mode: MODES,
  days: DAYS,
  timeOfDay: TIMES_OF_DAY,
  slots: SLOTS,
  childcare: ['true', 'false'],
  womenOnly: ['true', 'false'],
  free: ['true', 'false'],
} as const;

export type FacetGroup = keyof typeof FACETS;
export const FACET_GROUPS = Object.keys(FACETS) as FacetGroup[];
export type FacetCounts = Record<FacetGroup, Record<string, number>>;
