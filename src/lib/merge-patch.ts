type Json = unknown;

function isPlainObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * JSON merge patch (RFC 7386): objects merge, `null` removes a member, anything else replaces.
 * Results are built with `Object.fromEntries`, so a `__proto__` key stays a plain (rejected) field.
 */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isPlainObject(patch)) return patch;
  const base = isPlainObject(target) ? target : {};
  const entries = new Map(Object.entries(base));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) entries.delete(key);
    else entries.set(key, applyMergePatch(entries.get(key), value));
  }
  return Object.fromEntries(entries);
}
