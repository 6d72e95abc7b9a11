import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../server/config.ts';
import { SecretBox } from '../../server/security/secret-box.ts';
import { iceServersFor, mintTurnCredentials, turnSecret } from '../../server/turn/credentials.ts';
import { bindingRequest, isBindingSuccess } from '../../server/turn/stun-ping.ts';
import { renderCoturnConfig } from '../../server/turn/coturn.ts';
import { turnFrom } from '../../server/turn/turn-config.ts';

const SECRET = 'a-shared-secret-of-length';

describe('TURN settings from the environment', () => {
  test("default: the stack's own coturn on the first media address, UDP and TCP URLs, 4 h credentials", () => {
    const turn = loadConfig({ EARSHOT_MEDIA_LISTEN: '127.0.0.1!203.0.113.9' }).turn;
    assert.deepEqual(turn, {
      local: {
        listen: '127.0.0.1',
        advertised: '127.0.0.1',
        port: 3478,
        relayPortMin: 32000,
        relayPortMax: 32999,
      },
      urls: ['turn:127.0.0.1:3478?transport=udp', 'turn:127.0.0.1:3478?transport=tcp'],
      stunUrls: [],
      secret: null,
      ttlSeconds: 240 * 60,
    });
  });

  test('behind NAT the browsers are told the public address', () => {
    const turn = turnFrom(
      {
        EARSHOT_TURN_LISTEN: '10.0.0.5',
        EARSHOT_TURN_EXTERNAL_IP: '198.51.100.7',
        EARSHOT_TURN_PORT: '3479',
      },
      '127.0.0.1',
    );
    assert.ok(turn);
    assert.equal(turn.local?.listen, '10.0.0.5');
    assert.deepEqual(turn.urls, [
      'turn:198.51.100.7:3479?transport=udp',
      'turn:198.51.100.7:3479?transport=tcp',
    ]);
  });

  test("a site's own TURN servers need their shared secret; no coturn is started then", () => {
    assert.throws(
      () => turnFrom({ EARSHOT_TURN_URLS: 'turns:turn.example.com:5349?transport=tcp' }, '127.0.0.1'),
      /EARSHOT_TURN_SECRET: is needed with EARSHOT_TURN_URLS/,
    );
    const turn = turnFrom(
      {
        EARSHOT_TURN_URLS:
          'turn:turn.example.com:3478?transport=udp, turns:turn.example.com:5349?transport=tcp',
        EARSHOT_TURN_SECRET: SECRET,
        EARSHOT_STUN_URLS: 'stun:stun.example.com:3478',
      },
      '127.0.0.1',
    );
    assert.ok(turn);
    assert.equal(turn.local, null);
    assert.deepEqual(turn.urls, [
      'turn:turn.example.com:3478?transport=udp',
      'turns:turn.example.com:5349?transport=tcp',
    ]);
    assert.deepEqual(turn.stunUrls, ['stun:stun.example.com:3478']);
  });

  test('off, and each bad value named with its variable', () => {
    assert.equal(turnFrom({ EARSHOT_TURN: 'off' }, '127.0.0.1'), null);
    const cases: [Record<string, string>, RegExp][] = [
      [
        { EARSHOT_TURN_URLS: 'http://turn.example.com', EARSHOT_TURN_SECRET: SECRET },
        /EARSHOT_TURN_URLS: "http/,
      ],
      [{ EARSHOT_STUN_URLS: 'turn:x:1' }, /EARSHOT_STUN_URLS/],
      [{ EARSHOT_TURN_LISTEN: '0.0.0.0' }, /EARSHOT_TURN_LISTEN: 0\.0\.0\.0 is not an address a browser/],
      [{ EARSHOT_TURN_LISTEN: 'turn.local' }, /EARSHOT_TURN_LISTEN: "turn.local" is not an IP address/],
      [{ EARSHOT_TURN_SECRET: 'short' }, /EARSHOT_TURN_SECRET: use at least 16 characters/],
      [
        { EARSHOT_TURN_RELAY_PORT_MIN: '40000', EARSHOT_TURN_RELAY_PORT_MAX: '40000' },
        /EARSHOT_TURN_RELAY_PORT_MAX/,
      ],
      [{ EARSHOT_TURN_TTL_MINUTES: '0' }, /EARSHOT_TURN_TTL_MINUTES/],
    ];
    for (const [env, message] of cases) assert.throws(() => turnFrom(env, '127.0.0.1'), message);
    assert.throws(() => loadConfig({ EARSHOT_TURN: 'maybe' }), /Invalid configuration: EARSHOT_TURN:/);
  });
});

