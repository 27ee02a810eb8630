/**
 * Test oracle for matching (domain.md → Matching): which arranged courses a client can still join, and which hard
 * constraints each one holds, decided from the domain's table through the search oracle (search-oracle.ts) — nothing
 * of the matching service (no constraint parameters, no filter builder).
 */
import type { ClientProfile } from '../../src/matching/client-profile.schema';
import { oracleMatches, type ArrangedCourse, type OracleContext, type OracleQuery } from './search-oracle';

export const ORACLE_CONSTRAINTS = ['level', 'schedule', 'childcare', 'womenOnly', 'mode', 'distance', 'cost', 'start'] as const;
export type OracleConstraint = (typeof ORACLE_CONSTRAINTS)[number];

/** Each constraint the profile sets as a search-oracle query (the table "as a search filter"). */
export function constraintQueries(profile: ClientProfile): Partial<Record<OracleConstraint, OracleQuery>> {
  const queries: Partial<Record<OracleConstraint, OracleQuery>> = { level: { level: [profile.level] } };
  if (profile.slots.length > 0) queries.schedule = { slots: profile.slots };
  if (profile.childAgesMonths.length > 0) queries.childcare = { childAgeMonths: profile.childAgesMonths };
  if (profile.womenOnly === 'required') queries.womenOnly = { womenOnly: true };
  if (!profile.onlinePossible) queries.mode = { mode: ['in_person', 'hybrid'] };
  if (profile.location) queries.distance = { ...profile.location, radiusKm: profile.maxDistanceKm, includeOnline: true };
  if (profile.freeOnly) queries.cost = { free: true };
  if (profile.startBy) queries.start = { startTo: profile.startBy };
  return queries;
}

/** The constraints of the profile this course fails, or undefined when the client cannot join it at all. */
export function failedConstraints(course: ArrangedCourse, profile: ClientProfile, today: string, ctx: OracleContext = {}): OracleConstraint[] | undefined {
  if (!oracleMatches(course, { startFrom: today }, ctx)) return undefined;
  const queries = constraintQueries(profile);
  return ORACLE_CONSTRAINTS.filter((code) => {
    const query = queries[code];
    return query !== undefined && !oracleMatches(course, query, ctx);
  });
}

/** The ids of the matches, and per constraint the ids of the courses failing exactly that one (all sorted). */
export function expectedMatching(courses: readonly ArrangedCourse[], profile: ClientProfile, today: string, ctx: OracleContext = {}) {
  const matches: string[] = [];
  const failingOnly: Partial<Record<OracleConstraint, string[]>> = {};
  for (const course of courses) {
    const failed = failedConstraints(course, profile, today, ctx);
    if (failed === undefined) continue;
    if (failed.length === 0) matches.push(course.id);
    const [only] = failed;
    if (failed.length === 1 && only) (failingOnly[only] ??= []).push(course.id);
  }
  for (const ids of Object.values(failingOnly)) ids.sort();
  return { matches: matches.sort(), failingOnly };
}

/** domain.md: with no match, the constraint whose removal admits the most courses (first in the table on a tie). */
export function expectedExcludedMost(failingOnly: Partial<Record<OracleConstraint, string[]>>): OracleConstraint | undefined {
  let best: OracleConstraint | undefined;
  for (const code of ORACLE_CONSTRAINTS) {
    const count = failingOnly[code]?.length ?? 0;
    if (count > 0 && (best === undefined || count > (failingOnly[best]?.length ?? 0))) best = code;
  }
  return best;
}
