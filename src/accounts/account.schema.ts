import { z } from 'zod';
import { emailAddressSchema } from '../lib/contact-schemas';
import { objectIdSchema } from '../lib/object-id';
import { roleSchema } from './account.enums';
import { newPasswordSchema } from './password-policy';

export const emailSchema = emailAddressSchema.transform((email) => email.toLowerCase());
/** A password being set: at least 12 characters and hard to guess (src/accounts/password-policy.ts). */
export const passwordSchema = newPasswordSchema;

export const createUserBodySchema = z
  .strictObject({ email: emailSchema, password: passwordSchema, role: roleSchema, providerId: objectIdSchema.optional() })
  .superRefine((user, ctx) => {
    if (user.role === 'provider' && !user.providerId) {
      ctx.addIssue({ code: 'custom', path: ['providerId'], message: 'is required for the role "provider"' });
    }
    if (user.role !== 'provider' && user.providerId) {
      ctx.addIssue({ code: 'custom', path: ['providerId'], message: 'is only allowed for the role "provider"' });
    }
  });
export type CreateUserBody = z.infer<typeof createUserBodySchema>;

export const tokenRequestSchema = z.strictObject({
  email: z.string().max(200).transform((email) => email.trim().toLowerCase()),
  password: z.string().max(200),
});

export const tokenResponseSchema = z.object({ token: z.string(), expiresAt: z.string() });
export const userResponseSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  providerId: z.string().optional(),
});
