// `npm run bench -- call-leak`: 50 calls in a row in one page (dial, audio flowing, hang up);
// JS heap, DOM nodes, event listeners and peer connections after a forced GC, read after the
// first (warm-up) call and after the last. Earshot's page and the minimal JsSIP page alternate
// calls to the same auto-answering callee.
import type { Page } from 'playwright-core';
import type { PeerConnectionCount } from './pages/bench-phone.ts';
import { sideOrder, type Side } from './lib/compare.ts';
import { metric, type Metric } from './lib/report.ts';
import { BASELINE_NAME, callOnce, openCallers, runWebBench } from './lib/web-bench.ts';

const NAME = 'call-leak';
const CALLS = 50;
const BUDGET_MS = 120_000;
const CALLEE = '3000';
const CALLERS: Record<Side, string> = { earshot: '3001', baseline: '3002' };
const SIDES: Side[] = ['earshot', 'baseline'];
/**
 * JsSIP keeps an answered INVITE's client transaction (and through it the session and its peer
 * connection) for Timer M = 64 × T1 = 32 s (RFC 6026): readings wait that out, so they show what
 * stays for good and not the last half minute of calls.
 */
const QUIET_MS = 35_000;

/** A page's memory after a forced garbage collection. */
interface Reading {
  heapUsedBytes: number;
  domNodes: number;
  jsEventListeners: number;
  documents: number;
  peerConnections: PeerConnectionCount;
}

/** Forces two full GCs over CDP, then reads heap, DOM counters and the probe's peer connections. */
async function read(page: Page): Promise<Reading> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await page.waitForTimeout(100);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const dom = await cdp.send('Memory.getDOMCounters');
    const peerConnections = await page.evaluate(() => window.benchProbe?.peerConnections());
    if (!peerConnections) throw new Error('The bench probe is missing from the page');
    return {
      heapUsedBytes: heap.usedSize,
      domNodes: dom.nodes,
      jsEventListeners: dom.jsEventListeners,
      documents: dom.documents,
      peerConnections,
    };
  } finally {
    await cdp.detach();
  }
}

type Readings = Record<Side, { afterWarmup: Reading; afterLast: Reading; calls: number }>;

/** Growth per call between the two readings of each side, as compared metrics. */
function growthMetrics(readings: Readings): Metric[] {
  const perCall = (side: Side, pick: (r: Reading) => number) => {
    const { afterWarmup, afterLast, calls } = readings[side];
    return (pick(afterLast) - pick(afterWarmup)) / (calls - 1);
  };
  const compared = (label: string, unit: string, goal: string, pick: (r: Reading) => number) =>
    metric({
      metric: label,
      unit,
      earshot: perCall('earshot', pick),
      baseline: perCall('baseline', pick),
      baselineName: BASELINE_NAME,
      goal,
      samples: readings.earshot.calls - 1,
    });
  return [
    compared('JS heap growth per call', 'kB/call', 'earshot <= 20', (r) => r.heapUsedBytes / 1000),
    compared('DOM nodes growth per call', 'nodes/call', 'earshot < 1', (r) => r.domNodes),
    compared('event listeners growth per call', 'listeners/call', 'earshot < 1', (r) => r.jsEventListeners),
    metric({
      metric: `peer connections still in memory after ${readings.earshot.calls} calls`,
      unit: 'peer connections',
      earshot: readings.earshot.afterLast.peerConnections.live,
      baseline: readings.baseline.afterLast.peerConnections.live,
      baselineName: BASELINE_NAME,
      goal: 'earshot == 0',
    }),
  ];
}

await runWebBench({
  name: NAME,
  extensions: [CALLEE, ...Object.values(CALLERS)],
  async run(bench) {
    const callers = await openCallers(bench, CALLEE, CALLERS);
    const setupMs: Record<Side, number[]> = { earshot: [], baseline: [] };
    const call = async (side: Side) => setupMs[side].push(await callOnce(callers[side], CALLEE));
    for (const side of SIDES) await call(side);
    await callers.earshot.waitForTimeout(QUIET_MS);
    const afterWarmup = { earshot: await read(callers.earshot), baseline: await read(callers.baseline) };
    const started = Date.now();
    let calls = 1;
    while (calls < CALLS && Date.now() - started < BUDGET_MS) {
      for (const side of sideOrder(calls)) await call(side);
      calls += 1;
    }
    if (calls < 10) throw new Error(`Only ${calls} calls fit in the time budget`);
    await callers.earshot.waitForTimeout(QUIET_MS);
    const readings: Readings = {
      earshot: { afterWarmup: afterWarmup.earshot, afterLast: await read(callers.earshot), calls },
      baseline: { afterWarmup: afterWarmup.baseline, afterLast: await read(callers.baseline), calls },
    };
    return {
      metrics: growthMetrics(readings),
      extra: {
        readings,
        notes: [
          `Each side made ${calls} calls in one page, alternating with the other side: dial, wait for inbound audio bytes, hang up, 150 ms pause. Readings after call 1 (warm-up) and after call ${calls}; growth per call = difference / ${calls - 1}.`,
          `Each reading waits ${QUIET_MS / 1000} s after the last call: JsSIP holds an answered INVITE's client transaction, and with it the session and its RTCPeerConnection, for Timer M (32 s, RFC 6026); read earlier, the last ~32 s of calls look retained (seen in a heap snapshot: UA._transactions.ict → RTCSession._connection).`,
          'Before each reading: two CDP HeapProfiler.collectGarbage 100 ms apart; heap = Runtime.getHeapUsage usedSize, DOM counters = Memory.getDOMCounters of the page. Peer connections are counted through weak references (bench/pages/probe.ts), so counting retains none.',
          'Goal: 20 kB per call would still be only 10 MB over a 500-call shift; no DOM node, listener or open peer connection may remain per call.',
          'Earshot keeps each finished call in its history (IndexedDB, and the list the element renders from), which legitimately grows a little per call.',
        ],
      },
    };
  },
});
