import { chromium, type Browser, type BrowserServer } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium-flags.mjs';

export { CHROMIUM, CHROMIUM_ARGS };

/** The shared flags plus WebRTC between pages on loopback and sound without a click (FACTS.md). */
const E2E_ARGS = [
  ...CHROMIUM_ARGS,
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * Launches headless Chromium for an end-to-end test; `extraArgs` e.g. a known microphone:
 * `--use-file-for-fake-audio-capture=<wav>` (the fake device then plays that file, looped).
 */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...E2E_ARGS, ...extraArgs] });
}

/** Headless Chromium in a browser server of its own, for tests that kill the browser process. */
export async function launchChromiumServer(): Promise<{ browser: Browser; server: BrowserServer }> {
  const server = await chromium.launchServer({ executablePath: CHROMIUM, headless: true, args: E2E_ARGS });
  return { browser: await chromium.connect(server.wsEndpoint()), server };
}
