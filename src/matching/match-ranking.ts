import { STALE_AFTER_DAYS } from '../courses/course-facts';
import type { CourseCard } from '../search/search.service';
import type { ClientProfile } from './client-profile.schema';

/** The ranking facts of domain.md → Matching, in their order of weight. */
export const RANKING_FACTS = ['soon', 'seats', 'near', 'fresh', 'womenPreferred'] as const;
export type RankingFact = (typeof RANKING_FACTS)[number];

/**
 * How much each fact counts in a match's score (together 1, so the score stays in [0, 1]). domain.md orders them
 * "starts soon or rolling entry, seats (short waitlist next), closer, recently confirmed, women-only when preferred";
 * halving from one to the next (16, 8, 4, 2, 1 of 31) makes each weight larger than all lower ones together, so a
 * course that is fully ahead on one fact stays ahead of a course that is fully ahead on every fact below it.
 */
export const RANKING_WEIGHTS: Readonly<Record<RankingFact, number>> = {
  soon: 16 / 31,
  seats: 8 / 31,
  near: 4 / 31,
  fresh: 2 / 31,
  womenPreferred: 1 / 31,
};

/** Joinable now (running with rolling entry) or starting within this many days: as soon as it gets. */
export const SOON_DAYS = 14;
/** A start this far away or later counts as not soon at all; in between the value falls linearly. */
const START_HORIZON_DAYS = 180;
/** Full, with at most this many people waiting: a short waiting list (shown as a reason). */
export const SHORT_WAITLIST = 5;
/** What a full course with an empty waiting list is worth against free seats; each waiting person lowers it. */
const FULL_EMPTY_WAITLIST = 0.5;
/** Seats not reported: below a full course with a short waiting list, above a long one. */
const SEATS_UNKNOWN = 0.2;
/** An online-only course needs no journey but is not "close" either: halfway. */
const ONLINE_NEARNESS = 0.5;

const DAY_MS = 86_400_000;

/** Whole days from `today` to `date` (both `YYYY-MM-DD`); negative when `date` is past. */
export function daysBetween(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/** Running with rolling entry: people join while it runs (a match's startDate ≥ today otherwise). */
export function joinableNow(course: Pick<CourseCard, 'rollingEntry' | 'startDate'>, today: string): boolean {
  return course.rollingEntry && course.startDate <= today;
}

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));

/** What the ranking reads of a course: a match's card, or the same fields straight from a search document. */
export type RankedCourse = Pick<CourseCard, 'startDate' | 'rollingEntry' | 'seatsAvailable' | 'waitlist' | 'distanceKm' | 'lastConfirmedAt' | 'womenOnly'>;

/** Each fact's value in [0, 1] for one match (1 = as good as it gets). */
export function rankingValues(course: RankedCourse, profile: ClientProfile, today: string, now: Date): Record<RankingFact, number> {
  const untilStart = daysBetween(today, course.startDate);
  const soon = joinableNow(course, today) || untilStart <= SOON_DAYS ? 1 : clamp01(1 - (untilStart - SOON_DAYS) / (START_HORIZON_DAYS - SOON_DAYS));

  let seats: number;
  if (course.seatsAvailable !== null && course.seatsAvailable > 0) seats = 1;
  else if (course.seatsAvailable === 0 && course.waitlist !== null) seats = FULL_EMPTY_WAITLIST / (1 + course.waitlist / SHORT_WAITLIST);
  else seats = SEATS_UNKNOWN;

  let near = 0;
  if (profile.location) near = course.distanceKm === undefined ? ONLINE_NEARNESS : clamp01(1 - course.distanceKm / profile.maxDistanceKm);

  const fresh = clamp01(1 - (now.getTime() - course.lastConfirmedAt) / (STALE_AFTER_DAYS * DAY_MS));
  const womenPreferred = profile.womenOnly === 'preferred' && course.womenOnly ? 1 : 0;
  return { soon, seats, near, fresh, womenPreferred };
}

/** The weighted sum of the facts, in [0, 1], rounded to 4 places (enough to order, short in JSON). */
export function matchScore(values: Record<RankingFact, number>): number {
  const sum = RANKING_FACTS.reduce((total, fact) => total + RANKING_WEIGHTS[fact] * values[fact], 0);
  return Math.round(clamp01(sum) * 10_000) / 10_000;
}
