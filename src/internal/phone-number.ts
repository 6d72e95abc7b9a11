/** Extension numbers: 4 to 8 digits (the same rule as the account service). */
export const EXTENSION_PATTERN = /^\d{4,8}$/;

/** True when `value` is a valid extension number. */
export function isExtension(value: string): boolean {
  return EXTENSION_PATTERN.test(value);
}

/** Strips what people paste around numbers: spaces, dashes, dots, parentheses; keeps a leading +. */
export function normalizeDialString(input: string): string {
  const trimmed = input.trim();
  const plus = trimmed.startsWith('+') ? '+' : '';
  return plus + trimmed.replace(/[\s\-.()/\u00a0]/g, '').replace(/^\+/, '');
}

export type DialCheck = { ok: true; number: string } | { ok: false; message: string };

/** Validates a dial string after normalisation: digits, * and # only, 2–32 long, + only first. */
export function checkDialString(input: string): DialCheck {
  const number = normalizeDialString(input);
  if (number === '') return { ok: false, message: 'Enter a number to call.' };
  if (!/^\+?[0-9*#]+$/.test(number))
    return { ok: false, message: 'A phone number may contain only digits, *, # and a leading +.' };
  const digits = number.replace(/^\+/, '');
  if (digits.length < 2) return { ok: false, message: 'That number is too short.' };
  if (digits.length > 32) return { ok: false, message: 'That number is too long.' };
  return { ok: true, number };
}
