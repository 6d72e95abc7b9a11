import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compareMetrics,
  interleave,
  medians,
  rawSamples,
  sideOrder,
  type Side,
} from '../../bench/lib/compare.ts';

describe('side-by-side comparison helpers', () => {
  test('the side that goes first alternates round by round', () => {
    assert.deepEqual(sideOrder(0), ['earshot', 'baseline']);
    assert.deepEqual(sideOrder(1), ['baseline', 'earshot']);
    assert.deepEqual(sideOrder(2), sideOrder(0));
  });

  test('interleave measures both sides each round, drops warm-up rounds and records in order', async () => {
    const calls: [Side, number][] = [];
    let next = 0;
    const samples = await interleave(
      (side, round) => {
        calls.push([side, round]);
        next += 1;
        return Promise.resolve(next);
      },
      { rounds: 6, warmupRounds: 1, budgetMs: 60_000 },
    );
    assert.equal(calls.length, 14);
    assert.deepEqual(calls.slice(0, 4), [
      ['earshot', -1],
      ['baseline', -1],
      ['earshot', 0],
      ['baseline', 0],
    ]);
    assert.deepEqual(calls[4], ['baseline', 1], 'round 1 starts with the baseline');
    assert.deepEqual(samples.earshot, [3, 6, 7, 10, 11, 14]);
    assert.deepEqual(samples.baseline, [4, 5, 8, 9, 12, 13]);
  });

  test('interleave stops at the time budget and refuses too few rounds', async () => {
    const measure = () => Promise.resolve(1);
    await assert.rejects(
      interleave(measure, { rounds: 10, warmupRounds: 0, budgetMs: -1 }),
      /Only 0 rounds fit in the time budget/,
    );
    const samples = await interleave(measure, { rounds: 2, warmupRounds: 0, budgetMs: 60_000, minRounds: 1 });
    assert.equal(samples.earshot.length, 2);
  });

  test('compareMetrics reports p50 and p95 with ratio, samples and a computed met', () => {
    const earshot = Array.from({ length: 20 }, (_, i) => 101 + i);
    const baseline = Array.from({ length: 20 }, (_, i) => 100 + i);
    const metrics = compareMetrics(
      { earshot, baseline },
      { label: 'dial-to-audio ms', unit: 'ms', baselineName: 'minimal JsSIP page', goal: 'ratio <= 1.15' },
    );
    assert.deepEqual(
      metrics.map((m) => [m.metric, m.earshot, m.baseline, m.ratio, m.met, m.samples]),
      [
        ['dial-to-audio ms p50', 110, 109, 1.009, true, 20],
        ['dial-to-audio ms p95', 119, 118, 1.008, true, 20],
      ],
    );
    const slow = compareMetrics(
      { earshot: [200], baseline: [100] },
      { label: 'x', unit: 'ms', baselineName: 'b', goal: 'ratio <= 1.15' },
    );
    assert.equal(slow[0]?.met, false);
  });

  test('medians and raw samples are rounded to 0.1', () => {
    assert.deepEqual(medians({ earshot: [1.26, 3, 2], baseline: [5.55] }), { earshot: 2, baseline: 5.6 });
    assert.deepEqual(rawSamples({ earshot: [1.234], baseline: [9.876] }), {
      earshot: [1.2],
      baseline: [9.9],
    });
  });
});
