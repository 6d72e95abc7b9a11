#!/usr/bin/env node
// Makes sure what `npm start` / `npm test` need is on this machine: npm packages, then the Debian
// packages (Kamailio and its modules, rtpengine; sipp, baresip and Chromium for tests). Installs them when run
// as root; otherwise prints the exact command to run. Plain JavaScript: it runs before `npm ci`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const SERVERS = [
  'kamailio',
  'kamailio-websocket-modules',
  'kamailio-sqlite-modules',
  'kamailio-postgres-modules',
  'kamailio-json-modules',
  'kamailio-tls-modules',
  'kamailio-extra-modules',
  // Makes the self-signed development certificate for SIP over TLS.
  'openssl',
  // The media relay (userspace; it starts nothing by itself).
  'rtpengine-daemon',
  // TURN/STUN for agents behind NAT (its Debian service stays off: the stack runs its own).
  'coturn',
];
// baresip-core: the desk phone of the media and desk-phone tests. iptables: packet loss on lo for
// the call-quality test (test/support/lossy-loopback.ts).
const FOR_TESTS = ['sip-tester', 'chromium', 'iproute2', 'baresip-core', 'iptables'];

const wantTests = process.argv.includes('--tests') || process.env.npm_lifecycle_event === 'test';
const wanted = wantTests ? [...SERVERS, ...FOR_TESTS] : SERVERS;

function missingDebianPackages(names) {
  return names.filter((name) => {
    const probe = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return probe.status !== 0 || !probe.stdout.includes('install ok installed');
  });
}

function run(cmd, args) {
  console.log(`[earshot] $ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function ensureNodeModules() {
  if (existsSync('node_modules/.package-lock.json')) return;
  console.log('[earshot] Installing npm packages (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

function ensureDebian() {
  const missing = missingDebianPackages(wanted);
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    console.error(
      `[earshot] Missing Debian packages: ${missing.join(', ')}.\n[earshot] Run as root:\n  sudo sh -c '${command}'`,
    );
    process.exit(1);
  }
  console.log(
    `[earshot] Installing Debian packages: ${missing.join(', ')} (Kamailio is the SIP server, rtpengine the media relay, coturn the TURN server; sipp, baresip and Chromium are for tests).`,
  );
  run('apt-get', ['update', '-q']);
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing]);
}

ensureNodeModules();
ensureDebian();
