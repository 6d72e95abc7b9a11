import type { Browser, BrowserContextOptions, Page } from 'playwright-core';

/** Inbound audio figures of the first call's peer connection. */
export interface InboundAudio {
  bytesReceived: number;
  totalAudioEnergy: number;
  packetsReceived: number;
}

export interface AgentOptions {
  /** Options of the agent's browser context (`bypassCSP` for a page that records DTMF). */
  context?: BrowserContextOptions;
  /** Attributes set on <earshot-softphone> before the login (e.g. `dtmf-transport`). */
  attributes?: Record<string, string>;
}

/** Opens the softphone in a fresh browser context (its own IndexedDB) and logs in. */
export async function openAgent(
  browser: Browser,
  origin: string,
  extension: string,
  password: string,
  options: AgentOptions = {},
): Promise<Page> {
  const context = await browser.newContext(options.context);
  const page = await context.newPage();
  await page.goto(origin);
  await page.locator('earshot-softphone').evaluate((el, attributes) => {
    for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  }, options.attributes ?? {});
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

/** Below this rise of `totalAudioEnergy` over a window, what arrives is silence (a beep is far above). */
const SILENT_ENERGY = 1e-3;

/**
 * Measures inbound audio over windows of `ms` until one satisfies `accept` (at most 10 s of tries)
 * and returns that window; otherwise throws with the last one.
 */
async function waitForWindow(
  page: Page,
  ms: number,
  index: number,
  accept: (before: InboundAudio, after: InboundAudio) => boolean,
  what: string,
): Promise<{ before: InboundAudio; after: InboundAudio }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const before = await inboundAudio(page, index);
    await page.waitForTimeout(ms);
    const after = await inboundAudio(page, index);
    if (before && after && accept(before, after)) return { before, after };
    if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify({ before, after })}`);
  }
}

/** Waits until inbound audio bytes and energy both rise over `ms`: sound is arriving. */
export function expectAudioFlowing(
  page: Page,
  ms = 1500,
  index = 0,
): Promise<{ before: InboundAudio; after: InboundAudio }> {
  return waitForWindow(
    page,
    ms,
    index,
    (before, after) =>
      after.bytesReceived > before.bytesReceived && after.totalAudioEnergy > before.totalAudioEnergy,
    'No audio flowing',
  );
}

/**
 * Waits for a window of `ms` in which packets keep arriving but carry no sound: the far end sends
 * silence (muted, on hold). Packets arriving is the proof the sound had its chance to come.
 */
export function expectSilence(
  page: Page,
  ms = 1500,
  index = 0,
): Promise<{ before: InboundAudio; after: InboundAudio }> {
  return waitForWindow(
    page,
    ms,
    index,
    (before, after) =>
      after.packetsReceived > before.packetsReceived &&
      after.totalAudioEnergy - before.totalAudioEnergy < SILENT_ENERGY,
    'Packets with sound, or none at all, keep arriving',
  );
}

/** The audio track call `index` sends: its id, the device it comes from, and whether it is live. */
export interface SentTrack {
  id: string;
  deviceId: string | null;
  readyState: MediaStreamTrackState;
}

export function sentAudioTrack(page: Page, index = 0): Promise<SentTrack | null> {
  return page.evaluate((i) => {
    const el = document.querySelector('earshot-softphone') as unknown as {
      phone: { sip?: { calls: { session: { connection?: RTCPeerConnection } }[] } };
    };
    const track = el.phone.sip?.calls[i]?.session.connection
      ?.getSenders()
      .find((s) => s.track?.kind === 'audio')?.track;
    if (!track) return null;
    return { id: track.id, deviceId: track.getSettings().deviceId ?? null, readyState: track.readyState };
  }, index);
}

/** How DTMF reached a far end: SIP INFO through Kamailio, or RFC 4733 telephone-events in the RTP. */
export type DtmfVia = 'info' | 'rtp';

/**
 * Makes the page record the digits call `index` receives: SIP INFO as JsSIP parses it (newDTMF
 * from the remote side), and RFC 4733 telephone-events decoded from the RTP this page's peer
 * connection receives (an RTCRtpScriptTransform on the audio receiver sees them after SRTP; audio
 * frames pass through untouched). Call it while the call rings, before it is answered. The worker
 * comes from a blob: URL, which the app's CSP refuses: open the page with `bypassCSP`.
 */
export async function recordReceivedDtmf(page: Page, index = 0): Promise<void> {
  await page.evaluate((i) => {
    interface Session {
      connection?: RTCPeerConnection;
      on(event: 'newDTMF', listener: (e: { originator: string; dtmf: { tone: string } }) => void): void;
      on(event: 'peerconnection', listener: (e: { peerconnection: RTCPeerConnection }) => void): void;
    }
    const el = document.querySelector('earshot-softphone') as unknown as {
      phone: { sip?: { calls: { session: Session }[] } };
    };
    const session = el.phone.sip?.calls[i]?.session;
    if (!session) throw new Error(`there is no call ${i}`);
    if (session.connection) throw new Error(`call ${i} is answered already: record its DTMF while it rings`);
    const received = { info: '', rtp: '' };
    (window as unknown as { __earshotDtmf: typeof received }).__earshotDtmf = received;
    session.on('newDTMF', (event) => {
      if (event.originator === 'remote') received.info += event.dtmf.tone;
    });
    // RFC 4733: the event code is the first payload byte, the E bit ends the event; an end packet
    // is sent three times with one RTP timestamp.
    const source = `
      onrtctransform = ({ transformer }) => {
        let last = null;
        transformer.readable.pipeThrough(new TransformStream({
          transform(frame, controller) {
            const meta = frame.getMetadata();
            if (/telephone-event/i.test(meta.mimeType ?? '')) {
              const bytes = new Uint8Array(frame.data);
              const stamp = meta.rtpTimestamp ?? frame.timestamp;
              if ((bytes[1] & 0x80) !== 0 && stamp !== last) {
                last = stamp;
                postMessage(bytes[0]);
              }
            }
            controller.enqueue(frame);
          },
        })).pipeTo(transformer.writable);
      };`;
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    worker.onmessage = (message: MessageEvent<number>) => {
      received.rtp += '0123456789*#ABCD'[message.data] ?? '?';
    };
    // Chromium feeds a receiver's transform only if it was set before the remote description that
    // starts the receiver was applied (JsSIP adds the microphone first, so not even on `track`).
    session.on('peerconnection', ({ peerconnection }) => {
      const pc: { setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> } =
        peerconnection;
      const apply = pc.setRemoteDescription.bind(peerconnection);
      pc.setRemoteDescription = (description) => {
        for (const receiver of peerconnection.getReceivers()) {
          if (receiver.track.kind === 'audio' && !receiver.transform)
            receiver.transform = new RTCRtpScriptTransform(worker);
        }
        return apply(description);
      };
    });
  }, index);
}

/** Resolves with the digits the page received `via` once they end with `digits` (10 s at most). */
export async function waitForReceivedDtmf(page: Page, via: DtmfVia, digits: string): Promise<string> {
  const received = () =>
    page.evaluate(
      (v) => (window as unknown as { __earshotDtmf: Record<DtmfVia, string> }).__earshotDtmf[v],
      via,
    );
  try {
    await page.waitForFunction(
      ([v, d]) =>
        (window as unknown as { __earshotDtmf: Record<string, string> }).__earshotDtmf[v]?.endsWith(d),
      [via, digits] as const,
      { timeout: 10_000 },
    );
  } catch {
    throw new Error(`DTMF "${digits}" did not arrive by ${via} (received: "${await received()}")`);
  }
  return received();
}

/** Hangs up every call of the page's own SIP service and waits until none is left (test clean-up). */
export async function endCalls(page: Page): Promise<void> {
  if (page.isClosed()) return;
  await page.waitForFunction(
    () => {
      const el = document.querySelector('earshot-softphone') as unknown as {
        phone: { sip?: { calls: { hangup(): void }[] } };
      };
      const calls = el.phone.sip?.calls ?? [];
      for (const call of calls) call.hangup();
      return calls.length === 0;
    },
    undefined,
    { timeout: 10_000, polling: 250 },
  );
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
