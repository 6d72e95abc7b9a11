import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { startPortal } from '../../server/stack/portal.ts';
import { launchChromium } from '../../test/support/browser.ts';
import { freeTcpPort, TEST_REALM } from '../../test/support/kamailio-harness.ts';
import { seedExtensions } from '../../test/support/sip-agents.ts';
import { startStack, type TestStack } from '../../test/support/stack.ts';
import type { BenchLogin, ProbeResult, RegisterTiming } from '../pages/bench-phone.ts';
import { prepareBenchPages, type InitScripts } from './bench-pages.ts';
import {
  compareMetrics,
  interleave,
  medians,
  rawSamples,
  type InterleaveOptions,
  type Samples,
  type Side,
} from './compare.ts';
import { enterLoopbackNamespace } from './loopback.ts';
import { writeResult, type Metric } from './report.ts';

/** The baseline every browser benchmark compares Earshot with. */
export const BASELINE_NAME = 'minimal JsSIP page';

/** The stack, the browser and the pages of one browser benchmark run. */
export interface WebBench {
  stack: TestStack;
  browser: Browser;
  /** Origin of the bench host page (bench/pages/widget-host), another port than the stack. */
  hostOrigin: string;
  /** Each side's own page on the stack origin: Earshot's index.html or the minimal JsSIP page. */
  pageUrl(side: Side): string;
  /** Credentials of a seeded extension (password `pw-<number>`) and where to register. */
  login(extension: string, autoAnswer?: boolean): BenchLogin;
  /**
   * A fresh browser context (empty storage and cache) with the side's init scripts, at `url`;
   * `report` receives what the probe's autoRegister reports, in this and later pages of the context.
   */
  open(side: Side, url: string, initTail?: string, report?: (result: ProbeResult) => void): Promise<Page>;
  /** `open` + register; an Earshot caller also waits for its dialpad (manual dialing loaded). */
  openRegistered(side: Side, extension: string, autoAnswer?: boolean): Promise<Page>;
}

/** What a browser benchmark measures and keeps. */
export interface WebBenchSpec {
  name: string;
  /** Extensions to seed (all may dial). */
  extensions: string[];
  run(bench: WebBench): Promise<{ metrics: Metric[]; extra?: Record<string, unknown> }>;
}

const NOTE =
  'Shared 2-core machine: other jobs (other test suites) ran meanwhile, see loadAverage. ' +
  'Earshot and the baseline alternate round by round (which goes first alternates too), so that ' +
  'drift is common to both sides of each ratio; absolute times are not comparable between runs.';

function createBench(stack: TestStack, browser: Browser, hostOrigin: string, scripts: InitScripts): WebBench {
  const bench: WebBench = {
    stack,
    browser,
    hostOrigin,
    pageUrl: (side) => `${stack.origin}/${side === 'earshot' ? '' : 'bench/minimal-jssip.html'}`,
    login: (extension, autoAnswer = false) => ({
      extension,
      password: `pw-${extension}`,
      wsUrl: stack.kamailio.wsUrl,
      realm: TEST_REALM,
      autoAnswer,
    }),
    async open(side, url, initTail = '', report) {
      const context = await browser.newContext();
      if (report)
        await context.exposeBinding('benchReport', (_source, result: ProbeResult) => report(result));
      const adapter = side === 'earshot' ? scripts.earshotAdapter : '';
      await context.addInitScript({ content: `${scripts.probe}\n${adapter}\n${initTail}` });
      const page = await context.newPage();
      page.on('pageerror', (error) => {
        console.error(`[${side} page] ${error.message}`);
      });
      await page.goto(url);
      return page;
    },
    async openRegistered(side, extension, autoAnswer = false) {
      const page = await bench.open(side, bench.pageUrl(side));
      await page.evaluate((login) => window.benchProbe?.register(login), bench.login(extension, autoAnswer));
      if (side === 'earshot') await page.locator('#number').waitFor({ timeout: 10_000 });
      return page;
    },
  };
  return bench;
}

