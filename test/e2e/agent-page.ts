import type { Browser, Page } from 'playwright-core';

/** Inbound audio figures of the first call's peer connection. */
export interface InboundAudio {
  bytesReceived: number;
  totalAudioEnergy: number;
  packetsReceived: number;
}

/** Opens the softphone in a fresh browser context (its own IndexedDB) and logs in. */
export async function openAgent(
  browser: Browser,
  origin: string,
  extension: string,
  password: string,
): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(origin);
  await submitLogin(page, extension, password);
  await page.getByText(`${extension} · Ready`).waitFor({ timeout: 10_000 });
  return page;
}

/** Fills and submits the login form. */
export async function submitLogin(page: Page, extension: string, password: string): Promise<void> {
  await page.locator('#extension').fill(extension);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Reads inbound-rtp audio of call `index` from the page (the stats a user cannot see but hears). */
export function inboundAudio(page: Page, index = 0): Promise<InboundAudio | null> {
  return page.evaluate(async (i) => {
    const phone = document.querySelector('earshot-softphone') as unknown as {
      phone: { sip?: { calls: { session: { connection?: RTCPeerConnection } }[] } };
    } | null;
    const peer = phone?.phone.sip?.calls[i]?.session.connection;
    if (!peer) return null;
    let found: InboundAudio | null = null;
    (await peer.getStats()).forEach((stat: Record<string, unknown>) => {
      if (stat.type === 'inbound-rtp' && stat.kind === 'audio') {
        found = {
          bytesReceived: Number(stat.bytesReceived ?? 0),
          totalAudioEnergy: Number(stat.totalAudioEnergy ?? 0),
          packetsReceived: Number(stat.packetsReceived ?? 0),
        };
      }
    });
    return found;
  }, index);
}

/** Waits until inbound audio bytes and energy both rise over `ms`: sound is arriving. */
export async function expectAudioFlowing(
  page: Page,
  ms = 1500,
  index = 0,
): Promise<{ before: InboundAudio; after: InboundAudio }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const before = await inboundAudio(page, index);
    await page.waitForTimeout(ms);
    const after = await inboundAudio(page, index);
    if (
      before &&
      after &&
      after.bytesReceived > before.bytesReceived &&
      after.totalAudioEnergy > before.totalAudioEnergy
    ) {
      return { before, after };
    }
    if (Date.now() > deadline) throw new Error(`No audio flowing: ${JSON.stringify({ before, after })}`);
  }
}

/** Clicks the first visible button with this exact text (inside any shadow root). */
export async function press(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name, exact: true }).first().click();
}

/**
 * The loudest frequency (Hz) of call `index`'s inbound audio, from a WebAudio AnalyserNode on the
 * received track, averaged over `ms`; null while the call has no receiving track.
 */
export function inboundPeakHz(page: Page, index = 0, ms = 1000): Promise<number | null> {
  return page.evaluate(
    async ({ i, ms }) => {
      const phone = document.querySelector('earshot-softphone') as unknown as {
        phone: { sip?: { calls: { session: { connection?: RTCPeerConnection } }[] } };
      } | null;
      const track = phone?.phone.sip?.calls[i]?.session.connection
        ?.getReceivers()
        .find((receiver) => receiver.track.kind === 'audio')?.track;
      if (!track) return null;
      const context = new AudioContext();
      const analyser = context.createAnalyser();
      analyser.fftSize = 4096;
      context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
      const bins = new Float32Array(analyser.frequencyBinCount);
      const sums = new Float64Array(analyser.frequencyBinCount);
      const until = performance.now() + ms;
      while (performance.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        analyser.getFloatFrequencyData(bins);
        bins.forEach((db, bin) => {
          sums[bin] = (sums[bin] ?? 0) + 10 ** (db / 10);
        });
      }
      await context.close();
      let peak = 1;
      sums.forEach((power, bin) => {
        if (bin > 0 && power > (sums[peak] ?? 0)) peak = bin;
      });
      return (peak * context.sampleRate) / analyser.fftSize;
    },
    { i: index, ms },
  );
}
