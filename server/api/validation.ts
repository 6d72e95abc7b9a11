import type { z } from 'zod';
import { unsafeTextProblem, visibleText } from '../security/unsafe-text.ts';
import { HttpError } from './errors.ts';

function fieldName(path: PropertyKey[]): string {
  return path.length ? path.map(String).join('.') : 'the request body';
}

/**
 * The first text in `value` (a parsed JSON body or query), field names included, holding a
 * character server/security/unsafe-text.ts refuses, as a 400. Iterative, so nesting cannot
 * overflow the stack.
 */
function unsafeTextError(value: unknown): HttpError | null {
  const pending: { value: unknown; path: PropertyKey[] }[] = [{ value, path: [] }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    if (typeof item.value === 'string') {
      const problem = unsafeTextProblem(item.value);
      const field = fieldName(item.path);
      if (problem) return new HttpError(400, 'invalid-request', `${field} ${problem}.`, { field });
    } else if (item.value && typeof item.value === 'object') {
      const children = Object.entries(item.value).reverse();
      for (const [key, child] of children) pending.push({ value: child, path: [...item.path, key] });
      const badKey = children.find(([key]) => unsafeTextProblem(key) !== null)?.[0];
      if (badKey !== undefined) {
        const field = fieldName([...item.path, visibleText(badKey)]);
        const message = `The field name ${field} ${unsafeTextProblem(badKey) ?? ''}.`;
        return new HttpError(400, 'invalid-request', message, { field });
      }
    }
  }
  return null;
}

/**
 * Validates `value` against `schema`; a failure is a 400 naming the first offending field. Every
 * text anywhere in `value` must be free of control characters and text-direction overrides first.
 */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const unsafe = unsafeTextError(value);
  if (unsafe) throw unsafe;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue?.path.length && issue?.code === 'invalid_type') {
    throw new HttpError(400, 'invalid-request', 'The request body must be a JSON object.');
  }
  const field = fieldName(issue?.path ?? []);
  throw new HttpError(400, 'invalid-request', `${field}: ${issue?.message ?? 'invalid value'}`, { field });
}
