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

/** Validates one part of a request; the 400 names every offending field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, part: InputPart): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const all = issuesToDetails(result.error.issues);
  // A query or path parameter is named as the client wrote it (`level`, not `level.0`).
  const details = part === 'body' ? all : all.map((d) => ({ ...d, param: d.param.split('.')[0] ?? d.param }));
  const names = [...new Set(details.map((d) => d.param))].join(', ');
  throw new AppError(CODES[part], `Invalid ${part === 'body' ? 'request body' : part === 'query' ? 'query parameter' : 'path parameter'}: ${names}.`, 400, details);
}
