import { z } from 'zod';
import { clientProfileSchema } from '../matching/client-profile.schema';
import { objectIdSchema } from '../lib/object-id';

/** Short on purpose: a case number or initials fit, a full name hardly does (the form says not to enter names). */
export const CLIENT_LABEL_MAX = 20;
export const CLIENT_NOTE_MAX = 500;
export const SHORTLIST_MAX = 20;
export const SHORTLIST_NOTE_MAX = 300;

export const clientLabelSchema = z
  .string()
  .trim()
  .min(1)
  .max(CLIENT_LABEL_MAX)
  .meta({ description: 'A case number or initials — never a name. Shown only to the counselor who owns the profile.' });
export const clientNoteSchema = z.string().trim().max(CLIENT_NOTE_MAX).meta({ description: "The counselor's own note; never on a handout." });

/** A client profile as the counselor writes it: what matching needs (domain.md → Matching), a label and a note. */
export const clientBodySchema = clientProfileSchema.extend({
  label: clientLabelSchema,
  note: clientNoteSchema.default(''),
});
export type ClientBody = z.infer<typeof clientBodySchema>;
export type ClientBodyInput = z.input<typeof clientBodySchema>;

export const clientPatchSchema = z
  .record(z.string(), z.unknown())
  .describe('JSON merge patch of the profile fields, label and note (`null` removes an optional field such as `location`).');

export const shortlistItemSchema = z.strictObject({
  courseId: objectIdSchema,
  note: z.string().trim().max(SHORTLIST_NOTE_MAX).default('').meta({ description: 'Written for the client; appears on the handout.' }),
});
export type ShortlistItem = z.infer<typeof shortlistItemSchema>;

export const shortlistBodySchema = z.strictObject({
  items: z
    .array(shortlistItemSchema)
    .max(SHORTLIST_MAX)
    .refine((items) => new Set(items.map((item) => item.courseId)).size === items.length, 'must name each course once'),
});

export const clientResponseSchema = clientProfileSchema.extend({
  id: z.string(),
  label: z.string(),
  note: z.string(),
  shortlist: z.array(z.object({ courseId: z.string(), note: z.string() })),
  share: z.object({ expiresAt: z.string() }).nullable().meta({ description: 'The live share link, if any (its address is shown only when created).' }),
  lastUsedAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ClientResponse = z.infer<typeof clientResponseSchema>;

export const shareResponseSchema = z.object({ url: z.string(), expiresAt: z.string() });
