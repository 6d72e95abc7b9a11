/** The agent's extension as the account service reports it. */
export interface MeExtension {
  number: string;
  name: string;
  enabled: boolean;
  manualDialing: boolean;
  callRecording: boolean;
  passwordChangedAt: string;
}

/** One registered device (a live contact in Kamailio). */
export interface Device {
  node: string;
  registeredAt: string | null;
  expiresAt: string;
  clientIp: string;
  clientPort: number;
  transport: string;
  clientName: string;
  contact: string;
}

export interface MeRegistration {
  /** `unknown` when no device was found while a Kamailio node (which may hold it) did not answer. */
  status: 'registered' | 'unregistered' | 'unknown';
  /** null when unknown. */
  registered: boolean | null;
  /** Only when unknown: why, in plain language. */
  message?: string;
  devices: Device[];
  unavailableNodes: string[];
}

export interface Me {
  extension: MeExtension;
  registration: MeRegistration;
}

export interface Session {
  token: string;
  expiresAt: string;
}

/** The error body every account-service failure carries. */
export interface ApiErrorBody {
  error: string;
  message: string;
  rule?: string;
  retryAfter?: number;
}

/** GET /api/v1/me/ice-servers. */
export interface IceServers {
  iceServers: RTCIceServer[];
  /** When the TURN credentials stop working (ISO time); null without TURN. */
  expiresAt: string | null;
}
