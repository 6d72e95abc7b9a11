// SIP over secure WebSocket: with a certificate configured, Kamailio adds a wss listener.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KamailioRegistrarClient } from '../../server/kamailio/registrar-client.ts';
import {
  ALLOWED_ORIGIN,
  startKamailio,
  TEST_REALM,
  type KamailioHarness,
} from '../support/kamailio-harness.ts';
import { seedExtensions } from '../support/sip-agents.ts';
import { SipClient } from '../support/sip-client.ts';
import { WsTransport } from '../support/sip-transport.ts';

/** A self-signed certificate for 127.0.0.1, made with openssl for this test only. */
function selfSigned(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

describe('Kamailio over wss (SQLite)', () => {
  let h: KamailioHarness;
  let dir: string;
  let tls: { cert: string; key: string };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-tls-'));
    tls = selfSigned(dir);
    h = await startKamailio({ nodeName: 'kam-tls', tls });
    await seedExtensions(h, [{ number: '4501' }]);
  });

  after(async () => {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a browser-like client registers over wss and the binding says wss', async () => {
    const port = h.settings.wss?.port ?? 0;
    const transport = await WsTransport.open(
      `wss://127.0.0.1:${port}`,
      ALLOWED_ORIGIN,
      readFileSync(tls.cert, 'utf8'),
    );
    const client = new SipClient({ transport, user: '4501', domain: TEST_REALM, password: 'pw-4501' });
    try {
      assert.equal((await client.register()).status, 200);
      const registrar = new KamailioRegistrarClient([{ name: h.nodeName, rpcUrl: h.rpcUrl }]);
      const { registrations } = await registrar.lookup('4501');
      assert.equal(registrations[0]?.transport, 'wss');
    } finally {
      await client.close();
    }
  });

  test('a client that does not trust the certificate cannot connect', async () => {
    const port = h.settings.wss?.port ?? 0;
    await assert.rejects(
      WsTransport.open(`wss://127.0.0.1:${port}`, ALLOWED_ORIGIN),
      /self[- ]signed|certificate/i,
    );
  });
});
