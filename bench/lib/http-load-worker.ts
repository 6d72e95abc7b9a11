// Child process of ./http-load.ts: a closed-loop HTTP client with keep-alive connections.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadOptions, LoadRequest, LoadResult } from './http-load.ts';

interface Outcome {
  status: number;
  error?: string;
}

function send(agent: Agent, origin: URL, spec: LoadRequest): Promise<Outcome> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...spec.headers };
    if (spec.body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(spec.body);
    }
    const req = request(
      { agent, host: origin.hostname, port: origin.port, method: spec.method, path: spec.path, headers },
      (res) => {
        res.resume();
        res.once('end', () => {
          resolve({ status: res.statusCode ?? 0 });
        });
      },
    );
    req.once('error', (error) => {
      resolve({ status: 0, error: error.message });
    });
    req.end(spec.body);
  });
}

async function run(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const origin = new URL(options.origin);
  const result: LoadResult = { latenciesMs: [], elapsedMs: 0, failures: 0, failureExamples: [] };
  const started = performance.now();
  const deadline = started + options.durationMs;
  let issued = 0;
  const loop = async (): Promise<void> => {
    while (issued < options.maxRequests && performance.now() < deadline) {
      const spec = options.requests[((options.offset ?? 0) + issued) % options.requests.length];
      issued += 1;
      if (!spec) continue;
      const t0 = performance.now();
      const outcome = await send(agent, origin, spec);
      if (outcome.status === options.expectStatus) {
        result.latenciesMs.push(performance.now() - t0);
      } else {
        result.failures += 1;
        if (result.failureExamples.length < 5)
          result.failureExamples.push(
            `${spec.method} ${spec.path}: ${outcome.error ?? String(outcome.status)}`,
          );
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  result.elapsedMs = performance.now() - started;
  agent.destroy();
  return result;
}

process.once('message', (options: LoadOptions) => {
  void run(options).then((result) => process.send?.(result));
});
