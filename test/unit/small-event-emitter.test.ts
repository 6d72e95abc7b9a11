// The EventEmitter the production build gives JsSIP instead of the `events` package
// (vite.shared.ts): Node's semantics for everything JsSIP calls. The end-to-end tests run JsSIP on
// it against Kamailio; this pins the edge cases down.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runInNewContext } from 'node:vm';
import type { EventEmitter as NodeEmitter } from 'node:events';
import { smallEventEmitter } from '../../vite.shared.ts';

type Hook = (this: unknown, ...args: unknown[]) => unknown;

/** Loads the plugin's module as JsSIP's `require('events')` would see it (arrays it makes are another realm's). */
function loadEmitter(): typeof NodeEmitter {
  const plugin = smallEventEmitter();
  const id = (plugin.resolveId as Hook).call(null, 'events', '/app/node_modules/jssip/lib/UA.js');
  assert.equal(typeof id, 'string', 'the plugin takes over `events` for JsSIP');
  assert.equal((plugin.resolveId as Hook).call(null, 'events', '/app/src/other.ts'), null, 'only for JsSIP');
  const source = (plugin.load as Hook).call(null, id) as string;
  const module = { exports: {} as { EventEmitter: typeof NodeEmitter } };
  runInNewContext(source, { module, Error });
  return module.exports.EventEmitter;
}

class Ua extends loadEmitter() {}

describe('the small EventEmitter of the production build', () => {
  test('calls listeners in order with the arguments, and says whether anyone listened', () => {
    const ua = new Ua();
    const heard: string[] = [];
    ua.on('registered', (a: string, b: string) => heard.push(`1:${a}${b}`));
    ua.on('registered', (a: string) => heard.push(`2:${a}`));
    assert.equal(ua.emit('registered', 'x', 'y'), true);
    assert.equal(ua.emit('nobody'), false);
    assert.deepEqual(heard, ['1:xy', '2:x']);
    assert.equal(ua.listenerCount('registered'), 2);
  });

  test('once listeners run once and can be removed by the original function', () => {
    const ua = new Ua();
    let count = 0;
    const listener = (): void => {
      count += 1;
    };
    ua.once('ended', listener);
    ua.emit('ended');
    ua.emit('ended');
    assert.equal(count, 1);
    ua.once('ended', listener);
    assert.deepEqual([...ua.listeners('ended')], [listener]);
    ua.removeListener('ended', listener);
    ua.emit('ended');
    assert.equal(count, 1);
  });

  test('removing a listener during an emit does not skip the next one', () => {
    const ua = new Ua();
    const heard: string[] = [];
    const first = (): void => {
      heard.push('first');
      ua.removeListener('transactionDestroyed', first);
    };
    ua.on('transactionDestroyed', first);
    ua.on('transactionDestroyed', () => heard.push('second'));
    ua.emit('transactionDestroyed');
    ua.emit('transactionDestroyed');
    assert.deepEqual(heard, ['first', 'second', 'second']);
  });

  test('removeAllListeners for one event or all, and an unheard error throws', () => {
    const ua = new Ua();
    ua.on('a', () => undefined);
    ua.on('b', () => undefined);
    ua.removeAllListeners('a');
    assert.equal(ua.listenerCount('a'), 0);
    assert.equal(ua.listenerCount('b'), 1);
    ua.removeAllListeners();
    assert.equal(ua.listeners('b').length, 0);
    assert.throws(() => ua.emit('error', new Error('boom')), /boom/);
  });
});
