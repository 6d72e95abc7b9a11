import { fetchClientConfig } from '../services/account-api/account-api.ts';
import type { DtmfTransport } from '../services/sip/call.ts';

/** Where the softphone finds its servers. */
export interface PhoneEndpoints {
  sipServer: string;
  apiUrl: string;
  realm: string;
  /** How DTMF digits travel: in the audio (RFC 4733/2833, what IVRs expect) or as SIP INFO. */
  dtmfTransport?: DtmfTransport;
}

/** The account service defaults to the page's own origin. */
export function apiUrlOf(given: PhoneEndpoints): string {
  return given.apiUrl || location.origin;
}

/** The given endpoints, completed by the account service (SIP server and realm) when not given. */
export async function resolveEndpoints(given: PhoneEndpoints): Promise<PhoneEndpoints> {
  const apiUrl = apiUrlOf(given);
  if (given.sipServer && given.realm) return { ...given, apiUrl };
  const discovered = await fetchClientConfig(apiUrl);
  return {
    apiUrl,
    sipServer: given.sipServer || discovered.sipServer,
    realm: given.realm || discovered.realm,
  };
}
