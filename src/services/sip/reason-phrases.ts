/**
 * Reason phrases Earshot's Kamailio config sends with its refusals. The template
 * (server/kamailio/kamailio.cfg.tpl) uses exactly these, so the softphone can tell the agent why.
 */
export const ReasonPhrase = {
  ExtensionDisabled: 'Extension disabled',
  TooManyFailedAttempts: 'Too many failed attempts',
  ManualDialingNotAllowed: 'Manual dialing not allowed',
  AddressNotAllowed: 'Address not allowed',
  /** 503 for a phone number when no SIP trunk is configured. */
  NoOutsideCalls: 'Outside calls are not set up on this system',
  /** 503: the call needs rtpengine (a desk phone or outside line on one side) and it does not answer. */
  MediaRelayUnavailable: 'Media relay unavailable',
} as const;
export type ReasonPhrase = (typeof ReasonPhrase)[keyof typeof ReasonPhrase];
