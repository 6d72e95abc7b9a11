// coturn, the TURN/STUN server for agents behind NAT, as a child daemon of the stack: its own
// config file (mode 0600: it holds the REST-API secret, which therefore never shows in `ps`), the
// TURN REST API scheme (`use-auth-secret`), plain TURN over UDP and TCP, logging to stdout.
import { join } from 'node:path';
import {
  ConfiguredDaemon,
  type ConfiguredDaemonOptions,
  type DaemonSpec,
} from '../stack/configured-daemon.ts';
import { stunPing } from './stun-ping.ts';
import type { LocalTurn } from './turn-config.ts';

export const COTURN_RUN_DIR_PREFIX = 'coturn-run-';
const PID_FILE = 'turnserver.pid';

export interface CoturnSettings extends LocalTurn {
  secret: string;
  realm: string;
}

const isLoopback = (address: string): boolean => address.startsWith('127.') || address === '::1';

/** turnserver's config file for one start in `runDir`. */
export function renderCoturnConfig(s: CoturnSettings, runDir: string): string {
  const external = s.advertised === s.listen ? [] : [`external-ip=${s.advertised}/${s.listen}`];
  return [
    '# Written by Earshot (server/turn/coturn.ts) for one start; edits are lost.',
    `listening-ip=${s.listen}`,
    `listening-port=${String(s.port)}`,
    `relay-ip=${s.listen}`,
    ...external,
    `min-port=${String(s.relayPortMin)}`,
    `max-port=${String(s.relayPortMax)}`,
    '# TURN REST API: the account service mints per-agent credentials with this secret.',
    'use-auth-secret',
    `static-auth-secret=${s.secret}`,
    `realm=${s.realm}`,
    'fingerprint',
    'stale-nonce=600',
    'no-cli',
    'no-tls',
    'no-dtls',
    'no-multicast-peers',
    'no-software-attribute',
    // coturn refuses peers on 127.x unless told: on a loopback-only install the media relay is one.
    ...(isLoopback(s.listen) ? ['allow-loopback-peers'] : []),
    `userdb=${join(runDir, 'turndb')}`,
    'log-file=stdout',
    'simple-log',
    `pidfile=${join(runDir, PID_FILE)}`,
    '',
  ].join('\n');
}

/** The stack's coturn: start resolves once it answers a STUN Binding request. */
export function coturnProcess(
  settings: CoturnSettings,
  options: ConfiguredDaemonOptions & { binary?: string },
): ConfiguredDaemon {
  const spec: DaemonSpec = {
    name: 'coturn',
    binary: options.binary ?? 'turnserver',
    runDirPrefix: COTURN_RUN_DIR_PREFIX,
    configFile: 'turnserver.conf',
    pidFile: PID_FILE,
    args: (configPath) => ['-c', configPath],
    config: (runDir) => renderCoturnConfig(settings, runDir),
    ready: () =>
      stunPing(settings.listen, settings.port, 300).then(
        () => true,
        () => false,
      ),
  };
  return new ConfiguredDaemon(spec, options);
}
