import { DAYS, SLOTS, TIMES_OF_DAY, slotOf, type Day, type Slot, type TimeOfDay } from './course.enums';
import { minutesOfDay } from '../lib/calendar';
import type { CourseContent } from './course.schema';

/** A listing not confirmed for this many days is stale: it is marked and sinks in ranking. */
export const STALE_AFTER_DAYS = 90;
const DAY_MS = 86_400_000;

/** Session start times are wall-clock times in the course's own time zone, so the bucket is read off directly. */
export function timeOfDayOf(start: string): TimeOfDay {
  const minutes = minutesOfDay(start);
  if (minutes < 12 * 60) return 'morning';
  if (minutes < 17 * 60) return 'afternoon';
  return 'evening';
}

export type CourseFacts = { days: Day[]; timeOfDay: TimeOfDay[]; slots: Slot[]; flexible: boolean; stale: boolean };

/** Listings confirmed before this moment are stale. */
export function staleBefore(now: Date): Date {
  return new Date(now.getTime() - STALE_AFTER_DAYS * DAY_MS);
}

export function isStale(lastConfirmedAt: Date, now: Date): boolean {
  return lastConfirmedAt.getTime() < staleBefore(now).getTime();
}

/**
 * The derived values of domain.md, computed in this one place for the search index, the API,
 * the pages and the test oracle. Days, buckets and slots (`day-timeOfDay` of each session) come out in calendar
 * order; all are empty when flexible.
 */
export function courseFacts(course: Pick<CourseContent, 'schedule'>, lastConfirmedAt: Date, now: Date): CourseFacts {
  const { flexible, sessions } = course.schedule;
  const days = new Set(flexible ? [] : sessions.map((s) => s.day));
  const buckets = new Set(flexible ? [] : sessions.map((s) => timeOfDayOf(s.start)));
  const slots = new Set(flexible ? [] : sessions.map((s) => slotOf(s.day, timeOfDayOf(s.start))));
  return {
    days: DAYS.filter((d) => days.has(d)),
    timeOfDay: TIMES_OF_DAY.filter((t) => buckets.has(t)),
    slots: SLOTS.filter((slot) => slots.has(slot)),
    flexible,
    stale: isStale(lastConfirmedAt, now),
  };
}
