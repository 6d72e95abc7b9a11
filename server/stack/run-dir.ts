// Run dirs: every start of a daemon (Kamailio, rtpengine) gets a fresh `<dataDir>/<prefix>XXXXXX`
// holding its config, pid file and the pid of the process that started it, so a later start can
// tell a dead run's daemon (to stop) from a live stack's (to leave alone).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine, reapStale } from './daemon.ts';

/** The pid of the process that started the run dir's daemon. */
export const OWNER_FILE = 'owner.pid';

/** Creates a fresh run dir under `dataDir`, owned by this process. */
export function createRunDir(dataDir: string, prefix: string): string {
  mkdirSync(dataDir, { recursive: true });
  const runDir = mkdtempSync(join(dataDir, prefix));
  writeFileSync(join(runDir, OWNER_FILE), `${String(process.pid)}\n`);
  return runDir;
}

/**
 * True when the process that started the daemon of `runDir` still runs: that daemon belongs to a
 * live stack (perhaps this one) and is not ours to stop. A run dir without an owner file is old.
 */
function ownedByLiveProcess(runDir: string): boolean {
  let owner: number;
  try {
    owner = Number.parseInt(readFileSync(join(runDir, OWNER_FILE), 'utf8').trim(), 10);
  } catch {
    return false;
  }
  if (owner === process.pid) return true;
  return Number.isInteger(owner) && owner > 1 && commandLine(owner) !== null;
}

/** Which dead runs to clean and how to recognise their daemon. */
export interface StaleRuns {
  dataDir: string;
  prefix: string;
  /** The daemon's pid file name inside a run dir. */
  pidFile: string;
  /** True when `argv` is the daemon of `runDir` (its binary with that run dir's config). */
  isOurs: (argv: string[] | null, runDir: string) => boolean;
}

/**
 * Run dirs whose owner is gone: a daemon still running there (its pid file, and a command line
 * `isOurs` accepts) is stopped, then the dir is removed. Resolves to the pids it stopped.
 */
export async function reapStaleRunDirs(runs: StaleRuns): Promise<number[]> {
  let names: string[];
  try {
    names = readdirSync(runs.dataDir).filter((name) => name.startsWith(runs.prefix));
  } catch {
    return [];
  }
  const stopped: number[] = [];
  for (const runDir of names.map((name) => join(runs.dataDir, name))) {
    if (ownedByLiveProcess(runDir)) continue;
    stopped.push(...(await reapStale(join(runDir, runs.pidFile), (argv) => runs.isOurs(argv, runDir))));
    rmSync(runDir, { recursive: true, force: true });
  }
  return stopped;
}
