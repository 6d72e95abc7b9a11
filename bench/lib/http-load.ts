import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One HTTP request the load generator sends; the list is cycled through in order. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A bounded run: stops at `durationMs` or after `maxRequests`, whichever comes first. */
export interface LoadOptions {
  /** e.g. `http://127.0.0.1:40123` */
  origin: string;
  requests: LoadRequest[];
  /** Index in `requests` to start from (so successive runs use different entries). */
  offset?: number;
  /** Requests in flight at once, each on its own keep-alive connection. */
  concurrency: number;
  durationMs: number;
  maxRequests: number;
  /** The status a request must answer with to count as a success. */
  expectStatus: number;
}

/** What a bounded run measured. Latencies are of successful requests only, in ms. */
export interface LoadResult {
  latenciesMs: number[];
  elapsedMs: number;
  /** Requests answered with something other than `expectStatus`, or that failed outright. */
  failures: number;
  /** First few failure descriptions, for the log. */
  failureExamples: string[];
}

/**
 * Runs a bounded closed-loop load in a child process, so the client never competes with the
 * server for its event loop. (A worker thread would do, but tsx's loader does not reach worker
 * threads on Node 20.)
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./http-load-worker.ts', import.meta.url)), {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    child.once('message', (result) => {
      settled = true;
      resolve(result as LoadResult);
      child.disconnect();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`load generator exited with code ${String(code)} before reporting`));
    });
    child.send(options);
  });
}

/** Successful requests per second over a run. */
export function throughput(result: LoadResult): number {
  return result.elapsedMs > 0 ? (result.latenciesMs.length * 1000) / result.elapsedMs : 0;
}