describe('TURN REST API credentials', () => {
  test('username is "<expiry>:<extension>", password base64(HMAC-SHA1(secret, username)) as coturn checks', () => {
    const minted = mintTurnCredentials(SECRET, '1001', 3600, new Date(1_700_000_000_000));
    // The expected password was computed with openssl dgst -sha1 -hmac (an independent implementation).
    assert.deepEqual(minted, {
      username: '1700003600:1001',
      credential: 'Ctq1XpBYPPRWDf9Mi5WsUGXz6+Q=',
      expiresAt: new Date(1_700_003_600_000),
    });
  });

  test('each agent gets the STUN servers and the TURN URLs with credentials that expire', () => {
    const box = new SecretBox(Buffer.alloc(32, 7));
    const turn = turnFrom({ EARSHOT_STUN_URLS: 'stun:stun.example.com:3478' }, '127.0.0.1');
    const now = new Date('2026-12-03T08:00:00Z');
    const servers = iceServersFor(turn, box, '1001', now);
    assert.equal(servers.expiresAt, '2026-12-03T12:00:00.000Z');
    assert.deepEqual(servers.iceServers[0], { urls: ['stun:stun.example.com:3478'] });
    const relay = servers.iceServers[1];
    assert.ok(turn && relay);
    assert.deepEqual(relay.urls, turn.urls);
    assert.equal(relay.username, `${String(Date.parse('2026-12-03T12:00:00Z') / 1000)}:1001`);
    // Without a configured secret, one derived from the secret key: the same for every start.
    const secret = turnSecret(turn, box);
    assert.equal(secret, turnSecret(turn, new SecretBox(Buffer.alloc(32, 7))));
    assert.notEqual(secret, turnSecret(turn, new SecretBox(Buffer.alloc(32, 8))));
    assert.equal(relay.credential, mintTurnCredentials(secret, '1001', 4 * 3600, now).credential);
    assert.deepEqual(iceServersFor(null, box, '1001', now), { iceServers: [], expiresAt: null });
  });
});

describe('coturn config and STUN probe', () => {
  test('the secret goes into the config file, loopback peers only on a loopback install', () => {
    const base = {
      listen: '127.0.0.1',
      advertised: '127.0.0.1',
      port: 3478,
      relayPortMin: 32000,
      relayPortMax: 32999,
      secret: SECRET,
      realm: 'earshot.local',
    };
    const loopback = renderCoturnConfig(base, '/run/x');
    assert.match(loopback, /^use-auth-secret$/m);
    assert.match(loopback, new RegExp(`^static-auth-secret=${SECRET}$`, 'm'));
    assert.match(loopback, /^allow-loopback-peers$/m);
    assert.match(loopback, /^pidfile=\/run\/x\/turnserver.pid$/m);
    const lan = renderCoturnConfig({ ...base, listen: '10.0.0.5', advertised: '198.51.100.7' }, '/run/x');
    assert.doesNotMatch(lan, /allow-loopback-peers/);
    assert.match(lan, /^external-ip=198\.51\.100\.7\/10\.0\.0\.5$/m);
  });

  test('a Binding request is recognised only by its own transaction id', () => {
    const id = Buffer.alloc(12, 1);
    const request = bindingRequest(id);
    assert.equal(request.length, 20);
    assert.equal(request.readUInt32BE(4), 0x2112a442);
    const success = Buffer.from(request);
    success.writeUInt16BE(0x0101, 0);
    assert.ok(isBindingSuccess(success, id));
    assert.ok(!isBindingSuccess(success, Buffer.alloc(12, 2)));
    assert.ok(!isBindingSuccess(request, id));
  });
});
