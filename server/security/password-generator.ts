import { randomInt } from 'node:crypto';

// No look-alikes (0/O, 1/l/I) so a secret read aloud or typed on a desk phone survives.
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const GROUP = 5;
const GROUPS = 4;

/** A random password of 4 groups of 5 from a 57-symbol alphabet: ~117 bits, e.g. `k7PqR-x2mZa-…`. */
export function generatePassword(): string {
  const groups = Array.from({ length: GROUPS }, () =>
    Array.from({ length: GROUP }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  );
  return groups.join('-');
}

/** Entropy in bits of what `generatePassword` returns. */
export const GENERATED_PASSWORD_BITS = Math.floor(GROUP * GROUPS * Math.log2(ALPHABET.length));
