// The dial plan: what an agent dials becomes an extension, an E.164 number for the trunk, or a
// refusal in plain words. The rules are data, applied here by normaliseDialed() and rendered into
// Kamailio's route by kamailio-dial-plan.ts, so Kamailio routes exactly what the unit tests check.
// Patterns use only what POSIX extended regexes (Kamailio's `=~`) and JavaScript read alike:
// anchors, bracket expressions and digits; no backslash (Kamailio's config strings would eat it).
import { normalizeDialString } from '../../src/internal/phone-number.ts';
import { callingCodeOf } from './calling-codes.ts';

/** A way of writing a number: matched by `pattern`, made E.164 by dropping `strip` leading characters and prepending `prefix`. */
export interface Rewrite {
  pattern: string;
  strip: number;
  prefix: string;
}

interface CountryPlan {
  name: string;
  callingCode: string;
  /** Dialed before a calling code from this country; `00` works from every country as well. */
  internationalPrefix: string;
  /** National formats, tried in order after the international ones. */
  national: readonly Rewrite[];
}

const trunkZero = (callingCode: string): Rewrite => ({
  pattern: '^0[1-9]',
  strip: 1,
  prefix: `+${callingCode}`,
});
const asIs = (pattern: string, callingCode: string): Rewrite => ({
  pattern,
  strip: 0,
  prefix: `+${callingCode}`,
});

const NANP: readonly Rewrite[] = [{ pattern: '^1[2-9]', strip: 1, prefix: '+1' }, asIs('^[2-9]', '1')];

/** The default countries the dial plan knows national formats for (EARSHOT_DIAL_COUNTRY). */
export const DIAL_COUNTRIES = {
  US: { name: 'the United States', callingCode: '1', internationalPrefix: '011', national: NANP },
  CA: { name: 'Canada', callingCode: '1', internationalPrefix: '011', national: NANP },
  GB: {
    name: 'the United Kingdom',
    callingCode: '44',
    internationalPrefix: '00',
    national: [trunkZero('44')],
  },
  IE: { name: 'Ireland', callingCode: '353', internationalPrefix: '00', national: [trunkZero('353')] },
  DE: { name: 'Germany', callingCode: '49', internationalPrefix: '00', national: [trunkZero('49')] },
  FR: { name: 'France', callingCode: '33', internationalPrefix: '00', national: [trunkZero('33')] },
  NL: { name: 'the Netherlands', callingCode: '31', internationalPrefix: '00', national: [trunkZero('31')] },
  // Spain and Italy have no trunk prefix: Italian numbers keep their leading 0 after +39.
  ES: { name: 'Spain', callingCode: '34', internationalPrefix: '00', national: [asIs('^[6-9]', '34')] },
  IT: {
    name: 'Italy',
    callingCode: '39',
    internationalPrefix: '00',
    national: [asIs('^0[1-9]', '39'), asIs('^3', '39')],
  },
  AU: {
    name: 'Australia',
    callingCode: '61',
    internationalPrefix: '0011',
    national: [trunkZero('61'), asIs('^1[38]00', '61')],
  },
  IN: {
    name: 'India',
    callingCode: '91',
    internationalPrefix: '00',
    national: [trunkZero('91'), asIs('^[6-9]', '91')],
  },
} as const satisfies Record<string, CountryPlan>;

export type DialCountry = keyof typeof DIAL_COUNTRIES;

/** True when `code` names a supported default country. */
export function isDialCountry(code: string): code is DialCountry {
  return Object.hasOwn(DIAL_COUNTRIES, code);
}

/** Digits after the calling code, for the calling codes of the supported countries. */
export const SIGNIFICANT_DIGITS: Readonly<Record<string, { min: number; max: number }>> = {
  '1': { min: 10, max: 10 },
  '44': { min: 9, max: 10 },
  '353': { min: 7, max: 9 },
  '49': { min: 6, max: 13 },
  '33': { min: 9, max: 9 },
  '31': { min: 9, max: 9 },
  '34': { min: 9, max: 9 },
  '39': { min: 6, max: 11 },
  '61': { min: 9, max: 10 },
  '91': { min: 10, max: 10 },
};

/** Digits after the + of any E.164 number (the shortest in service have 7). */
export const E164_DIGITS = { min: 7, max: 15 } as const;

/** What the dialed text must look like before any rewrite: digits, optionally after a +. */
export const NUMBER_PATTERN = '^[+]?[0-9]+$';
/** Dialed text matching this is an extension (4 to 8 digits), never a phone number. */
export const EXTENSION_PATTERN = '^[0-9]{4,8}$';

/** The ordered rewrites for a default country (null: international formats only). */
export interface DialPlan {
  country: DialCountry | null;
  rewrites: readonly Rewrite[];
}

