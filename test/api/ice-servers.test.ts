// GET /api/v1/me/ice-servers: an agent's STUN/TURN servers with TURN credentials minted for that
// agent, valid for the configured time, never cached and never logged.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { IceServersResponse } from '../../server/api/schemas.ts';
import { turnPassword } from '../../server/turn/credentials.ts';
import { loginAs, PASSWORD_1001, startApi, type ApiHarness } from '../support/api-harness.ts';
import type { z } from 'zod';

type IceServers = z.infer<typeof IceServersResponse>;
const SECRET = 'the-turn-servers-shared-secret';

describe('GET /api/v1/me/ice-servers', () => {
  let h: ApiHarness;
  let headers: { authorization: string };
  before(async () => {
    h = await startApi('sqlite', undefined, {
      EARSHOT_TURN_URLS: 'turn:turn.example.test:3478?transport=udp',
      EARSHOT_STUN_URLS: 'stun:stun.example.test:3478',
      EARSHOT_TURN_SECRET: SECRET,
      EARSHOT_TURN_TTL_MINUTES: '90',
    });
    headers = await loginAs(h, '1001', PASSWORD_1001);
  });
  after(() => h.close());

  test("mints credentials for the agent's own extension that the TURN servers accept, expiring as configured", async () => {
    const res = await h.app.inject({ url: '/api/v1/me/ice-servers', headers });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json<IceServers>();
    const expiry = Math.floor(h.clock.now().getTime() / 1000) + 90 * 60;
    assert.equal(body.expiresAt, new Date(expiry * 1000).toISOString());
    assert.deepEqual(body.iceServers, [
      { urls: ['stun:stun.example.test:3478'] },
      {
        urls: ['turn:turn.example.test:3478?transport=udp'],
        username: `${String(expiry)}:1001`,
        credential: turnPassword(SECRET, `${String(expiry)}:1001`),
      },
    ]);
  });

  test('the credential is never in the service log', async () => {
    const body = (await h.app.inject({ url: '/api/v1/me/ice-servers', headers })).json<IceServers>();
    const credential = body.iceServers[1]?.credential ?? '';
    assert.ok(credential.length > 20);
    assert.ok(
      h.logs.some((line) => line.includes('/api/v1/me/ice-servers')),
      'the request was logged',
    );
    assert.ok(!h.logs.some((line) => line.includes(credential) || line.includes(SECRET)));
  });

  test('only for a logged-in agent', async () => {
    const res = await h.app.inject({ url: '/api/v1/me/ice-servers' });
    assert.equal(res.statusCode, 401);
    assert.match(res.json<{ message: string }>().message, /^Log in first/);
  });
});

describe('GET /api/v1/me/ice-servers with TURN off', () => {
  test('answers no servers and no expiry', async () => {
    const h = await startApi('sqlite', undefined, { EARSHOT_TURN: 'off' });
    try {
      const headers = await loginAs(h, '1001', PASSWORD_1001);
      const res = await h.app.inject({ url: '/api/v1/me/ice-servers', headers });
      assert.deepEqual(res.json(), { iceServers: [], expiresAt: null });
    } finally {
      await h.close();
    }
  });
});
