// A child daemon the stack runs (Kamailio today; the media and TURN daemons later): its own process
// group so it can be stopped whole, and tied to this process so it never outlives it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** How a child ended: an exit code, or the signal that killed it. */
export interface DaemonExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** "exit code 3" or "signal SIGKILL", for log lines. */
export function describeExit(exit: DaemonExit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${String(exit.code)}`;
}

/** True while any process of the group led by `pid` exists. */
export function groupAlive(pid: number): boolean {
  return signalPid(-pid, 0);
}

/** Sends `signal` to `pid` (negative: a group); false when no such process exists any more. */
function signalPid(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

let setprivFound: boolean | undefined;

/**
 * The command line that runs `command` with a parent-death signal: `setpriv --pdeathsig TERM` (util-linux)
 * sets prctl(PR_SET_PDEATHSIG) and then execs the command, so the pid stays the daemon's own. When
 * this process dies, even by SIGKILL, the kernel sends the daemon SIGTERM and it shuts down as on
 * a normal stop (Kamailio then stops its own workers). Without setpriv the command runs as it is.
 */
export function dieWithParent(command: string, args: string[]): { command: string; args: string[] } {
  setprivFound ??= spawnSync('setpriv', ['--version']).status === 0;
  return setprivFound
    ? { command: 'setpriv', args: ['--pdeathsig', 'TERM', '--', command, ...args] }
    : { command, args };
}

function forwardLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  let pending = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onLine(line);
  });
}

/** A started daemon: its pid, how it ended, and a stop that leaves none of its group behind. */
export interface DaemonHandle {
  readonly pid: number | undefined;
  /** Resolves when the main process has exited (on its own or stopped). */
  readonly exited: Promise<DaemonExit>;
  /** True until the main process has exited. */
  readonly running: boolean;
  /** SIGTERM to the main process, then SIGKILL to whatever of its group is left after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `command` as the leader of its own process group, dying with this process; lines go to
 * `onLine`. `extraEnv` is added to this process's environment for it (secrets that must not be
 * written to a file).
 */
export function spawnDaemon(
  command: string,
  args: string[],
  onLine: (line: string) => void,
  extraEnv: Record<string, string> = {},
): DaemonHandle {
  const wrapped = dieWithParent(command, args);
  const child: ChildProcess = spawn(wrapped.command, wrapped.args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...extraEnv },
  });
  const exited = new Promise<DaemonExit>((resolve) => {
    // 'error' (no such binary) comes without 'exit'.
    child.once('error', () => {
      resolve({ code: 127, signal: null });
    });
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  forwardLines(child.stdout, onLine);
  forwardLines(child.stderr, onLine);
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid,
    exited,
    get running() {
      return running() && child.pid !== undefined;
    },
    stop: async (graceMs = 5000) => {
      const pid = child.pid;
      if (pid === undefined) return;
      if (running()) child.kill('SIGTERM');
      await Promise.race([exited, sleep(graceMs)]);
      await killGroup(pid);
    },
  };
}

/** SIGKILL to what is left of group `pid` after ~1 s (a main process can exit before its workers do). */
async function killGroup(pid: number): Promise<void> {
  for (let i = 0; i < 50 && groupAlive(pid); i += 1) {
    if (i === 10) signalPid(-pid, 'SIGKILL');
    await sleep(100);
  }
}

/** The argv of a running process, or null when it is gone (or not ours to read). */
export function commandLine(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8')
      .split('\0')
      .filter(Boolean);
  } catch {
    return null;
  }
}

/** The pids of processes in process group `pgid` (from /proc; Linux only). */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) members.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return members;
}

/** True when `argv` runs `binary` (by its file name) with `argument` among its arguments. */
export function runs(argv: string[] | null, binary: string, argument: string): boolean {
  return !!argv && basename(argv[0] ?? '') === basename(binary) && argv.includes(argument);
}

/**
 * Stops a daemon left over from a run that died without stopping it: the pid from `pidFile` and
 * every process of its group whose command line `isOurs` accepts (a pid the kernel has given to
 * another program is never touched). Resolves to the pids it stopped.
 */
export async function reapStale(
  pidFile: string,
  isOurs: (argv: string[] | null) => boolean,
): Promise<number[]> {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
  } catch {
    return [];
  }
  if (!Number.isInteger(pid) || pid <= 1) return [];
  const ours = () => [...new Set([pid, ...groupMembers(pid)])].filter((p) => isOurs(commandLine(p)));
  const stale = ours();
  for (const p of stale) signalPid(p, 'SIGTERM');
  for (let i = 0; i < 50 && ours().length > 0; i += 1) {
    if (i === 20) for (const p of ours()) signalPid(p, 'SIGKILL');
    await sleep(100);
  }
  return stale;
}

/** A plain command run as a supervised daemon (ready as soon as it is spawned). */
export class DaemonCommand {
  #handle: DaemonHandle | null = null;

  constructor(
    readonly command: string,
    readonly args: string[],
    readonly onLine: (line: string) => void = () => undefined,
  ) {}

  /** The main process's pid, while one was started. */
  get pid(): number | undefined {
    return this.#handle?.pid;
  }

  get exited(): Promise<DaemonExit> {
    return this.#handle?.exited ?? Promise.resolve({ code: null, signal: null });
  }

  start(): Promise<void> {
    if (this.#handle?.running) return Promise.reject(new Error(`${this.command} is already running`));
    this.#handle = spawnDaemon(this.command, this.args, this.onLine);
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    await this.#handle?.stop();
    this.#handle = null;
  }
}
