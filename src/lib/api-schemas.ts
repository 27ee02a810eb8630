import { z } from 'zod';
import { FALLBACK_LANGUAGE, requestLanguageSchema } from './localized-text';
import { objectIdSchema } from './object-id';

/** The error shape of api.md, for every non-2xx answer. */
export const errorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ param: z.string(), message: z.string() })),
    currentVersion: z.number().int().optional(),
    retryAfterSeconds: z.number().int().optional(),
  }),
});

export const idParamsSchema = z.object({ id: z.string().max(64).meta({ description: 'The id (24 hexadecimal characters).' }) });
export const langQuerySchema = z.object({
  lang: requestLanguageSchema.default(FALLBACK_LANGUAGE).meta({ description: 'Language for localized text (German fallback).' }),
});
export { objectIdSchema };
