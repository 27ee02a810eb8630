import { z } from 'zod';

export const LEVELS = ['alpha', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;
export const COURSE_TYPES = [
  'integration_general',
  'integration_women',
  'integration_parents',
  'integration_youth',
  'integration_literacy',
  'integration_second_script',
  'integration_intensive',
  'job_language',
  'language_cafe',
  'other',
] as const;
export const MODES = ['in_person', 'online', 'hybrid'] as const;
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const TIMES_OF_DAY = ['morning', 'afternoon', 'evening'] as const;
export const COURSE_STATUSES = ['draft', 'published', 'archived'] as const;
/** The week grid: every `day-timeOfDay` pair, in calendar order (mon-morning … sun-evening). */
export const SLOTS = DAYS.flatMap((day) => TIMES_OF_DAY.map((time) => `${day}-${time}` as const));

export const levelSchema = z.enum(LEVELS);
export const courseTypeSchema = z.enum(COURSE_TYPES);
export const modeSchema = z.enum(MODES);
export const daySchema = z.enum(DAYS);
export const timeOfDaySchema = z.enum(TIMES_OF_DAY);
export const courseStatusSchema = z.enum(COURSE_STATUSES);
export const slotSchema = z.enum(SLOTS);

export type Level = z.infer<typeof levelSchema>;
export type CourseType = z.infer<typeof courseTypeSchema>;
export type Mode = z.infer<typeof modeSchema>;
export type Day = z.infer<typeof daySchema>;
export type TimeOfDay = z.infer<typeof timeOfDaySchema>;
export type CourseStatus = z.infer<typeof courseStatusSchema>;
export type Slot = z.infer<typeof slotSchema>;

export function slotOf(day: Day, time: TimeOfDay): Slot {
  return `${day}-${time}`;
}

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}
