// The trunk settings from the environment, the sealed password, and what the Kamailio config
// renders from them (the password never in it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from '../../server/config.ts';
import { DEFAULT_LIMITS, renderKamailioConfig, settingsFromConfig } from '../../server/kamailio/render.ts';
import type { KamailioSettings } from '../../server/kamailio/render.ts';
import { SecretBox } from '../../server/security/secret-box.ts';
import {
  dialCountryFrom,
  openTrunk,
  trunkFrom,
  type KamailioTrunk,
} from '../../server/trunk/trunk-config.ts';

const box = new SecretBox(Buffer.alloc(32, 3));
const PASSWORD = 'carrier-pass-91';

const baseSettings: KamailioSettings = {
  realm: 'earshot.test',
  databaseUrl: 'sqlite:///tmp/earshot-render.sqlite',
  nodeName: 'node-1',
  sipListen: '127.0.0.1',
  sipPort: 15060,
  wsPort: 18088,
  wss: null,
  rpcPort: 15071,
  allowedOrigins: ['http://localhost:5173'],
  runDir: '/tmp/earshot-render',
  limits: DEFAULT_LIMITS,
  children: 1,
  logLevel: 2,
  registration: { min: 60, default: 300, max: 600 },
  rtpengine: null,
};

const trunk: KamailioTrunk = {
  host: '192.0.2.10',
  port: 5080,
  transport: 'udp',
  username: 'acct-1',
  password: PASSWORD,
  allowedIps: ['192.0.2.0/28'],
  defaultCallerId: '+15550100000',
};

