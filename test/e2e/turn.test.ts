// Remote agents behind NAT: two agents whose browsers may only use TURN relay candidates
// (ice-transport-policy="relay", as a browser behind a symmetric NAT effectively is) call each
// other through the stack's real coturn with the credentials the account service minted for
// each. Audio must flow both ways and the selected candidate pair must be a relay on both sides.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { HEALTH_CACHE_MS } from '../../server/api/health.ts';
import type { ComponentHealth } from '../../server/api/schemas.ts';
import { launchChromium } from '../support/browser.ts';
import { until } from '../support/poll.ts';
import { seedExtensions } from '../support/sip-agents.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { endCalls, expectAudioFlowing, openAgent, press } from './agent-page.ts';

/** The candidate types of the pair the call's ICE transport selected (local, remote). */
function selectedPair(page: Page): Promise<{ local: string; remote: string; relayPort: number } | null> {
  return page.evaluate(async () => {
    const phone = document.querySelector('earshot-softphone') as unknown as {
      phone: { sip?: { calls: { session: { connection?: RTCPeerConnection } }[] } };
    } | null;
    const peer = phone?.phone.sip?.calls[0]?.session.connection;
    if (!peer) return null;
    const stats = new Map<string, Record<string, unknown>>();
    (await peer.getStats()).forEach((stat: Record<string, unknown>) => stats.set(String(stat.id), stat));
    const transport = [...stats.values()].find((s) => s.type === 'transport');
    const pair = stats.get(String(transport?.selectedCandidatePairId));
    const local = stats.get(String(pair?.localCandidateId));
    const remote = stats.get(String(pair?.remoteCandidateId));
    if (!local || !remote) return null;
    return {
      local: String(local.candidateType),
      remote: String(remote.candidateType),
      relayPort: Number(local.port),
    };
  });
}

describe('agents behind NAT call through TURN', () => {
  let stack: TestStack;
  let browser: Browser;
  let a: Page;
  let b: Page;

  before(async () => {
    stack = await startStack({ nodeName: 'turn-node', turn: true });
    await seedExtensions(stack.kamailio, [
      { number: '7001', name: 'Remote Rita', manualDialing: true },
      { number: '7002', name: 'Remote Ravi', manualDialing: false },
    ]);
    browser = await launchChromium();
    const attributes = { 'ice-transport-policy': 'relay' };
    a = await openAgent(browser, stack.origin, '7001', 'pw-7001', { attributes });
    b = await openAgent(browser, stack.origin, '7002', 'pw-7002', { attributes });
  });

  after(async () => {
    await Promise.all([a, b].map(endCalls));
    await browser.close();
    await stack.stop();
  });

  test('relay-only agents: the call connects through coturn and audio flows both ways', async () => {
    await a.locator('#number').fill('7002');
    await press(a, 'Call');
    await press(b, 'Answer');
    await a.getByRole('button', { name: 'Hang up' }).waitFor();
    await expectAudioFlowing(a);
    await expectAudioFlowing(b);
    const turn = stack.turn?.settings;
    assert.ok(turn);
    for (const page of [a, b]) {
      const found: { pair?: Awaited<ReturnType<typeof selectedPair>> } = {};
      await until(
        async () => (found.pair = await selectedPair(page)) !== null,
        'a candidate pair is selected',
      );
      const pair = found.pair;
      assert.ok(pair);
      assert.equal(pair.local, 'relay');
      assert.ok(
        pair.relayPort >= turn.relayPortMin && pair.relayPort <= turn.relayPortMax,
        `relay port ${String(pair.relayPort)} is coturn's`,
      );
    }
    await press(a, 'Hang up');
    await a.locator('#number').waitFor();
  });

  test('health reports coturn; when it stops, health says so in words and stays up (TURN is not required)', async () => {
    const turnHealth = async () => {
      const res = await fetch(`${stack.origin}/api/health`);
      const body = (await res.json()) as { components: ComponentHealth[] };
      return { status: res.status, turn: body.components.find((c) => c.name === 'turn') };
    };
    assert.deepEqual((await turnHealth()).turn, { name: 'turn', status: 'ok' });
    await stack.turn?.coturn.stop();
    let down = await turnHealth();
    await until(async () => (down = await turnHealth()).turn?.status === 'down', 'health names coturn down', {
      timeoutMs: HEALTH_CACHE_MS + 5000,
    });
    assert.equal(down.status, 200);
    assert.equal(
      down.turn?.message,
      'The TURN server (coturn) does not answer (ETIMEDOUT): agents behind NAT may get no audio.',
    );
  });
});
