import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { sipHashes } from '../../server/security/digest.ts';
import { GENERATED_PASSWORD_BITS, generatePassword } from '../../server/security/password-generator.ts';
import { checkPassword } from '../../server/security/password-policy.ts';
import { SecretBox } from '../../server/security/secret-box.ts';

describe('SIP digest hashes', () => {
  test('HA1 and HA1b match RFC 2617 MD5(user:realm:password)', () => {
    // Reference values computed with `printf '1001:earshot.local:secret' | md5sum` (HA1b: '1001@earshot.local:…').
    const { ha1, ha1b } = sipHashes('1001', 'earshot.local', 'secret');
    assert.equal(ha1, 'dfd55c82e2e062d0de374ae765ef2791');
    assert.equal(ha1b, 'efe9f9af9c8be45167c751234e82c6c0');
    assert.notEqual(sipHashes('1001', 'earshot.local', 'secret2').ha1, ha1);
  });
});

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  test('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('Correct-Horse-Battery-9');
    assert.ok(!sealed.includes('Correct-Horse'));
    assert.equal(box.open(sealed), 'Correct-Horse-Battery-9');
    assert.notEqual(box.seal('same'), box.seal('same'), 'a fresh IV every time');
  });

  test('refuses tampering and a wrong key', () => {
    const sealed = box.seal('secret value here');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    assert.throws(() => box.open([parts[0], parts[1], parts[2], body.toString('base64url')].join('.')));
    assert.throws(() => new SecretBox(randomBytes(32)).open(sealed));
    assert.throws(() => new SecretBox(randomBytes(16)), /32 bytes/);
  });
});

describe('generated passwords', () => {
  test('are long, distinct and pass the policy', () => {
    const seen = new Set(Array.from({ length: 200 }, () => generatePassword()));
    assert.equal(seen.size, 200);
    for (const password of seen) assert.deepEqual(checkPassword(password, '1001'), { ok: true });
    assert.ok(GENERATED_PASSWORD_BITS >= 110);
  });
});
