// `npm run bench -- admin-scale`: the admin API with 10,000 extensions on SQLite and PostgreSQL in
// the same run: list page latency (sorting, search, filters), CSV import of 10,000 rows and bulk
// generation of 1,000, over real loopback HTTP.
import { performance } from 'node:perf_hooks';
import { createAdmin } from '../server/admins/repository.ts';
import type { Config } from '../server/config.ts';
import type { Engine } from '../server/db/connect.ts';
import type { SecretBox } from '../server/security/secret-box.ts';
import { createTestDatabase } from '../test/support/databases.ts';
import { runOnEngines, serve, type ServedEngine } from './lib/api-service.ts';
import { runLoad, type LoadRequest, type LoadResult } from './lib/http-load.ts';
import { msFigures, writeResult, type Metric } from './lib/report.ts';
import { seedExtensions } from './lib/seed.ts';

const NAME = 'admin-scale';
const EXTENSIONS = 10_000;
const FIRST_NUMBER = 100_000;
const IMPORT_ROWS = 10_000;
const BULK_COUNT = 1_000;
/** List: closed loop, a console's worth of concurrent admins; rounds interleave the engines. */
const LIST_CONCURRENCY = 2;
const LIST_ROUNDS = 3;
const LIST_ROUND_MS = 2_000;
const LIST_MAX_REQUESTS = 2_000;
const IMPORT_ITERATIONS = 6;
const BULK_ITERATIONS = 20;
const ADMIN = { username: 'bench-admin', password: 'orbit-lantern-velvet-canyon-77' };

interface Target extends ServedEngine {
  authorization: string;
  list: LoadResult[];
  importMs: number[];
  bulkMs: number[];
}

