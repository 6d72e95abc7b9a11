// `npm run bench -- api-throughput`: login and /me throughput and latency of the account service
// over real loopback HTTP, with 10,000 extensions, on SQLite and PostgreSQL in the same run.
import type { ThrottleLimits } from '../server/api/throttle.ts';
import type { Config } from '../server/config.ts';
import type { Engine } from '../server/db/connect.ts';
import type { SecretBox } from '../server/security/secret-box.ts';
import { createTestDatabase } from '../test/support/databases.ts';
import { runOnEngines, serve, type ServedEngine } from './lib/api-service.ts';
import { runLoad, throughput, type LoadRequest, type LoadResult } from './lib/http-load.ts';
import { metric, percentile, writeResult, type Metric } from './lib/report.ts';
import { seedExtensions, seedSessions } from './lib/seed.ts';

const NAME = 'api-throughput';
const EXTENSIONS = 10_000;
/** Agents holding a /me token. */
const AGENTS_WITH_TOKENS = 2_000;
const CONCURRENCY = 10;
/** Each round runs every engine once per endpoint; rounds interleave the engines against drift. */
const ROUNDS = 3;
const ROUND_MS = 1_500;
const WARMUP_MS = 2_000;
/** Hard cap per run on top of the duration bound. */
const MAX_REQUESTS_PER_RUN = 20_000;

/** High limits so that a benchmark's many logins from one loopback IP are never throttled. */
const NO_THROTTLE: ThrottleLimits = {
  pair: { limit: 1_000_000, windowSeconds: 1, blockSeconds: 1 },
  name: { limit: 1_000_000, windowSeconds: 1, blockSeconds: 1 },
  source: { limit: 1_000_000, windowSeconds: 1, blockSeconds: 1 },
  knownSourceDays: 30,
  auditEverySeconds: 60,
};

type Endpoint = 'login' | 'me';

/** One engine's running service and the requests that exercise it. */
interface Target extends ServedEngine {
  requests: Record<Endpoint, LoadRequest[]>;
  results: Record<Endpoint, LoadResult[]>;
}

function loginRequests(extensions: { number: string; password: string }[]): LoadRequest[] {
  return extensions.map(({ number, password }) => ({
    method: 'POST',
    path: '/api/v1/sessions',
    body: JSON.stringify({ extension: number, password }),
  }));
}

function meRequests(tokens: string[]): LoadRequest[] {
  return tokens.map((token) => ({
    method: 'GET',
    path: '/api/v1/me',
    headers: { authorization: `Bearer ${token}` },
  }));
}

