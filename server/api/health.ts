// GET /api/health: every component the service depends on, each with its status. Probes are cached
// for a moment so a flood of health checks costs one database query and one ping per node.
import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { isReadOnlyDatabaseError } from '../db/writable.ts';
import type { RegistrarClient } from '../kamailio/types.ts';
import type { NgClient } from '../media/ng-client.ts';
import { stunPing } from '../turn/stun-ping.ts';
import type { ComponentHealth } from './schemas.ts';

/** One thing health checks. A component that is not `required` is reported but does not fail health. */
export interface HealthProbe {
  required: boolean;
  check(): Promise<ComponentHealth[]>;
}

export interface HealthReport {
  /** True when every required component is ok (then HTTP 200, else 503). */
  ok: boolean;
  components: ComponentHealth[];
}

/** How long one probe round answers every health request. */
export const HEALTH_CACHE_MS = 1500;

/** An error's code (ECONNREFUSED, SQLITE_CORRUPT …), never its text: health is public and messages hold addresses. */
const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? ` (${code})` : '';
};

/** The database: can it be written (file attributes, read-only transactions), then a real query on the ledger. */
export function databaseProbe(db: Db): HealthProbe {
  const check = async (): Promise<ComponentHealth> => {
    try {
      const problem = await db.writeProblem();
      if (problem)
        return { name: 'database', status: 'read-only', message: `The database is read-only: ${problem}.` };
      await sql`select count(*) as n from earshot_migrations`.execute(db.kysely);
      return { name: 'database', status: 'ok' };
    } catch (error) {
      if (isReadOnlyDatabaseError(error))
        return { name: 'database', status: 'read-only', message: 'The database is read-only.' };
      return { name: 'database', status: 'down', message: `The database did not answer${codeOf(error)}.` };
    }
  };
  return { required: true, check: async () => [await check()] };
}

/** Every Kamailio node: does its JSON-RPC answer? */
export function kamailioProbe(registrar: RegistrarClient): HealthProbe {
  return {
    required: true,
    check: async () =>
      (await registrar.ping()).map(({ node, reachable, problem }) =>
        reachable
          ? { name: 'kamailio', node, status: 'ok' }
          : { name: 'kamailio', node, status: 'down', message: `Kamailio does not answer: ${problem ?? ''}` },
      ),
  };
}

/** rtpengine, the media relay: does its ng control socket answer `ping`? */
export function rtpengineProbe(ng: Pick<NgClient, 'ping'>): HealthProbe {
  const check = async (): Promise<ComponentHealth> => {
    try {
      await ng.ping();
      return { name: 'rtpengine', status: 'ok' };
    } catch (error) {
      return {
        name: 'rtpengine',
        status: 'down',
        message: `The media relay (rtpengine) does not answer${codeOf(error)}: calls with desk phones and the phone network fail.`,
      };
    }
  };
  return { required: true, check: async () => [await check()] };
}

/**
 * The stack's TURN server (coturn): does it answer a STUN Binding request? Not required: agents on
 * the same network as the server call without it; remote agents behind NAT get no audio.
 */
export function turnProbe(address: { host: string; port: number }): HealthProbe {
  const check = async (): Promise<ComponentHealth> => {
    try {
      await stunPing(address.host, address.port);
      return { name: 'turn', status: 'ok' };
    } catch (error) {
      return {
        name: 'turn',
        status: 'down',
        message: `The TURN server (coturn) does not answer${codeOf(error)}: agents behind NAT may get no audio.`,
      };
    }
  };
  return { required: false, check: async () => [await check()] };
}

/** Runs the probes at most once per HEALTH_CACHE_MS; concurrent requests share one round. */
export class HealthMonitor {
  #last: { at: number; report: Promise<HealthReport> } | null = null;

  constructor(
    readonly probes: HealthProbe[],
    readonly now: () => number = Date.now,
  ) {}

  report(): Promise<HealthReport> {
    const now = this.now();
    if (!this.#last || now - this.#last.at >= HEALTH_CACHE_MS)
      this.#last = { at: now, report: this.#probe() };
    return this.#last.report;
  }

  async #probe(): Promise<HealthReport> {
    const rounds = await Promise.all(
      this.probes.map(async (probe) => ({ probe, components: await probe.check() })),
    );
    const ok = rounds.every(
      ({ probe, components }) => !probe.required || components.every((c) => c.status === 'ok'),
    );
    return { ok, components: rounds.flatMap((round) => round.components) };
  }
}
