// `npm run bench -- call-setup`: dial → audio flowing (the first inbound audio bytes on the caller's
// peer connection). Earshot's page (element.call()) against the minimal JsSIP page, both calling
// the same auto-answering callee (a minimal JsSIP page) through the same Kamailio.
import { interleave, rawSamples, type Side } from './lib/compare.ts';
import { callOnce, LATENCY_RUNS, latencyMetrics, openCallers, runWebBench } from './lib/web-bench.ts';

const NAME = 'call-setup';
const CALLEE = '2000';
const CALLERS: Record<Side, string> = { earshot: '2001', baseline: '2002' };

await runWebBench({
  name: NAME,
  extensions: [CALLEE, ...Object.values(CALLERS)],
  async run(bench) {
    const callers = await openCallers(bench, CALLEE, CALLERS);
    const samples = await interleave((side) => callOnce(callers[side], CALLEE), LATENCY_RUNS);
    return {
      metrics: latencyMetrics(samples, 'dial-to-audio ms'),
      extra: {
        samples: rawSamples(samples),
        notes: [
          'Measured in the caller page: from the dial call (Earshot: element.call(); baseline: ua.call()) until getStats() of the new peer connection shows inbound-rtp audio bytesReceived > 0, polled every 5 ms.',
          'Both callers stay registered in their own page for the whole run and call the same callee, a minimal JsSIP page that answers at once; each call is hung up before the next.',
        ],
      },
    };
  },
});
