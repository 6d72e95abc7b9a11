// Init script of every bench page (bundled as an IIFE by bench/lib/bench-pages.ts): counts peer
// connections and times registration and call setup inside the page, so the browser-driver
// round trips never enter a measurement. Earshot and the baseline run exactly this code.
import {
  READY_EVENT,
  type BenchLogin,
  type BenchPhone,
  type BenchProbe,
  type ProbeResult,
  type RegisterTiming,
} from './bench-phone.ts';

const TIMEOUT_MS = 15_000;
const POLL_MS = 5;

const tracked: WeakRef<RTCPeerConnection>[] = [];

// Every peer connection the page creates is remembered weakly (a strong list would be a leak).
window.RTCPeerConnection = class extends window.RTCPeerConnection {
  constructor(configuration?: RTCConfiguration) {
    super(configuration);
    tracked.push(new WeakRef(this));
  }
};

const ready = new Promise<BenchPhone>((resolve) => {
  window.addEventListener(READY_EVENT, () => {
    if (window.benchPhone) resolve(window.benchPhone);
  });
});

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/** `promise`, or a rejection naming `what` after TIMEOUT_MS. */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    sleep(TIMEOUT_MS).then(() => {
      throw new Error(`${what} took longer than ${TIMEOUT_MS} ms`);
    }),
  ]);
}

async function inboundAudioBytes(peer: RTCPeerConnection): Promise<number> {
  let bytes = 0;
  (await peer.getStats()).forEach((stat: { type: string; kind?: string; bytesReceived?: number }) => {
    if (stat.type === 'inbound-rtp' && stat.kind === 'audio') bytes = stat.bytesReceived ?? 0;
  });
  return bytes;
}

/** Polls the newest peer connection created since index `from` until audio bytes arrive. */
async function untilAudio(from: number): Promise<void> {
  const deadline = performance.now() + TIMEOUT_MS;
  while (performance.now() < deadline) {
    const peer = tracked.slice(from).at(-1)?.deref();
    if (peer && (await inboundAudioBytes(peer)) > 0) return;
    await sleep(POLL_MS);
  }
  throw new Error(`No audio arrived within ${TIMEOUT_MS} ms`);
}

function loadModule(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.type = 'module';
    script.src = src;
    script.addEventListener('load', () => {
      resolve();
    });
    script.addEventListener('error', () => {
      reject(new Error(`${src} did not load`));
    });
    document.head.append(script);
  });
}

/** Waits for the page's phone and registers: ms since `start` until ready and until registered. */
async function timeRegistration(login: BenchLogin, start: number): Promise<RegisterTiming> {
  const phone = await within(ready, "The page's phone");
  const readyAt = performance.now() - start;
  const registeredAt = await within(phone.register(login), 'Registration');
  return { ready: readyAt, registered: registeredAt - start };
}

const probe: BenchProbe = {
  result: null,
  autoRegister(login: BenchLogin) {
    // Reported through the driver's binding: the driver never evaluates in the page while it loads.
    const report = (result: ProbeResult): void => {
      probe.result = result;
      void window.benchReport?.(result);
    };
    timeRegistration(login, 0).then(report, (error: unknown) => {
      report({ error: String(error) });
    });
  },
  async scriptToRegistered(src, login) {
    const start = performance.now();
    await within(loadModule(src), 'Loading the script');
    return timeRegistration(login, start);
  },
  async register(login) {
    await timeRegistration(login, 0);
  },
  async dialToAudio(number) {
    const start = performance.now();
    const from = tracked.length;
    await within(
      ready.then((phone) => phone.call(number)).then(() => untilAudio(from)),
      'Audio after dialing',
    );
    return performance.now() - start;
  },
  async hangup() {
    await within(
      ready.then((phone) => phone.hangup()),
      'Hanging up',
    );
  },
  peerConnections() {
    const live = tracked.map((ref) => ref.deref()).filter((peer) => peer !== undefined);
    return { live: live.length, open: live.filter((peer) => peer.connectionState !== 'closed').length };
  },
};

window.benchProbe = probe;
