// The kick retry queue: a node that does not answer gets the kick again (with backoff) once it
// answers; nodes that answered are not kicked twice; a dead node costs one attempt per round.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KickQueue, kickReport } from '../../server/kamailio/kick-queue.ts';
import type { RegistrarClient } from '../../server/kamailio/types.ts';
import { until } from '../support/poll.ts';

/** Two nodes, either of which can be silenced; records every kick attempt per node. */
class TwoNodes implements RegistrarClient {
  readonly down = new Set<string>();
  readonly attempts: [string, string][] = [];
  readonly delivered: [string, string][] = [];
  throws = false;

  kick(number: string, nodes: readonly string[] = ['a', 'b']): Promise<{ unreachableNodes: string[] }> {
    if (this.throws) return Promise.reject(new Error('registrar broken'));
    for (const node of nodes) {
      this.attempts.push([number, node]);
      if (!this.down.has(node)) this.delivered.push([number, node]);
    }
    return Promise.resolve({ unreachableNodes: nodes.filter((node) => this.down.has(node)) });
  }

  lookup(): Promise<never> {
    return Promise.reject(new Error('unused'));
  }

  listAll(): Promise<never> {
    return Promise.reject(new Error('unused'));
  }

  ping(): Promise<never> {
    return Promise.reject(new Error('unused'));
  }
}

const fast = { delaysMs: [5, 10, 20] };

describe('kick queue', { timeout: 20_000 }, () => {
  test('a kick every node answered is delivered and nothing waits', async () => {
    const nodes = new TwoNodes();
    const queue = new KickQueue(nodes, fast);
    assert.deepEqual(await queue.kick('1001'), kickReport('1001', [], true));
    assert.deepEqual(queue.pending(), []);
    await queue.stop();
  });

  test('a silent node gets the kick once it answers again, the other node only once', async () => {
    const nodes = new TwoNodes();
    nodes.down.add('b');
    const queue = new KickQueue(nodes, fast);
    const report = await queue.kick('1001');
    assert.deepEqual([report.delivered, report.unreachableNodes], [false, ['b']]);
    assert.deepEqual(queue.pending(), ['1001']);
    // Several rounds fail while b is silent; then it answers.
    await until(() => nodes.attempts.filter(([, node]) => node === 'b').length >= 3, 'retried');
    nodes.down.delete('b');
    await until(() => queue.pending().length === 0, 'delivered');
    assert.deepEqual(nodes.delivered, [
      ['1001', 'a'],
      ['1001', 'b'],
    ]);
    await queue.stop();
  });

  test('a dead node costs one attempt per round, however many kicks wait for it', async () => {
    const nodes = new TwoNodes();
    nodes.down.add('b');
    const queue = new KickQueue(nodes, { delaysMs: [5, 60_000] });
    for (const number of ['1001', '1002', '1003']) await queue.kick(number);
    const before = nodes.attempts.length;
    await until(() => nodes.attempts.length > before, 'a round ran');
    // The round stopped trying b after its first failure: one attempt, three kicks still waiting.
    assert.deepEqual(nodes.attempts.slice(before), [['1001', 'b']]);
    assert.deepEqual(queue.pending(), ['1001', '1002', '1003']);
    await queue.stop();
  });

  test('a fresh kick of the same extension replaces the waiting one', async () => {
    const nodes = new TwoNodes();
    nodes.down.add('b');
    const queue = new KickQueue(nodes, { delaysMs: [60_000] });
    await queue.kick('1001');
    nodes.down.delete('b');
    assert.equal((await queue.kick('1001')).delivered, true);
    assert.deepEqual(queue.pending(), []);
    await queue.stop();
  });

  test('a registrar that fails outright is retried on every node', async () => {
    const nodes = new TwoNodes();
    nodes.throws = true;
    const queue = new KickQueue(nodes, fast);
    const report = await queue.kick('1001');
    assert.deepEqual([report.delivered, report.unreachableNodes], [false, []]);
    assert.match(report.message, /^The phone server did not answer/);
    nodes.throws = false;
    await until(() => queue.pending().length === 0, 'delivered');
    assert.deepEqual(nodes.delivered, [
      ['1001', 'a'],
      ['1001', 'b'],
    ]);
    await queue.stop();
  });

  test('at most `limit` kicks wait: the oldest is dropped', async () => {
    const nodes = new TwoNodes();
    nodes.down.add('a');
    const queue = new KickQueue(nodes, { delaysMs: [60_000], limit: 2 });
    for (const number of ['1001', '1002', '1003']) await queue.kick(number);
    assert.deepEqual(queue.pending(), ['1002', '1003']);
    await queue.stop();
  });
});
