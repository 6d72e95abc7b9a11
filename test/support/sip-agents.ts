import assert from 'node:assert/strict';
import { createExtension, type NewExtensionInput } from '../../server/extensions/repository.ts';
import { ALLOWED_ORIGIN, TEST_REALM, type KamailioHarness } from './kamailio-harness.ts';
import { SipClient, type AnswerMode } from './sip-client.ts';
import { StreamTransport, UdpTransport, WsTransport } from './sip-transport.ts';

/** How a test agent connects and behaves. */
export interface AgentOptions {
  password?: string;
  userAgent?: string;
  answer?: AnswerMode;
  /** UDP source address (127.0.0.2 … looks like another host to Kamailio). */
  localAddress?: string;
  timeoutMs?: number;
  /** The SDP the agent offers and answers with (default: one plain PCMU stream). */
  sdp?: () => string;
}

/** Creates extension rows for a test (password defaults to `pw-<number>`). */
export async function seedExtensions(
  h: KamailioHarness,
  inputs: (Omit<NewExtensionInput, 'name'> & { name?: string })[],
): Promise<void> {
  for (const input of inputs) {
    await createExtension(h.database.db.kysely, h.credentials, {
      name: `Agent ${input.number}`,
      password: `pw-${input.number}`,
      ...input,
    });
  }
}

/** A SIP agent over UDP, for extension `number`. */
export async function udpAgent(
  h: KamailioHarness,
  number: string,
  options: AgentOptions = {},
): Promise<SipClient> {
  const transport = await UdpTransport.open(h.sip, options.localAddress);
  return new SipClient({
    transport,
    user: number,
    domain: TEST_REALM,
    password: options.password ?? `pw-${number}`,
    ...rest(options),
  });
}

/** A SIP agent over TCP, or over TLS trusting only `ca` (PEM), for extension `number`. */
export async function streamAgent(
  h: KamailioHarness,
  number: string,
  transport: 'tcp' | 'tls',
  options: AgentOptions & { ca?: string } = {},
): Promise<SipClient> {
  const server = transport === 'tcp' ? h.sip : h.sipTls;
  if (!server) throw new Error('This Kamailio has no SIP-over-TLS listener: start it with `tls`.');
  const stream =
    transport === 'tcp' ? await StreamTransport.tcp(server) : await StreamTransport.tls(server, options.ca);
  return new SipClient({
    transport: stream,
    user: number,
    domain: TEST_REALM,
    password: options.password ?? `pw-${number}`,
    ...rest(options),
  });
}

/** A SIP agent over WebSocket with the given Origin (default: the allowed one). */
export async function wsAgent(
  h: KamailioHarness,
  number: string,
  options: AgentOptions & { origin?: string } = {},
): Promise<{ client: SipClient; transport: WsTransport }> {
  const transport = await WsTransport.open(h.wsUrl, options.origin ?? ALLOWED_ORIGIN);
  const client = new SipClient({
    transport,
    user: number,
    domain: TEST_REALM,
    password: options.password ?? `pw-${number}`,
    ...rest(options),
  });
  return { client, transport };
}

function rest(options: AgentOptions): {
  userAgent?: string;
  answer?: AnswerMode;
  timeoutMs?: number;
  sdp?: () => string;
} {
  return {
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    ...(options.answer ? { answer: options.answer } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.sdp ? { sdp: options.sdp } : {}),
  };
}

/** UDP agents for one suite, all closed by `closeAll()` in its `after` hook. */
export function udpAgentPool(harness: () => KamailioHarness): {
  agent: (number: string, options?: AgentOptions) => Promise<SipClient>;
  /** An agent that has registered (asserts the 200). */
  registered: (number: string) => Promise<SipClient>;
  closeAll: () => Promise<void>;
} {
  const clients: SipClient[] = [];
  const agent = async (number: string, options: AgentOptions = {}) => {
    const client = await udpAgent(harness(), number, options);
    clients.push(client);
    return client;
  };
  return {
    agent,
    registered: async (number) => {
      const client = await agent(number);
      assert.equal((await client.register()).status, 200, `${number} did not register`);
      return client;
    },
    closeAll: async () => {
      await Promise.all(clients.map((client) => client.close()));
    },
  };
}
