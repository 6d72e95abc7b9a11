// Login throttling that stops a guesser without locking out the office behind the same address or
// the account's real user: every attempt takes a reservation on its counters BEFORE the password
// is checked, so N parallel guesses cost N attempts.
import { isIPv4, isIPv6 } from 'node:net';
import type { Kysely } from 'kysely';
import { writeAudit } from '../audit.ts';
import type { Database } from '../db/schema.ts';
import { HttpError } from './errors.ts';
import {
  ThrottleStore,
  type BlockedKey,
  type PurgeCaps,
  type PurgeCounts,
  type Taken,
  type ThrottleRule,
} from './throttle-store.ts';

export type { ThrottleRule } from './throttle-store.ts';

export interface ThrottleLimits {
  /** One account from one source. */
  pair: ThrottleRule;
  /** One account from all the sources it has not logged in from recently. */
  name: ThrottleRule;
  /** One source across the accounts that have not logged in from it recently. */
  source: ThrottleRule;
  /** A successful login makes its source known for that account for this long. */
  knownSourceDays: number;
  /** At most one audit row per blocked counter in this many seconds. */
  auditEverySeconds: number;
}

/**
 * 5 failures per account and source in 5 minutes, then that pair is refused for 15 minutes. 20 per
 * account in 10 minutes from sources it never logged in from, then it is closed to new sources for
 * 10 minutes. 100 per source in 5 minutes for accounts that never logged in from it, then that
 * source is refused for them for 15 minutes. A source is known for 30 days after a login.
 */
export const DEFAULT_THROTTLE: ThrottleLimits = {
  pair: { limit: 5, windowSeconds: 300, blockSeconds: 900 },
  name: { limit: 20, windowSeconds: 600, blockSeconds: 600 },
  source: { limit: 100, windowSeconds: 300, blockSeconds: 900 },
  knownSourceDays: 30,
  auditEverySeconds: 60,
};

/** Who is logging in: an agent's extension or an administrator's username. */
export interface LoginSubject {
  kind: 'extension' | 'admin';
  /** The extension number or the username as typed. */
  target: string;
}

type Limit = 'pair' | 'name' | 'source';

interface Counter {
  key: string;
  limit: Limit;
}

/** The account the counters and known sources are kept for; admin usernames ignore case. */
const accountOf = ({ kind, target }: LoginSubject): string =>
  kind === 'extension' ? `ext:${target}` : `admin:${target.toLowerCase()}`;

/**
 * Where an attempt comes from: an IPv4 address, or the /64 network of an IPv6 address (one
 * household or host gets a whole /64, so single IPv6 addresses are free to choose).
 */
export function sourceOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  const address = ip.split('%')[0] ?? ip;
  if (!isIPv6(address)) return ip.slice(0, 64);
  const groups = (part: string | undefined): string[] => (part ? part.split(':') : []);
  const [head, tail] = address.split('::');
  const front = groups(head);
  const back = groups(tail);
  const missing = tail === undefined ? 0 : 8 - front.length - back.length - (address.includes('.') ? 1 : 0);
  const full = [...front, ...Array<string>(missing).fill('0'), ...back];
  return `${full
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** "45 seconds", "15 minutes". */
function inWords(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${String(seconds)} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${String(minutes)} minutes`;
}

function refusalMessage(limit: Limit | null, subject: LoginSubject, retryAfter: number): string {
  const account = subject.kind === 'extension' ? 'this extension' : 'this username';
  // Nothing blocked: the limit's places are all held by attempts still being checked.
  if (limit === null) return `Too many logins for ${account} at the same moment. Try again in a moment.`;
  const wait = `Try again in ${inWords(retryAfter)}.`;
  if (limit === 'pair') return `Too many failed logins for ${account} from your network. ${wait}`;
  if (limit === 'name')
    return `Too many failed logins for ${account} from new places. ${wait} From a network where you have logged in before, you can log in now.`;
  return `Too many failed logins from your network. ${wait} Accounts that have logged in from this network before can log in now.`;
}

/** An attempt that holds its reservations; the caller reports whether its password was right. */
export class LoginAttempt {
  constructor(
    private readonly store: ThrottleStore,
    private readonly limits: ThrottleLimits,
    private readonly account: string,
    private readonly source: string,
    private readonly taken: readonly Counter[],
    private readonly now: Date,
  ) {}

  /** The password was right: the pair's failures are forgotten, the other counters get their attempt back, and the source becomes known. */
  async succeeded(): Promise<void> {
    const [pair, ...others] = this.taken;
    await Promise.all([
      pair ? this.store.reset(pair.key, this.now) : undefined,
      this.store.giveBack(others.map((c) => c.key)),
      this.store.remember(this.account, this.source, this.now),
    ]);
  }

