import type { z } from 'zod';
import { unsafeTextProblem, visibleText } from '../security/unsafe-text.ts';
import { HttpError } from './errors.ts';

/** The machine-readable field (`allowedIps.0`), for clients: the `field` of the error body. */
function fieldName(path: PropertyKey[]): string {
  return path.length ? path.map(String).join('.') : 'the request body';
}

const ACRONYMS: Record<string, string> = {
  ip: 'IP',
  ips: 'IPs',
  id: 'ID',
  csv: 'CSV',
  url: 'URL',
  did: 'DID',
};

/** `callLimit` -> `call limit`, `allowedIps` -> `allowed IPs`. */
function words(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(' ')
    .map((word) => ACRONYMS[word] ?? word)
    .join(' ');
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The field as people read it: `allowedIps.0` -> `Allowed IPs, entry 1` (never a dotted path). */
export function fieldLabel(path: readonly PropertyKey[]): string {
  if (!path.length) return 'The request body';
  const parts = path.map((part) =>
    /^\d+$/.test(String(part)) ? `entry ${Number(part) + 1}` : words(String(part)),
  );
  return capitalised(parts.join(', '));
}

/** "callLimit is at least 1" -> "Call limit is at least 1"; otherwise "Label: message". */
export function plainFieldMessage(path: readonly PropertyKey[], message: string): string {
  const label = fieldLabel(path);
  const key = path.findLast((part) => !/^\d+$/.test(String(part)));
  if (key !== undefined && path.at(-1) === key && message.startsWith(`${String(key)} `))
    return `${label}${message.slice(String(key).length)}`;
  return `${label}: ${message}`;
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
      if (problem)
        return new HttpError(400, 'invalid-request', `${fieldLabel(item.path)} ${problem}.`, {
          field: fieldName(item.path),
        });
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
  const path = issue?.path ?? [];
  const message = plainFieldMessage(path, issue?.message ?? 'invalid value');
  throw new HttpError(400, 'invalid-request', message, { field: fieldName(path) });
}
