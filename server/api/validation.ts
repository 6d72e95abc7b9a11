import type { z } from 'zod';
import { HttpError } from './errors.ts';

function fieldName(path: PropertyKey[]): string {
  return path.length ? path.map(String).join('.') : 'the request body';
}

/** Validates `value` against `schema`; a failure is a 400 naming the first offending field. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue?.path.length && issue?.code === 'invalid_type') {
    throw new HttpError(400, 'invalid-request', 'The request body must be a JSON object.');
  }
  const field = fieldName(issue?.path ?? []);
  throw new HttpError(400, 'invalid-request', `${field}: ${issue?.message ?? 'invalid value'}`, { field });
}
