// The login throttle's counters and known sources in the database, so several account-service
// instances share them. Every counter change is one statement, atomic on SQLite and PostgreSQL.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** How many attempts one counter allows, and for how long it refuses once they are used up. */
export interface ThrottleRule {
  /** Attempts allowed per window; the next one is refused and starts a block. */
  limit: number;
  windowSeconds: number;
  /** Refused for this long once the limit is passed (at least the window, so a block ends the window). */
  blockSeconds: number;
}

/** A counter that is refusing attempts now. */
export interface BlockedKey {
  key: string;
  blockedUntil: Date;
  /** Attempts refused since this block began, this one included. */
  refused: number;
}

/** Before any time: the value of "blocked until" and "audited until" when there is none. */
const NEVER = new Date(0).toISOString();

const iso = (at: Date, plusSeconds = 0): string => new Date(at.getTime() + plusSeconds * 1000).toISOString();
const col = (name: keyof Database['login_throttle']) => sql.ref(`login_throttle.${name}`);

/**
 * The new values of a counter row that already exists, when one more attempt arrives at `now`:
 * unchanged while blocked; a new window once the old one is over; otherwise one more. Taking a
 * place never starts a block (the attempt may be the right password): `trip` does, after a failure.
 */
function nextCounter(rule: ThrottleRule, now: Date) {
  const at = iso(now);
  const blocked = sql`${col('blocked_until')} > ${at}`;
  const fresh = sql`${col('window_until')} <= ${at}`;
  // A new window is a new episode: its refusals are counted and audited afresh.
  const freshUnlessBlocked = <T>(value: string | number, column: 'refused' | 'audited_until') =>
    sql<T>`case when not (${blocked}) and ${fresh} then ${value} else ${col(column)} end`;
  return {
    attempts: sql<number>`case when ${blocked} then ${col('attempts')} when ${fresh} then 1 else ${col('attempts')} + 1 end`,
    window_until: sql<string>`case when ${blocked} or not (${fresh}) then ${col('window_until')} else ${iso(now, rule.windowSeconds)} end`,
    refused: freshUnlessBlocked<number>(0, 'refused'),
    audited_until: freshUnlessBlocked<string>(NEVER, 'audited_until'),
    last_at: at,
  };
}

/** What taking a place on a counter came to. */
export type Taken = 'taken' | 'blocked' | 'busy';

/** A refusal because every place is held by an attempt still being checked lasts this long. */
export const BUSY_RETRY_SECONDS = 1;

/** The capped tables' columns, time first: the order in which rows are kept. */
const NEWEST_FIRST = {
  login_throttle: ['last_at', 'key'],
  login_known_sources: ['last_success_at', 'name', 'source'],
} as const;

/** How many rows each purge step removed. */
export interface PurgeCounts {
  sessions: number;
  throttle: number;
  knownSources: number;
}

/** Rows beyond these caps are dropped, oldest first, after the expired ones. */
export interface PurgeCaps {
  throttleRows: number;
  knownSources: number;
}

