import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Re-renders its host whenever `target` fires one of `events`, for as long as the host is
 * connected. The target is read lazily because context values arrive after construction.
 */
export class ServiceEventsController implements ReactiveController {
  #subscribed: EventTarget | undefined;
  readonly #listener = (): void => {
    this.host.requestUpdate();
  };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly target: () => EventTarget | undefined,
    private readonly events: readonly string[],
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#subscribe();
  }

  hostUpdate(): void {
    // The context may have delivered the service since the last render.
    if (this.target() !== this.#subscribed) this.#subscribe();
  }

  hostDisconnected(): void {
    this.#unsubscribe();
  }

  #subscribe(): void {
    this.#unsubscribe();
    const target = this.target();
    for (const name of this.events) target?.addEventListener(name, this.#listener);
    this.#subscribed = target;
  }

  #unsubscribe(): void {
    for (const name of this.events) this.#subscribed?.removeEventListener(name, this.#listener);
    this.#subscribed = undefined;
  }
}
