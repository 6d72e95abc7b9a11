import { commonPasswords } from './common-passwords.ts';

/** The rule a rejected password broke; the API returns it so the page can say which. */
export const PasswordRule = {
  TooShort: 'too-short',
  TooLong: 'too-long',
  Common: 'common',
  ContainsExtension: 'contains-extension',
  Trivial: 'trivial',
  SameAsCurrent: 'same-as-current',
} as const;
export type PasswordRule = (typeof PasswordRule)[keyof typeof PasswordRule];

export const MIN_PASSWORD_LENGTH = 15;
export const MAX_PASSWORD_LENGTH = 128;

export interface PolicyVerdict {
  ok: boolean;
  rule?: PasswordRule;
  message?: string;
}

const fail = (rule: PasswordRule, message: string): PolicyVerdict => ({ ok: false, rule, message });

/** True for one character repeated, or a run that climbs or falls by one (abcdef…, 987654…). */
function isTrivialSequence(password: string): boolean {
  const chars = Array.from(password.toLowerCase());
  if (new Set(chars).size <= 2) return true;
  const steps = chars.slice(1).map((ch, i) => ch.charCodeAt(0) - (chars[i] ?? ch).charCodeAt(0));
  return steps.every((step) => step === 1) || steps.every((step) => step === -1);
}

/** Keyboard rows and common repeated chunks that are trivial however long. */
function isRepeatedChunk(password: string): boolean {
  return /^(.{1,4})\1+.{0,3}$/i.test(password);
}

/**
 * NIST SP 800-63B / OWASP ASVS 6.2: length 15–128 counted in Unicode code points, no composition
 * rules, not a known common password, not built from the extension number, not a trivial sequence.
 */
export function checkPassword(password: string, extension: string): PolicyVerdict {
  // NIST 800-63B counts each Unicode code point as one character.
  const length = Array.from(password).length;
  if (length < MIN_PASSWORD_LENGTH) {
    return fail(
      PasswordRule.TooShort,
      `Use at least ${MIN_PASSWORD_LENGTH} characters (this one has ${length}).`,
    );
  }
  if (length > MAX_PASSWORD_LENGTH) {
    return fail(
      PasswordRule.TooLong,
      `Use at most ${MAX_PASSWORD_LENGTH} characters (this one has ${length}).`,
    );
  }
  if (extension && password.includes(extension)) {
    return fail(PasswordRule.ContainsExtension, 'Do not include your extension number in the password.');
  }
  if (isTrivialSequence(password) || isRepeatedChunk(password)) {
    return fail(
      PasswordRule.Trivial,
      'This is a simple sequence or repetition; choose something less predictable.',
    );
  }
  if (commonPasswords().has(password.toLowerCase())) {
    return fail(
      PasswordRule.Common,
      'This password appears in lists of commonly used passwords; choose another.',
    );
  }
  return { ok: true };
}
