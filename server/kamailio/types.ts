/** One live contact of an extension, as a Kamailio node's usrloc holds it. */
export interface Registration {
  /** Name of the Kamailio node that holds the binding (and the agent's WebSocket). */
  node: string;
  /** The Contact URI as registered. */
  contact: string;
  /** When this device first registered (ISO), if the node tracked it. */
  registeredAt: string | null;
  /** When the binding lapses unless refreshed (ISO). */
  expiresAt: string;
  /** Source address the REGISTER really came from (Kamailio's `received`). */
  clientIp: string;
  clientPort: number;
  /** udp, tcp, ws, wss, tls. */
  transport: string;
  /** The device's User-Agent header. */
  userAgent: string;
  /** The device's +sip.instance, when it sent one. */
  instance: string | null;
}

/** Every live registration on every node, merged per extension number. */
export interface RegistrationDump {
  /** Extension number -> its contacts on all nodes (numbers without a contact are absent). */
  registrations: Map<string, Registration[]>;
  /** Nodes that did not answer (their registrations are missing from the map). */
  unreachableNodes: string[];
}

/** "The phone server (node kam-1)", "… (nodes kam-1, kam-2)", or "The phone server" when not known. */
export function phoneServer(nodes: readonly string[]): string {
  if (nodes.length === 0) return 'The phone server';
  return `The phone server (${nodes.length === 1 ? 'node' : 'nodes'} ${nodes.join(', ')})`;
}

/** Thrown by `listAll` when no Kamailio node answered, so "nobody registered" is never guessed. */
export class RegistrarUnavailableError extends Error {
  constructor(readonly nodes: string[]) {
    super(`No Kamailio node answered (${nodes.join(', ')}).`);
    this.name = 'RegistrarUnavailableError';
  }
}

/** What the account service reads from (and does to) Kamailio's live registrations. */
export interface RegistrarClient {
  /** Every live contact of `number` across all configured nodes; nodes that did not answer are listed. */
  lookup(number: string): Promise<{ registrations: Registration[]; unreachableNodes: string[] }>;
  /**
   * Removes every binding of `number` on every node (or only on `nodes`) and closes their
   * WebSocket connections. Never rejects for a node that does not answer: it is listed instead.
   */
  kick(number: string, nodes?: readonly string[]): Promise<{ unreachableNodes: string[] }>;
  /**
   * Every live contact on every node (one `ul.dump` per node), merged per extension number.
   * Rejects with RegistrarUnavailableError when no node answered.
   */
  listAll(): Promise<RegistrationDump>;
  /** Whether each configured node answers JSON-RPC right now (for /api/health); never rejects. */
  ping(): Promise<NodeReachability[]>;
}

/** One Kamailio node's answer to a ping. */
export interface NodeReachability {
  node: string;
  reachable: boolean;
  /** Why it is not reachable, in words (no addresses). */
  problem?: string;
}

/** `lookup`, with a registrar that fails outright counted as every node silent: it never rejects. */
export function lookupOrSilent(
  registrar: RegistrarClient,
  number: string,
  nodes: readonly string[],
): Promise<{ registrations: Registration[]; unreachableNodes: string[] }> {
  return registrar.lookup(number).catch(() => ({ registrations: [], unreachableNodes: [...nodes] }));
}
