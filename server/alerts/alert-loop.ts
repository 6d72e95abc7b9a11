// The alert work of the account service, on timers for the life of the app: every few seconds fan
// out new alert events and send due deliveries; every `staleEveryMs` run the stale-registration check.
import type { FastifyInstance } from 'fastify';
import { Housekeeping } from '../api/housekeeping.ts';
import type { Config } from '../config.ts';
import { deliverDue, fanOut, type DispatchOptions } from './dispatcher.ts';
import { checkStaleRegistrations } from './stale-check.ts';

export interface AlertLoopOptions {
  /** Time between two delivery rounds; default 5 s. */
  everyMs?: number;
  retryDelaysMs?: readonly number[];
  /** Time between two stale-registration checks; default EARSHOT_STALE_CHECK_MINUTES. */
  staleEveryMs?: number;
}

const logError = (app: FastifyInstance, what: string) => (error: unknown) => {
  app.log.error({ err: { message: error instanceof Error ? error.message : String(error) } }, what);
};

export function startAlerts(
  app: FastifyInstance,
  config: Config,
  dispatch: DispatchOptions,
  options: AlertLoopOptions = {},
): void {
  const o = { ...dispatch, ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}) };
  const deliveries = new Housekeeping({
    purge: async () => {
      await fanOut(o);
      await deliverDue(o);
    },
    intervalMs: options.everyMs ?? 5000,
    onError: logError(app, 'alert delivery round failed'),
  });
  const stale = new Housekeeping({
    purge: () => checkStaleRegistrations(dispatch.db, config.alerts.staleHours, dispatch.now()),
    intervalMs: options.staleEveryMs ?? config.alerts.staleCheckMinutes * 60_000,
    onError: logError(app, 'stale-registration check failed'),
  });
  deliveries.start();
  stale.start();
  app.addHook('onClose', async () => {
    await deliveries.stop();
    await stale.stop();
  });
}
