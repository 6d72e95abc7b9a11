import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One bounded sipp run: `calls` scenarios at up to `rate`/s, at most `limit` at once. */
export interface SippLoad {
  scenario: string;
  /** Injection rows, written as a SEQUENTIAL CSV (`;`-separated). */
  rows: string[][];
  target: { host: string; port: number };
  calls: number;
  rate: number;
  limit: number;
  /** sipp's own global timeout; the process is killed a few seconds after it regardless. */
  timeoutSeconds: number;
}

/** sipp's cumulative counters at the end of the run (from its -trace_stat CSV). */
export interface SippStats {
  successful: number;
  failed: number;
  /** From sipp's start to its last statistics line (the end of the run). */
  elapsedSeconds: number;
  /** UDP retransmissions sipp had to send (no answer within 500 ms). */
  retransmissions: number;
  /** sipp's exit code: 0 when every call succeeded. */
  code: number;
}

/**
 * sipp writes timestamps as `YYYY-MM-DD<TAB>HH:MM:SS.uuuuuu<TAB>epoch.uuuuuu`; returns the epoch
 * in seconds (its ElapsedTime columns only have whole seconds).
 */
export function parseSippTimestamp(text: string): number {
  const epoch = Number(text.trim().split('\t').at(-1));
  if (!Number.isFinite(epoch) || epoch <= 0) throw new Error(`Unreadable sipp timestamp "${text}"`);
  return epoch;
}

/** Reads the last line of a sipp statistics CSV (`;`-separated, header first). */
export function parseSippStats(csv: string, code: number): SippStats {
  const lines = csv.split('\n').filter((l) => l.trim());
  const header = lines[0]?.split(';') ?? [];
  const last = lines.at(-1)?.split(';') ?? [];
  if (lines.length < 2) throw new Error('sipp wrote no statistics line');
  const column = (name: string): string => {
    const value = last[header.indexOf(name)];
    if (value === undefined) throw new Error(`sipp statistics lack column ${name}`);
    return value;
  };
  return {
    successful: Number(column('SuccessfulCall(C)')),
    failed: Number(column('FailedCall(C)')),
    elapsedSeconds: parseSippTimestamp(column('CurrentTime')) - parseSippTimestamp(column('StartTime')),
    retransmissions: Number(column('Retransmissions(C)')),
    code,
  };
}

function sippArgs(load: SippLoad, dir: string): string[] {
  return [
    `${load.target.host}:${load.target.port}`,
    ...['-sf', load.scenario, '-inf', join(dir, 'users.csv')],
    ...['-m', String(load.calls), '-r', String(load.rate), '-l', String(load.limit)],
    ...['-i', '127.0.0.1', '-p', '0', '-t', 'u1', '-nostdin'],
    ...['-timeout', `${load.timeoutSeconds}s`, '-timeout_error'],
    ...['-trace_stat', '-stf', join(dir, 'stats.csv'), '-fd', '3600'],
    ...['-trace_err', '-error_file', join(dir, 'errors.log')],
  ];
}

/** Runs sipp in the foreground and resolves with its exit code; kills it (by PID) past the deadline. */
function runToExit(args: string[], cwd: string, deadlineMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('sipp', args, { cwd, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve(code ?? -1);
    });
  });
}

/** The first lines of sipp's error log (unexpected messages, timeouts), for the console. */
function errorSummary(dir: string): string {
  const path = join(dir, 'errors.log');
  if (!existsSync(path)) return '';
  return readFileSync(path, 'utf8').split('\n').slice(0, 6).join('\n');
}

/** Runs one bounded sipp load over UDP from 127.0.0.1 and returns its final counters. */
export async function runSippLoad(load: SippLoad): Promise<SippStats & { errors: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-bench-sipp-'));
  try {
    const csv = ['SEQUENTIAL', ...load.rows.map((row) => row.join(';'))].join('\n');
    writeFileSync(join(dir, 'users.csv'), `${csv}\n`);
    const code = await runToExit(sippArgs(load, dir), dir, (load.timeoutSeconds + 5) * 1000);
    const statsPath = join(dir, 'stats.csv');
    if (!existsSync(statsPath)) throw new Error(`sipp (exit ${code}) wrote no statistics`);
    return { ...parseSippStats(readFileSync(statsPath, 'utf8'), code), errors: errorSummary(dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
