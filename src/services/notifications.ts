/** Desktop notifications for calls that ring while the tab is hidden (only with permission). */
export class CallNotifier {
  #current: Notification | null = null;

  /**
   * Asks for permission once, and only while the page still has the agent's click (the login
   * button): browsers quietly block sites that ask unprompted. A programmatic login does not ask.
   */
  async requestPermission(): Promise<void> {
    if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
    const activation = navigator.userActivation as UserActivation | undefined;
    if (activation && !activation.isActive) return;
    await Notification.requestPermission().catch(() => undefined);
  }

  /** Shows "Incoming call" when the page is hidden; clicking it focuses the tab. */
  incoming(caller: string): void {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || !document.hidden)
      return;
    this.#current = new Notification('Incoming call', {
      body: caller,
      tag: 'earshot-incoming',
      requireInteraction: true,
    });
    this.#current.onclick = () => {
      window.focus();
      this.clear();
    };
  }

  /** Removes the notification (answered, ended). */
  clear(): void {
    this.#current?.close();
    this.#current = null;
  }
}
