import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeDialString } from '../../src/internal/phone-number.ts';
import { CALLING_CODES, callingCodeOf } from '../../server/trunk/calling-codes.ts';
import {
  DIAL_COUNTRIES,
  dialPlan,
  internationalNumber,
  normaliseDialed,
  type DialCountry,
  type DialResult,
} from '../../server/trunk/dial-plan.ts';

/** What Kamailio makes of what an agent typed (after the softphone's light cleanup). */
const dial = (typed: string, country: DialCountry | null): DialResult =>
  normaliseDialed(normalizeDialString(typed), dialPlan(country));

const e164 = (typed: string, country: DialCountry | null): string => {
  const result = dial(typed, country);
  assert.ok(result.kind === 'external', `${typed} (${String(country)}): ${JSON.stringify(result)}`);
  return result.e164;
};

const refusedWith = (typed: string, country: DialCountry | null): string => {
  const result = dial(typed, country);
  assert.ok(
    result.kind === 'refused',
    `${typed} (${String(country)}) was not refused: ${JSON.stringify(result)}`,
  );
  return `${result.status} ${result.reason}: ${result.message}`;
};

void describe('dial plan: what agents type becomes E.164', () => {
  void test('international format with +, whatever the default country', () => {
    for (const country of [null, 'US', 'GB', 'DE'] as const) {
      assert.equal(e164('+1 (555) 010-9999', country), '+15550109999');
      assert.equal(e164('+44 20 7946 0958', country), '+442079460958');
      assert.equal(e164('+49 30 901820', country), '+4930901820');
    }
  });

  void test('00 works as the international prefix from every country; 011 from the US, 0011 from Australia', () => {
    for (const country of [null, 'US', 'GB', 'AU', 'IT'] as const)
      assert.equal(e164('0044 20 7946 0958', country), '+442079460958');
    assert.equal(e164('011 44 20 7946 0958', 'US'), '+442079460958');
    assert.equal(e164('011 44 20 7946 0958', 'CA'), '+442079460958');
    assert.equal(e164('0011 44 20 7946 0958', 'AU'), '+442079460958');
    assert.equal(e164('0011 1 555 010 9999', 'AU'), '+15550109999');
  });

  void test('US and Canadian national format, with or without the leading 1', () => {
    for (const country of ['US', 'CA'] as const) {
      assert.equal(e164('555-010-9999', country), '+15550109999');
      assert.equal(e164('(555) 010-9999', country), '+15550109999');
      assert.equal(e164('1 555 010 9999', country), '+15550109999');
      assert.equal(e164('1-800-555-0199', country), '+18005550199');
    }
  });

  void test('national format with trunk prefix 0 drops the 0', () => {
    assert.equal(e164('020 7946 0958', 'GB'), '+442079460958');
    assert.equal(e164('07700 900123', 'GB'), '+447700900123');
    assert.equal(e164('030 901820', 'DE'), '+4930901820');
    assert.equal(e164('01 23 45 67 89', 'FR'), '+33123456789');
    assert.equal(e164('020 123 4567', 'NL'), '+31201234567');
    assert.equal(e164('01 234 5678', 'IE'), '+35312345678');
    assert.equal(e164('02 9876 5432', 'AU'), '+61298765432');
    assert.equal(e164('011 2345 6789', 'IN'), '+911123456789');
  });

  void test('countries without a trunk prefix: Spain as dialed, Italy keeps its 0', () => {
    assert.equal(e164('912 345 678', 'ES'), '+34912345678');
    assert.equal(e164('06 1234 5678', 'IT'), '+390612345678');
    assert.equal(e164('312 345 6789', 'IT'), '+393123456789');
    assert.equal(e164('98765 43210', 'IN'), '+919876543210');
    assert.equal(e164('1300 123 456', 'AU'), '+611300123456');
  });

  void test('4 to 8 digits are an extension, never a phone number', () => {
    for (const country of [null, 'US', 'GB'] as const) {
      assert.deepEqual(dial('1001', country), { kind: 'extension', number: '1001' });
      assert.deepEqual(dial('1234-5678', country), { kind: 'extension', number: '12345678' });
    }
  });

  void test('national format without a default country, or of another country: dial the country code', () => {
    assert.match(
      refusedWith('555-010-9999', null),
      /^484 needs-country-code: Dial the number with its country code/,
    );
    assert.match(refusedWith('020 7946 0958', null), /^484 needs-country-code/);
    // A British number typed the British way does not pass for a US one.
    assert.match(refusedWith('020 7946 0958', 'US'), /^484 needs-country-code/);
    assert.match(refusedWith('2079460958', 'GB'), /^484 needs-country-code/);
  });

  void test('too short and too long, with the length the calling code needs', () => {
    assert.equal(
      refusedWith('+1 555 010 999', null),
      '484 too-short: That number is too short: numbers starting +1 have 10 digits after it',
    );
    assert.equal(
      refusedWith('555 010 99999', 'US'),
      '404 too-long: That number is too long: numbers starting +1 have 10 digits after it',
    );
    assert.equal(
      refusedWith('020 7946 09', 'GB'),
      '484 too-short: That number is too short: numbers starting +44 have 9 or 10 digits after it',
    );
    assert.match(
      refusedWith('+49 1234 5678 9012 34', null),
      /too long: numbers starting \+49 have 6 to 13 digits/,
    );
    // Calling codes outside the table: E.164's own bounds (7 to 15 digits after +).
    assert.equal(refusedWith('+81 312', null), '484 too-short: That number is too short');
    assert.equal(e164('+81 3 1234 5678', null), '+81312345678');
    assert.equal(
      refusedWith('+81 3 1234 5678 90123', null),
      '404 too-long: That number is too long: phone numbers have at most 15 digits',
    );
    assert.equal(refusedWith('00', 'GB'), '484 too-short: That number is too short');
  });

  void test('letters, stars and hashes, a second +, and unknown calling codes are refused', () => {
    for (const typed of ['555-CALL-NOW', '+1 555 010 999x', '*21#', '12+34567890', '+'])
      assert.match(
        refusedWith(typed, 'US'),
        /^404 not-a-number: A phone number has only digits and a leading \+$/,
      );
    assert.equal(refusedWith('+28 1234 5678', null), '404 unknown-country: No country has that calling code');
    assert.equal(refusedWith('+0 1234 5678', null), '404 unknown-country: No country has that calling code');
    assert.equal(
      refusedWith('00 384 1234 5678', 'GB'),
      '404 unknown-country: No country has that calling code',
    );
  });

  void test('refusal sentences can be SIP reason phrases (printable ASCII, no quotes or backslashes)', () => {
    const inputs = ['abc', '555', '+28123456789', '+1555', '+15550109999999', '020'];
    for (const typed of inputs) {
      const result = dial(typed, 'GB');
      if (result.kind === 'refused') assert.match(result.message, /^[ -!#-[\]-~]+$/, typed);
    }
  });

  void test('every supported country rewrites its own national example to its calling code', () => {
    const examples: Record<DialCountry, string> = {
      US: '2025550123',
      CA: '6135550123',
      GB: '02079460958',
      IE: '012345678',
      DE: '030901820',
      FR: '0123456789',
      NL: '0201234567',
      ES: '912345678',
      IT: '0612345678',
      AU: '0298765432',
      IN: '01123456789',
    };
    for (const [country, national] of Object.entries(examples) as [DialCountry, string][])
      assert.ok(e164(national, country).startsWith(`+${DIAL_COUNTRIES[country].callingCode}`), country);
  });
});

void describe('calling codes', () => {
  void test('prefix-free: no code starts another', () => {
    for (const a of CALLING_CODES)
      for (const b of CALLING_CODES) if (a !== b) assert.ok(!b.startsWith(a), `${a} is a prefix of ${b}`);
  });

  void test('the code of a number is found whatever its length', () => {
    assert.equal(callingCodeOf('15550109999'), '1');
    assert.equal(callingCodeOf('442079460958'), '44');
    assert.equal(callingCodeOf('35312345678'), '353');
    assert.equal(callingCodeOf('2812345678'), null);
  });
});

void describe('numbers an administrator types (DIDs, caller IDs)', () => {
  void test('international forms are accepted and stored as E.164', () => {
    assert.deepEqual(internationalNumber(' +1 (408) 555-0100 '), { ok: true, e164: '+14085550100' });
    assert.deepEqual(internationalNumber('0044 20 7946 0958'), { ok: true, e164: '+442079460958' });
  });

  void test('national forms, extensions and junk are refused with the sentence', () => {
    assert.deepEqual(internationalNumber('408 555 0100'), {
      ok: false,
      message: 'Dial the number with its country code, starting with +',
    });
    assert.equal(internationalNumber('1001').ok, false);
    assert.deepEqual(internationalNumber('+1 408 CALL'), {
      ok: false,
      message: 'A phone number has only digits and a leading +',
    });
  });
});
