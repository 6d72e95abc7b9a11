import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkCidr, checkCidrList, isCidr } from '../../server/extensions/cidr.ts';

describe('CIDR entries (allowed IPs)', () => {
  test('ranges stay, bare addresses become single-host ranges', () => {
    assert.deepEqual(checkCidr('10.0.0.0/8'), { ok: true, cidr: '10.0.0.0/8' });
    assert.deepEqual(checkCidr(' 192.0.2.7 '), { ok: true, cidr: '192.0.2.7/32' });
    assert.deepEqual(checkCidr('2001:DB8::/32'), { ok: true, cidr: '2001:db8::/32' });
    assert.deepEqual(checkCidr('::1'), { ok: true, cidr: '::1/128' });
    assert.deepEqual(checkCidr('0.0.0.0/0'), { ok: true, cidr: '0.0.0.0/0' });
  });

  test('bad addresses and prefixes are refused with the reason', () => {
    for (const bad of [
      '10.0.0.0/33',
      '2001:db8::/129',
      '10.0.0/8',
      '300.1.1.1',
      'fe80::1%eth0',
      '10.0.0.0/',
      '10.0.0.0/8/1',
      'localhost',
      '',
    ]) {
      assert.equal(isCidr(bad), false, bad);
    }
    const prefix = checkCidr('10.0.0.0/33');
    assert.ok(!prefix.ok && /\/0 to \/32/.test(prefix.message));
    const address = checkCidr('10.0.0/8');
    assert.ok(!address.ok && /not an IP address/.test(address.message));
  });

  test('a list is normalised, de-duplicated, and its first bad entry reported', () => {
    assert.deepEqual(checkCidrList(['10.0.0.1', '10.0.0.1/32', '::1']), {
      ok: true,
      cidrs: ['10.0.0.1/32', '::1/128'],
    });
    const bad = checkCidrList(['10.0.0.0/8', 'nope', '1.2.3.4/99']);
    assert.ok(!bad.ok && bad.message.includes('"nope"'));
  });
});
