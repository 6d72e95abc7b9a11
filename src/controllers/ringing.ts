import type { Ringtone } from '../services/media/ringtone.ts';
import type { CallNotifier } from '../services/notifications.ts';
import type { Call } from '../services/sip/call.ts';

/** The ringtone and the desktop notification while a call rings (in the tab that holds the line). */
export class RingingAlerts {
  #ringing = false;

  constructor(
    private readonly ringtone: Ringtone,
    private readonly notifier: CallNotifier,
  ) {}

  /** A call rings: notify (when the tab is hidden) and start the ringtone. */
  incoming(call: Call, calls: readonly Call[]): void {
    this.notifier.incoming(call.state.remoteName ?? call.state.remote);
    this.sync(calls);
  }

  /** Rings while any call is incoming; stops and clears the notification once none is. */
  sync(calls: readonly Call[]): void {
    const ringing = calls.some((c) => c.state.status === 'incoming');
    if (ringing && !this.#ringing) this.ringtone.start();
    if (!ringing && this.#ringing) this.stop();
    this.#ringing = ringing;
  }

  /** Silences at once (answered here, or the page goes away). */
  stop(): void {
    this.ringtone.stop();
    this.notifier.clear();
    this.#ringing = false;
  }
}
