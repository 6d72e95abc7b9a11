import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SipService } from '../services/sip/sip-service.ts';

/** Polls getStats of active calls every few seconds and keeps the latest MOS per call id. */
export class QualityController implements ReactiveController {
  mos: Record<string, number> = {};
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly sip: () => SipService | undefined,
    private readonly intervalMs = 2000,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#timer = setInterval(() => void this.#poll(), this.intervalMs);
  }

  hostDisconnected(): void {
    clearInterval(this.#timer);
  }

  async #poll(): Promise<void> {
    const calls = this.sip()?.calls.filter((c) => c.state.status === 'active') ?? [];
    if (calls.length === 0 && Object.keys(this.mos).length === 0) return;
    const next: Record<string, number> = {};
    for (const call of calls) {
      const quality = await call.quality().catch(() => null);
      if (quality) next[call.state.id] = quality.mos;
    }
    this.mos = next;
    this.host.requestUpdate();
  }
}
