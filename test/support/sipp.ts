import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The REGISTER-with-digest scenario; build its CSV rows with `registerRow`. */
export const REGISTER_SCENARIO = join(import.meta.dirname, '..', 'kamailio', 'sipp', 'register-digest.xml');

/** One injection row for REGISTER_SCENARIO. */
export function registerRow(number: string, password: string, domain: string): string[] {
  return [number, `[authentication username=${number} password=${password}]`, domain];
}

/** One sipp run against a SIP server. */
export interface SippRun {
  scenario: string;
  /** Injection rows, written as a SEQUENTIAL CSV (`;`-separated). */
  rows: string[][];
  target: { host: string; port: number };
  calls: number;
  /** Calls per second and the cap on simultaneous calls. */
  rate?: number;
  limit?: number;
  timeoutSeconds?: number;
}

/** What sipp reported: its exit code (0: every call succeeded) and output. */
export interface SippResult {
  code: number;
  output: string;
}

/** Writes the CSV, runs sipp over UDP from 127.0.0.1, and removes the CSV again. */
export async function runSipp(run: SippRun): Promise<SippResult> {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-sipp-'));
  const csv = join(dir, 'users.csv');
  writeFileSync(csv, ['SEQUENTIAL', ...run.rows.map((row) => row.join(';'))].join('\n') + '\n');
  const args = [
    `${run.target.host}:${run.target.port}`,
    '-sf',
    run.scenario,
    '-inf',
    csv,
    '-m',
    String(run.calls),
    '-r',
    String(run.rate ?? 50),
    '-l',
    String(run.limit ?? 50),
    '-i',
    '127.0.0.1',
    '-p',
    '0',
    '-t',
    'u1',
    '-nostdin',
    '-timeout',
    `${run.timeoutSeconds ?? 30}s`,
    '-timeout_error',
    '-trace_err',
    '-error_file',
    join(dir, 'errors.log'),
  ];
  try {
    return await new Promise<SippResult>((resolve, reject) => {
      const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.once('error', reject);
      child.once('close', (code) => {
        resolve({ code: code ?? -1, output });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
