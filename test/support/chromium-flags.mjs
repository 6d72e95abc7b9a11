// Debian's Chromium and the flags every Earshot test browser uses (FACTS.md): headless as root,
// no background traffic, fake media devices. Plain JS so web-test-runner's config can import it.

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = process.env.EARSHOT_CHROMIUM ?? '/usr/bin/chromium';

/** Flags shared by component tests, end-to-end tests and benchmarks. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];
