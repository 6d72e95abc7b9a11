import type { Registration, RegistrarClient } from '../../server/kamailio/types.ts';

/**
 * A recording stand-in for Kamailio's registrar in API tests that are about the API itself.
 * The real lookups and kicks are tested against Kamailio in test/integration.
 */
export class RegistrarDouble implements RegistrarClient {
  registrations = new Map<string, Registration[]>();
  kicked: string[] = [];
  down = false;

  lookup(number: string): Promise<{ registrations: Registration[]; unreachableNodes: string[] }> {
    if (this.down) return Promise.resolve({ registrations: [], unreachableNodes: ['test-node'] });
    return Promise.resolve({ registrations: this.registrations.get(number) ?? [], unreachableNodes: [] });
  }

  kick(number: string): Promise<void> {
    if (this.down) return Promise.reject(new Error('Kamailio is not answering'));
    this.kicked.push(number);
    this.registrations.delete(number);
    return Promise.resolve();
  }
}
