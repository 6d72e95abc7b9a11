import {
  RegistrarUnavailableError,
  type NodeReachability,
  type Registration,
  type RegistrarClient,
  type RegistrationDump,
} from '../../server/kamailio/types.ts';

/**
 * A recording stand-in for Kamailio's registrar in API tests that are about the API itself.
 * The real lookups and kicks are tested against Kamailio in test/integration.
 */
export class RegistrarDouble implements RegistrarClient {
  registrations = new Map<string, Registration[]>();
  kicked: string[] = [];
  /** Every node is down: nothing answers. */
  down = false;
  /** While up: further nodes that do not answer (their registrations are not known). */
  silentNodes: string[] = [];

  lookup(number: string): Promise<{ registrations: Registration[]; unreachableNodes: string[] }> {
    if (this.down) return Promise.resolve({ registrations: [], unreachableNodes: ['test-node'] });
    return Promise.resolve({
      registrations: this.registrations.get(number) ?? [],
      unreachableNodes: [...this.silentNodes],
    });
  }

  /** How many times `listAll` was called (one dump per list request). */
  dumps = 0;

  /** One node, `test-node`, reachable unless `down`. */
  ping(): Promise<NodeReachability[]> {
    return Promise.resolve([
      this.down
        ? { node: 'test-node', reachable: false, problem: 'JSON-RPC connection refused' }
        : { node: 'test-node', reachable: true },
    ]);
  }

  listAll(): Promise<RegistrationDump> {
    this.dumps += 1;
    if (this.down) return Promise.reject(new RegistrarUnavailableError(['test-node']));
    const registrations = new Map([...this.registrations].filter(([, list]) => list.length > 0));
    return Promise.resolve({ registrations, unreachableNodes: [...this.silentNodes] });
  }

  /** Kicks while up; while down, names its one node as unreachable (like the real client). */
  kick(number: string): Promise<{ unreachableNodes: string[] }> {
    if (this.down) return Promise.resolve({ unreachableNodes: ['test-node'] });
    this.kicked.push(number);
    this.registrations.delete(number);
    return Promise.resolve({ unreachableNodes: [...this.silentNodes] });
  }
}
