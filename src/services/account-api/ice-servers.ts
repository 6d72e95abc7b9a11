import type { AccountApi } from './account-api.ts';

/** The shortest wait before fetching TURN credentials again (and after a failed fetch). */
const MIN_REFRESH_MS = 30_000;

/**
 * The STUN/TURN servers calls use, with TURN credentials the account service mints for this agent.
 * Fetched again halfway to their expiry, so a call started at any time during a long shift gets
 * credentials with at least half their life left (a relay allocation outlives no credential).
 */
export class IceServerSource {
  #servers: RTCIceServer[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by start() and stop(): a fetch of an earlier round schedules nothing. */
  #round = 0;

  constructor(private readonly minRefreshMs = MIN_REFRESH_MS) {}

  /** What a new call's RTCPeerConnection uses now. */
  get current(): RTCIceServer[] {
    return this.#servers;
  }

  /** Fetches now and keeps the credentials fresh until stop() or `signal` aborts. */
  start(api: Pick<AccountApi, 'iceServers'>, signal: AbortSignal): void {
    this.stop();
    signal.addEventListener('abort', () => this.stop(), { once: true });
    void this.#fetch(api, this.#round);
  }

  stop(): void {
    this.#round += 1;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #fetch(api: Pick<AccountApi, 'iceServers'>, round: number): Promise<void> {
    let next = this.minRefreshMs;
    try {
      const { iceServers, expiresAt } = await api.iceServers();
      if (round !== this.#round) return;
      this.#servers = iceServers;
      if (!expiresAt) return;
      next = Math.max(this.minRefreshMs, (Date.parse(expiresAt) - Date.now()) / 2);
    } catch {
      // Keep what we have (still valid for a while); try again soon.
    }
    if (round === this.#round) this.#timer = setTimeout(() => void this.#fetch(api, round), next);
  }
}