export class ThrottleStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Takes one place on `key` (creating its counter) in a single upsert: `taken` within the limit,
   * `blocked` while blocked, `busy` beyond the limit while no block runs (other attempts are still
   * being checked): a busy place must be handed to `refuseBusy`, which gives it back.
   */
  async take(key: string, rule: ThrottleRule, now: Date): Promise<Taken> {
    const row = await this.db
      .insertInto('login_throttle')
      .values({
        key,
        attempts: 1,
        window_until: iso(now, rule.windowSeconds),
        blocked_until: NEVER,
        refused: 0,
        audited_until: NEVER,
        last_at: iso(now),
      })
      .onConflict((oc) => oc.column('key').doUpdateSet(nextCounter(rule, now)))
      .returning(['blocked_until', 'attempts'])
      .executeTakeFirstOrThrow();
    if (Date.parse(row.blocked_until) > now.getTime()) return 'blocked';
    return row.attempts <= rule.limit ? 'taken' : 'busy';
  }

  /** Gives a busy place back and counts the refusal; refused "until" the moment to try again. */
  async refuseBusy(key: string, now: Date): Promise<BlockedKey> {
    const row = await this.db
      .updateTable('login_throttle')
      .set({
        attempts: sql<number>`case when ${col('attempts')} > 0 then ${col('attempts')} - 1 else 0 end`,
        refused: sql<number>`${col('refused')} + 1`,
      })
      .where('key', '=', key)
      .returning(['key', 'refused'])
      .executeTakeFirstOrThrow();
    return {
      key: row.key,
      blockedUntil: new Date(now.getTime() + BUSY_RETRY_SECONDS * 1000),
      refused: row.refused,
    };
  }

  /**
   * After a failed attempt: blocks `key` for `rule.blockSeconds` once its failures reach the limit.
   * The places still held count: they are failures until they give themselves back.
   */
  async trip(key: string, rule: ThrottleRule, now: Date): Promise<void> {
    await this.db
      .updateTable('login_throttle')
      .set({ blocked_until: iso(now, rule.blockSeconds) })
      .where('key', '=', key)
      .where('attempts', '>=', rule.limit)
      .where('window_until', '>', iso(now))
      .where('blocked_until', '<=', iso(now))
      .execute();
  }

  /** Which of `keys` refuse attempts now; each of them counts this refusal. Writes nothing otherwise. */
  async refuseBlocked(keys: readonly string[], now: Date): Promise<BlockedKey[]> {
    const rows = await this.db
      .updateTable('login_throttle')
      .set({ refused: sql<number>`${col('refused')} + 1`, last_at: iso(now) })
      .where('key', 'in', keys)
      .where('blocked_until', '>', iso(now))
      .returning(['key', 'blocked_until', 'refused'])
      .execute();
    return rows.map((r) => ({ key: r.key, blockedUntil: new Date(r.blocked_until), refused: r.refused }));
  }

  /** Gives back one attempt on each key (taken for an attempt that was refused elsewhere, or that succeeded). */
  async giveBack(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db
      .updateTable('login_throttle')
      .set({ attempts: sql<number>`case when ${col('attempts')} > 0 then ${col('attempts')} - 1 else 0 end` })
      .where('key', 'in', keys)
      .execute();
  }

  /** Forgets the attempts on `key`, but not a block that started meanwhile. */
  async reset(key: string, now: Date): Promise<void> {
    await this.db
      .updateTable('login_throttle')
      .set({ attempts: 0 })
      .where('key', '=', key)
      .where('blocked_until', '<=', iso(now))
      .execute();
  }

  /** True for exactly one caller per `everySeconds` while `key` is blocked: that caller writes the audit row. */
  async claimAudit(key: string, now: Date, everySeconds: number): Promise<boolean> {
    const result = await this.db
      .updateTable('login_throttle')
      .set({ audited_until: iso(now, everySeconds) })
      .where('key', '=', key)
      .where('audited_until', '<=', iso(now))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Whether `name` logged in successfully from `source` after `since`. */
  async isKnown(name: string, source: string, since: Date): Promise<boolean> {
    const row = await this.db
      .selectFrom('login_known_sources')
      .select('name')
      .where('name', '=', name)
      .where('source', '=', source)
      .where('last_success_at', '>', iso(since))
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Records a successful login of `name` from `source`. */
  async remember(name: string, source: string, now: Date): Promise<void> {
    const last_success_at = iso(now);
    await this.db
      .insertInto('login_known_sources')
      .values({ name, source, last_success_at })
      .onConflict((oc) => oc.columns(['name', 'source']).doUpdateSet({ last_success_at }))
      .execute();
  }

  /**
   * Deletes expired sessions, counters that neither count nor block any more, and known sources
   * older than `knownSince`; then keeps only the newest `caps` rows of the two throttle tables.
   */
  async purge(now: Date, knownSince: Date, caps: PurgeCaps): Promise<PurgeCounts> {
    const at = iso(now);
    const sessions = await this.db.deleteFrom('sessions').where('expires_at', '<=', at).executeTakeFirst();
    const throttle = await this.db
      .deleteFrom('login_throttle')
      .where('window_until', '<=', at)
      .where('blocked_until', '<=', at)
      .executeTakeFirst();
    const known = await this.db
      .deleteFrom('login_known_sources')
      .where('last_success_at', '<=', iso(knownSince))
      .executeTakeFirst();
    return {
      sessions: Number(sessions.numDeletedRows),
      throttle:
        Number(throttle.numDeletedRows) + (await this.#keepNewest('login_throttle', caps.throttleRows)),
      knownSources:
        Number(known.numDeletedRows) + (await this.#keepNewest('login_known_sources', caps.knownSources)),
    };
  }

  /** Deletes all but the `cap` newest rows of `table` (newest by time, ties by key); returns how many. */
  async #keepNewest(table: keyof typeof NEWEST_FIRST, cap: number): Promise<number> {
    const columns = NEWEST_FIRST[table].map((c) => sql.ref(c));
    const list = sql.join(columns);
    const order = sql.join(columns.map((c) => sql`${c} desc`));
    const cutoff = await sql<
      Record<string, string>
    >`select ${list} from ${sql.table(table)} order by ${order} limit 1 offset ${cap}`.execute(this.db);
    const first = cutoff.rows[0];
    if (!first) return 0;
    const values = sql.join(NEWEST_FIRST[table].map((c) => first[c]));
    const result = await sql`delete from ${sql.table(table)} where (${list}) <= (${values})`.execute(this.db);
    return Number(result.numAffectedRows ?? 0n);
  }
}
