import { z } from 'zod';
import { badRequest } from './errors';

const versionSchema = z.number().int().min(1);

/** `If-Match: "3"` (also W/"3" or 3): the version a writer last saw, as an alternative to the body's `version`. */
const ifMatchPattern = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/;
export const ifMatchHeadersSchema = z.object({
  'If-Match': z
    .string()
    .regex(ifMatchPattern)
    .optional()
    .meta({ description: 'The version you edited, e.g. "3" (the ETag of the course); instead of, or equal to, the body\'s `version`.' }),
});

/**
 * The version a writer last saw: the body's `version`, else an `If-Match` header ("3", W/"3" or 3).
 * Both given and different → 400, so a client never sends two contradicting preconditions.
 */
export function expectedVersion(bodyVersion: unknown, ifMatch: string | undefined, required: true): number;
export function expectedVersion(bodyVersion: unknown, ifMatch: string | undefined, required: false): number | undefined;
export function expectedVersion(bodyVersion: unknown, ifMatch: string | undefined, required: boolean): number | undefined {
  let fromHeader: number | undefined;
  if (ifMatch !== undefined) {
    const match = ifMatchPattern.exec(ifMatch);
    if (!match) throw badRequest('invalid_body', 'Invalid If-Match header.', [{ param: 'If-Match', message: 'must be the course version, e.g. "3"' }]);
    fromHeader = Number(match[1]);
  }
  let fromBody: number | undefined;
  if (bodyVersion !== undefined) {
    const parsed = versionSchema.safeParse(bodyVersion);
    if (!parsed.success) throw badRequest('invalid_body', 'Invalid request body: version.', [{ param: 'version', message: 'must be a positive integer' }]);
    fromBody = parsed.data;
  }
  if (fromBody !== undefined && fromHeader !== undefined && fromBody !== fromHeader) {
    throw badRequest('invalid_body', 'version and If-Match disagree.', [{ param: 'version', message: 'differs from the If-Match header' }]);
  }
  const version = fromBody ?? fromHeader;
  if (version === undefined && required) {
    throw badRequest('invalid_body', 'Invalid request body: version.', [{ param: 'version', message: 'is required (the version you edited), in the body or as If-Match' }]);
  }
  return version;
}
