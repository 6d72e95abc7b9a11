import type { KamailioNode } from '../config.ts';
import { KamailioRpc, KamailioRpcError, type UlContact } from './rpc.ts';
import {
  RegistrarUnavailableError,
  type NodeReachability,
  type Registration,
  type RegistrarClient,
  type RegistrationDump,
} from './types.ts';

/** How long a health ping waits for a node. */
const PING_TIMEOUT_MS = 1000;

/** Why a ping failed, without the node's address: "connection refused", "no answer within 1 s", … */
function pingProblem(error: unknown): string {
  if (error instanceof KamailioRpcError) return `JSON-RPC answered an error (${String(error.code)})`;
  if (error instanceof Error && error.name === 'TimeoutError')
    return `no JSON-RPC answer within ${String(PING_TIMEOUT_MS / 1000)} s`;
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  if (code === 'ECONNREFUSED') return 'JSON-RPC connection refused (Kamailio is not running?)';
  return `JSON-RPC unreachable (${typeof code === 'string' ? code : 'no answer'})`;
}

/** The htable (see kamailio.cfg.tpl, route[REGSINCE]) holding first-REGISTER times by `<number>::<Call-ID>`. */
const REGSINCE_TABLE = 'regsince';

interface Endpoint {
  host: string;
  port: number;
  transport: string;
}

/** Parses `sip:1.2.3.4:5060;transport=ws` (a Received or Contact URI) into address and transport. */
export function parseSipEndpoint(uri: string): Endpoint | null {
  const match = /^sips?:(?:[^@;>]*@)?(\[[^\]]+\]|[^:;>]+)(?::(\d+))?([^>]*)/i.exec(
    uri.trim().replace(/^</, ''),
  );
  if (!match) return null;
  const transport =
    /;transport=([a-z]+)/i.exec(match[3] ?? '')?.[1]?.toLowerCase() ??
    (uri.startsWith('sips:') ? 'tls' : 'udp');
  const host = (match[1] ?? '').replace(/^\[|\]$/g, '');
  return { host, port: Number(match[2] ?? 5060), transport };
}

const notSet = (value: string | undefined): boolean => !value || value === '[not set]';

/** The timestamp Kamailio stored (epoch seconds) as ISO, or null. */
function epochToIso(value: string | number | null): string | null {
  const seconds = Number(value);
  return value === null || !Number.isFinite(seconds) || seconds <= 0
    ? null
    : new Date(seconds * 1000).toISOString();
}

/** Kamailio's received URI says `ws` for secure WebSockets too; the listening socket tells them apart. */
function transportOf(transport: string, socket: string | undefined): string {
  return transport === 'ws' && socket?.startsWith('tls:') ? 'wss' : transport;
}

/** Turns one usrloc contact into a Registration; the client address comes from Received (NAT-safe) or the Contact. */
export function toRegistration(
  node: string,
  contact: UlContact,
  registeredAt: string | null,
  now = Date.now(),
): Registration {
  const received = notSet(contact.Received) ? null : parseSipEndpoint(contact.Received ?? '');
  const address = received ?? parseSipEndpoint(contact.Address);
  const expires = Number(contact.Expires);
  return {
    node,
    contact: contact.Address,
    registeredAt,
    expiresAt: new Date(now + (Number.isFinite(expires) ? expires : 0) * 1000).toISOString(),
    clientIp: address?.host ?? '',
    clientPort: address?.port ?? 0,
    transport: transportOf(address?.transport ?? 'udp', contact.Socket),
    userAgent: notSet(contact['User-Agent']) ? '' : (contact['User-Agent'] ?? ''),
    instance: notSet(contact.Instance) ? null : (contact.Instance ?? null),
  };
}

/** `ul.dump` (Kamailio 5.6): domains, each with its AoRs and their contacts. */
interface UlDump {
  Domains?: {
    Domain?: { Domain?: string; AoRs?: { Info?: { AoR?: string; Contacts?: { Contact: UlContact }[] } }[] };
  }[];
}

/** `htable.dump`: hash slots, each with its items. */
type HtableDump = { slot?: { name?: string; value?: string | number }[] }[];

/** The AoRs of the `location` table with their contacts; a `number@domain` AoR is keyed by the number. */
export function parseUlDump(dump: unknown): [string, UlContact[]][] {
  const domains = (dump as UlDump | null)?.Domains ?? [];
  return domains
    .filter((d) => (d.Domain?.Domain ?? 'location') === 'location')
    .flatMap((d) => d.Domain?.AoRs ?? [])
    .flatMap((aor): [string, UlContact[]][] => {
      const number = aor.Info?.AoR?.split('@')[0];
      const contacts = (aor.Info?.Contacts ?? []).map((entry) => entry.Contact);
      return number && contacts.length ? [[number, contacts]] : [];
    });
}

/** The `regsince` htable as key -> epoch seconds. */
function parseHtableDump(dump: unknown): Map<string, string | number> {
  const entries = new Map<string, string | number>();
  for (const slot of Array.isArray(dump) ? (dump as HtableDump) : [])
    for (const item of slot.slot ?? [])
      if (item.name && item.value !== undefined) entries.set(item.name, item.value);
  return entries;
}

