/** Reading calendar files back the way a calendar app does (ical.js), for the iCal suites. */
import ICAL from 'ical.js';
import { DateTime } from 'luxon';

export type CalendarEvent = {
  uid: string;
  summary: string;
  /** the TZID of DTSTART, null for all-day and UTC times */
  tzid: string | null;
  allDay: boolean;
  /** DTSTART/DTEND as local wall-clock time in `tzid` (all-day: the dates) */
  start: DateTime;
  end: DateTime;
  rrule: ICAL.Recur | null;
  event: ICAL.Event;
};

export type ParsedCalendar = { name: string | null; zones: string[]; events: CalendarEvent[] };

const toLuxon = (time: ICAL.Time, zone: string | null) =>
  time.isDate ? DateTime.fromObject({ year: time.year, month: time.month, day: time.day }, { zone: 'utc' }) : DateTime.fromJSDate(time.toJSDate(), { zone: zone ?? 'utc' });

/**
 * Parses with ical.js (it throws on malformed content lines and structure) and checks what RFC 5545 asks
 * beyond that: VERSION and PRODID, a VTIMEZONE for every TZID used, UID/DTSTAMP on every event, DTSTAMP in UTC.
 * Times are resolved only through the file's own VTIMEZONEs: nothing is registered with ical.js, so a missing
 * or wrong definition shows as a wrong local time.
 */
export function parseCalendar(text: string): ParsedCalendar {
  const root = new ICAL.Component(ICAL.parse(text));
  expect(root.name).toBe('vcalendar');
  expect(root.getFirstPropertyValue('version')).toBe('2.0');
  expect(root.getFirstPropertyValue('prodid')).toBeTruthy();
  const zones = root.getAllSubcomponents('vtimezone').map((zone) => String(zone.getFirstPropertyValue('tzid')));
  expect(new Set(zones).size).toBe(zones.length);

  const events = root.getAllSubcomponents('vevent').map((vevent): CalendarEvent => {
    for (const property of vevent.getAllProperties()) {
      const tzid = property.getParameter('tzid');
      if (tzid !== undefined) expect(zones).toContain(tzid);
    }
    const stamp = vevent.getFirstProperty('dtstamp');
    expect(stamp?.toICALString()).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
    const event = new ICAL.Event(vevent);
    expect(event.uid).toBeTruthy();
    const tzidParam = vevent.getFirstProperty('dtstart')?.getParameter('tzid');
    const tzid = typeof tzidParam === 'string' ? tzidParam : null;
    const rrule = vevent.getFirstPropertyValue('rrule');
    return {
      uid: event.uid,
      summary: event.summary,
      tzid,
      allDay: event.startDate.isDate,
      start: toLuxon(event.startDate, tzid),
      end: toLuxon(event.endDate, tzid),
      rrule: rrule instanceof ICAL.Recur ? rrule : null,
      event,
    };
  });
  const name = root.getFirstPropertyValue('x-wr-calname');
  return { name: typeof name === 'string' ? name : null, zones, events };
}

/** The first `count` occurrences of a repeating event, as local times in its zone (expanded by ical.js). */
export function occurrences(event: CalendarEvent, count = 1000): DateTime[] {
  const iterator = event.event.iterator();
  const result: DateTime[] = [];
  for (let next = iterator.next(); next && result.length < count; next = iterator.next()) result.push(toLuxon(next, event.tzid));
  return result;
}
