import { http, HttpResponse, type RequestHandler, type WebSocketHandler } from 'msw';
import type { Me } from '../../../src/services/account-api/types.ts';
import { sipServer, SIP_TEST_URL, type SipBehaviour } from './sip-server.ts';

/** The account-service origin component tests talk to (answered by msw, never the network). */
export const API_TEST_URL = 'http://api.earshot.test';
export { SIP_TEST_URL };
export const TEST_REALM = 'earshot.test';

export type ScenarioName =
  | 'default'
  | 'no-manual-dialing'
  | 'wrong-password'
  | 'disabled'
  | 'too-many-attempts'
  | 'server-down'
  | 'busy-callee'
  | 'dialing-refused'
  | 'no-trunk'
  | 'register-500-once';

const OK_SIP: SipBehaviour = {
  register: { status: 200, reason: 'OK' },
  invite: { status: 200, reason: 'OK' },
};

const SIP: Record<ScenarioName, SipBehaviour> = {
  default: OK_SIP,
  'no-manual-dialing': OK_SIP,
  'wrong-password': { ...OK_SIP, register: { status: 401, reason: 'Unauthorized' } },
  disabled: { ...OK_SIP, register: { status: 403, reason: 'Extension disabled' } },
  'too-many-attempts': { ...OK_SIP, register: { status: 403, reason: 'Too many failed attempts' } },
  'server-down': { ...OK_SIP, refuseConnections: true },
  'busy-callee': { ...OK_SIP, invite: { status: 486, reason: 'Busy Here' } },
  'dialing-refused': { ...OK_SIP, invite: { status: 403, reason: 'Manual dialing not allowed' } },
  'no-trunk': { ...OK_SIP, invite: { status: 503, reason: 'Outside calls are not set up on this system' } },
  'register-500-once': { ...OK_SIP, serverErrorsFirst: 1 },
};

/** The /me answer of a scenario. */
export function meFor(scenario: ScenarioName): Me {
  return {
    extension: {
      number: '1001',
      name: 'Ada Agent',
      enabled: true,
      manualDialing: scenario !== 'no-manual-dialing',
      callRecording: true,
      passwordChangedAt: '2026-11-01T09:00:00.000Z',
    },
    registration: {
      status: 'registered',
      registered: true,
      devices: [
        {
          node: 'kamailio-1',
          registeredAt: '2026-11-23T08:00:00.000Z',
          expiresAt: '2026-11-23T08:05:00.000Z',
          clientIp: '192.0.2.10',
          clientPort: 51234,
          transport: 'ws',
          clientName: 'Earshot/0.1 (JsSIP)',
          contact: 'sip:1001@192.0.2.10:51234;transport=ws',
        },
      ],
      unavailableNodes: [],
    },
  };
}

function restHandlers(scenario: ScenarioName): RequestHandler[] {
  return [
    http.get(`${API_TEST_URL}/api/v1/client-config`, () =>
      HttpResponse.json({ sipServer: SIP_TEST_URL, realm: TEST_REALM }),
    ),
    http.post(`${API_TEST_URL}/api/v1/sessions`, () =>
      HttpResponse.json(
        { token: 'test-token', expiresAt: '2026-11-24T00:00:00Z', extension: '1001' },
        { status: 201 },
      ),
    ),
    http.delete(`${API_TEST_URL}/api/v1/sessions/current`, () => new HttpResponse(null, { status: 204 })),
    http.get(`${API_TEST_URL}/api/v1/me`, () => HttpResponse.json(meFor(scenario))),
    http.post(`${API_TEST_URL}/api/v1/password-suggestions`, () =>
      HttpResponse.json({ password: 'k7PqR-x2mZa-9fTgh-Wc4Ne', entropyBits: 117 }),
    ),
    http.put(`${API_TEST_URL}/api/v1/me/password`, () =>
      HttpResponse.json({ passwordChangedAt: new Date().toISOString(), otherSessionsRevoked: 0 }),
    ),
  ];
}

/** Every handler of a named scenario: REST for the account service and the fake SIP server. */
export function scenario(name: ScenarioName): (RequestHandler | WebSocketHandler)[] {
  // A copy: behaviours with counters must start afresh in every test.
  return [...restHandlers(name), sipServer({ ...SIP[name] })];
}
