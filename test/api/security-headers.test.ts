// HSTS and CSP upgrade-insecure-requests only over https: a browser told to upgrade a plain-http
// deployment could no longer reach it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startApi, type ApiHarness } from '../support/api-harness.ts';

const HTTPS = { 'x-forwarded-proto': 'https' };

function upgrades(headers: Record<string, unknown>): boolean {
  return /upgrade-insecure-requests/.test(String(headers['content-security-policy']));
}

describe('security headers', () => {
  describe('without a trusted proxy', () => {
    let h: ApiHarness;
    before(async () => {
      h = await startApi('sqlite');
    });
    after(() => h.close());

    test('plain http gets no HSTS and no upgrade-insecure-requests, the other headers stay', async () => {
      const res = await h.app.inject({ url: '/api/v1/client-config' });
      assert.equal(res.headers['strict-transport-security'], undefined);
      assert.equal(upgrades(res.headers), false, String(res.headers['content-security-policy']));
      assert.match(String(res.headers['content-security-policy']), /connect-src 'self' ws: wss:/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
    });

    test('X-Forwarded-Proto from an untrusted client changes nothing', async () => {
      const res = await h.app.inject({ url: '/api/v1/client-config', headers: HTTPS });
      assert.equal(res.headers['strict-transport-security'], undefined);
      assert.equal(upgrades(res.headers), false);
    });
  });

  describe('behind a trusted proxy (EARSHOT_TRUST_PROXY=true)', () => {
    let h: ApiHarness;
    before(async () => {
      h = await startApi('sqlite', undefined, { EARSHOT_TRUST_PROXY: 'true' });
    });
    after(() => h.close());

    test('https through the proxy gets HSTS and upgrade-insecure-requests', async () => {
      const res = await h.app.inject({ url: '/api/v1/client-config', headers: HTTPS });
      assert.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
      assert.ok(upgrades(res.headers), String(res.headers['content-security-policy']));
      assert.match(String(res.headers['content-security-policy']), /connect-src 'self' ws: wss:/);
    });

    test('plain http through the proxy gets neither', async () => {
      for (const headers of [{ 'x-forwarded-proto': 'http' }, {}]) {
        const res = await h.app.inject({ url: '/api/v1/client-config', headers });
        assert.equal(res.headers['strict-transport-security'], undefined);
        assert.equal(upgrades(res.headers), false);
      }
    });
  });
});
