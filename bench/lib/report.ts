import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

/** One compared figure, as ../shared/design/BENCH.md lays it out. `met` is computed, never written. */
export interface Metric {
  metric: string;
  unit: string;
  earshot: number;
  baseline?: number;
  baselineName?: string;
  ratio?: number;
  goal: string;
  met: boolean;
  samples?: number;
}

export type MetricInput = Omit<Metric, 'ratio' | 'met'>;

/** Median and 95th percentile of a sample (nearest-rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

/**
 * Evaluates a goal of the form `<lhs> <op> <number>` where lhs is `ratio`, `earshot` or `baseline`,
 * e.g. "ratio >= 0.9", "earshot < 50", "earshot == 0".
 */
export function evaluateGoal(
  goal: string,
  values: { ratio?: number; earshot: number; baseline?: number },
): boolean {
  const match = /^(ratio|earshot|baseline)\s*(<=|>=|<|>|==)\s*(-?[\d.]+)$/.exec(goal.trim());
  if (!match) throw new Error(`Unreadable goal "${goal}"`);
  const [, lhs, op, rhs] = match;
  const left = values[lhs as 'ratio' | 'earshot' | 'baseline'];
  if (left === undefined || Number.isNaN(left)) return false;
  const right = Number(rhs);
  const compare: Record<string, boolean> = {
    '<=': left <= right,
    '>=': left >= right,
    '<': left < right,
    '>': left > right,
    '==': left === right,
  };
  return compare[op ?? ''] ?? false;
}

/** Adds ratio (earshot / baseline) and `met` to a measured figure. */
export function metric(input: MetricInput): Metric {
  const ratio = input.baseline ? round(input.earshot / input.baseline) : undefined;
  const earshot = round(input.earshot);
  const baseline = input.baseline === undefined ? undefined : round(input.baseline);
  const met = evaluateGoal(input.goal, {
    earshot,
    ...(ratio === undefined ? {} : { ratio }),
    ...(baseline === undefined ? {} : { baseline }),
  });
  return {
    ...input,
    earshot,
    ...(baseline === undefined ? {} : { baseline }),
    ...(ratio === undefined ? {} : { ratio }),
    met,
  };
}

/** A per-engine millisecond figure maker: `figure(name, samples, p, goal)` tags the name with `(engine)`. */
export function msFigures(engine: string) {
  return (name: string, samples: number[], p: number, goal: string): Metric =>
    metric({
      metric: `${name} (${engine})`,
      unit: 'ms',
      earshot: percentile(samples, p),
      goal,
      samples: samples.length,
    });
}

/**
 * The code measured: HEAD, marked `+uncommitted` when tracked code differs from it (the figures
 * then belong to no commit and must be measured again before they are committed).
 */
function measuredCommit(): string {
  const git = (args: string[]) =>
    execFileSync('git', args, { cwd: join(import.meta.dirname, '..', '..'), encoding: 'utf8' }).trim();
  try {
    const changed = git([
      'status',
      '--porcelain',
      '--untracked-files=no',
      '--',
      'server',
      'src',
      'bench/lib',
    ]);
    return `${git(['rev-parse', 'HEAD'])}${changed ? '+uncommitted' : ''}`;
  } catch {
    return 'unknown';
  }
}

/** Writes bench/results/<name>.json and prints a one-line-per-metric table. */
export function writeResult(name: string, metrics: Metric[], extra: Record<string, unknown> = {}): string {
  const dir = join(import.meta.dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const result = {
    name,
    date: new Date().toISOString(),
    commit: measuredCommit(),
    machine: { cpus: cpus().length, node: process.version, loadAverage: loadavg().map(round) },
    metrics,
    ...extra,
  };
  const path = join(dir, `${name}.json`);
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  for (const m of metrics) {
    const vs =
      m.baseline === undefined
        ? ''
        : ` vs ${m.baseline} (${m.baselineName ?? 'baseline'})${m.ratio === undefined ? '' : `, ratio ${m.ratio}`}`;
    console.log(`${m.met ? 'MET ' : 'MISS'} ${m.metric}: ${m.earshot} ${m.unit}${vs}  goal ${m.goal}`);
  }
  console.log(`wrote ${path}`);
  return path;
}
