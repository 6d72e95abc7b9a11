// `npm run bench -- <name>|all`: runs benchmark scripts; each writes bench/results/<name>.json.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const BENCHES = [
  'sipp-register',
  'api-throughput',
  'bundle-size',
  'register-latency',
  'call-setup',
  'call-leak',
  'widget-load',
  'admin-scale',
  'csv-limits',
];

function runOne(name: string): number {
  const file = join(import.meta.dirname, `${name}.ts`);
  if (!existsSync(file)) {
    console.error(`Unknown benchmark "${name}". Known: ${BENCHES.join(', ')}`);
    return 2;
  }
  console.log(`\n=== bench ${name} ===`);
  return spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' }).status ?? 1;
}

const requested = process.argv.slice(2);
const names = requested.length === 0 || requested.includes('all') ? BENCHES : requested;
const failures = names.filter((name) => runOne(name) !== 0);
if (failures.length) console.error(`Could not measure: ${failures.join(', ')}`);
process.exitCode = failures.length ? 1 : 0;
