import { z } from 'zod';

const OBJECT_ID = /^[a-f0-9]{24}$/;

export const objectIdSchema = z.string().regex(OBJECT_ID, 'must be an id of 24 hexadecimal characters');

/** Whether a path segment can be a stored id at all (anything else is simply not found). */
export function isObjectId(value: string): boolean {
  return OBJECT_ID.test(value);
}