/** The live-registration view over every configured Kamailio node's JSON-RPC. */
export class KamailioRegistrarClient implements RegistrarClient {
  readonly #nodes: { name: string; rpc: KamailioRpc }[];

  constructor(nodes: KamailioNode[], timeoutMs = 2000) {
    this.#nodes = nodes.map((node) => ({ name: node.name, rpc: new KamailioRpc(node.rpcUrl, timeoutMs) }));
  }

  /** Every live contact of `number` on every node; a node that fails is listed, not thrown. */
  async lookup(number: string): Promise<{ registrations: Registration[]; unreachableNodes: string[] }> {
    const settled = await Promise.allSettled(this.#nodes.map((node) => this.#lookupOn(node, number)));
    const registrations: Registration[] = [];
    const unreachableNodes: string[] = [];
    settled.forEach((result, index) => {
      if (result.status === 'fulfilled') registrations.push(...result.value);
      else unreachableNodes.push(this.#nodes[index]?.name ?? '');
    });
    return { registrations, unreachableNodes };
  }

  /**
   * Removes every binding of `number` (on every node, or on `nodes`) and closes its WebSocket
   * connections, so the browser reconnects and meets the new state (ul.rm alone leaves it
   * believing it is registered). Says which nodes could not be reached: their bindings survive.
   */
  async kick(number: string, nodes?: readonly string[]): Promise<{ unreachableNodes: string[] }> {
    const targets = nodes ? this.#nodes.filter((node) => nodes.includes(node.name)) : this.#nodes;
    const settled = await Promise.allSettled(targets.map((node) => this.#kickOn(node, number)));
    const unreachableNodes = targets
      .filter((_node, index) => settled[index]?.status === 'rejected')
      .map((node) => node.name);
    return { unreachableNodes };
  }

  /** Every live contact on every node, one `ul.dump` (and one `htable.dump` for registered-since) per node. */
  async listAll(): Promise<RegistrationDump> {
    const settled = await Promise.allSettled(this.#nodes.map((node) => this.#dumpOn(node)));
    const registrations = new Map<string, Registration[]>();
    const unreachableNodes: string[] = [];
    settled.forEach((result, index) => {
      if (result.status === 'rejected') {
        unreachableNodes.push(this.#nodes[index]?.name ?? '');
        return;
      }
      for (const [number, contacts] of result.value)
        registrations.set(number, [...(registrations.get(number) ?? []), ...contacts]);
    });
    if (this.#nodes.length > 0 && unreachableNodes.length === this.#nodes.length)
      throw new RegistrarUnavailableError(unreachableNodes);
    return { registrations, unreachableNodes };
  }

  /** `core.version` on every node, with a short timeout: a node that does not answer is named, not thrown. */
  async ping(): Promise<NodeReachability[]> {
    return Promise.all(
      this.#nodes.map(({ name, rpc }) =>
        new KamailioRpc(rpc.url, PING_TIMEOUT_MS).coreVersion().then(
          (): NodeReachability => ({ node: name, reachable: true }),
          (error: unknown): NodeReachability => ({
            node: name,
            reachable: false,
            problem: pingProblem(error),
          }),
        ),
      ),
    );
  }

  async #dumpOn(node: { name: string; rpc: KamailioRpc }): Promise<[string, Registration[]][]> {
    const [dump, since] = await Promise.all([
      node.rpc.call('ul.dump'),
      node.rpc.call('htable.dump', [REGSINCE_TABLE]).then(parseHtableDump, () => new Map<string, string>()),
    ]);
    const now = Date.now();
    return parseUlDump(dump).map(([number, contacts]) => [
      number,
      contacts.map((contact) => {
        const first = contact['Call-ID'] ? since.get(`${number}::${contact['Call-ID']}`) : undefined;
        return toRegistration(node.name, contact, epochToIso(first ?? null), now);
      }),
    ]);
  }

  async #lookupOn(node: { name: string; rpc: KamailioRpc }, number: string): Promise<Registration[]> {
    const contacts = await node.rpc.ulLookup(number);
    const now = Date.now();
    return Promise.all(
      contacts.map(async (contact) => {
        const since = contact['Call-ID']
          ? await node.rpc.htableGet(REGSINCE_TABLE, `${number}::${contact['Call-ID']}`)
          : null;
        return toRegistration(node.name, contact, epochToIso(since), now);
      }),
    );
  }

  async #kickOn(node: { name: string; rpc: KamailioRpc }, number: string): Promise<void> {
    const contacts = await node.rpc.ulLookup(number);
    await node.rpc.ulRm(number);
    for (const contact of contacts) {
      const transport = parseSipEndpoint(contact.Received ?? contact.Address)?.transport;
      const connection = contact['Tcpconn-Id'] ?? -1;
      // Connection ids are per node; only WebSocket ones are closed (a desk phone's TCP may carry others).
      if ((transport === 'ws' || transport === 'wss') && connection > 0)
        await node.rpc.wsClose(connection).catch(() => undefined);
      if (contact['Call-ID'])
        await node.rpc
          .htableDelete(REGSINCE_TABLE, `${number}::${contact['Call-ID']}`)
          .catch(() => undefined);
    }
  }
}
