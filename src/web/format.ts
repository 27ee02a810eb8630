import { Info } from 'luxon';
import { DAYS, type CourseType, type Day, type Level, type Mode, type TimeOfDay } from '../courses/course.enums';
import type { Translate } from '../i18n/i18n';
import type { UiLanguage } from '../i18n/languages';

export type SessionTime = { day: Day; start: string; end: string };

/** Ages below this are told in months, older in years ("18 months", "3 years"). */
const MONTHS_UNTIL = 24;
const DAY_MS = 86_400_000;

/**
 * What formatting needs per language, built once per language (not per request): Intl formatters cost tens of
 * microseconds to construct, and a results page formats ~150 values. Calendar dates and clock times are formatted
 * as UTC wall-clock values, so no time zone can shift them: they are shown exactly as the provider wrote them.
 */
function languageFormats(lang: UiLanguage) {
  // Day names start a label or a table row: capitalised (Russian and Ukrainian write them in lower case).
  const capitalised = (names: string[]) => names.map((name) => name.charAt(0).toLocaleUpperCase(lang) + name.slice(1));
  return {
    weekdaysLong: capitalised(Info.weekdays('long', { locale: lang })),
    weekdaysShort: capitalised(Info.weekdays('short', { locale: lang })),
    list: new Intl.ListFormat(lang, { style: 'short', type: 'conjunction' }),
    numbers: new Intl.NumberFormat(lang),
    kilometres: new Intl.NumberFormat(lang, { style: 'unit', unit: 'kilometer', maximumFractionDigits: 1 }),
    // Times as on a timetable (09:00), dates as luxon's DATE_MED. Course dates are appointments in Germany: always the Gregorian calendar
    // (Farsi would default to the Solar Hijri one).
    clock: new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }),
    date: new Intl.DateTimeFormat(`${lang}-u-ca-gregory`, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }),
    relative: new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }),
    dateRange: new Intl.DateTimeFormat(`${lang}-u-ca-gregory`, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }),
    euro: new Intl.NumberFormat(lang, { style: 'currency', currency: 'EUR' }),
    languageNames: new Intl.DisplayNames([lang], { type: 'language', fallback: 'code' }),
    /** per time zone: one meeting's date and times, and the zone's name */
    occurrence: new Map<string, Intl.DateTimeFormat>(),
    zoneNames: new Map<string, string>(),
    clockMemo: new Map<string, string>(),
    dateMemo: new Map<string, string>(),
  };
}

const FORMATS = new Map<UiLanguage, ReturnType<typeof languageFormats>>();

function formatsFor(lang: UiLanguage) {
  let formats = FORMATS.get(lang);
  if (!formats) {
    formats = languageFormats(lang);
    FORMATS.set(lang, formats);
  }
  return formats;
}

/** `HH:mm` → a Date whose UTC wall clock is that time. */
function clockValue(hhmm: string): number {
  const [hours = 0, minutes = 0] = hhmm.split(':').map(Number);
  return Date.UTC(2000, 0, 1, hours, minutes);
}

/** `YYYY-MM-DD` → a Date whose UTC calendar day is that day. */
function dateValue(iso: string): number {
  const [year = 1970, month = 1, day = 1] = iso.split('-').map(Number);
  return Date.UTC(year, month - 1, day);
}

function remembered(memo: Map<string, string>, key: string, make: () => string): string {
  let value = memo.get(key);
  if (value === undefined) {
    value = make();
    if (memo.size > 5000) memo.clear();
    memo.set(key, value);
  }
  return value;
}

/**
 * Every value a page shows, formatted once for the reader's language: enum values through the translations, dates,
 * weekdays, times and numbers through Intl (as luxon does), so Arabic and Farsi get their own digits and names.
 * Templates call these; they never format on their own.
 */
