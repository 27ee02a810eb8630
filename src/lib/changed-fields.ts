import { isDeepStrictEqual } from 'node:util';

/** Top-level fields whose values differ between two versions of a document. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => !isDeepStrictEqual(before[key], after[key])).sort();
}

export type FieldChange = { field: string; from?: unknown; to?: unknown };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * What changed between two versions, old → new, as dotted paths into nested objects (`seats.available: 5 → 0`);
 * lists (sessions, languages) are compared and shown whole. An absent side is left out (a field added or removed).
 */
export function fieldChanges(before: Record<string, unknown>, after: Record<string, unknown>, prefix = ''): FieldChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.flatMap((key): FieldChange[] => {
    const [from, to] = [before[key], after[key]];
    if (isDeepStrictEqual(from, to)) return [];
    const field = prefix + key;
    if (isPlainObject(from) && isPlainObject(to)) return fieldChanges(from, to, `${field}.`);
    return [{ field, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) }];
  });
}
