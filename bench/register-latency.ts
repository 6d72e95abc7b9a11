// `npm run bench -- register-latency`: page load → registered. Earshot's page (index.html served
// by the account service; login through the element's login() API) against a minimal page that
// only uses JsSIP, both served by the same stack, timed inside the page from navigation start.
import type { ProbeResult, RegisterTiming } from './pages/bench-phone.ts';
import type { Side } from './lib/compare.ts';
import { compareRegistrations, runWebBench, type WebBench } from './lib/web-bench.ts';

const NAME = 'register-latency';
const EXTENSIONS: Record<Side, string> = { earshot: '1001', baseline: '1002' };
/**
 * A page load is cheap but noisy (single loads of either page range from 150 to 330 ms on this
 * 2-core machine): with 20 rounds the p50 ratio moved by ±0.1 from run to run, so 40 are taken.
 */
const PAGE_LOAD_RUNS = { rounds: 40, budgetMs: 150_000 };

/** The probe's reports, in order: each load of a context reports once, without the driver polling. */
function reports(): { push(result: ProbeResult): void; next(side: Side): Promise<RegisterTiming> } {
  const arrived: ProbeResult[] = [];
  let waiting: ((result: ProbeResult) => void) | null = null;
  return {
    push(result) {
      if (waiting) waiting(result);
      else arrived.push(result);
      waiting = null;
    },
    async next(side) {
      const result =
        arrived.shift() ??
        (await new Promise<ProbeResult>((resolve, reject) => {
          waiting = resolve;
          setTimeout(() => {
            reject(new Error(`${side}: no registration reported within 20 s`));
          }, 20_000).unref();
        }));
      if ('error' in result) throw new Error(`${side}: ${result.error}`);
      return result;
    },
  };
}

/**
 * Opens the side's page in a fresh context (a first visit: empty cache and storage); the probe
 * registers as soon as the page can and reports through a binding, so nothing runs in the page
 * on the driver's behalf meanwhile. With `returning`, that first load only warms the profile up
 * (storage created, microphone allowed, scripts cached) and a second load in the same profile is
 * timed, as when an agent opens the softphone again the next morning.
 */
async function loadToRegistered(bench: WebBench, side: Side, returning: boolean): Promise<RegisterTiming> {
  const login = JSON.stringify(bench.login(EXTENSIONS[side]));
  const url = bench.pageUrl(side);
  const results = reports();
  const first = await bench.open(side, url, `window.benchProbe.autoRegister(${login});`, (r) => {
    results.push(r);
  });
  try {
    const timing = await results.next(side);
    if (!returning) return timing;
    await first.close({ runBeforeUnload: true });
    await (await first.context().newPage()).goto(url);
    return await results.next(side);
  } finally {
    await first.context().close();
  }
}

const NOTES = [
  'From navigation start (performance.timeOrigin) to registered, measured in the page: Earshot to its earshot-registered event after element.login(); the baseline to JsSIP\'s "registered". readyMsP50: navigation start until the page\'s phone could be driven (its script ran, the element is defined).',
  'First visit: each load is a fresh browser context (empty cache and storage). Returning agent: the same profile loaded a second time (storage exists, microphone allowed, HTTP cache warm).',
  "Earshot's page (served by the account service) names the SIP server and realm in its <earshot-softphone> tag, as the baseline is given the WebSocket URL and realm. Earshot registers at once when no tab of the browser is known to lead the line (the tab-leadership Web Lock is decided meanwhile), and says registered once the microphone is known to be allowed (Permissions API, or getUserMedia where the browser would ask; where it is allowed already, the device is opened once the REGISTER is answered). A login started with the page is first rendered once it has settled (or after 300 ms), so no status line flashes by.",
];

await runWebBench({
  name: NAME,
  extensions: Object.values(EXTENSIONS),
  run: async (bench) => {
    const first = await compareRegistrations(
      (side) => loadToRegistered(bench, side, false),
      'load-to-registered ms',
      NOTES,
      PAGE_LOAD_RUNS,
    );
    const returning = await compareRegistrations(
      (side) => loadToRegistered(bench, side, true),
      'load-to-registered ms, returning agent',
      NOTES,
      PAGE_LOAD_RUNS,
    );
    return {
      metrics: [...first.metrics, ...returning.metrics],
      extra: { firstVisit: first.extra, returningAgent: returning.extra },
    };
  },
});
