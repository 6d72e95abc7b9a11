// The ng control protocol client: bencode both ways, answers matched to commands by cookie (also
// out of order), rtpengine's refusals in its words, and a timeout when nobody answers.
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { bdecode, bencode, BencodeError } from '../../server/media/bencode.ts';
import { NgClient, NgError, NgTimeoutError } from '../../server/media/ng-client.ts';

void describe('bencode', () => {
  void test('encodes strings by byte length, integers, lists and dictionaries with sorted keys', () => {
    assert.equal(
      bencode({ sdp: 'v=0\r\nö', command: 'offer', flags: ['trust-address'], n: -3 }).toString('utf8'),
      'd7:command5:offer5:flagsl13:trust-addresse1:ni-3e3:sdp7:v=0\r\nöe',
    );
  });

  void test('decodes what it encodes', () => {
    const value = { result: 'ok', calls: ['a', 'b'], totals: { n: 2, nested: [[1], { x: '' }] } };
    // Dictionaries come back without a prototype: compare their contents.
    assert.deepEqual(JSON.parse(JSON.stringify(bdecode(bencode(value)))), value);
  });

  void test('refuses broken input in words, and keeps __proto__ as a plain key', () => {
    for (const broken of ['', 'i12', '5:ab', 'l1:a', 'd1:ae', 'di1e1:ae', 'x', '1:ab']) {
      assert.throws(() => bdecode(Buffer.from(broken)), BencodeError, broken);
    }
    assert.throws(() => bdecode(Buffer.from('l'.repeat(40) + 'e'.repeat(40))), /nested too deeply/);
    const decoded = bdecode(Buffer.from('d9:__proto__d7:pollutei1eee')) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(decoded), null);
    assert.deepEqual(Object.keys(decoded), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).pollute, undefined);
  });

  void test('refuses numbers it cannot carry', () => {
    assert.throws(() => bencode(1.5), /not an integer/);
  });
});

void describe('NgClient against a fake rtpengine', () => {
  let server: Socket;
  let port = 0;
  /** How the fake answers each datagram (cookie, decoded command); null: stay silent. */
  let answer: (cookie: string, command: Record<string, unknown>) => Buffer | null = () => null;
  /** Where the last datagram came from (the client's socket). */
  let client = { address: '', port: 0 };

  before(async () => {
    server = createSocket('udp4');
    server.on('message', (message, peer) => {
      client = { address: peer.address, port: peer.port };
      const space = message.indexOf(0x20);
      const cookie = message.toString('latin1', 0, space);
      const reply = answer(cookie, bdecode(message.subarray(space + 1)) as Record<string, unknown>);
      if (reply) server.send(reply, peer.port, peer.address);
    });
    server.bind(0, '127.0.0.1');
    await once(server, 'listening');
    port = server.address().port;
  });

  after(() => {
    server.close();
  });

  const reply = (cookie: string, body: Record<string, string | string[]>) =>
    Buffer.concat([Buffer.from(`${cookie} `), bencode(body)]);

  void test('ping resolves on pong; list and query return what rtpengine said', async () => {
    answer = (cookie, command) => {
      if (command.command === 'ping') return reply(cookie, { result: 'pong' });
      if (command.command === 'list') return reply(cookie, { result: 'ok', calls: ['c1', 'c2'] });
      return reply(cookie, { result: 'ok', 'call-id': String(command['call-id']) });
    };
    const ng = new NgClient({ port });
    try {
      await ng.ping();
      assert.deepEqual(await ng.list(), ['c1', 'c2']);
      assert.equal((await ng.query('abc'))['call-id'], 'abc');
    } finally {
      ng.close();
    }
  });

  void test('answers arriving out of order reach their own command; a foreign cookie is ignored', async () => {
    const cookies = new Map<string, string>();
    answer = (cookie, command) => {
      cookies.set(String(command['call-id']), cookie);
      return null;
    };
    const ng = new NgClient({ port });
    try {
      const first = ng.query('first');
      const second = ng.query('second');
      while (cookies.size < 2) await new Promise((resolve) => setImmediate(resolve));
      const send = (cookie: string, id: string) => {
        server.send(reply(cookie, { result: 'ok', 'call-id': id }), client.port, client.address);
      };
      send('0123456789abcdef', 'stranger');
      send(cookies.get('second') ?? '', 'second');
      send(cookies.get('first') ?? '', 'first');
      assert.equal((await first)['call-id'], 'first');
      assert.equal((await second)['call-id'], 'second');
    } finally {
      ng.close();
    }
  });

  void test("rtpengine's refusal is an NgError with its reason", async () => {
    answer = (cookie) => reply(cookie, { result: 'error', 'error-reason': 'Unknown call-id' });
    const ng = new NgClient({ port });
    try {
      await assert.rejects(ng.query('gone'), (error: unknown) => {
        assert.ok(error instanceof NgError);
        assert.equal(error.reason, 'Unknown call-id');
        return true;
      });
    } finally {
      ng.close();
    }
  });

  void test('no answer: NgTimeoutError (code ETIMEDOUT) after the timeout', async () => {
    answer = () => null;
    const ng = new NgClient({ port, timeoutMs: 100 });
    try {
      await assert.rejects(ng.ping(), NgTimeoutError);
      await assert.rejects(ng.ping(), { code: 'ETIMEDOUT' });
    } finally {
      ng.close();
    }
  });
});
