import { z } from 'zod';
import { calendarDateSchema } from '../lib/calendar';
import { FALLBACK_LANGUAGE, requestLanguageSchema } from '../lib/localized-text';
import { courseTypeSchema, daySchema, levelSchema, modeSchema, slotSchema, timeOfDaySchema } from '../courses/course.enums';
import { pointTextSchema } from '../providers/venue.schema';

export const DEFAULT_RADIUS_KM = 25;
export const MAX_RADIUS_KM = 200;
export const SORTS = ['relevance', 'start', 'distance', 'updated'] as const;
/** domain.md: several children, at most 6. */
export const MAX_CHILDREN = 6;
const MAX_CHILD_AGE_MONTHS = 216;

/** A query-string value: `a,b` or a repeated parameter (`?level=A1&level=A2`). */
const rawList = z.union([z.string(), z.array(z.string())]).transform((value) =>
  (Array.isArray(value) ? value.join(',') : value)
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

function listOf<T extends z.ZodType<string, string>>(item: T, description: string) {
  return rawList
    .pipe(z.array(item).max(50))
    .transform((items) => (items.length > 0 ? [...new Set(items)] : undefined))
    .optional()
    .meta({ description: `${description} Comma-separated.` });
}

const single = z.union([z.string(), z.array(z.string()).transform((values) => values[values.length - 1] ?? '')]);

function flag(description: string) {
  return single.pipe(z.enum(['true', 'false'])).transform((value) => value === 'true').optional().meta({ description });
}

function integer(min: number, max: number) {
  return single.pipe(z.string().regex(/^\d{1,6}$/, 'must be a whole number')).transform(Number).pipe(z.number().int().min(min).max(max));
}

const childAgesSchema = rawList
  .pipe(
    z
      .array(z.string().regex(/^\d{1,6}$/, 'must be whole numbers of months').transform(Number).pipe(z.number().int().min(0).max(MAX_CHILD_AGE_MONTHS)))
      .max(MAX_CHILDREN, `at most ${MAX_CHILDREN} children`),
  )
  .transform((ages) => (ages.length > 0 ? [...new Set(ages)] : undefined));

const nearSchema = single.pipe(pointTextSchema);

const radiusSchema = single
  .pipe(z.string().regex(/^\d{1,5}(\.\d{1,3})?$/, 'must be a number of kilometres'))
  .transform(Number)
  .pipe(z.number().gt(0, 'must be greater than 0').max(MAX_RADIUS_KM, `must be at most ${MAX_RADIUS_KM}`));

/** `GET /api/v1/courses` query parameters, exactly as domain.md and api.md define them. */
export const searchQuerySchema = z
  .object({
    q: single.pipe(z.string().max(200)).optional().meta({ description: 'Typo-tolerant text over title, description, provider name and city.' }),
    level: listOf(levelSchema, 'Course entry level is one of these.'),
    type: listOf(courseTypeSchema, 'Course type is one of these.'),
    mode: listOf(modeSchema, 'Mode is one of these.'),
    days: listOf(daySchema, 'Days I can come: every day the course meets is in this list (flexible courses always hold).'),
    timeOfDay: listOf(timeOfDaySchema, 'Times I can come: every part of day the course meets in is in this list.'),
    slots: listOf(
      slotSchema,
      'When I can come, as a week grid of `day-timeOfDay` values (e.g. tue-morning): every slot the course meets in is in this list (flexible courses always hold).',
    ),
    childcare: flag('true: childcare is available.'),
    childAgeMonths: childAgesSchema
      .optional()
      .meta({ description: `Ages in months of the children who need care (at most ${MAX_CHILDREN}, each 0–${MAX_CHILD_AGE_MONTHS}): the childcare must accept every one (implies childcare=true). Comma-separated.` }),
    womenOnly: flag('true: women-only courses only.'),
    free: flag('true: free of charge only.'),
    seats: single.pipe(z.enum(['available'])).optional().meta({ description: '"available": free seats only.' }),
    near: nearSchema.optional().meta({ description: 'A point "lat,lng"; with radiusKm.' }),
    radiusKm: radiusSchema.optional().meta({ description: `Radius around near or postcode, in km (default ${DEFAULT_RADIUS_KM}, at most ${MAX_RADIUS_KM}).` }),
    postcode: single
      .pipe(z.string().regex(/^\d{5}$/, 'must be a German postcode of five digits'))
      .optional()
      .meta({ description: 'Like near, at the centre of the postcode\'s main place (where people live).' }),
    place: single
      .pipe(z.string().trim().min(1).max(100, 'must be at most 100 characters'))
      .optional()
      .meta({ description: 'Like near, at a German place, written as GET /api/v1/places suggests it (e.g. "Landau in der Pfalz"); unknown or ambiguous → 400.' }),
    includeOnline: flag('true: with a location, online-only courses hold as well (they carry no distanceKm).'),
    startFrom: single.pipe(calendarDateSchema).optional().meta({ description: 'Starts on or after this date, or rolling entry still running then.' }),
    startTo: single.pipe(calendarDateSchema).optional().meta({ description: 'Starts on or before this date.' }),
    sort: single.pipe(z.enum(SORTS)).default('relevance'),
    page: integer(1, 10_000).default(1),
    perPage: integer(1, 100).default(20),
    lang: single.pipe(requestLanguageSchema).default(FALLBACK_LANGUAGE),
  })
  .superRefine((query, ctx) => {
    if (query.near && query.postcode) ctx.addIssue({ code: 'custom', path: ['postcode'], message: 'cannot be combined with near' });
    if (query.place && (query.near || query.postcode)) ctx.addIssue({ code: 'custom', path: ['place'], message: 'cannot be combined with near or postcode' });
    const located = Boolean(query.near || query.postcode || query.place);
    if (query.sort === 'distance' && !located) {
      ctx.addIssue({ code: 'custom', path: ['sort'], message: '"distance" needs near, postcode or place' });
    }
    if (query.radiusKm !== undefined && !located) {
      ctx.addIssue({ code: 'custom', path: ['radiusKm'], message: 'needs near, postcode or place' });
    }
  });

export type SearchQuery = z.infer<typeof searchQuerySchema>;
