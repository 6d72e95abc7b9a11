// What the benchmark probe (probe.ts) drives in a page: the Earshot adapter (earshot-adapter.ts)
// and the minimal JsSIP page (minimal-jssip.ts) both offer it, so one probe measures both.

/** The event a page fires on `window` once `window.benchPhone` is set. */
export const READY_EVENT = 'bench-phone-ready';

/** Where and as whom a bench phone registers. */
export interface BenchLogin {
  extension: string;
  password: string;
  /** Kamailio's WebSocket URL (Earshot discovers it from the account service instead). */
  wsUrl: string;
  realm: string;
  /** Answer every incoming call at once (the minimal page only: the shared callee). */
  autoAnswer?: boolean;
}

/** A softphone reduced to what the benchmarks time. */
export interface BenchPhone {
  /**
   * Resolves with performance.now() taken when the phone said registered (in its event listener,
   * so work the page queued meanwhile does not count); rejects when refused.
   */
  register(login: BenchLogin): Promise<number>;
  /** Places a call; resolves once it is on its way (its peer connection exists). */
  call(number: string): Promise<void>;
  /** Ends the current call; resolves once it has ended. */
  hangup(): Promise<void>;
}

/** Live RTCPeerConnection objects of a page (after a forced GC) and how many are not closed. */
export interface PeerConnectionCount {
  live: number;
  open: number;
}

/**
 * ms from a start (navigation start, or a script tag's insertion) until the page's phone could be
 * driven (`ready`: its script ran, the element is defined) and until it registered.
 */
export interface RegisterTiming {
  ready: number;
  registered: number;
}

/** The probe's result of `autoRegister` (ms since navigation start), or why it failed. */
export type ProbeResult = RegisterTiming | { error: string };

/** In-page timing helpers (probe.ts), installed as an init script on every bench page. */
export interface BenchProbe {
  result: ProbeResult | null;
  /** Registers as soon as the page's phone is ready; sets `result` to ms since navigation start. */
  autoRegister(login: BenchLogin): void;
  /** Inserts `<script type=module src>` and registers: ms from the insertion. */
  scriptToRegistered(src: string, login: BenchLogin): Promise<RegisterTiming>;
  register(login: BenchLogin): Promise<void>;
  /** Dials and waits for inbound audio bytes on the new peer connection: ms from dial. */
  dialToAudio(number: string): Promise<number>;
  hangup(): Promise<void>;
  peerConnections(): PeerConnectionCount;
}

declare global {
  interface Window {
    benchPhone?: BenchPhone;
    benchProbe?: BenchProbe;
    /** The driver's binding (when it exposed one) that receives `autoRegister`'s result. */
    benchReport?: (result: ProbeResult) => Promise<void>;
  }
}
