import { setupWorker, type SetupWorker } from 'msw/browser';
import { scenario, type ScenarioName } from './scenarios.ts';

let worker: SetupWorker | undefined;

/** Starts msw once per test file and switches it to `name`'s handlers. */
export async function useScenario(name: ScenarioName): Promise<SetupWorker> {
  if (!worker) {
    worker = setupWorker();
    await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
  }
  worker.resetHandlers(...scenario(name));
  return worker;
}
