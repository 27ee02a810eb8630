import type { Day, TimeOfDay } from '../courses/course.enums';
import type { Translate } from '../i18n/i18n';
import type { CourseCard } from '../search/search.service';
import type { Formatters } from '../web/format';
import type { ClientProfile } from './client-profile.schema';
import type { ConstraintCode } from './match-constraints';
import { SHORT_WAITLIST, SOON_DAYS, daysBetween, joinableNow, type RankingFact } from './match-ranking';

export type MatchReason = { code: ConstraintCode | RankingFact; text: string };

/** A start within this many days is told as a reason ("starts in 2 weeks"). */
const SOON_TOLD_DAYS = 42;
/** Closer than this is told as a reason of its own. */
const NEAR_KM = 5;
/** Confirmed within this many days is told as a reason ("confirmed 5 days ago"). */
const FRESH_DAYS = 30;
const DAY_MS = 86_400_000;
const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * The texts a counselor reads out to the client, in the profile's language (namespace `matching`); every date,
 * weekday, distance, age and number goes through the site's formatters (src/web/format.ts).
 */
export function createReasonWriter(deps: { t: Translate; fmt: Formatters; profile: ClientProfile; today: string; now: Date }) {
  const { t, fmt, profile, today, now } = deps;
  const slotName = (slot: string) => {
    const [day, time] = slot.split('-') as [Day, TimeOfDay];
    return t(`matching:slot.${time}`, { day: fmt.day(day) });
  };
  const childrenText = (ages: readonly number[]) => fmt.list(ages.map(fmt.ageMonths));
  const childFits = (course: CourseCard, age: number) =>
    (course.childMinAgeMonths === undefined || course.childMinAgeMonths <= age) && (course.childMaxAgeMonths === undefined || age <= course.childMaxAgeMonths);

  /** Why a match holds a constraint the profile sets. */
  function holds(code: ConstraintCode, course: CourseCard): string {
    switch (code) {
      case 'level':
        return t('matching:holds.level', { level: fmt.level(course.level) });
      case 'schedule':
        return course.flexible ? t('matching:holds.scheduleFlexible') : t('matching:holds.schedule', { times: fmt.list(fmt.sessions(course.sessions)) });
      case 'childcare':
        // One child or several: grammar, not a number shown, so two texts rather than plural forms.
        return t(profile.childAgesMonths.length === 1 ? 'matching:holds.childcare' : 'matching:holds.childcareChildren', { ages: childrenText(profile.childAgesMonths) });
      case 'womenOnly':
        return t('matching:holds.womenOnly');
      case 'mode':
        return t('matching:holds.mode', { mode: fmt.mode(course.mode) });
      case 'distance':
        return course.distanceKm === undefined ? t('matching:holds.distanceOnline') : t('matching:holds.distance', { distance: fmt.distance(course.distanceKm) });
      case 'cost':
        return t('matching:holds.cost');
      case 'start':
        return joinableNow(course, today)
          ? t('matching:holds.startRunning', { date: fmt.date(course.startDate) })
          : t('matching:holds.start', { date: fmt.date(course.startDate), by: fmt.date(profile.startBy ?? course.startDate) });
    }
  }

  /** Why a near-miss fails the one constraint it names, with the numbers the client compares. */
  function fails(code: ConstraintCode, course: CourseCard): string {
    switch (code) {
      case 'level':
        return t('matching:fails.level', { level: fmt.level(course.level), wanted: fmt.level(profile.level) });
      case 'schedule': {
        const extra = course.slots.filter((slot) => !profile.slots.includes(slot));
        return t('matching:fails.schedule', { slots: fmt.list(extra.map(slotName)) });
      }
      case 'childcare': {
        if (!course.childcare) return t('matching:fails.noChildcare');
        const misfits = profile.childAgesMonths.filter((age) => !childFits(course, age));
        const key = misfits.length === 1 ? 'matching:fails.childcareAge' : 'matching:fails.childcareAges';
        return t(key, { ages: fmt.childAges(course.childMinAgeMonths, course.childMaxAgeMonths), children: childrenText(misfits) });
      }
      case 'womenOnly':
        return t('matching:fails.womenOnly');
      case 'mode':
        return t('matching:fails.mode');
      case 'distance': {
        const km = course.distanceKm ?? 0;
        // Never "0 km beyond": the course is outside the radius, however little.
        const beyond = Math.max(0.1, round1(km - profile.maxDistanceKm));
        return t('matching:fails.distance', { distance: fmt.distance(km), beyond: fmt.distance(beyond), max: fmt.distance(profile.maxDistanceKm) });
      }
      case 'cost':
        return t('matching:fails.cost');
      case 'start':
        return t('matching:fails.start', { date: fmt.date(course.startDate), by: fmt.date(profile.startBy ?? course.startDate) });
    }
  }

  /** The ranking facts that apply to a match, each told as the client would check it. */
  function facts(course: CourseCard): MatchReason[] {
    const told: MatchReason[] = [];
    const untilStart = daysBetween(today, course.startDate);
    if (joinableNow(course, today)) told.push({ code: 'soon', text: t('matching:fact.soonRunning') });
    else if (untilStart === 0) told.push({ code: 'soon', text: t('matching:fact.soonToday') });
    else if (untilStart < SOON_DAYS) told.push({ code: 'soon', text: t('matching:fact.soonDays', { count: untilStart }) });
    else if (untilStart <= SOON_TOLD_DAYS) told.push({ code: 'soon', text: t('matching:fact.soonWeeks', { count: Math.floor(untilStart / 7) }) });

    if (course.seatsAvailable !== null && course.seatsAvailable > 0) told.push({ code: 'seats', text: t('matching:fact.seats', { count: course.seatsAvailable }) });
    else if (course.seatsAvailable === 0 && course.waitlist !== null && course.waitlist <= SHORT_WAITLIST) {
      told.push({ code: 'seats', text: t('matching:fact.waitlist', { count: course.waitlist }) });
    }

    if (profile.location && course.distanceKm !== undefined && course.distanceKm <= NEAR_KM) {
      told.push({ code: 'near', text: t('matching:fact.near', { distance: fmt.distance(course.distanceKm) }) });
    }
    if (now.getTime() - course.lastConfirmedAt <= FRESH_DAYS * DAY_MS) told.push({ code: 'fresh', text: t('matching:fact.fresh', { ago: fmt.ago(course.lastConfirmedAt) }) });
    if (profile.womenOnly === 'preferred' && course.womenOnly) told.push({ code: 'womenPreferred', text: t('matching:fact.womenPreferred') });
    return told;
  }

  return {
    /** One reason per constraint the profile sets, then the ranking facts that apply. */
    matchReasons(course: CourseCard, constraints: readonly ConstraintCode[]): MatchReason[] {
      return [...constraints.map((code) => ({ code, text: holds(code, course) })), ...facts(course)];
    },
    nearMissReason: fails,
  };
}