export function createFormatters(lang: UiLanguage, t: Translate, now: Date) {
  const f = formatsFor(lang);
  const clock = (hhmm: string) => remembered(f.clockMemo, hhmm, () => f.clock.format(clockValue(hhmm)));
  const dayShort = (day: Day) => f.weekdaysShort[DAYS.indexOf(day)] ?? day;

  function ageMonths(months: number): string {
    return months < MONTHS_UNTIL ? t('common:age.months', { count: months }) : t('common:age.years', { count: Math.floor(months / 12) });
  }

  return {
    lang,
    level: (level: Level) => t(`common:enum.level.${level}`),
    courseType: (type: CourseType) => t(`common:enum.type.${type}`),
    mode: (mode: Mode) => t(`common:enum.mode.${mode}`),
    timeOfDay: (time: TimeOfDay) => t(`common:enum.timeOfDay.${time}`),
    day: (day: Day) => f.weekdaysLong[DAYS.indexOf(day)] ?? day,
    dayShort,
    list: (items: string[]) => f.list.format(items),
    number: (value: number) => f.numbers.format(value),
    distance: (km: number) => f.kilometres.format(km),
    clock,
    /** A calendar date (`2026-03-02`) as the reader writes dates. */
    date: (iso: string) => remembered(f.dateMemo, iso, () => f.date.format(dateValue(iso))),
    /** "5 days ago", "today" in the reader's language (whole days). */
    ago(when: Date | number): string {
      const days = Math.max(0, Math.floor((now.getTime() - new Date(when).getTime()) / DAY_MS));
      return f.relative.format(-days, 'day');
    },
    ageMonths,
    /** Which children the childcare takes, from its bounds (either may be missing: no bound). */
    childAges(minMonths: number | undefined, maxMonths: number | undefined): string {
      // A lower bound of 0 months is no bound: "up to 3 years", not "from 0 months to 3 years".
      if (minMonths !== undefined && minMonths > 0 && maxMonths !== undefined) return t('common:childcare.agesBetween', { min: ageMonths(minMonths), max: ageMonths(maxMonths) });
      if (minMonths !== undefined && minMonths > 0) return t('common:childcare.agesFrom', { min: ageMonths(minMonths) });
      if (maxMonths !== undefined) return t('common:childcare.agesUpTo', { max: ageMonths(maxMonths) });
      return t('common:childcare.allAges');
    },
    /**
     * Meeting times, sessions with the same hours grouped: "Tue, Thu 09:00–12:15". One line per distinct time;
     * the course's own time zone is what the provider wrote, so no conversion happens here.
     */
    sessions(sessions: readonly SessionTime[]): string[] {
      const byHours = new Map<string, Day[]>();
      for (const session of [...sessions].sort((a, b) => DAYS.indexOf(a.day) - DAYS.indexOf(b.day))) {
        const hours = `${session.start}|${session.end}`;
        byHours.set(hours, [...(byHours.get(hours) ?? []), session.day]);
      }
      return [...byHours].map(([hours, days]) => {
        const [start = '', end = ''] = hours.split('|');
        return t('common:schedule.daysAtTimes', { days: f.list.format(days.map(dayShort)), times: `${clock(start)}–${clock(end)}` });
      });
    },
    /** A course's period, "11 Jan – 30 Jul 2027", as the reader writes date ranges. */
    dateRange: (startIso: string, endIso: string) => f.dateRange.formatRange(dateValue(startIso), dateValue(endIso)),
    /**
     * One meeting, "Tue, 12 Jan 2027, 09:00–12:00", shown in the course's own time zone (where it takes place),
     * whatever the server's zone.
     */
    occurrence(start: Date, end: Date, zone: string): string {
      let format = f.occurrence.get(zone);
      if (!format) {
        format = new Intl.DateTimeFormat(`${lang}-u-ca-gregory`, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: zone });
        f.occurrence.set(zone, format);
      }
      return format.formatRange(start, end);
    },
    /** The zone's name in the reader's language ("Central European Time"), so times read unambiguously. */
    timeZone(zone: string): string {
      let name = f.zoneNames.get(zone);
      if (name === undefined) {
        const parts = new Intl.DateTimeFormat(lang, { timeZone: zone, timeZoneName: 'longGeneric' }).formatToParts(now);
        name = parts.find((part) => part.type === 'timeZoneName')?.value ?? zone;
        f.zoneNames.set(zone, name);
      }
      return name;
    },
    /** A language code of a provider's staff ("ar") named in the reader's language ("Arabisch"). */
    languageName(code: string): string {
      try {
        return f.languageNames.of(code) ?? code;
      } catch {
        return code;
      }
    },
    euro: (amount: number) => f.euro.format(amount),
    /** A moment (a log entry, a deactivation) as date and time in Germany, where the service runs. */
    moment: (when: Date | number) => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(new Date(when)),
  };
}

export type Formatters = ReturnType<typeof createFormatters>;
