import { fetchClientConfig } from '../services/account-api/account-api.ts';
import type { DtmfTransport } from '../services/sip/call.ts';
import type { MediaPort, SipServiceOptions } from '../services/sip/sip-service.ts';
import { DEFAULT_REGISTER_EXPIRES } from '../services/sip/ua-config.ts';

const USER_AGENT = 'Earshot/0.1 (JsSIP)';

/** Where the softphone finds its servers. */
export interface PhoneEndpoints {
  sipServer: string;
  apiUrl: string;
  realm: string;
  /** How DTMF digits travel: in the audio (RFC 4733/2833, what IVRs expect) or as SIP INFO. */
  dtmfTransport?: DtmfTransport;
  /** `relay`: audio only through TURN (diagnostics, tests). */
  iceTransportPolicy?: RTCIceTransportPolicy;
}

/** The account service defaults to the page's own origin. */
export function apiUrlOf(given: PhoneEndpoints): string {
  return given.apiUrl || location.origin;
}

/** The given endpoints when they name the SIP server and realm (no lookup needed), else null. */
export function completeEndpoints(given: PhoneEndpoints): PhoneEndpoints | null {
  return given.sipServer && given.realm ? { ...given, apiUrl: apiUrlOf(given) } : null;
}

/** The given endpoints at once when complete, else completed by the account service (a promise). */
export function endpointsFor(given: PhoneEndpoints): PhoneEndpoints | Promise<PhoneEndpoints> {
  return completeEndpoints(given) ?? resolveEndpoints(given);
}

/** The given endpoints, completed by the account service (SIP server and realm) when not given. */
export async function resolveEndpoints(given: PhoneEndpoints): Promise<PhoneEndpoints> {
  const complete = completeEndpoints(given);
  if (complete) return complete;
  const apiUrl = apiUrlOf(given);
  const discovered = await fetchClientConfig(apiUrl);
  return {
    ...given,
    apiUrl,
    sipServer: given.sipServer || discovered.sipServer,
    realm: given.realm || discovered.realm,
  };
}

/** The SIP service's settings for these endpoints; `instanceId` is this browser's +sip.instance. */
export function sipOptions(
  endpoints: PhoneEndpoints,
  instanceId: string,
  media: MediaPort,
  ice: { readonly current: RTCIceServer[] },
): SipServiceOptions {
  return {
    wsUrl: endpoints.sipServer,
    realm: endpoints.realm,
    instanceId,
    userAgent: USER_AGENT,
    registerExpires: DEFAULT_REGISTER_EXPIRES,
    media,
    dtmfTransport: endpoints.dtmfTransport ?? 'RFC2833',
    iceServers: () => ice.current,
    iceTransportPolicy: endpoints.iceTransportPolicy ?? 'all',
  };
}
