import { metric, percentile, type Metric } from './report.ts';

/** The two pages every browser benchmark compares. */
export type Side = 'earshot' | 'baseline';

/** Samples of one measured figure on each side, in the order they were taken. */
export interface Samples {
  earshot: number[];
  baseline: number[];
}

/** How `interleave` runs. */
export interface InterleaveOptions {
  /** Measured rounds; each measures both sides once. */
  rounds: number;
  /** Unrecorded rounds first (browser and server caches warm up). */
  warmupRounds?: number;
  /** No new round starts after this many ms; fewer rounds are then recorded. */
  budgetMs: number;
  /** Fewer measured rounds than this means the benchmark could not measure (throws). */
  minRounds?: number;
}

/**
 * Which side goes first in `round`: alternating, so neither side always runs right after the
 * other one on a machine that is warmer, busier or has more garbage to collect.
 */
export function sideOrder(round: number): Side[] {
  return round % 2 === 0 ? ['earshot', 'baseline'] : ['baseline', 'earshot'];
}

/** Measures both sides once per round, alternating which goes first, within a time budget. */
export async function interleave(
  measure: (side: Side, round: number) => Promise<number>,
  options: InterleaveOptions,
): Promise<Samples> {
  const samples: Samples = { earshot: [], baseline: [] };
  const warmup = options.warmupRounds ?? 1;
  for (let round = 0; round < warmup; round += 1) {
    for (const side of sideOrder(round)) await measure(side, -1);
  }
  const started = Date.now();
  for (let round = 0; round < options.rounds; round += 1) {
    if (Date.now() - started > options.budgetMs) {
      console.log(`time budget spent after ${round} rounds`);
      break;
    }
    for (const side of sideOrder(round)) samples[side].push(await measure(side, round));
  }
  const recorded = samples.earshot.length;
  if (recorded < (options.minRounds ?? 5)) throw new Error(`Only ${recorded} rounds fit in the time budget`);
  return samples;
}

/** What `compareMetrics` reports on. */
export interface Comparison {
  /** e.g. "load-to-registered ms": " p50" and " p95" are appended. */
  label: string;
  unit: string;
  baselineName: string;
  /** Applied to the p50 and the p95 figures alike, e.g. "ratio <= 1.15". */
  goal: string;
}

/** Median and 95th percentile of both sides as two compared metrics (ratio earshot / baseline). */
export function compareMetrics(samples: Samples, comparison: Comparison): Metric[] {
  return [50, 95].map((p) =>
    metric({
      metric: `${comparison.label} p${p}`,
      unit: comparison.unit,
      earshot: percentile(samples.earshot, p),
      baseline: percentile(samples.baseline, p),
      baselineName: comparison.baselineName,
      goal: comparison.goal,
      samples: Math.min(samples.earshot.length, samples.baseline.length),
    }),
  );
}

/** Raw samples rounded to 0.1 ms, kept in the result file. */
export function rawSamples(samples: Samples): Samples {
  const round = (values: number[]) => values.map((v) => Math.round(v * 10) / 10);
  return { earshot: round(samples.earshot), baseline: round(samples.baseline) };
}

/** The median of each side, rounded to 0.1. */
export function medians(samples: Samples): { earshot: number; baseline: number } {
  const median = (values: number[]) => Math.round(percentile(values, 50) * 10) / 10;
  return { earshot: median(samples.earshot), baseline: median(samples.baseline) };
}
