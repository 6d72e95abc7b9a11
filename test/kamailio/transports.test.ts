// SIP devices over TCP and TLS: they register and call like UDP ones, and the binding says which.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KamailioRegistrarClient } from '../../server/kamailio/registrar-client.ts';
import { ensureDevCertificate } from '../../server/stack/dev-certificate.ts';
import { startKamailio, type KamailioHarness } from '../support/kamailio-harness.ts';
import { seedExtensions, streamAgent, udpAgent } from '../support/sip-agents.ts';
import type { SipClient } from '../support/sip-client.ts';

void describe('Kamailio SIP over TCP and TLS (SQLite)', () => {
  let h: KamailioHarness;
  let dir: string;
  let ca: string;
  let registrar: KamailioRegistrarClient;
  const clients: SipClient[] = [];
  const keep = (client: SipClient): SipClient => {
    clients.push(client);
    return client;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-transports-'));
    // The certificate `npm start` makes when none is configured.
    const certificate = ensureDevCertificate(dir, ['127.0.0.1']);
    ca = readFileSync(certificate.cert, 'utf8');
    h = await startKamailio({ nodeName: 'kam-t', tls: certificate });
    registrar = new KamailioRegistrarClient([{ name: h.nodeName, rpcUrl: h.rpcUrl }]);
    await seedExtensions(h, [
      { number: '4601', manualDialing: true },
      { number: '4602', manualDialing: true },
      { number: '4603', manualDialing: true },
    ]);
  });

  after(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const transportsOf = async (number: string) =>
    (await registrar.lookup(number)).registrations.map((r) => [r.transport, r.userAgent]);

  void test('a desk phone registers over TCP with digest and the binding says tcp', async () => {
    const phone = keep(await streamAgent(h, '4601', 'tcp', { userAgent: 'Desk phone TCP' }));
    assert.equal((await phone.register()).status, 200);
    assert.deepEqual(await transportsOf('4601'), [['tcp', 'Desk phone TCP']]);
  });

  void test('a device registers over TLS (the development certificate) and the binding says tls', async () => {
    const phone = keep(await streamAgent(h, '4602', 'tls', { ca, userAgent: 'Mobile app TLS' }));
    assert.equal((await phone.register()).status, 200);
    assert.deepEqual(await transportsOf('4602'), [['tls', 'Mobile app TLS']]);
  });

  void test('a wrong password over TLS is refused like over UDP', async () => {
    const phone = keep(await streamAgent(h, '4603', 'tls', { ca, password: 'not-the-password' }));
    assert.equal((await phone.register()).status, 401);
  });

  void test('calls reach TLS and TCP devices over their own connections and are answered', async () => {
    const tls = keep(await streamAgent(h, '4602', 'tls', { ca }));
    const tcp = keep(await streamAgent(h, '4601', 'tcp'));
    assert.equal((await tls.register()).status, 200);
    assert.equal((await tcp.register()).status, 200);
    const udp = keep(await udpAgent(h, '4603'));
    assert.equal((await udp.invite('4602')).status, 200, 'UDP -> TLS device');
    assert.equal((await tls.invite('4601')).status, 200, 'TLS device -> TCP device');
    assert.ok(await tls.waitForRequest('INVITE'), 'the TLS device never saw the INVITE');
  });

  void test('a client that does not trust the certificate cannot connect over TLS', async () => {
    await assert.rejects(streamAgent(h, '4602', 'tls'), /self[- ]signed|certificate/i);
  });
});
