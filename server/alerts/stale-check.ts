// The nightly-style check the console only showed on request: every enabled extension whose devices
// have not registered for `hours` (or never did, `hours` after it was created) raises one
// `registration.stale` alert per silence: not again until it has registered and gone quiet again.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { raiseAlert } from './events.ts';

export async function checkStaleRegistrations(
  db: Kysely<Database>,
  hours: number,
  now: Date,
): Promise<number> {
  const cutoff = new Date(now.getTime() - hours * 3_600_000).toISOString();
  const stale = await db
    .selectFrom('extensions')
    .leftJoin('stale_alerts', 'stale_alerts.number', 'extensions.number')
    .select([
      'extensions.number as number',
      'extensions.name as name',
      'extensions.last_registered_at as last',
      'stale_alerts.number as alerted',
      'stale_alerts.last_registered_at as alertedLast',
    ])
    .where('extensions.enabled', '=', 1)
    .where((eb) =>
      eb.or([
        eb('extensions.last_registered_at', '<', cutoff),
        eb.and([eb('extensions.last_registered_at', 'is', null), eb('extensions.created_at', '<', cutoff)]),
      ]),
    )
    .execute();
  let raised = 0;
  for (const row of stale) {
    // Alerted already for this very silence (same last registration): once is enough.
    if (row.alerted !== null && row.alertedLast === row.last) continue;
    await raiseAlert(
      db,
      'registration.stale',
      row.number,
      { name: row.name, lastRegisteredAt: row.last, hours },
      now,
    );
    const mark = { last_registered_at: row.last, alerted_at: now.toISOString() };
    await db
      .insertInto('stale_alerts')
      .values({ number: row.number, ...mark })
      .onConflict((oc) => oc.column('number').doUpdateSet(mark))
      .execute();
    raised += 1;
  }
  return raised;
}
