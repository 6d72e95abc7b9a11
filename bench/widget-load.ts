// `npm run bench -- widget-load`: a host page on another origin inserts the widget's script tag
// (dist/widget/earshot-softphone.js from the Earshot server) and logs in through the element's
// login() API; timed from the insertion to earshot-registered. Baseline: the same host page
// inserting the minimal JsSIP page's module from the same server and registering with it.
// Also records the widget's size (min+gzip) against JsSIP alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegisterTiming } from './pages/bench-phone.ts';
import { metric, type Metric } from './lib/report.ts';
import type { Side } from './lib/compare.ts';
import { jssipAlone, sizeOf } from './lib/sizes.ts';
import { compareRegistrations, runWebBench, type WebBench } from './lib/web-bench.ts';

const NAME = 'widget-load';
const EXTENSIONS: Record<Side, string> = { earshot: '4001', baseline: '4002' };
const SCRIPTS: Record<Side, string> = {
  earshot: '/widget/earshot-softphone.js',
  baseline: '/bench/minimal-jssip.js',
};

/** A fresh context on the host page; the probe inserts the script tag and registers. */
async function scriptToRegistered(bench: WebBench, side: Side): Promise<RegisterTiming> {
  const page = await bench.open(side, `${bench.hostOrigin}/`);
  try {
    const src = `${bench.stack.origin}${SCRIPTS[side]}`;
    const timing = await page.evaluate(([s, login]) => window.benchProbe?.scriptToRegistered(s, login), [
      src,
      bench.login(EXTENSIONS[side]),
    ] as const);
    if (!timing) throw new Error('The bench probe is missing from the page');
    return timing;
  } finally {
    await page.context().close();
  }
}

/** The widget file as served, min+gzip, against JsSIP alone bundled the same way as bundle-size. */
async function sizeMetric(): Promise<Metric> {
  const widget = sizeOf(readFileSync(join(process.env.EARSHOT_DIST ?? '', 'widget', 'earshot-softphone.js')));
  return metric({
    metric: 'widget JS min+gz KB',
    unit: 'kB',
    earshot: widget.gzip / 1000,
    baseline: (await jssipAlone()).gzip / 1000,
    baselineName: 'JsSIP alone (esbuild, minified ESM)',
    goal: 'earshot <= 75',
  });
}

await runWebBench({
  name: NAME,
  extensions: Object.values(EXTENSIONS),
  async run(bench) {
    const { metrics, extra } = await compareRegistrations(
      (side) => scriptToRegistered(bench, side),
      'script-to-registered ms',
      [
        'The host page (bench/pages/widget-host, served on its own port: another origin) holds an <earshot-softphone api-url> element; measured in the page from inserting <script type="module" src> to registered: Earshot\'s earshot-registered after element.login(), JsSIP\'s "registered" for the baseline module. Each load is a fresh browser context (empty cache). readyMsP50: insertion until the module ran (download, parse, run; the element is defined).',
        'Earshot also asks the account service for the SIP server (cross-origin GET /api/v1/client-config) and checks the microphone before registering; the baseline is given the WebSocket URL and realm.',
        'Size: dist/widget/earshot-softphone.js as built by vite.widget.config.ts, gzip level 9, kB = 1000 bytes; baseline as in bundle-size.',
      ],
    );
    return { metrics: [...metrics, await sizeMetric()], extra };
  },
});
