import { DateTime, Info } from 'luxon';
import { DAYS, type CourseType, type Day, type Level, type Mode, type TimeOfDay } from '../courses/course.enums';
import type { Translate } from '../i18n/i18n';
import type { UiLanguage } from '../i18n/languages';

export type SessionTime = { day: Day; start: string; end: string };

/** Ages below this are told in months, older in years ("18 months", "3 years"). */
const MONTHS_UNTIL = 24;

/**
 * Every value a page shows, formatted once for the reader's language: enum values through the translations, dates,
 * weekdays, times and numbers through Intl (luxon), so Arabic and Farsi get their own digits and calendars' names.
 * Templates call these; they never format on their own.
 */
export function createFormatters(lang: UiLanguage, t: Translate, now: Date) {
  const weekdaysLong = Info.weekdays('long', { locale: lang });
  const weekdaysShort = Info.weekdays('short', { locale: lang });
  const list = new Intl.ListFormat(lang, { style: 'short', type: 'conjunction' });
  const numbers = new Intl.NumberFormat(lang);
  const kilometres = new Intl.NumberFormat(lang, { style: 'unit', unit: 'kilometer', maximumFractionDigits: 1 });

  // Course dates are appointments in Germany: always the Gregorian calendar (Farsi would default to the Solar Hijri one).
  const gregorian = `${lang}-u-ca-gregory`;
  const languages = new Intl.DisplayNames([lang], { type: 'language', fallback: 'code' });
  const euro = new Intl.NumberFormat(lang, { style: 'currency', currency: 'EUR' });
  const clock = (hhmm: string) => DateTime.fromFormat(hhmm, 'HH:mm', { locale: lang }).toLocaleString(DateTime.TIME_SIMPLE);

  function ageMonths(months: number): string {
    return months < MONTHS_UNTIL ? t('common:age.months', { count: months }) : t('common:age.years', { count: Math.floor(months / 12) });
  }

  return {
    lang,
    level: (level: Level) => t(`common:enum.level.${level}`),
    courseType: (type: CourseType) => t(`common:enum.type.${type}`),
    mode: (mode: Mode) => t(`common:enum.mode.${mode}`),
    timeOfDay: (time: TimeOfDay) => t(`common:enum.timeOfDay.${time}`),
    day: (day: Day) => weekdaysLong[DAYS.indexOf(day)] ?? day,
    dayShort: (day: Day) => weekdaysShort[DAYS.indexOf(day)] ?? day,
    list: (items: string[]) => list.format(items),
    number: (value: number) => numbers.format(value),
    distance: (km: number) => kilometres.format(km),
    clock,
    timeRange: (start: string, end: string) => `${clock(start)}–${clock(end)}`,
    /** A calendar date (`2026-03-02`) as the reader writes dates. */
    date: (iso: string) => DateTime.fromISO(iso, { locale: gregorian }).toLocaleString(DateTime.DATE_MED),
    /** "5 days ago", "today" in the reader's language. */
    ago(when: Date | number): string {
      const then = DateTime.fromJSDate(new Date(when));
      const days = Math.floor(DateTime.fromJSDate(now).diff(then, 'days').days);
      return new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }).format(-Math.max(0, days), 'day');
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
        return t('common:schedule.daysAtTimes', { days: list.format(days.map((day) => weekdaysShort[DAYS.indexOf(day)] ?? day)), times: `${clock(start)}–${clock(end)}` });
      });
    },
    /** A course's period, "11 Jan – 30 Jul 2027", as the reader writes date ranges. */
    dateRange(startIso: string, endIso: string): string {
      const format = new Intl.DateTimeFormat(gregorian, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
      return format.formatRange(new Date(`${startIso}T00:00:00Z`), new Date(`${endIso}T00:00:00Z`));
    },
    /**
     * One meeting, "Tue, 12 Jan 2027, 09:00–12:00", shown in the course's own time zone (where it takes place),
     * whatever the server's zone.
     */
    occurrence(start: Date, end: Date, zone: string): string {
      const format = new Intl.DateTimeFormat(gregorian, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: zone });
      return format.formatRange(start, end);
    },
    /** The zone's name in the reader's language ("Central European Time"), so times read unambiguously. */
    timeZone(zone: string): string {
      const parts = new Intl.DateTimeFormat(lang, { timeZone: zone, timeZoneName: 'longGeneric' }).formatToParts(now);
      return parts.find((part) => part.type === 'timeZoneName')?.value ?? zone;
    },
    /** A language code of a provider's staff ("ar") named in the reader's language ("Arabisch"). */
    languageName(code: string): string {
      try {
        return languages.of(code) ?? code;
      } catch {
        return code;
      }
    },
    euro: (amount: number) => euro.format(amount),
  };
}

export type Formatters = ReturnType<typeof createFormatters>;
