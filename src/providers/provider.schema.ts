import { z } from 'zod';
import { emailAddressSchema, webUrlSchema } from '../lib/contact-schemas';
import { localizedTextSchema } from '../lib/localized-text';
import { venueSchema } from './venue.schema';

export const providerContactSchema = z.strictObject({
  email: emailAddressSchema.optional(),
  phone: z.string().trim().max(50).optional(),
  website: webUrlSchema.optional(),
});

/** The fields of a provider that its own users may edit. */
export const providerContentSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: localizedTextSchema(5000).optional(),
  contact: providerContactSchema.default({}),
  bamfApprovalNumber: z.string().trim().regex(/^[A-Za-z0-9\-/ ]{1,40}$/, 'must be an approval number such as "5-12345"').optional(),
  staffLanguages: z.array(z.string().regex(/^[a-z]{2,3}$/, 'must be a language code such as "ar"')).max(40).default([]),
  venues: z.array(venueSchema).max(100).default([]),
});
export type ProviderContent = z.infer<typeof providerContentSchema>;
export type ProviderContentInput = z.input<typeof providerContentSchema>;

/** Admins also decide whether a provider is verified. */
export const createProviderBodySchema = providerContentSchema.extend({ verified: z.boolean().default(false) });
export type CreateProviderBody = z.infer<typeof createProviderBodySchema>;