/** `+…`, then the country's international prefix (longest first) and `00`, then its national formats. */
export function dialPlan(country: DialCountry | null): DialPlan {
  const plan: CountryPlan | null = country ? DIAL_COUNTRIES[country] : null;
  const prefixes = [...new Set([plan?.internationalPrefix ?? '00', '00'])].sort(
    (a, b) => b.length - a.length,
  );
  return {
    country,
    rewrites: [
      { pattern: '^[+]', strip: 0, prefix: '' },
      ...prefixes.map((prefix) => ({ pattern: `^${prefix}`, strip: prefix.length, prefix: '+' })),
      ...(plan?.national ?? []),
    ],
  };
}

/** Why a dialed number cannot be routed. */
export const DialRefusal = {
  NotANumber: 'not-a-number',
  NeedsCountryCode: 'needs-country-code',
  UnknownCountry: 'unknown-country',
  TooShort: 'too-short',
  TooLong: 'too-long',
} as const;
export type DialRefusal = (typeof DialRefusal)[keyof typeof DialRefusal];

/** A refusal: its reason, the SIP status Kamailio answers with, and the sentence (also the reason phrase). */
export interface Refused {
  kind: 'refused';
  reason: DialRefusal;
  status: 404 | 484;
  message: string;
}

/** A number for the trunk, in E.164, or why not. */
export type E164Result = { kind: 'external'; e164: string } | Refused;
export type DialResult = { kind: 'extension'; number: string } | E164Result;

const digitCount = ({ min, max }: { min: number; max: number }): string =>
  min === max ? String(min) : max === min + 1 ? `${min} or ${max}` : `${min} to ${max}`;

/** The refusal for `reason`; `callingCode` makes a length refusal say what the length should be. */
export function refusal(reason: DialRefusal, callingCode?: string): Refused {
  const expected = callingCode ? SIGNIFICANT_DIGITS[callingCode] : undefined;
  const rule = expected
    ? `: numbers starting +${callingCode} have ${digitCount(expected)} digits after it`
    : '';
  const messages: Record<DialRefusal, string> = {
    'not-a-number': 'A phone number has only digits and a leading +',
    'needs-country-code': 'Dial the number with its country code, starting with +',
    'unknown-country': 'No country has that calling code',
    'too-short': `That number is too short${rule}`,
    'too-long': `That number is too long${expected ? rule : `: phone numbers have at most ${E164_DIGITS.max} digits`}`,
  };
  const status =
    reason === 'not-a-number' || reason === 'unknown-country' || reason === 'too-long' ? 404 : 484;
  return { kind: 'refused', reason, status, message: messages[reason] };
}

/** Checks a number already in E.164 form (`+` and digits): calling code in service, length right for it. */
export function checkE164(e164: string): E164Result {
  const digits = e164.slice(1);
  if (digits === '') return refusal(DialRefusal.TooShort);
  const code = callingCodeOf(digits);
  if (!code) return refusal(DialRefusal.UnknownCountry);
  const expected = SIGNIFICANT_DIGITS[code];
  const significant = digits.length - code.length;
  if (expected ? significant < expected.min : digits.length < E164_DIGITS.min)
    return refusal(DialRefusal.TooShort, code);
  if (expected ? significant > expected.max : digits.length > E164_DIGITS.max)
    return refusal(DialRefusal.TooLong, code);
  return { kind: 'external', e164 };
}

/**
 * What Kamailio does with a dialed number (after the softphone's light cleanup): 4 to 8 digits
 * are an extension; anything else is rewritten by the first rule that matches and checked as E.164.
 */
export function normaliseDialed(dialed: string, plan: DialPlan): DialResult {
  if (new RegExp(EXTENSION_PATTERN).test(dialed)) return { kind: 'extension', number: dialed };
  return toE164(dialed, plan);
}

/** A dialed number as E.164, or why not (an extension-like number is treated as a phone number here). */
export function toE164(dialed: string, plan: DialPlan): E164Result {
  if (!new RegExp(NUMBER_PATTERN).test(dialed)) return refusal(DialRefusal.NotANumber);
  const rewrite = plan.rewrites.find((rule) => new RegExp(rule.pattern).test(dialed));
  if (!rewrite) return refusal(DialRefusal.NeedsCountryCode);
  return checkE164(rewrite.prefix + dialed.slice(rewrite.strip));
}

/**
 * A phone number an administrator typed (a DID, a caller ID): spaces, dashes, dots and parentheses
 * are dropped as the softphone does; it must be international (`+…` or `00…`) and valid E.164.
 * Returns the E.164 form or the refusal sentence.
 */
export function internationalNumber(
  text: string,
): { ok: true; e164: string } | { ok: false; message: string } {
  const result = toE164(normalizeDialString(text), dialPlan(null));
  return result.kind === 'external'
    ? { ok: true, e164: result.e164 }
    : { ok: false, message: result.message };
}
