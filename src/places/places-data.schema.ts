import { z } from 'zod';

const latitude = z.number().min(47).max(55.2);
const longitude = z.number().min(5.5).max(15.2);

/**
 * The generated `places-data.json` (seed/places/build-places.ts; rules in seed/places/README.md):
 * - `places[i]` = `[name, lat, lng]`: one settlement and its centre (or its postcode area's centroid when
 *   GeoNames has no coordinates for it);
 * - `postcodes["76829"]` = `[lat, lng, main, ...others]`: the point where the postcode's people live, then
 *   indexes into `places`, the postcode's main place first. A postcode without a known place has only the point.
 */
export const placesDataSchema = z.object({
  places: z.array(z.tuple([z.string().min(1), latitude, longitude])),
  postcodes: z.record(
    z.string().regex(/^\d{5}$/),
    z.tuple([latitude, longitude], z.number().int().nonnegative()),
  ),
});

export type PlacesData = z.infer<typeof placesDataSchema>;
