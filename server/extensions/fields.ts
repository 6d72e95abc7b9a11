// Rules for the settings of an extension that every way of creating one shares (admin API, bulk
// generate, CSV import), so a value accepted by one is accepted by all.
import { internationalNumber } from '../trunk/dial-plan.ts';

/** Longest display name. */
export const NAME_MAX_LENGTH = 128;

/** Concurrent calls per extension. */
export const CALL_LIMIT = { min: 1, max: 100, default: 2 } as const;

/** A forwarding target: an extension or a phone number, digits with an optional leading +, 2 to 32. */
export const FORWARDING = /^\+?\d{2,32}$/;

/** Longest DID or caller ID as typed (spaces, dashes and parentheses included). */
export const PHONE_NUMBER_MAX_LENGTH = 40;

/** Why a display name cannot be used, or null when it can. */
export function nameProblem(name: string): string | null {
  if (name.trim() === '') return 'Enter a name.';
  if (name.length > NAME_MAX_LENGTH) return `Names have at most ${NAME_MAX_LENGTH} characters.`;
  return null;
}

/** Why a call limit cannot be used, or null when it can. */
export function callLimitProblem(limit: number): string | null {
  return Number.isInteger(limit) && limit >= CALL_LIMIT.min && limit <= CALL_LIMIT.max
    ? null
    : `The call limit is a whole number from ${CALL_LIMIT.min} to ${CALL_LIMIT.max}.`;
}

/** Why a forwarding target cannot be used, or null when it can. */
export function forwardingProblem(target: string): string | null {
  return FORWARDING.test(target)
    ? null
    : 'Forward to an extension or phone number: 2 to 32 digits, optionally starting with +.';
}

/**
 * A DID or caller ID as typed: international format (`+…` or `00…`; spaces, dashes, dots and
 * parentheses dropped), stored as E.164. The E.164 form, or the plain sentence why not.
 */
export function phoneNumberField(text: string): { ok: true; e164: string } | { ok: false; message: string } {
  if (text.length > PHONE_NUMBER_MAX_LENGTH)
    return { ok: false, message: `Phone numbers have at most ${PHONE_NUMBER_MAX_LENGTH} characters` };
  return internationalNumber(text);
}
