/** The ring cadence: 0.4 s on, 0.2 s off, 0.4 s on, 2 s off (UK-style double ring). */
const CADENCE_S = [0.4, 0.2, 0.4, 2] as const;
const CYCLE_S = CADENCE_S.reduce((a, b) => a + b, 0);

/**
 * A synthesized ringtone through Web Audio (no asset to load). Browsers keep an AudioContext
 * suspended until the page had a user gesture; `blocked` says so, and `unlock()` (called from a
 * click) resumes it.
 */
export class Ringtone extends EventTarget {
  #context: AudioContext | null = null;
  #gain: GainNode | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** True when the browser refuses to play sound until the agent clicks something. */
  get blocked(): boolean {
    return this.#context?.state === 'suspended';
  }

  #ensureContext(): AudioContext {
    if (this.#context) return this.#context;
    const context = new AudioContext();
    const gain = context.createGain();
    gain.gain.value = 0;
    gain.connect(context.destination);
    for (const frequency of [440, 480]) {
      const oscillator = context.createOscillator();
      oscillator.frequency.value = frequency;
      oscillator.connect(gain);
      oscillator.start();
    }
    context.addEventListener('statechange', () => this.dispatchEvent(new Event('change')));
    this.#context = context;
    this.#gain = gain;
    return context;
  }

  #scheduleCycle(): void {
    const context = this.#context;
    const gain = this.#gain;
    if (!context || !gain) return;
    let t = context.currentTime;
    CADENCE_S.forEach((length, i) => {
      gain.gain.setValueAtTime(i % 2 === 0 ? 0.15 : 0, t);
      t += length;
    });
    gain.gain.setValueAtTime(0, t);
  }

  /** Starts ringing; if sound is blocked, fires `change` so the view can offer "Enable sound". */
  start(): void {
    this.stop();
    const context = this.#ensureContext();
    void context.resume().catch(() => undefined);
    this.#scheduleCycle();
    this.#timer = setInterval(() => {
      this.#scheduleCycle();
    }, CYCLE_S * 1000);
    this.dispatchEvent(new Event('change'));
  }

  /** Stops ringing. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#context && this.#gain) {
      this.#gain.gain.cancelScheduledValues(this.#context.currentTime);
      this.#gain.gain.setValueAtTime(0, this.#context.currentTime);
    }
  }

  /** Resumes audio after a user gesture. */
  async unlock(): Promise<void> {
    await this.#ensureContext().resume();
    this.dispatchEvent(new Event('change'));
  }
}
