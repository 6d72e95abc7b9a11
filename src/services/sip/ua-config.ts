import * as JsSIP from 'jssip';
import type { Socket } from 'jssip/lib/Socket.js';
import type { UAConfiguration } from 'jssip/lib/UA.js';

/** Everything the SIP service needs to know about the server and this browser. */
export interface SipSettings {
  /** ws:// or wss:// URL of Kamailio's WebSocket listener. */
  wsUrl: string;
  realm: string;
  /** One stable id per browser, so a reload replaces the old binding instead of adding one. */
  instanceId: string;
  /** Shown as the "client name" on the account page. */
  userAgent: string;
  /** REGISTER expiry asked for; Kamailio clamps it to its own min/max. */
  registerExpires: number;
  /** Tests inject a socket (e.g. one msw answers); the app uses a real WebSocket. */
  socketFactory?: (url: string) => Socket;
}

export const DEFAULT_REGISTER_EXPIRES = 300;

/** The JsSIP UA configuration for one agent. */
export function uaConfiguration(settings: SipSettings, extension: string, password: string): UAConfiguration {
  const socket = settings.socketFactory?.(settings.wsUrl) ?? new JsSIP.WebSocketInterface(settings.wsUrl);
  return {
    sockets: [socket],
    uri: `sip:${extension}@${settings.realm}`,
    authorization_user: extension,
    password,
    realm: settings.realm,
    display_name: extension,
    instance_id: settings.instanceId,
    user_agent: settings.userAgent,
    register: true,
    register_expires: settings.registerExpires,
    session_timers: false,
    // JsSIP reconnects by itself with a randomised backoff between these bounds (seconds).
    connection_recovery_min_interval: 2,
    connection_recovery_max_interval: 30,
    no_answer_timeout: 60,
  };
}
