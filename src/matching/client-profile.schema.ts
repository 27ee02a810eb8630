import { z } from 'zod';
import { levelSchema, slotSchema } from '../courses/course.enums';
import { calendarDateSchema } from '../lib/calendar';
import { FALLBACK_LANGUAGE, languageSchema } from '../lib/localized-text';
import { latitudeSchema, longitudeSchema } from '../providers/venue.schema';
import { MAX_CHILDREN, MAX_RADIUS_KM } from '../search/search-query.schema';

export const WOMEN_ONLY_WISHES = ['required', 'preferred', 'no'] as const;
export const womenOnlyWishSchema = z.enum(WOMEN_ONLY_WISHES);
export const DEFAULT_MAX_DISTANCE_KM = 25;
const MAX_CHILD_AGE_MONTHS = 216;

/** Where the client lives: a postcode, a place name, or a point (domain.md → Matching). */
export const clientLocationSchema = z.union([
  z.strictObject({ postcode: z.string().regex(/^\d{5}$/, 'must be a German postcode of five digits') }),
  z.strictObject({ place: z.string().trim().min(2).max(100) }),
  z.strictObject({ near: z.strictObject({ lat: latitudeSchema, lng: longitudeSchema }) }),
]);

/**
 * What matching needs to know about a client, and nothing that names the person (domain.md → Matching). The defaults
 * are the domain's; "startBy before today" is checked by the matching service, which knows today's date in Berlin.
 */
export const clientProfileSchema = z.strictObject({
  level: levelSchema.meta({ description: 'The course level the client is ready to start; alpha = not yet literate in Latin script.' }),
  slots: z.array(slotSchema).max(21).default([]).transform((slots) => [...new Set(slots)]).meta({ description: 'When the client can come (week grid); empty = any time.' }),
  childAgesMonths: z.array(z.number().int().min(0).max(MAX_CHILD_AGE_MONTHS)).max(MAX_CHILDREN).default([]).meta({ description: 'Ages in months of the children who need care during class.' }),
  womenOnly: womenOnlyWishSchema.default('no'),
  location: clientLocationSchema.optional(),
  maxDistanceKm: z.number().gt(0).max(MAX_RADIUS_KM).default(DEFAULT_MAX_DISTANCE_KM),
  onlinePossible: z.boolean().default(false),
  freeOnly: z.boolean().default(false),
  startBy: calendarDateSchema.optional().meta({ description: 'The client must be able to begin by this date (YYYY-MM-DD, not before today).' }),
  lang: languageSchema.default(FALLBACK_LANGUAGE).meta({ description: 'The client\'s language, for reasons and handouts.' }),
});

export type ClientProfile = z.infer<typeof clientProfileSchema>;
export type ClientProfileInput = z.input<typeof clientProfileSchema>;
