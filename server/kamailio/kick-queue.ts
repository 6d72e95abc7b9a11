// Kicking an extension's devices out of Kamailio (disable, delete, a new password). A node that
// does not answer keeps the bindings, so its kicks wait in memory and are retried with backoff
// until it answers again: a disabled extension then really loses its registration there.
import { phoneServer, type RegistrarClient } from './types.ts';

/** What became of one kick, for the admin (API answers) and the audit log. */
export interface KickReport {
  /** True when every Kamailio node answered and dropped the extension's bindings. */
  delivered: boolean;
  /** Plain language: what happened to the devices and what happens next. */
  message: string;
  /** The nodes that did not answer (empty when delivered, or when the registrar failed outright). */
  unreachableNodes: string[];
}

/** Delay before each retry round; the last one repeats until every node has answered. */
export const KICK_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000, 30_000];

/** At most this many extensions wait for a retry; beyond it the oldest is dropped (and logged). */
export const KICK_RETRY_LIMIT = 10_000;

/** Where the queue says what it did (pino's logger fits). */
export interface KickLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface KickQueueOptions {
  delaysMs?: readonly number[];
  limit?: number;
  log?: KickLog;
}

/** Nodes still to reach; null: every node (the registrar failed without naming any). */
type Nodes = readonly string[] | null;

const silent: KickLog = { info: () => undefined, warn: () => undefined };

/**
 * The report of a kick that failed on `unreachable` (null: on every node). `retrying`: whether
 * something keeps trying (the account service does; the one-shot CLI does not).
 */
export function kickReport(number: string, unreachable: Nodes, retrying: boolean): KickReport {
  if (unreachable?.length === 0)
    return {
      delivered: true,
      message: `The devices of extension ${number} were disconnected.`,
      unreachableNodes: [],
    };
  const next = retrying
    ? 'Earshot keeps trying and disconnects them as soon as it answers again.'
    : 'They are refused when they next renew their registration once it answers again; run the command again then to disconnect them at once.';
  const nodes = [...(unreachable ?? [])];
  return {
    delivered: false,
    message: `${phoneServer(nodes)} did not answer, so devices still signed in as extension ${number} could not be disconnected yet. ${next}`,
    unreachableNodes: nodes,
  };
}

/** Kicks `number` on `nodes` (null: all); resolves with the nodes that failed (null: all of them). */
async function attempt(registrar: RegistrarClient, number: string, nodes: Nodes): Promise<Nodes> {
  try {
    return (await registrar.kick(number, nodes ?? undefined)).unreachableNodes;
  } catch {
    return nodes;
  }
}

/** One kick now, no retry (the CLI): the report says what could not be reached. */
export async function kickOnce(registrar: RegistrarClient, number: string): Promise<KickReport> {
  return kickReport(number, await attempt(registrar, number, null), false);
}

/** Kicks now and retries, in memory, whatever node did not answer. */
export class KickQueue {
  /** Extension number -> nodes still to reach; oldest first. */
  readonly #pending = new Map<string, Nodes>();
  readonly #delays: readonly number[];
  readonly #limit: number;
  readonly #log: KickLog;
  #round = 0;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(
    readonly registrar: RegistrarClient,
    options: KickQueueOptions = {},
  ) {
    this.#delays = options.delaysMs ?? KICK_RETRY_DELAYS_MS;
    this.#limit = options.limit ?? KICK_RETRY_LIMIT;
    this.#log = options.log ?? silent;
  }

  /** Kicks `number` on every node now; the nodes that did not answer are retried later. */
  async kick(number: string): Promise<KickReport> {
    const failed = await attempt(this.registrar, number, null);
    // This kick supersedes an older pending one: what it reached needs no retry any more.
    this.#pending.delete(number);
    if (failed?.length !== 0) {
      this.#enqueue(number, failed);
      this.#log.warn(
        { extension: number, nodes: failed ?? 'all' },
        'could not disconnect the devices of an extension; retrying',
      );
    }
    return kickReport(number, failed, true);
  }

  /** The extensions whose kick waits for a node, oldest first. */
  pending(): string[] {
    return [...this.#pending.keys()];
  }

  /** Stops retrying (the service is closing) and waits for a round in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  #enqueue(number: string, nodes: Nodes): void {
    this.#pending.set(number, nodes);
    const oldest = this.#pending.keys().next().value;
    if (this.#pending.size > this.#limit && oldest !== undefined) {
      this.#pending.delete(oldest);
      this.#log.warn({ extension: oldest }, 'too many kicks waiting for Kamailio; dropped the oldest');
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped || this.#timer || this.#running || this.#pending.size === 0) return;
    const delay = this.#delays[Math.min(this.#round, this.#delays.length - 1)] ?? 30_000;
    this.#round += 1;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.#retryRound().finally(() => {
        this.#running = null;
        if (this.#pending.size === 0) this.#round = 0;
        this.#schedule();
      });
    }, delay);
    this.#timer.unref();
  }

  /** One pass over the waiting kicks; a node that fails once is not tried again this round. */
  async #retryRound(): Promise<void> {
    const down = new Set<string>();
    for (const [number, nodes] of [...this.#pending]) {
      if (this.#stopped) return;
      const targets = nodes?.filter((node) => !down.has(node)) ?? null;
      if (targets?.length === 0) continue;
      const failed = await attempt(this.registrar, number, targets);
      // A fresh kick of the same extension meanwhile has taken over.
      if (this.#pending.get(number) !== nodes) continue;
      for (const node of failed ?? []) down.add(node);
      const skipped = nodes?.filter((node) => !targets?.includes(node)) ?? [];
      const left = failed === null ? nodes : [...failed, ...skipped];
      if (left?.length === 0) {
        this.#pending.delete(number);
        this.#log.info({ extension: number }, 'disconnected the devices of an extension after retrying');
      } else this.#pending.set(number, left);
    }
  }
}
