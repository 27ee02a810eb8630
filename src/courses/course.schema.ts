import { z } from 'zod';
import { emailAddressSchema, webUrlSchema } from '../lib/contact-schemas';
import { calendarDateSchema, clockTimeSchema, minutesOfDay, timeZoneSchema } from '../lib/calendar';
import { localizedTextSchema, requiredGermanTextSchema } from '../lib/localized-text';
import { objectIdSchema } from '../lib/object-id';
import { venueSchema } from '../providers/venue.schema';
import { courseStatusSchema, courseTypeSchema, daySchema, levelRank, levelSchema, modeSchema } from './course.enums';

const count = z.number().int().min(0).max(100_000);

export const sessionSchema = z
  .strictObject({ day: daySchema, start: clockTimeSchema, end: clockTimeSchema })
  .refine((s) => minutesOfDay(s.end) > minutesOfDay(s.start), { message: 'must be after start', path: ['end'] });

export const scheduleSchema = z
  .strictObject({
    timezone: timeZoneSchema.default('Europe/Berlin'),
    sessions: z.array(sessionSchema).max(21).default([]),
    flexible: z.boolean().default(false),
  })
  .superRefine((schedule, ctx) => {
    if (schedule.flexible && schedule.sessions.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['sessions'], message: 'must be empty for a flexible schedule' });
    }
    if (!schedule.flexible && schedule.sessions.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['sessions'], message: 'needs at least one session unless the schedule is flexible' });
    }
  });

export const childcareSchema = z
  .strictObject({
    available: z.boolean(),
    minAgeMonths: z.number().int().min(0).max(216).optional(),
    maxAgeMonths: z.number().int().min(0).max(216).optional(),
    places: count.optional(),
    onSite: z.boolean().optional(),
    note: z.string().trim().max(500).optional(),
  })
  .refine((c) => c.minAgeMonths === undefined || c.maxAgeMonths === undefined || c.minAgeMonths <= c.maxAgeMonths, {
    message: 'must not be below minAgeMonths',
    path: ['maxAgeMonths'],
  });

export const costSchema = z.strictObject({
  free: z.boolean(),
  pricePerLessonEur: z.number().min(0).max(1000).optional(),
  note: z.string().trim().max(500).optional(),
});

const seatCountsSchema = z.strictObject({
  capacity: count.optional(),
  available: count.optional(),
  waitlist: count.optional(),
});

export const seatsSchema = seatCountsSchema.refine((s) => s.capacity === undefined || s.available === undefined || s.available <= s.capacity, {
    message: 'must not exceed capacity',
    path: ['available'],
  });

export const registrationSchema = z.strictObject({
  contact: z.string().trim().max(300).optional(),
  email: emailAddressSchema.optional(),
  phone: z.string().trim().max(50).optional(),
  url: webUrlSchema.optional(),
  deadline: calendarDateSchema.optional(),
  note: localizedTextSchema(1000).optional(),
});

/** The fields a provider writes; shared by the API, the forms, the seed and CSV import. */
const courseFieldsSchema = z.strictObject({
  title: requiredGermanTextSchema(200),
  description: localizedTextSchema(5000).optional(),
  type: courseTypeSchema,
  level: levelSchema,
  targetLevel: levelSchema,
  exam: z.string().trim().regex(/^[A-Za-z0-9 .-]{1,30}$/, 'must be a short exam code such as "DTZ"').optional(),
  mode: modeSchema,
  venue: venueSchema.optional(),
  schedule: scheduleSchema,
  startDate: calendarDateSchema,
  endDate: calendarDateSchema,
  rollingEntry: z.boolean().default(false),
  lessonsTotal: count.optional(),
  lessonsPerWeek: z.number().int().min(0).max(60).optional(),
  womenOnly: z.boolean().default(false),
  childcare: childcareSchema.default({ available: false }),
  cost: costSchema,
  seats: seatsSchema.default({}),
  registration: registrationSchema.optional(),
  status: courseStatusSchema.default('published'),
});

function checkCourseRules(course: z.infer<typeof courseFieldsSchema>, ctx: z.RefinementCtx): void {
  if (levelRank(course.targetLevel) < levelRank(course.level)) {
    ctx.addIssue({ code: 'custom', path: ['targetLevel'], message: 'must not be below level' });
  }
  if (course.endDate < course.startDate) {
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must not be before startDate' });
  }
  if (course.mode !== 'online' && !course.venue) {
    ctx.addIssue({ code: 'custom', path: ['venue'], message: 'is required unless mode is "online"' });
  }
}

/** A course's fields as the API answers them: as written, plus when the seat counts last changed. */
export const courseFieldsResponseSchema = courseFieldsSchema.extend({
  seats: seatCountsSchema.extend({ updatedAt: z.string().optional() }),
});

/** A complete course as stored (without server-managed fields). */
export const courseContentSchema = courseFieldsSchema.superRefine(checkCourseRules);
export type CourseContent = z.infer<typeof courseContentSchema>;
export type CourseContentInput = z.input<typeof courseContentSchema>;

/** `POST /api/v1/courses`: the content plus the owning provider (admins must name it). */
export const createCourseBodySchema = courseFieldsSchema
  .extend({ providerId: objectIdSchema.optional() })
  .superRefine(checkCourseRules);
export type CreateCourseBody = z.infer<typeof createCourseBodySchema>;

/**
 * `PATCH /api/v1/courses/:id`: a JSON merge patch (RFC 7386) of the content, plus `version`.
 * The merged course is validated with `courseContentSchema`, so cross-field rules hold afterwards.
 */
export const patchCourseBodySchema = z
  .record(z.string(), z.unknown())
  .describe('JSON merge patch of the course fields (objects merge, null removes, arrays replace) and `version`.');

