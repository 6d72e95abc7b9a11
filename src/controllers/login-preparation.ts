import { isExtension } from '../internal/phone-number.ts';
import { startMicrophoneCheck, type MicrophoneCheck } from '../services/sip/microphone-check.ts';
import type { MediaPort } from '../services/sip/sip-service.ts';
import { resolveEndpoints, type PhoneEndpoints } from './endpoints.ts';

/** How long a login that registered ahead waits for a held lock before following its holder. */
export const AHEAD_CLAIM_WAIT_MS = 300;

/** What a login starts before it knows whether this tab will register. */
export interface Preparation {
  microphone: MicrophoneCheck | undefined;
  endpoints: Promise<PhoneEndpoints> | undefined;
}

/**
 * Starts the microphone check and, unless the SIP service exists already (`given` null), the SIP
 * server lookup: both take tens of milliseconds in a fresh profile, so they overlap what follows.
 */
export function prepareLogin(extension: string, media: MediaPort, given: PhoneEndpoints | null): Preparation {
  const microphone =
    isExtension(extension) && globalThis.isSecureContext ? startMicrophoneCheck(media) : undefined;
  const endpoints = given ? resolveEndpoints(given) : undefined;
  // Whoever awaits it reports its failure; this only keeps an unused one from going unhandled.
  endpoints?.catch(() => undefined);
  return { microphone, endpoints };
}
