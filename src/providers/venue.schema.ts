import { z } from 'zod';

export const latitudeSchema = z.number().min(-90).max(90);
export const longitudeSchema = z.number().min(-180).max(180);

/** A point written as text, "lat,lng" in decimal degrees (query parameters, configuration). */
export const pointTextSchema = z
  .string()
  .regex(/^\s*-?\d{1,3}(\.\d{1,10})?\s*,\s*-?\d{1,3}(\.\d{1,10})?\s*$/, 'must be "lat,lng" in decimal degrees')
  .transform((value) => {
    const [lat, lng] = value.split(',').map(Number);
    return { lat: lat ?? NaN, lng: lng ?? NaN };
  })
  .pipe(z.object({ lat: latitudeSchema, lng: longitudeSchema }));

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
