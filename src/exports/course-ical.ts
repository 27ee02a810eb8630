import ical, { ICalWeekday } from 'ical-generator';
import { DateTime } from 'luxon';
import { DAYS, type Day } from '../courses/course.enums';
import type { CourseResponse } from '../courses/course.presenter';
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

function atTime(date: DateTime, time: string): DateTime {
  const [hour, minute] = time.split(':').map(Number);
  return date.set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 });
}

/**
 * One calendar file per course: a weekly repeating event per session, in the course's own time zone,
 * from the first such weekday on or after the start date until the end date. A flexible course
 * (no fixed sessions) is one all-day event over its whole period.
 */
export function courseToICal(course: CourseResponse, lang: string, url: string): string {
  const zone = course.schedule.timezone;
  const title = pickLocalized(course.title, lang);
  const description = [pickLocalized(course.description, lang), url].filter(Boolean).join('\n\n');
  const location = course.venue ? `${course.venue.name}, ${course.venue.street}, ${course.venue.postcode} ${course.venue.city}` : undefined;
  const calendar = ical({ name: title, prodId: { company: 'Sprachkursfinder', product: 'courses', language: lang.toUpperCase() }, timezone: zone });
  const start = DateTime.fromISO(course.startDate, { zone });
  const until = DateTime.fromISO(course.endDate, { zone }).endOf('day');
  const common = { summary: title, description, url, ...(location ? { location } : {}) };

  if (course.schedule.flexible) {
    calendar.createEvent({ ...common, id: `${course.id}@sprachkursfinder`, start: start.toISODate() ?? '', end: until.plus({ days: 1 }).toISODate() ?? '', allDay: true });
    return calendar.toString();
  }
  course.schedule.sessions.forEach((session, index) => {
    const offset = (DAYS.indexOf(session.day) - (start.weekday - 1) + 7) % 7;
    const firstDay = start.plus({ days: offset });
    if (firstDay > until) return;
    calendar.createEvent({
      ...common,
      id: `${course.id}-${index}@sprachkursfinder`,
      timezone: zone,
      start: atTime(firstDay, session.start),
      end: atTime(firstDay, session.end),
      // RFC 5545: with a TZID start, UNTIL must be in UTC; the library would write it as local time.
      repeating: `FREQ=WEEKLY;BYDAY=${WEEKDAYS[session.day]};UNTIL=${until.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'")}`,
    });
  });
  return calendar.toString();
}