  /** The password was wrong: the attempt stays counted, and a counter at its limit starts its block. */
  async failed(): Promise<void> {
    for (const counter of this.taken)
      await this.store.trip(counter.key, this.limits[counter.limit], this.now);
  }
}

/** Login throttling kept in the database, so several account-service instances share it. */
export class LoginThrottle {
  readonly store: ThrottleStore;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly limits: ThrottleLimits,
    private readonly now: () => Date,
  ) {
    this.store = new ThrottleStore(db);
  }

  /**
   * Takes one attempt for `subject` from `ip` before its password is checked. Throws 429 with
   * Retry-After (and writes a rate-limited audit row) when a limit refuses it.
   */
  async reserve(subject: LoginSubject, ip: string): Promise<LoginAttempt> {
    const now = this.now();
    const account = accountOf(subject);
    const source = sourceOf(ip);
    const pair: Counter = { key: `p:${account}@${source}`, limit: 'pair' };
    // The pair always counts (a blocked one refuses, unchanged); asked together, one round trip.
    const [known, pairTaken] = await Promise.all([
      this.store.isKnown(account, source, this.#knownSince(now)),
      this.store.take(pair.key, this.limits.pair, now),
    ]);
    // A source the account logged in from recently skips the name and source counters.
    const counters = known
      ? [pair]
      : [
          pair,
          { key: `n:${account}`, limit: 'name' as const },
          { key: `s:${source}`, limit: 'source' as const },
        ];
    const keys = counters.map((c) => c.key);
    const refuse = async (counter: Counter, taken: Taken) =>
      this.#refuse(subject, ip, counters, taken === 'busy', {
        refused:
          taken === 'busy'
            ? [await this.store.refuseBusy(counter.key, now)]
            : await this.store.refuseBlocked(keys, now),
        now,
      });
    if (pairTaken !== 'taken') return refuse(pair, pairTaken);
    const held: Counter[] = [pair];
    for (const counter of counters.slice(1)) {
      const taken = await this.store.take(counter.key, this.limits[counter.limit], now);
      if (taken !== 'taken') {
        await this.store.giveBack(held.map((c) => c.key));
        return refuse(counter, taken);
      }
      held.push(counter);
    }
    return new LoginAttempt(this.store, this.limits, account, source, held, now);
  }

  /** Deletes expired sessions, counters and known sources, and caps the throttle tables. */
  purge(caps: PurgeCaps): Promise<PurgeCounts> {
    const now = this.now();
    return this.store.purge(now, this.#knownSince(now), caps);
  }

  #knownSince(now: Date): Date {
    return new Date(now.getTime() - this.limits.knownSourceDays * 86_400_000);
  }

  /** 429 until the last of the refusals ends; each refusing counter is audited at most once per interval. */
  async #refuse(
    subject: LoginSubject,
    ip: string,
    counters: readonly Counter[],
    busy: boolean,
    { refused, now }: { refused: readonly BlockedKey[]; now: Date },
  ): Promise<never> {
    const limitOf = (key: string): Limit => counters.find((c) => c.key === key)?.limit ?? 'pair';
    const last = refused.reduce<BlockedKey | undefined>(
      (latest, b) => (!latest || b.blockedUntil > latest.blockedUntil ? b : latest),
      undefined,
    );
    const retryAfter = Math.max(1, Math.ceil(((last?.blockedUntil.getTime() ?? 0) - now.getTime()) / 1000));
    for (const b of refused) await this.#audit(subject, ip, limitOf(b.key), b, now);
    throw new HttpError(
      429,
      'too-many-attempts',
      refusalMessage(busy || !last ? null : limitOf(last.key), subject, retryAfter),
      { retryAfter },
    );
  }

  async #audit(subject: LoginSubject, ip: string, limit: Limit, b: BlockedKey, now: Date): Promise<void> {
    if (!(await this.store.claimAudit(b.key, now, this.limits.auditEverySeconds))) return;
    const agent = subject.kind === 'extension';
    const details = {
      limit,
      refusedSinceBlock: b.refused,
      blockedUntil: b.blockedUntil.toISOString(),
    };
    await writeAudit(
      this.db,
      {
        actor: agent ? `ext:${subject.target}` : `admin:${subject.target}`,
        action: agent ? 'login.throttled' : 'admin.login.throttled',
        target: subject.target,
        ip,
        details,
      },
      now,
    );
  }
}