async function adminToken(origin: string): Promise<string> {
  const res = await fetch(`${origin}/api/v1/admin/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (res.status !== 201) throw new Error(`admin login failed: ${res.status} ${await res.text()}`);
  return `Bearer ${((await res.json()) as { token: string }).token}`;
}

async function startTarget(engine: Engine, config: Config, box: SecretBox): Promise<Target> {
  const database = await createTestDatabase(engine);
  try {
    const t0 = performance.now();
    await seedExtensions(database.db.kysely, { realm: config.realm, box }, EXTENSIONS, FIRST_NUMBER);
    await createAdmin(database.db.kysely, { ...ADMIN, role: 'admin' });
    console.log(`${engine}: seeded ${EXTENSIONS} extensions in ${Math.round(performance.now() - t0)} ms`);
    const served = await serve(engine, database, { config, box });
    const authorization = await adminToken(served.origin);
    return { ...served, authorization, list: [], importMs: [], bulkMs: [] };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** Pages across the whole list with every sort, searches by number prefix and name, filters. */
function listRequests(authorization: string): LoadRequest[] {
  const base = '/api/v1/admin/extensions?pageSize=50';
  const queries: string[] = [];
  for (let page = 1; page <= 200; page += 9) {
    queries.push(`&page=${page}&sort=number&order=asc`, `&page=${page}&sort=name&order=desc`);
    queries.push(`&page=${page}&sort=createdAt&order=desc&enabled=true`);
  }
  for (let i = 0; i < 30; i += 1) {
    queries.push(`&q=${FIRST_NUMBER / 1000 + (i % 10)}${i % 10}`, `&q=agent%20${1000 + i * 7}&sort=name`);
    queries.push(`&q=bench&manualDialing=false&sort=number&page=${1 + i}`);
  }
  return queries.map((query) => ({ method: 'GET', path: `${base}${query}`, headers: { authorization } }));
}

async function timed(label: string, send: () => Promise<Response>, expect: number): Promise<number> {
  const t0 = performance.now();
  const res = await send();
  const body = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== expect) throw new Error(`${label}: ${res.status} ${body.slice(0, 300)}`);
  return ms;
}

function importCsv(firstNumber: number): string {
  const rows = Array.from(
    { length: IMPORT_ROWS },
    (_, i) => `${firstNumber + i},Imported Agent ${i},true,false,false,2,10.0.0.0/8,,false`,
  );
  return `number,name,enabled,manual_dialing,call_recording,call_limit,allowed_ips,forwarding,dnd\n${rows.join('\n')}\n`;
}

/** Removes what an iteration created so every iteration starts from the same 10,000 extensions. */
async function removeFrom(target: Target, firstNumber: number, count: number): Promise<void> {
  const numbers = Array.from({ length: count }, (_, i) => String(firstNumber + i));
  await target.database.db.kysely.transaction().execute(async (trx) => {
    for (let i = 0; i < numbers.length; i += 5_000)
      await trx
        .deleteFrom('extensions')
        .where('number', 'in', numbers.slice(i, i + 5_000))
        .execute();
  });
}

async function importOnce(target: Target, iteration: number): Promise<void> {
  const first = 2_000_000 + iteration * IMPORT_ROWS;
  const ms = await timed(
    `import (${target.engine})`,
    () =>
      fetch(`${target.origin}/api/v1/admin/extensions/import?dryRun=false`, {
        method: 'POST',
        headers: { authorization: target.authorization, 'content-type': 'text/csv' },
        body: importCsv(first),
      }),
    201,
  );
  target.importMs.push(ms);
  await removeFrom(target, first, IMPORT_ROWS);
}

async function bulkOnce(target: Target, iteration: number): Promise<void> {
  const first = 3_000_000 + iteration * BULK_COUNT;
  const ms = await timed(
    `bulk (${target.engine})`,
    () =>
      fetch(`${target.origin}/api/v1/admin/extensions/bulk`, {
        method: 'POST',
        headers: { authorization: target.authorization, 'content-type': 'application/json' },
        body: JSON.stringify({
          count: BULK_COUNT,
          startCode: String(first),
          namePattern: 'Support {code}',
          settings: { callLimit: 2 },
        }),
      }),
    201,
  );
  target.bulkMs.push(ms);
  await removeFrom(target, first, BULK_COUNT);
}

async function measureList(target: Target, round: number): Promise<void> {
  const result = await runLoad({
    origin: target.origin,
    requests: listRequests(target.authorization),
    offset: round * 37,
    concurrency: LIST_CONCURRENCY,
    durationMs: LIST_ROUND_MS,
    maxRequests: LIST_MAX_REQUESTS,
    expectStatus: 200,
  });
  target.list.push(result);
  const failures = result.failures
    ? ` (${result.failures} failures: ${result.failureExamples[0] ?? ''})`
    : '';
  console.log(`list round ${round + 1} ${target.engine}: ${result.latenciesMs.length} requests${failures}`);
}

/** Warm-up (not recorded), then every measurement alternates the engines. */
async function exercise(targets: Target[]): Promise<void> {
  for (const target of targets) {
    await importOnce(target, 99);
    await bulkOnce(target, 99);
    target.importMs = [];
    target.bulkMs = [];
  }
  for (let round = 0; round < LIST_ROUNDS; round += 1) for (const t of targets) await measureList(t, round);
  for (let i = 0; i < IMPORT_ITERATIONS; i += 1) for (const t of targets) await importOnce(t, i);
  for (let i = 0; i < BULK_ITERATIONS; i += 1) for (const t of targets) await bulkOnce(t, i);
}

function metricsFor(target: Target): Metric[] {
  const list = target.list.flatMap((r) => r.latenciesMs);
  const figure = msFigures(target.engine);
  return [
    figure('list page p50 ms', list, 50, 'earshot < 50'),
    figure('list page p95 ms', list, 95, 'earshot < 50'),
    figure('csv import 10k rows median ms', target.importMs, 50, 'earshot < 3000'),
    figure('csv import 10k rows p95 ms', target.importMs, 95, 'earshot < 3000'),
    figure('bulk generate 1k median ms', target.bulkMs, 50, 'earshot < 1000'),
    figure('bulk generate 1k p95 ms', target.bulkMs, 95, 'earshot < 1000'),
  ];
}

function report(targets: Target[]): void {
  const metrics = targets.flatMap(metricsFor);
  if (metrics.some((m) => m.samples === 0 || Number.isNaN(m.earshot)))
    throw new Error('A measurement produced no successful samples; see the log above.');
  const failures = Object.fromEntries(
    targets.map((t) => [t.engine, t.list.reduce((sum, r) => sum + r.failures, 0)]),
  );
  writeResult(NAME, metrics, {
    setup: {
      extensions: EXTENSIONS,
      importRows: IMPORT_ROWS,
      bulkCount: BULK_COUNT,
      listConcurrency: LIST_CONCURRENCY,
      listRounds: LIST_ROUNDS,
      listRoundMs: LIST_ROUND_MS,
      importIterations: IMPORT_ITERATIONS,
      bulkIterations: BULK_ITERATIONS,
    },
    listFailures: failures,
    notes: [
      'No baseline exists: goals are absolute (issue 4). Engines alternate measurement by measurement in the same run.',
      'Real HTTP over loopback (app.listen on 127.0.0.1). List: closed-loop keep-alive client in a child process, pageSize 50, a mix of pages across the list with each sort, number-prefix and name searches, and flag filters.',
      'Import and bulk: one request at a time, timed from send to the full response (10,000 generated passwords, HA1/HA1b and AES-sealed copies computed per row, one transaction); the rows are deleted after each iteration so every one starts from 10,000 extensions.',
      'Registrar: RegistrarDouble with no registrations (answers at once, no JSON-RPC round trip to Kamailio): the figures measure the account service and its database.',
      'One warm-up import and bulk per engine are not recorded. 2 cores shared by client, server and PostgreSQL.',
    ],
  });
}

await runOnEngines(startTarget, async (targets) => {
  await exercise(targets);
  report(targets);
});
