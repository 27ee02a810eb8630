import { DateTime } from 'luxon';
import { DAYS, type Day } from '../courses/course.enums';
import type { CourseContent } from '../courses/course.schema';
import { hsdsId } from './hsds-ids';
import type { HsdsSchedule } from './hsds.types';

const BYDAY: Record<Day, string> = { mon: 'MO', tue: 'TU', wed: 'WE', thu: 'TH', fri: 'FR', sat: 'SA', sun: 'SU' };
const MS_PER_DAY = 86_400_000;

type Session = CourseContent['schedule']['sessions'][number];
type ScheduledCourse = Pick<CourseContent, 'schedule' | 'startDate' | 'endDate'>;

/** Texts a schedule carries, in the data's language (the service passes its translations). */
export type ScheduleTexts = {
  zoneNote(zone: string, offset: string): string;
  flexible: string;
  attendingType: string;
};

/** `+01:00` for 60 minutes east of UTC. */
function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The UTC offset, in minutes, of a wall-clock time on a calendar date in a zone (luxon knows the zone's rules). */
function offsetAt(date: string, time: string, zone: string): number {
  return DateTime.fromISO(`${date}T${time}`, { zone }).offset;
}

/** Calendar dates from start to end (inclusive) on which one of `days` falls; plain UTC arithmetic, no zone needed. */
function occurrences(startDate: string, endDate: string, days: ReadonlySet<Day>): string[] {
  const dates: string[] = [];
  const end = Date.parse(`${endDate}T00:00:00Z`);
  for (let ms = Date.parse(`${startDate}T00:00:00Z`); ms <= end; ms += MS_PER_DAY) {
    const weekday = DAYS[(new Date(ms).getUTCDay() + 6) % 7];
    if (weekday && days.has(weekday)) dates.push(new Date(ms).toISOString().slice(0, 10));
  }
  return dates;
}

/** Sessions with the same times share one schedule (`byday` lists their days), in the week's order. */
function groupByTimes(sessions: readonly Session[]): Array<{ start: string; end: string; days: Day[] }> {
  const groups = new Map<string, { start: string; end: string; days: Day[] }>();
  for (const session of sessions) {
    const key = `${session.start}-${session.end}`;
    const group = groups.get(key) ?? { start: session.start, end: session.end, days: [] };
    if (!group.days.includes(session.day)) group.days.push(session.day);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((group) => ({ ...group, days: [...group.days].sort((a, b) => DAYS.indexOf(a) - DAYS.indexOf(b)) }))
    .sort((a, b) => a.start.localeCompare(b.start) || DAYS.indexOf(a.days[0] ?? 'mon') - DAYS.indexOf(b.days[0] ?? 'mon'));
}

/**
 * A course's weekly sessions as HSDS schedules. HSDS writes times with a UTC offset (`09:00+01:00`) and has no field
 * for a zone name, so where a course runs across a change between winter and summer time its sessions become one
 * schedule per period of the same offset (`dtstart`/`until` are that period's first and last meeting); the IANA
 * zone is named in `notes`. A flexible course gets one schedule that says so, without times.
 */
export function toHsdsSchedules(courseId: string, course: ScheduledCourse, texts: ScheduleTexts): HsdsSchedule[] {
  const zone = course.schedule.timezone;
  const base = { service_id: hsdsId('service', courseId), attending_type: texts.attendingType };
  if (course.schedule.flexible || course.schedule.sessions.length === 0) {
    return [{ id: hsdsId('schedule', courseId, 'flexible'), ...base, valid_from: course.startDate, valid_to: course.endDate, description: texts.flexible }];
  }
  const schedules: HsdsSchedule[] = [];
  for (const group of groupByTimes(course.schedule.sessions)) {
    // Consecutive meetings whose opening and closing offsets are the same form one period.
    const periods: Array<{ dates: string[]; opens: number; closes: number }> = [];
    for (const date of occurrences(course.startDate, course.endDate, new Set(group.days))) {
      const opens = offsetAt(date, group.start, zone);
      const closes = offsetAt(date, group.end, zone);
      const last = periods[periods.length - 1];
      if (last && last.opens === opens && last.closes === closes) last.dates.push(date);
      else periods.push({ dates: [date], opens, closes });
    }
    for (const period of periods) {
      const first = period.dates[0] ?? course.startDate;
      const until = period.dates[period.dates.length - 1] ?? course.endDate;
      const byday = group.days.map((day) => BYDAY[day]).join(',');
      schedules.push({
        id: hsdsId('schedule', courseId, byday, group.start, group.end, first),
        ...base,
        // The whole course's dates when it has one period; a period's own meetings otherwise.
        valid_from: periods.length === 1 ? course.startDate : first,
        valid_to: periods.length === 1 ? course.endDate : until,
        dtstart: first,
        until,
        timezone: period.opens / 60,
        wkst: 'MO',
        freq: 'WEEKLY',
        interval: 1,
        byday,
        opens_at: `${group.start}${offsetText(period.opens)}`,
        closes_at: `${group.end}${offsetText(period.closes)}`,
        notes: texts.zoneNote(zone, offsetText(period.opens)),
      });
    }
  }
  return schedules;
}
