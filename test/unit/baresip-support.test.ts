// The desk-phone test support's pure parts: the account line, the config, ctrl_tcp framing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { splitNetstrings } from '../support/baresip-control.ts';
import { accountLine, baresipConfig } from '../support/baresip.ts';

const kamailio = { sip: { host: '127.0.0.1', port: 5060 }, sipTls: { host: '127.0.0.1', port: 5061 } };

void describe('baresip test support', () => {
  void test('the account registers with digest through Kamailio on the chosen transport', () => {
    assert.equal(
      accountLine({ extension: '1001', password: 'k7PqR-x2mZa', kamailio }),
      '<sip:1001@earshot.test;transport=udp>;auth_pass=k7PqR-x2mZa;outbound="sip:127.0.0.1:5060;transport=udp";answermode=auto;audio_codecs=PCMU,PCMA;regint=300',
    );
    const tls = accountLine({
      extension: '1002',
      password: 'pw',
      kamailio,
      transport: 'tls',
      answer: 'manual',
      srtp: true,
    });
    assert.match(
      tls,
      /^<sip:1002@earshot\.test;transport=tls>;.*outbound="sip:127\.0\.0\.1:5061;transport=tls";answermode=manual;.*;mediaenc=srtp-mand$/,
    );
  });

  void test('values that would break the account line are refused', () => {
    assert.throws(
      () => accountLine({ extension: '1001', password: 'a;answermode=auto', kamailio }),
      /password/,
    );
    assert.throws(() => accountLine({ extension: '1001', password: 'a"b', kamailio }), /password/);
    assert.throws(
      () =>
        accountLine({
          extension: '1001',
          password: 'pw',
          kamailio: { ...kamailio, sipTls: null },
          transport: 'tls',
        }),
      /no SIP-over-TLS listener/,
    );
  });

  void test('the config plays the wav, records with sndfile and listens for control on loopback only', () => {
    const config = baresipConfig(
      '/d',
      { sip: 4000, control: 4100 },
      { source: '/d/tone.wav', caFile: '/c.pem' },
    );
    for (const line of [
      'sip_listen 127.0.0.1:4000',
      'sip_cafile /c.pem',
      'audio_source aufile,/d/tone.wav',
      'snd_path /d',
      'module g711.so',
      'module sndfile.so',
      'ctrl_tcp_listen 127.0.0.1:4100',
    ])
      assert.ok(config.split('\n').includes(line), `missing: ${line}`);
    assert.doesNotMatch(config, /srtp/);
  });

  void test('ctrl_tcp netstrings are split however the stream cuts them', () => {
    const a = '{"event":true,"type":"REGISTER_OK"}';
    const b = '{"response":true,"ok":true,"token":"1"}';
    const stream = Buffer.from(`${a.length}:${a},${b.length}:${b},`);
    const first = splitNetstrings(stream.subarray(0, 10));
    assert.deepEqual(first.messages, []);
    const rest = splitNetstrings(Buffer.concat([first.rest, stream.subarray(10)]));
    assert.deepEqual(rest.messages, [a, b]);
    assert.equal(rest.rest.length, 0);
  });
});
