import type { Core } from '../services.ts';
import { createExtension } from '../extensions/repository.ts';

/** The demo extensions `npm start` creates on an empty database. */
const DEMO = [
  { number: '1001', name: 'Demo Agent (dials out)', manualDialing: true, callRecording: true },
  { number: '1002', name: 'Demo Agent (incoming only)', manualDialing: false, callRecording: false },
] as const;

/**
 * Creates the demo extensions when there are no extensions at all; returns their generated
 * passwords so the caller can print them once (they are stored only as HA1 and sealed copies).
 */
export async function seedDemoExtensions(
  core: Core,
): Promise<{ number: string; name: string; password: string }[]> {
  const existing = await core.db.kysely
    .selectFrom('extensions')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) return [];
  const created = [];
  for (const demo of DEMO) {
    const { extension, password } = await createExtension(core.db.kysely, core.credentials, demo);
    created.push({ number: extension.number, name: extension.name, password });
  }
  return created;
}
