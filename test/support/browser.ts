import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium-flags.mjs';

export { CHROMIUM, CHROMIUM_ARGS };

/** The shared flags plus WebRTC between pages on loopback and sound without a click (FACTS.md). */
const E2E_ARGS = [
  ...CHROMIUM_ARGS,
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];

/** Launches headless Chromium for an end-to-end test. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: E2E_ARGS });
}
