import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluateGoal, metric, percentile } from '../../bench/lib/report.ts';

describe('benchmark report', () => {
  test('percentile uses nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 95), 95);
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  test('goals are evaluated, never written by hand', () => {
    assert.equal(evaluateGoal('ratio >= 0.9', { earshot: 95, ratio: 0.95 }), true);
    assert.equal(evaluateGoal('ratio >= 0.9', { earshot: 85, ratio: 0.85 }), false);
    assert.equal(evaluateGoal('earshot < 50', { earshot: 50 }), false);
    assert.equal(evaluateGoal('earshot == 0', { earshot: 0 }), true);
    assert.throws(() => evaluateGoal('fast enough', { earshot: 1 }), /Unreadable goal/);
  });

  test('metric computes ratio and met from the numbers', () => {
    const m = metric({
      metric: 'registrations/s',
      unit: '1/s',
      earshot: 900,
      baseline: 1000,
      goal: 'ratio >= 0.9',
    });
    assert.equal(m.ratio, 0.9);
    assert.equal(m.met, true);
    const missing = metric({ metric: 'x', unit: 'ms', earshot: 10, goal: 'ratio <= 1.15' });
    assert.equal(missing.met, false, 'a ratio goal without a baseline cannot be met');
  });
});
