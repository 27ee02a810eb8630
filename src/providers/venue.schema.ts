import { z } from 'zod';

export const latitudeSchema = z.number().min(-90).max(90);
export const longitudeSchema = z.number().min(-180).max(180);

export const venueSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  street: z.string().trim().min(1).max(200),
  postcode: z.string().regex(/^\d{5}$/, 'must be a German postcode of five digits'),
  city: z.string().trim().min(1).max(100),
  lat: latitudeSchema,
  lng: longitudeSchema,
  accessibility: z
    .strictObject({
      stepFree: z.boolean(),
      note: z.string().trim().max(500).optional(),
    })
    .optional(),
  transitNote: z.string().trim().max(500).optional(),
});
export type Venue = z.infer<typeof venueSchema>;
