// The committed result files follow ../shared/design/BENCH.md: every `met` is what its goal says.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { evaluateGoal, type Metric } from '../../bench/lib/report.ts';

const RESULTS = join(import.meta.dirname, '..', '..', 'bench', 'results');

interface Result {
  name: string;
  date: string;
  machine: { cpus: number; node: string };
  metrics: Metric[];
}

describe('benchmark result files', () => {
  for (const file of readdirSync(RESULTS).filter((f) => f.endsWith('.json'))) {
    test(file, () => {
      const result = JSON.parse(readFileSync(join(RESULTS, file), 'utf8')) as Result;
      assert.equal(`${result.name}.json`, file);
      assert.ok(!Number.isNaN(Date.parse(result.date)), 'an ISO date');
      assert.ok(result.machine.cpus > 0 && result.machine.node.startsWith('v'));
      assert.ok(result.metrics.length > 0);
      for (const m of result.metrics) {
        const values = { earshot: m.earshot, ratio: m.ratio, baseline: m.baseline };
        assert.equal(m.met, evaluateGoal(m.goal, values), `${m.metric}: met must follow "${m.goal}"`);
      }
    });
  }
});
