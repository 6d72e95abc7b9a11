import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { HttpError } from './errors.ts';

/** Limits for one kind of key (an extension, or a client IP). */
export interface ThrottleRule {
  /** Failures allowed before the first block. */
  freeFailures: number;
  /** First block in seconds; each further failure doubles it… */
  baseBlockSeconds: number;
  /** …up to this. */
  maxBlockSeconds: number;
  /** Failures older than this are forgotten. */
  windowSeconds: number;
}

export interface ThrottleLimits {
  extension: ThrottleRule;
  ip: ThrottleRule;
}

/**
 * Per extension: 5 free tries, then 1 s, 2 s, 4 s … up to 15 minutes. Per IP: 100 free tries in
 * 15 minutes — one office behind NAT shares an IP, so one agent's typos must not lock out the rest.
 */
export const DEFAULT_THROTTLE: ThrottleLimits = {
  extension: { freeFailures: 5, baseBlockSeconds: 1, maxBlockSeconds: 900, windowSeconds: 900 },
  ip: { freeFailures: 100, baseBlockSeconds: 60, maxBlockSeconds: 900, windowSeconds: 900 },
};

const iso = (ms: number): string => new Date(ms).toISOString();

/** Login throttling kept in the database, so several account-service instances share it. */
export class LoginThrottle {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly limits: ThrottleLimits,
    private readonly now: () => Date,
  ) {}

  /** Throws 429 with Retry-After when either key is blocked now. */
  async check(extension: string, ip: string): Promise<void> {
    const keys = [`ext:${extension}`, `ip:${ip}`];
    const rows = await this.db.selectFrom('login_throttle').selectAll().where('key', 'in', keys).execute();
    const now = this.now().getTime();
    const until = Math.max(0, ...rows.map((r) => Date.parse(r.blocked_until)));
    if (until > now) {
      const retryAfter = Math.ceil((until - now) / 1000);
      throw new HttpError(
        429,
        'too-many-attempts',
        `Too many attempts. Try again in ${retryAfter} seconds.`,
        {
          retryAfter,
        },
      );
    }
  }

  /** Counts a failed login against the extension and the IP. */
  async fail(extension: string, ip: string): Promise<void> {
    await this.#count(`ext:${extension}`, this.limits.extension);
    await this.#count(`ip:${ip}`, this.limits.ip);
  }

  /** A successful login clears the extension's counter (not the IP's). */
  async succeed(extension: string): Promise<void> {
    await this.db.deleteFrom('login_throttle').where('key', '=', `ext:${extension}`).execute();
  }

  async #count(key: string, rule: ThrottleRule): Promise<void> {
    const now = this.now().getTime();
    const row = await this.db
      .selectFrom('login_throttle')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst();
    const stale = !row || now - Date.parse(row.last_failure_at) > rule.windowSeconds * 1000;
    const failures = stale ? 1 : row.failures + 1;
    const over = failures - rule.freeFailures;
    const blockSeconds =
      over > 0 ? Math.min(rule.maxBlockSeconds, rule.baseBlockSeconds * 2 ** (over - 1)) : 0;
    const values = { failures, last_failure_at: iso(now), blocked_until: iso(now + blockSeconds * 1000) };
    await this.db
      .insertInto('login_throttle')
      .values({ key, ...values })
      .onConflict((oc) => oc.column('key').doUpdateSet(values))
      .execute();
  }
}
