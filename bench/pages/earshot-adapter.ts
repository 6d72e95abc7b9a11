// Init script of the Earshot bench pages (bundled as an IIFE by bench/lib/bench-pages.ts): drives
// <earshot-softphone> through its public API only (login, call, hangup and its outcome events).
import type { EarshotSoftphone } from '../../src/widget.ts';
import { READY_EVENT, type BenchLogin, type BenchPhone } from './bench-phone.ts';

function softphone(): EarshotSoftphone {
  const element = document.querySelector('earshot-softphone');
  if (!element) throw new Error('No <earshot-softphone> on the page');
  return element;
}

const adapter: BenchPhone = {
  register(login: BenchLogin) {
    const element = softphone();
    return new Promise<number>((resolve, reject) => {
      const once = { once: true };
      element.addEventListener('earshot-registered', () => resolve(performance.now()), once);
      element.addEventListener(
        'earshot-registration-failed',
        (event) => reject(new Error(event.message)),
        once,
      );
      element.login(login.extension, login.password).catch(reject);
    });
  },
  call(number: string) {
    return softphone().call(number);
  },
  hangup() {
    const element = softphone();
    const ended = new Promise<void>((resolve) => {
      element.addEventListener('earshot-call-ended', () => resolve(), { once: true });
    });
    element.hangup();
    return ended;
  },
};

void customElements.whenDefined('earshot-softphone').then(() => {
  window.benchPhone = adapter;
  window.dispatchEvent(new Event(READY_EVENT));
});
