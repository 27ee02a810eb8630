import ical, { ICalWeekday, type ICalCalendar } from 'ical-generator';
import { DateTime } from 'luxon';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';
import { DAYS, type Day } from '../courses/course.enums';
import type { CourseContent } from '../courses/course.schema';
import { pickLocalized } from '../lib/localized-text';

const WEEKDAYS: Record<Day, ICalWeekday> = {
  mon: ICalWeekday.MO,
  tue: ICalWeekday.TU,
  wed: ICalWeekday.WE,
  thu: ICalWeekday.TH,
  fri: ICalWeekday.FR,
  sat: ICalWeekday.SA,
  sun: ICalWeekday.SU,
};

/** What a calendar entry needs of a course: the API's course, or a stored one with its id as a string. */
export type CalendarCourse = Pick<CourseContent, 'title' | 'description' | 'venue' | 'schedule' | 'startDate' | 'endDate'> & {
  id: string;
  updatedAt: string | Date;
};

/**
 * The VTIMEZONE library's zone names by lower case: the course schema accepts any zone name `Intl` accepts,
 * and `Intl` ignores case, so `europe/berlin` must still find the `Europe/Berlin` definition.
 */
const ICAL_ZONES = new Map([tzlib_get_timezones()].flat().map((zone) => [zone.toLowerCase(), zone]));

/** The zone's name as the VTIMEZONE library spells it, or undefined when it has no definition for it. */
function icalZone(zone: string): string | undefined {
  return ICAL_ZONES.get(zone.toLowerCase());
}

/** The VTIMEZONE component that RFC 5545 requires for every TZID a file uses (current tzdata, from the library). */
function vtimezone(zone: string): string | null {
  const block = icalZone(zone) ? tzlib_get_ical_block(zone) : undefined;
  return Array.isArray(block) ? (block[0] ?? null) : null;
}

/**
 * A calendar that writes a VTIMEZONE for each zone its events use. It has no calendar-wide zone on purpose:
 * ical-generator would then write DTSTAMP in that zone's local time, and RFC 5545 wants DTSTAMP in UTC.
 */
export function createCalendar(name: string, lang: string): ICalCalendar {
  return ical({
    name,
    prodId: { company: 'Sprachkursfinder', product: 'courses', language: lang.toUpperCase() },
    timezone: { name: null, generator: vtimezone },
  });
}

/** A wall-clock time on a calendar date, in a zone: the only step that needs the zone's offsets. */
function atTime(date: DateTime, time: string, zone: string): DateTime {
  const [hour, minute, second] = time.split(':').map(Number);
  return DateTime.fromObject({ year: date.year, month: date.month, day: date.day, hour: hour ?? 0, minute: minute ?? 0, second: second ?? 0 }, { zone });
}

/**
 * Adds a course to a calendar: a weekly repeating event per session, in the course's own time zone, from the
 * first such weekday on or after the start date until the end date. A flexible course (no fixed sessions) is
 * one all-day event over its whole period. A session's UID is its course, weekday and start time (not its position
 * in the list, which shifts when another session is removed), so a subscribed calendar updates an event instead
 * of duplicating it or moving it to another day.
 */
export function addCourseEvents(calendar: ICalCalendar, course: CalendarCourse, lang: string, url: string): void {
  const title = pickLocalized(course.title, lang);
  const description = [pickLocalized(course.description, lang), url].filter(Boolean).join('\n\n');
  const location = course.venue ? `${course.venue.name}, ${course.venue.street}, ${course.venue.postcode} ${course.venue.city}` : undefined;
  // Date arithmetic in UTC, where it needs no time-zone lookups: those (Intl) made up most of a 500-course feed's time.
  const firstDate = DateTime.fromISO(course.startDate, { zone: 'utc' });
  const lastDate = DateTime.fromISO(course.endDate, { zone: 'utc' });
  // RFC 5545 reads DTSTAMP of a file without METHOD as the last revision of the information.
  const revised = new Date(course.updatedAt);
  const common = { summary: title, description, url, stamp: revised, lastModified: revised, ...(location ? { location } : {}) };

  if (course.schedule.flexible) {
    calendar.createEvent({ ...common, id: `${course.id}@sprachkursfinder`, start: firstDate.toISODate() ?? '', end: lastDate.plus({ days: 1 }).toISODate() ?? '', allDay: true });
    return;
  }
  // A zone without a VTIMEZONE definition (none known today) is written in UTC: valid, if blind to daylight saving.
  const tzid = icalZone(course.schedule.timezone);
  const zone = tzid ?? course.schedule.timezone;
  // RFC 5545: with a TZID start, UNTIL must be in UTC (the library would write it as local time).
  const until = atTime(lastDate, '23:59:59', zone).toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");
  const seen = new Map<string, number>();
  for (const session of course.schedule.sessions) {
    const key = `${session.day}-${session.start.replace(':', '')}`;
    const repeat = seen.get(key) ?? 0;
    seen.set(key, repeat + 1);
    const firstDay = firstDate.plus({ days: (DAYS.indexOf(session.day) - (firstDate.weekday - 1) + 7) % 7 });
    if (firstDay > lastDate) continue;
    calendar.createEvent({
      ...common,
      id: `${course.id}-${key}${repeat > 0 ? `-${repeat}` : ''}@sprachkursfinder`,
      timezone: tzid ?? null,
      start: atTime(firstDay, session.start, zone),
      end: atTime(firstDay, session.end, zone),
      repeating: `FREQ=WEEKLY;BYDAY=${WEEKDAYS[session.day]};UNTIL=${until}`,
    });
  }
}

/** One calendar file for one course. */
export function courseToICal(course: CalendarCourse, lang: string, url: string): string {
  const calendar = createCalendar(pickLocalized(course.title, lang), lang);
  addCourseEvents(calendar, course, lang, url);
  return calendar.toString();
}
