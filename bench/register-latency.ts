// `npm run bench -- register-latency`: page load → registered. Earshot's page (index.html served
// by the account service; login through the element's login() API) against a minimal page that
// only uses JsSIP, both served by the same stack, timed inside the page from navigation start.
import type { ProbeResult, RegisterTiming } from './pages/bench-phone.ts';
import type { Side } from './lib/compare.ts';
import { compareRegistrations, runWebBench, type WebBench } from './lib/web-bench.ts';

const NAME = 'register-latency';
const EXTENSIONS: Record<Side, string> = { earshot: '1001', baseline: '1002' };

/** Opens the side's page in a fresh context; the probe registers as soon as the page can. */
async function loadToRegistered(bench: WebBench, side: Side): Promise<RegisterTiming> {
  const login = JSON.stringify(bench.login(EXTENSIONS[side]));
  const page = await bench.open(side, bench.pageUrl(side), `window.benchProbe.autoRegister(${login});`);
  try {
    const handle = await page.waitForFunction(() => window.benchProbe?.result, null, { timeout: 20_000 });
    const result = (await handle.jsonValue()) as ProbeResult;
    if ('error' in result) throw new Error(`${side}: ${result.error}`);
    return result;
  } finally {
    await page.context().close();
  }
}

await runWebBench({
  name: NAME,
  extensions: Object.values(EXTENSIONS),
  run: (bench) =>
    compareRegistrations((side) => loadToRegistered(bench, side), 'load-to-registered ms', [
      'From navigation start (performance.timeOrigin) to registered, measured in the page: Earshot to its earshot-registered event after element.login(); the baseline to JsSIP\'s "registered". Each load is a fresh browser context (empty cache and storage). readyMsP50: navigation start until the page\'s phone could be driven (its script ran, the element is defined).',
      'Earshot also asks the account service for the SIP server (GET /api/v1/client-config) and checks the microphone before registering; the baseline is given the WebSocket URL and realm.',
    ]),
});
