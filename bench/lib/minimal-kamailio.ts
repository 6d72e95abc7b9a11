import { foregroundArgs, groupAlive } from '../../server/kamailio/launcher.ts';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { toKamailioDbUrl } from '../../server/kamailio/render.ts';

const TEMPLATE_PATH = join(import.meta.dirname, '..', 'kamailio-minimal.cfg.tpl');

/** What bench/kamailio-minimal.cfg.tpl needs. */
export interface MinimalSettings {
  realm: string;
  /** The service's database URL (`sqlite:///abs/path`); converted for Kamailio here. */
  databaseUrl: string;
  sipPort: number;
  children: number;
  logLevel: number;
}

/** Renders the baseline config; throws on a placeholder it does not fill. */
export function renderMinimalConfig(s: MinimalSettings): string {
  const table: Record<string, string> = {
    LOG_LEVEL: String(s.logLevel),
    CHILDREN: String(s.children),
    SIP_PORT: String(s.sipPort),
    DB_URL: toKamailioDbUrl(s.databaseUrl),
    REALM: s.realm,
  };
  return readFileSync(TEMPLATE_PATH, 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (_match, name: string) => {
    const value = table[name];
    if (value === undefined) throw new Error(`kamailio-minimal.cfg.tpl uses unknown {{${name}}}`);
    return value;
  });
}

/** Sends an unauthenticated REGISTER over UDP; resolves true when any SIP reply comes back. */
function probeRegister(port: number, realm: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => {
      done(false);
    }, timeoutMs);
    socket.once('message', (msg) => {
      done(msg.toString('utf8').startsWith('SIP/2.0 '));
    });
    socket.bind(0, '127.0.0.1', () => {
      const { port: local } = socket.address();
      const tag = Math.random().toString(36).slice(2);
      const request = [
        `REGISTER sip:${realm} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-probe-${tag};rport`,
        'Max-Forwards: 70',
        `From: <sip:probe@${realm}>;tag=${tag}`,
        `To: <sip:probe@${realm}>`,
        `Call-ID: probe-${tag}`,
        'CSeq: 1 REGISTER',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(request, port, '127.0.0.1');
    });
  });
}

/**
 * The baseline Kamailio (digest + save only) in the foreground as its own process group.
 * It has no JSON-RPC: it is ready once a REGISTER gets an answer.
 */
export class MinimalKamailio {
  #child: ChildProcess | null = null;
  #runDir: string | null = null;
  readonly #logTail: string[] = [];

  constructor(
    readonly settings: MinimalSettings,
    readonly dataDir: string,
  ) {}

  /** The PID of the main Kamailio process, while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Renders and checks the config, starts Kamailio and waits until it answers SIP. */
  async start(timeoutMs = 10_000): Promise<void> {
    const runDir = mkdtempSync(join(this.dataDir, 'kamailio-minimal-'));
    this.#runDir = runDir;
    const configPath = join(runDir, 'kamailio.cfg');
    writeFileSync(configPath, renderMinimalConfig(this.settings));
    const check = spawnSync('kamailio', ['-c', '-f', configPath], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`Kamailio rejected ${configPath}:\n${check.stderr}`);
    const child = spawn('kamailio', foregroundArgs(configPath, runDir), {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.#child = child;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.#logTail.push(...chunk.split('\n').filter((l) => l.trim()));
      this.#logTail.splice(0, Math.max(0, this.#logTail.length - 40));
    });
    try {
      await this.#waitReady(timeoutMs);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** SIGTERM to the main process, then SIGKILL to whatever of its group is left; removes the run dir. */
  async stop(): Promise<void> {
    const pid = this.#child?.pid;
    if (pid !== undefined) {
      if (groupAlive(pid)) process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 60 && groupAlive(pid); i += 1) {
        if (i === 30) process.kill(-pid, 'SIGKILL');
        await sleep(100);
      }
    }
    this.#child = null;
    if (this.#runDir) rmSync(this.#runDir, { recursive: true, force: true });
    this.#runDir = null;
  }

  async #waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const child = this.#child;
      if (!child || child.exitCode !== null || child.signalCode !== null) break;
      if (await probeRegister(this.settings.sipPort, this.settings.realm, 300)) return;
    }
    throw new Error(`Minimal Kamailio did not answer SIP in time:\n${this.#logTail.join('\n')}`);
  }
}