void describe('trunk settings from the environment', () => {
  void test('no EARSHOT_TRUNK_HOST: no trunk', () => {
    assert.equal(trunkFrom({}), null);
    assert.equal(trunkFrom({ EARSHOT_TRUNK_HOST: '  ' }), null);
  });

  void test('an IP host: defaults for port and transport, the host is the allowed source', () => {
    assert.deepEqual(trunkFrom({ EARSHOT_TRUNK_HOST: '192.0.2.10' }), {
      host: '192.0.2.10',
      port: 5060,
      transport: 'udp',
      username: null,
      sealedPassword: null,
      allowedIps: ['192.0.2.10/32'],
      defaultCallerId: null,
    });
    assert.equal(trunkFrom({ EARSHOT_TRUNK_HOST: '192.0.2.10', EARSHOT_TRUNK_TRANSPORT: 'TLS' })?.port, 5061);
  });

  void test('every field given: checked and normalised', () => {
    const sealed = box.seal(PASSWORD);
    const parsed = trunkFrom({
      EARSHOT_TRUNK_HOST: 'sip.carrier.example',
      EARSHOT_TRUNK_PORT: '5080',
      EARSHOT_TRUNK_TRANSPORT: 'tcp',
      EARSHOT_TRUNK_USERNAME: 'acct-1',
      EARSHOT_TRUNK_PASSWORD: sealed,
      EARSHOT_TRUNK_ALLOWED_IPS: '192.0.2.0/28, 198.51.100.7',
      EARSHOT_TRUNK_CALLER_ID: '+1 (555) 010-0000',
    });
    assert.deepEqual(parsed, {
      host: 'sip.carrier.example',
      port: 5080,
      transport: 'tcp',
      username: 'acct-1',
      sealedPassword: sealed,
      allowedIps: ['192.0.2.0/28', '198.51.100.7/32'],
      defaultCallerId: '+15550100000',
    });
    assert.ok(parsed);
    assert.equal(openTrunk(parsed, box).password, PASSWORD);
  });

  void test('mistakes are refused naming the variable, in plain words', () => {
    const host = { EARSHOT_TRUNK_HOST: '192.0.2.10' };
    const cases: [Record<string, string>, RegExp][] = [
      [
        { EARSHOT_TRUNK_HOST: 'sip.carrier.example' },
        /EARSHOT_TRUNK_ALLOWED_IPS: the trunk host .* is a name/,
      ],
      [{ EARSHOT_TRUNK_HOST: 'sip carrier' }, /EARSHOT_TRUNK_HOST: "sip carrier" is not a host name/],
      [{ ...host, EARSHOT_TRUNK_PORT: '70000' }, /EARSHOT_TRUNK_PORT: "70000" is not a port/],
      [{ ...host, EARSHOT_TRUNK_TRANSPORT: 'ws' }, /EARSHOT_TRUNK_TRANSPORT: "ws" is not udp, tcp or tls/],
      [{ ...host, EARSHOT_TRUNK_ALLOWED_IPS: '0.0.0.0/0' }, /EARSHOT_TRUNK_ALLOWED_IPS: a \/0 range/],
      [
        { ...host, EARSHOT_TRUNK_ALLOWED_IPS: 'carrier' },
        /EARSHOT_TRUNK_ALLOWED_IPS: "carrier" is not an IP/,
      ],
      [{ ...host, EARSHOT_TRUNK_USERNAME: 'acct' }, /EARSHOT_TRUNK_PASSWORD: set both/],
      [
        { ...host, EARSHOT_TRUNK_USERNAME: 'a"b', EARSHOT_TRUNK_PASSWORD: 'x' },
        /EARSHOT_TRUNK_USERNAME: use 1 to 64/,
      ],
      [
        { ...host, EARSHOT_TRUNK_USERNAME: 'acct', EARSHOT_TRUNK_PASSWORD: PASSWORD },
        /never in plain text: run `npm run earshot -- trunk seal-password`/,
      ],
      [
        { ...host, EARSHOT_TRUNK_CALLER_ID: '555 0100' },
        /EARSHOT_TRUNK_CALLER_ID: Dial the number with its country code/,
      ],
    ];
    for (const [env, message] of cases) assert.throws(() => trunkFrom(env), message, JSON.stringify(env));
  });

  void test('the plain password is never part of an error', () => {
    try {
      trunkFrom({
        EARSHOT_TRUNK_HOST: '192.0.2.10',
        EARSHOT_TRUNK_USERNAME: 'acct',
        EARSHOT_TRUNK_PASSWORD: PASSWORD,
      });
      assert.fail('a plain password was accepted');
    } catch (error) {
      assert.ok(error instanceof Error && !error.message.includes(PASSWORD));
    }
  });

  void test('a password sealed under another key is a plain error', () => {
    const parsed = trunkFrom({
      EARSHOT_TRUNK_HOST: '192.0.2.10',
      EARSHOT_TRUNK_USERNAME: 'acct',
      EARSHOT_TRUNK_PASSWORD: new SecretBox(Buffer.alloc(32, 9)).seal(PASSWORD),
    });
    assert.ok(parsed);
    assert.throws(() => openTrunk(parsed, box), /sealed with another secret key/);
  });

  void test('the default country: a supported code in any case, or a list of them', () => {
    assert.equal(dialCountryFrom({}), null);
    assert.equal(dialCountryFrom({ EARSHOT_DIAL_COUNTRY: 'gb' }), 'GB');
    assert.throws(
      () => dialCountryFrom({ EARSHOT_DIAL_COUNTRY: 'XX' }),
      /"XX" is not supported; use one of US, CA, GB/,
    );
  });

  void test('loadConfig words trunk mistakes like its own', () => {
    assert.throws(
      () => loadConfig({ EARSHOT_TRUNK_HOST: '192.0.2.10', EARSHOT_TRUNK_PORT: 'x' }),
      /^Error: Invalid configuration: EARSHOT_TRUNK_PORT/,
    );
    const config = loadConfig({ EARSHOT_TRUNK_HOST: '192.0.2.10', EARSHOT_DIAL_COUNTRY: 'US' });
    assert.equal(config.trunk?.host, '192.0.2.10');
    assert.equal(config.dialCountry, 'US');
    assert.equal(loadConfig({}).trunk, null);
  });

  void test('settingsFromConfig opens the password with the key, and needs the key for it', () => {
    const config = loadConfig({
      EARSHOT_TRUNK_HOST: '192.0.2.10',
      EARSHOT_TRUNK_USERNAME: 'acct',
      EARSHOT_TRUNK_PASSWORD: box.seal(PASSWORD),
    });
    assert.equal(settingsFromConfig(config, '/tmp/x', DEFAULT_LIMITS, box).trunk?.password, PASSWORD);
    assert.throws(() => settingsFromConfig(config, '/tmp/x'), /without the secret key/);
  });

  void test('`earshot trunk seal-password` prints a sealed password this deployment opens', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-seal-'));
    try {
      const env = {
        ...process.env,
        DATABASE_URL: `sqlite://${join(dir, 'cli.sqlite')}`,
        EARSHOT_DATA_DIR: dir,
        // Still the plain password the operator is about to seal: the command must not refuse it.
        EARSHOT_TRUNK_HOST: '192.0.2.10',
        EARSHOT_TRUNK_USERNAME: 'acct',
        EARSHOT_TRUNK_PASSWORD: PASSWORD,
      };
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'server/cli/main.ts', 'trunk', 'seal-password'],
        {
          env,
          input: `${PASSWORD}\n`,
          encoding: 'utf8',
        },
      );
      assert.equal(run.status, 0, run.stderr);
      const sealed = run.stdout.trim();
      assert.ok(!sealed.includes(PASSWORD));
      assert.equal(SecretBox.fromConfig(undefined, dir).open(sealed), PASSWORD);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

void describe('Kamailio config with and without a trunk', () => {
  void test('no trunk: no uac module, nobody is the trunk, outside numbers get the plain refusal', () => {
    const config = renderKamailioConfig(baseSettings);
    assert.ok(!config.includes('#!define WITH_TRUNK'));
    assert.match(config, /&& !\(0\)\) \{/);
    assert.match(config, /route\[FROM_TRUNK\] \{\n\tif \(0\) \{/);
    assert.match(config, /send_reply\("503", "Outside calls are not set up on this system"\)/);
    assert.match(config, /# Default country: none \(international formats only\)/);
  });

  void test('a trunk: routes loaded, its addresses trusted, the R-URI built, the password absent', () => {
    const config = renderKamailioConfig({ ...baseSettings, trunk, dialCountry: 'GB' });
    assert.match(config, /^#!define WITH_TRUNK\n#!define WITH_TRUNK_AUTH$/m);
    assert.match(config, /is_in_subnet\("\$si", "192\.0\.2\.0\/28"\)/);
    assert.ok(config.includes('"@192.0.2.10:5080;transport=udp"'));
    assert.ok(config.includes('$avp(trunk_user) = "acct-1";'));
    assert.ok(config.includes('$var(cid) = "+15550100000";'));
    assert.ok(config.includes('$avp(trunk_pass) = $env(EARSHOT_KAMAILIO_TRUNK_PASSWORD);'));
    assert.ok(!config.includes(PASSWORD), 'the trunk password is in the config file');
    assert.match(config, /# Default country: GB\./);
    assert.match(
      config,
      /if \(\$var\(dial\) =~ "\^0\[1-9\]"\) \{\n\t\t\$var\(number\) = "\+44" \+ \$\(var\(dial\)\{s\.substr,1,0\}\);/,
    );
    assert.ok(!config.includes('{{'), 'a placeholder was left');
  });

  void test('no credentials: no digest towards the trunk', () => {
    const config = renderKamailioConfig({
      ...baseSettings,
      trunk: { ...trunk, username: null, password: null },
    });
    assert.match(config, /^#!define WITH_TRUNK$/m);
    assert.ok(!config.includes('#!define WITH_TRUNK_AUTH'));
  });

  void test('an IPv6 host is bracketed; TLS needs Kamailio TLS; unsafe values are refused', () => {
    const v6 = renderKamailioConfig({
      ...baseSettings,
      trunk: { ...trunk, host: '2001:db8::5', allowedIps: ['2001:db8::/64'] },
    });
    assert.ok(v6.includes('"@[2001:db8::5]:5080;transport=udp"'));
    assert.throws(
      () => renderKamailioConfig({ ...baseSettings, trunk: { ...trunk, transport: 'tls' } }),
      /needs Kamailio TLS: set EARSHOT_TLS_CERT and EARSHOT_TLS_KEY/,
    );
    assert.throws(
      () => renderKamailioConfig({ ...baseSettings, trunk: { ...trunk, host: 'a"b' } }),
      /trunk\.host/,
    );
    assert.throws(
      () => renderKamailioConfig({ ...baseSettings, trunk: { ...trunk, defaultCallerId: '+1"' } }),
      /trunk\.defaultCallerId/,
    );
    assert.throws(
      () => renderKamailioConfig({ ...baseSettings, trunk: { ...trunk, allowedIps: [] } }),
      /allowedIps/,
    );
  });
});
