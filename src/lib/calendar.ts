import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

/** A calendar date `YYYY-MM-DD` that really exists (no 2027-02-30). */
export const calendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((value) => DateTime.fromISO(value, { zone: 'utc' }).isValid, 'is not a real calendar date');

/** A wall-clock time `HH:mm`, 00:00–23:59. */
export const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:mm');

export const timeZoneSchema = z
  .string()
  .max(64)
  .refine((zone) => IANAZone.isValidZone(zone), 'is not an IANA time zone such as "Europe/Berlin"');

/** `2027-01-11` → 20270111: comparable as a number in the search index. */
export function dateToNumber(date: string): number {
  return Number(date.replaceAll('-', ''));
}

export function minutesOfDay(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}