async function startTarget(engine: Engine, config: Config, box: SecretBox): Promise<Target> {
  const database = await createTestDatabase(engine);
  try {
    const db = database.db.kysely;
    const t0 = performance.now();
    const extensions = await seedExtensions(db, { realm: config.realm, box }, EXTENSIONS);
    const numbers = extensions.slice(0, AGENTS_WITH_TOKENS).map((e) => e.number);
    const tokens = await seedSessions(db, numbers, config.sessionTtlMs);
    console.log(`${engine}: seeded ${EXTENSIONS} extensions in ${Math.round(performance.now() - t0)} ms`);
    const served = await serve(engine, database, { config, box }, { throttle: NO_THROTTLE });
    return {
      ...served,
      requests: { login: loginRequests(extensions), me: meRequests(tokens) },
      results: { login: [], me: [] },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

async function measure(target: Target, endpoint: Endpoint, durationMs: number, offset: number) {
  return runLoad({
    origin: target.origin,
    requests: target.requests[endpoint],
    offset,
    concurrency: CONCURRENCY,
    durationMs,
    maxRequests: MAX_REQUESTS_PER_RUN,
    expectStatus: endpoint === 'login' ? 201 : 200,
  });
}

/** Warm-up runs (not recorded), then ROUNDS rounds alternating the engines per endpoint. */
async function exercise(targets: Target[]): Promise<void> {
  let offset = 0;
  for (const endpoint of ['login', 'me'] as const) {
    for (const target of targets) await measure(target, endpoint, WARMUP_MS, offset);
  }
  for (let round = 0; round < ROUNDS; round += 1) {
    offset += 3_000;
    for (const endpoint of ['login', 'me'] as const) {
      for (const target of targets) {
        const result = await measure(target, endpoint, ROUND_MS, offset);
        target.results[endpoint].push(result);
        const rate = Math.round(throughput(result));
        console.log(
          `round ${round + 1} ${target.engine} ${endpoint}: ${rate} req/s, ${result.failures} failures`,
        );
      }
    }
  }
}

/** Merges the rounds of one engine and endpoint into latencies, a rate and a failure count. */
function combine(results: LoadResult[]) {
  const latencies = results.flatMap((r) => r.latenciesMs);
  const elapsed = results.reduce((sum, r) => sum + r.elapsedMs, 0);
  const failures = results.reduce((sum, r) => sum + r.failures, 0);
  const examples = results.flatMap((r) => r.failureExamples).slice(0, 5);
  return { latencies, rate: elapsed > 0 ? (latencies.length * 1000) / elapsed : 0, failures, examples };
}

const GOALS: Record<Endpoint, { p50: string; p95: string; rate: string }> = {
  login: { p50: 'earshot < 20', p95: 'earshot < 50', rate: 'earshot >= 300' },
  me: { p50: 'earshot < 20', p95: 'earshot < 50', rate: 'earshot >= 500' },
};

function metricsFor(target: Target, endpoint: Endpoint): Metric[] {
  const { latencies, rate } = combine(target.results[endpoint]);
  const samples = latencies.length;
  const tag = `(${target.engine})`;
  const goals = GOALS[endpoint];
  return [
    metric({
      metric: `${endpoint} p50 ms ${tag}`,
      unit: 'ms',
      earshot: percentile(latencies, 50),
      goal: goals.p50,
      samples,
    }),
    metric({
      metric: `${endpoint} p95 ms ${tag}`,
      unit: 'ms',
      earshot: percentile(latencies, 95),
      goal: goals.p95,
      samples,
    }),
    metric({ metric: `${endpoint} req/s ${tag}`, unit: 'req/s', earshot: rate, goal: goals.rate, samples }),
  ];
}

function failureSummary(targets: Target[]): Record<string, { failures: number; examples: string[] }> {
  const summary: Record<string, { failures: number; examples: string[] }> = {};
  for (const target of targets) {
    for (const endpoint of ['login', 'me'] as const) {
      const { failures, examples } = combine(target.results[endpoint]);
      summary[`${endpoint} (${target.engine})`] = { failures, examples };
    }
  }
  return summary;
}

function report(targets: Target[]): void {
  const metrics = targets.flatMap((t) => [...metricsFor(t, 'login'), ...metricsFor(t, 'me')]);
  if (metrics.some((m) => m.samples === 0 || Number.isNaN(m.earshot)))
    throw new Error('A run produced no successful requests; see the failures above.');
  writeResult(NAME, metrics, {
    setup: {
      extensions: EXTENSIONS,
      agentsWithTokens: AGENTS_WITH_TOKENS,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      roundMs: ROUND_MS,
      warmupMs: WARMUP_MS,
    },
    failures: failureSummary(targets),
    notes: [
      'No baseline exists: goals are absolute. Engines are interleaved round by round in the same run.',
      'Real HTTP over loopback (app.listen on 127.0.0.1), closed-loop keep-alive client in a child process (2 cores shared by client, server and PostgreSQL).',
      'Registrar: RegistrarDouble with no registrations (answers like Kamailio up, no JSON-RPC round trip): the figures measure the account service and its database.',
      'Login throttling configured with very high limits via buildApp({throttle}); the throttle queries still run on every login.',
      'Every login takes a throttle reservation (one atomic upsert per counter: 3 on the first login of an extension from a source, 1 once the source is known), computes HA1, credits the reservation, records the known source, writes a session and an audit row. Logins cycle through all 10,000 extensions.',
      'Request logging at info level into a discarding stream (formatting cost kept, no I/O).',
    ],
  });
}

await runOnEngines(startTarget, async (targets) => {
  await exercise(targets);
  report(targets);
});
