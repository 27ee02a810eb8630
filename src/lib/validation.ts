import type { z } from 'zod';
import { AppError, type ErrorDetail } from './errors';

export type InputPart = 'body' | 'query' | 'params';

const CODES: Record<InputPart, string> = { body: 'invalid_body', query: 'invalid_query', params: 'invalid_params' };

export function issuesToDetails(issues: readonly z.core.$ZodIssue[]): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details.push({ param: [...issue.path, key].join('.'), message: 'is not a known field' });
      continue;
    }
    details.push({ param: issue.path.map(String).join('.') || '(root)', message: issue.message });
  }
  return details;
}

/** Far deeper than any valid body (a course is 4 levels deep), far shallower than a recursive walk can bear. */
const MAX_BODY_DEPTH = 32;

/**
 * What no schema here accepts but what would break or fool the code around it: nesting deep enough to
 * overflow a recursive walk such as the merge patch (a 500 instead of a 400), and `__proto__` keys, which
 * zod drops silently from records (a 200 for a change that was never stored). Walked without recursion.
 */
function unsafeJsonDetail(value: unknown): ErrorDetail | undefined {
  const stack: Array<{ node: unknown; path: string[] }> = [{ node: value, path: [] }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node, path } = item;
    if (typeof node !== 'object' || node === null) continue;
    if (path.length >= MAX_BODY_DEPTH) return { param: path[0] ?? '(root)', message: `is nested deeper than ${MAX_BODY_DEPTH} levels` };
    for (const [key, child] of Object.entries(node)) {
      if (key === '__proto__' && !Array.isArray(node)) return { param: [...path, key].join('.'), message: 'is not a known field' };
      stack.push({ node: child, path: [...path, key] });
    }
  }
  return undefined;
}

const isBlank = (item: unknown) => typeof item === 'string' && item.trim() === '';

/**
 * api.md: an empty query value means the parameter is absent, since a plain HTML form sends every empty field
 * (`?postcode=&childAgeMonths=`). Repeated parameters keep their non-empty values.
 */
export function withoutEmptyParams(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  // No prototype: a `__proto__` parameter stays an ordinary (unknown, ignored) key.
  const kept: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of Object.entries(query)) {
    const cleaned = Array.isArray(value) ? value.filter((item) => !isBlank(item)) : value;
    if (isBlank(cleaned) || (Array.isArray(cleaned) && cleaned.length === 0)) continue;
    kept[name] = cleaned;
  }
  return kept;
}

/** Validates one part of a request; the 400 names every offending field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, part: InputPart): z.infer<S> {
  const unsafe = part === 'body' ? unsafeJsonDetail(value) : undefined;
  if (unsafe) throw new AppError(CODES.body, `Invalid request body: ${unsafe.param}.`, 400, [unsafe]);
  const result = schema.safeParse(part === 'query' ? withoutEmptyParams(value) : value);
  if (result.success) return result.data;
  const all = issuesToDetails(result.error.issues);
  // A query or path parameter is named as the client wrote it (`level`, not `level.0`).
  const details = part === 'body' ? all : all.map((d) => ({ ...d, param: d.param.split('.')[0] ?? d.param }));
  const names = [...new Set(details.map((d) => d.param))].join(', ');
  throw new AppError(CODES[part], `Invalid ${part === 'body' ? 'request body' : part === 'query' ? 'query parameter' : 'path parameter'}: ${names}.`, 400, details);
}