/** Starts the stack (with the host page's origin allowed), seeds, launches Chromium; runs `spec`. */
async function runInNamespace(spec: WebBenchSpec): Promise<void> {
  const scripts = await prepareBenchPages();
  const hostPort = await freeTcpPort();
  const hostOrigin = `http://127.0.0.1:${hostPort}`;
  const loadBefore = loadavg();
  const stack = await startStack({ nodeName: `bench-${spec.name}`, extraOrigins: [hostOrigin] });
  let host: Server | null = null;
  let browser: Browser | null = null;
  try {
    await seedExtensions(
      stack.kamailio,
      spec.extensions.map((number) => ({ number, manualDialing: true })),
    );
    host = await startPortal(join(import.meta.dirname, '..', 'pages', 'widget-host'), {
      host: '127.0.0.1',
      port: hostPort,
      earshotUrl: stack.origin,
    });
    browser = await launchChromium();
    const { metrics, extra } = await spec.run(createBench(stack, browser, hostOrigin, scripts));
    const environment = { cpus: cpus().length, loadAverage: { before: loadBefore, after: loadavg() } };
    writeResult(spec.name, metrics, { environment, ...extra, notes: [NOTE, ...notesOf(extra)] });
  } finally {
    await browser?.close();
    host?.close();
    await stack.stop();
  }
}

function notesOf(extra: Record<string, unknown> = {}): unknown[] {
  return Array.isArray(extra.notes) ? (extra.notes as unknown[]) : [];
}

/**
 * Runs a browser benchmark: in a loopback-only network namespace, against one Kamailio + account
 * service, Earshot beside the minimal JsSIP page; writes bench/results/<name>.json. Exits
 * non-zero only when it could not measure.
 */
export async function runWebBench(spec: WebBenchSpec): Promise<void> {
  try {
    enterLoopbackNamespace();
    await runInNamespace(spec);
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
}

/** Pause after a hang-up so the callee has seen the BYE before the next call rings. */
const SETTLE_MS = 150;

/** One call from `page` to `number`: dial → inbound audio (timed in the page), hang up, settle. */
export async function callOnce(page: Page, number: string): Promise<number> {
  const ms = await page.evaluate((n) => window.benchProbe?.dialToAudio(n), number);
  await page.evaluate(() => window.benchProbe?.hangup());
  await page.waitForTimeout(SETTLE_MS);
  if (ms === undefined) throw new Error('The bench probe is missing from the page');
  return ms;
}

/** Issue 3's bar for every latency against the baseline. */
const LATENCY_GOAL = 'ratio <= 1.15';

/** p50 and p95 of a latency in ms against the minimal JsSIP page (goal: at most 1.15×). */
export function latencyMetrics(samples: Samples, label: string): Metric[] {
  return compareMetrics(samples, { label, unit: 'ms', baselineName: BASELINE_NAME, goal: LATENCY_GOAL });
}

/** Registers an auto-answering callee (a minimal JsSIP page) and one caller page per side. */
export async function openCallers(
  bench: WebBench,
  callee: string,
  callers: Record<Side, string>,
): Promise<Record<Side, Page>> {
  await bench.openRegistered('baseline', callee, true);
  return {
    earshot: await bench.openRegistered('earshot', callers.earshot),
    baseline: await bench.openRegistered('baseline', callers.baseline),
  };
}

/** Rounds and time budget of the latency comparisons: 20 samples a side, two minutes at most. */
export const LATENCY_RUNS = { rounds: 20, budgetMs: 120_000 };

/**
 * Interleaves registrations of both sides (`runs`, by default LATENCY_RUNS) and reports the
 * `registered` latency against the baseline, keeping the raw samples and the median time until
 * each page's phone was ready.
 */
export async function compareRegistrations(
  measure: (side: Side) => Promise<RegisterTiming>,
  label: string,
  notes: string[],
  runs: InterleaveOptions = LATENCY_RUNS,
): Promise<{ metrics: Metric[]; extra: Record<string, unknown> }> {
  const ready: Samples = { earshot: [], baseline: [] };
  const registered = await interleave(async (side, round) => {
    const timing = await measure(side);
    if (round >= 0) ready[side].push(timing.ready);
    return timing.registered;
  }, runs);
  return {
    metrics: latencyMetrics(registered, label),
    // readyMsP50: until the page's phone could be driven (script ran); the rest is the login.
    extra: { samples: rawSamples(registered), readyMsP50: medians(ready), notes },
  };
}
