import { dateToNumber } from '../lib/calendar';
import type { LocalizedText } from '../lib/localized-text';
import { courseFacts } from '../courses/course-facts';
import type { CourseType, Day, Level, Mode, Slot, TimeOfDay } from '../courses/course.enums';
import type { CourseRecord } from '../courses/course.model';

/** Childcare without an age bound accepts every age: the index stores the widest bounds instead. */
const NO_MIN_AGE = 0;
const NO_MAX_AGE = 9999;

/** The derived search document of one published course (MongoDB stays the source of truth). */
export type CourseSearchDocument = {
  id: string;
  version: number;
  status: 'published';
  providerId: string;
  providerName: string;
  title: LocalizedText;
  description: LocalizedText;
  city: string | null;
  venue: { city: string; postcode: string; lat: number; lng: number } | null;
  _geo?: { lat: number; lng: number };
  type: CourseType;
  level: Level;
  targetLevel: Level;
  mode: Mode;
  days: Day[];
  timeOfDay: TimeOfDay[];
  slots: Slot[];
  /** shown on result cards: the meeting times as the provider wrote them, in the course's time zone */
  sessions: Array<{ day: Day; start: string; end: string }>;
  timezone: string;
  flexible: boolean;
  childcare: boolean;
  childMinAgeMonths: number;
  childMaxAgeMonths: number;
  womenOnly: boolean;
  free: boolean;
  seatsAvailable: number | null;
  waitlist: number | null;
  startDate: number;
  endDate: number;
  startDateIso: string;
  endDateIso: string;
  rollingEntry: boolean;
  lastConfirmedAt: number;
  /** 0 fresh, 1 stale: stale listings sink under relevance */
  staleRank: 0 | 1;
};

export function toSearchDocument(course: CourseRecord, providerName: string, now: Date): CourseSearchDocument {
  const facts = courseFacts(course, course.lastConfirmedAt, now);
  const venue = course.mode === 'online' || !course.venue ? null : course.venue;
  return {
    id: course._id.toString(),
    version: course.version,
    status: 'published',
    providerId: course.providerId.toString(),
    providerName,
    title: course.title,
    description: course.description ?? {},
    city: venue?.city ?? null,
    venue: venue ? { city: venue.city, postcode: venue.postcode, lat: venue.lat, lng: venue.lng } : null,
    ...(venue ? { _geo: { lat: venue.lat, lng: venue.lng } } : {}),
    type: course.type,
    level: course.level,
    targetLevel: course.targetLevel,
    mode: course.mode,
    days: facts.days,
    timeOfDay: facts.timeOfDay,
    slots: facts.slots,
    sessions: course.schedule.sessions.map(({ day, start, end }) => ({ day, start, end })),
    timezone: course.schedule.timezone,
    flexible: facts.flexible,
    childcare: course.childcare.available,
    childMinAgeMonths: course.childcare.available ? (course.childcare.minAgeMonths ?? NO_MIN_AGE) : NO_MIN_AGE,
    childMaxAgeMonths: course.childcare.available ? (course.childcare.maxAgeMonths ?? NO_MAX_AGE) : NO_MAX_AGE,
    womenOnly: course.womenOnly,
    free: course.cost.free,
    seatsAvailable: course.seats?.available ?? null,
    waitlist: course.seats?.waitlist ?? null,
    startDate: dateToNumber(course.startDate),
    endDate: dateToNumber(course.endDate),
    startDateIso: course.startDate,
    endDateIso: course.endDate,
    rollingEntry: course.rollingEntry,
    lastConfirmedAt: course.lastConfirmedAt.getTime(),
    staleRank: facts.stale ? 1 : 0,
  };
}
