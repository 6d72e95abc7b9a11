// Login throttling over HTTP: atomic under parallel guesses, keyed so that a guesser is stopped but
// the office behind the same address and the account's real user are not; 429s audited; purge.
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { Housekeeping } from '../../server/api/housekeeping.ts';
import { DEFAULT_THROTTLE, LoginThrottle, sourceOf } from '../../server/api/throttle.ts';
import { ENGINES } from '../support/databases.ts';
import {
  ADMIN_PASSWORD,
  createTestAdmin,
  PASSWORD_1001,
  PASSWORD_1002,
  startApi,
  type ApiHarness,
} from '../support/api-harness.ts';

const A = '203.0.113.10';
const B = '198.51.100.20';
const OFFICE = '192.0.2.50';

const agentLogin = (h: ApiHarness, extension: string, password: string, ip: string) =>
  h.app.inject({
    method: 'POST',
    url: '/api/v1/sessions',
    payload: { extension, password },
    remoteAddress: ip,
  });

const adminLogin = (h: ApiHarness, username: string, password: string, ip: string) =>
  h.app.inject({
    method: 'POST',
    url: '/api/v1/admin/sessions',
    payload: { username, password },
    remoteAddress: ip,
  });

/** How many responses had each status, e.g. { 401: 5, 429: 295 }. */
async function statuses(responses: Promise<{ statusCode: number }>[]): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  for (const res of await Promise.all(responses)) counts[res.statusCode] = (counts[res.statusCode] ?? 0) + 1;
  return counts;
}

const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

const auditRows = (h: ApiHarness, action: string) =>
  h.database.db.kysely
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .orderBy('at')
    .execute();

const details = (json = '{}') => JSON.parse(json) as { limit?: string; refusedSinceBlock?: number };

type Refusal = { error: string; message: string; retryAfter: number };

for (const engine of ENGINES) {
  describe(`login throttle on ${engine}`, { timeout: 120_000 }, () => {
    let h: ApiHarness;
    beforeEach(async () => {
      h = await startApi(engine);
    });
    afterEach(() => h.close());

    test('parallel logins with the right password never start a block', async () => {
      // A CRM restoring many tabs at once: more logins in flight than the pair's 5 places.
      const burst = await Promise.all(times(12, () => agentLogin(h, '1001', PASSWORD_1001, A)));
      for (const res of burst) {
        assert.ok(res.statusCode === 201 || res.statusCode === 429, res.body);
        if (res.statusCode === 429) {
          assert.equal(res.headers['retry-after'], '1', 'only a moment: nothing is blocked');
          assert.match(res.json<Refusal>().message, /at the same moment/);
        }
      }
      assert.ok(burst.some((res) => res.statusCode === 201));
      assert.equal((await agentLogin(h, '1001', PASSWORD_1001, A)).statusCode, 201, 'not blocked');
    });

    test('300 parallel wrong passwords for one extension from one address: only 5 are checked', async () => {
      assert.equal((await agentLogin(h, '1001', PASSWORD_1001, B)).statusCode, 201, 'B becomes known');
      const counts = await statuses(times(300, (i) => agentLogin(h, '1001', `guess-${i}`, A)));
      assert.deepEqual(counts, { 401: 5, 429: 295 });
      const failed = await auditRows(h, 'login.failed');
      assert.equal(failed.length, 5, 'exactly 5 passwords were checked');

      const right = await agentLogin(h, '1001', PASSWORD_1001, A);
      assert.equal(right.statusCode, 429, 'the guesser address stays refused, even with the password');
      assert.equal(right.headers['retry-after'], '900');
      assert.equal((await agentLogin(h, '1001', PASSWORD_1001, B)).statusCode, 201, 'known address works');
      assert.equal(
        (await agentLogin(h, '1001', PASSWORD_1001, '198.51.100.99')).statusCode,
        201,
        'one guesser alone does not close the extension to new places',
      );
    });

    test('100 parallel admin guesses: only 5 reach argon2', async () => {
      const carol = await createTestAdmin(h, 'admin', 'carol');
      const counts = await statuses(times(100, (i) => adminLogin(h, carol, `guess-${i}`, A)));
      assert.deepEqual(counts, { 401: 5, 429: 95 });
      assert.equal((await auditRows(h, 'admin.login.failed')).length, 5);
      const blocked = await adminLogin(h, 'CAROL', ADMIN_PASSWORD, A);
      assert.equal(blocked.statusCode, 429, 'usernames ignore case');
      const body = blocked.json<Refusal & { retryAfterSeconds: number }>();
      assert.equal(body.retryAfterSeconds, body.retryAfter);
      assert.equal((await adminLogin(h, carol, ADMIN_PASSWORD, B)).statusCode, 201);
    });

    test('a blocked pair says when to retry in plain words, and the password works right then', async () => {
      for (let i = 0; i < 5; i += 1) assert.equal((await agentLogin(h, '1001', `w-${i}`, A)).statusCode, 401);
      const first = await agentLogin(h, '1001', 'w-6', A);
      assert.equal(first.statusCode, 429);
      assert.deepEqual(first.json(), {
        error: 'too-many-attempts',
        message: 'Too many failed logins for this extension from your network. Try again in 15 minutes.',
        retryAfter: 900,
      });
      assert.equal(first.headers['retry-after'], '900');
      assert.equal((await agentLogin(h, '1002', PASSWORD_1002, A)).statusCode, 201, 'a colleague there');
      h.clock.advance(899);
      const later = await agentLogin(h, '1001', PASSWORD_1001, A);
      assert.equal(later.headers['retry-after'], '1');
      assert.match(later.json<Refusal>().message, /Try again in 1 second\./);
      h.clock.advance(1);
      assert.equal((await agentLogin(h, '1001', PASSWORD_1001, A)).statusCode, 201);
    });

    test('a successful login forgets the failures of that extension from that address', async () => {
      for (let i = 0; i < 4; i += 1) await agentLogin(h, '1001', `typo-${i}`, A);
      assert.equal((await agentLogin(h, '1001', PASSWORD_1001, A)).statusCode, 201);
      const counts = await statuses(times(5, (i) => agentLogin(h, '1001', `typo-again-${i}`, A)));
      assert.deepEqual(counts, { 401: 5 });
    });

    test('an office behind one address: 101 failures over many extensions do not lock out a colleague', async () => {
      assert.equal((await agentLogin(h, '1002', PASSWORD_1002, OFFICE)).statusCode, 201);
      const counts = await statuses(times(101, (i) => agentLogin(h, String(2000 + i), 'a-guess', OFFICE)));
      assert.deepEqual(counts, { 401: 100, 429: 1 });
      assert.equal(
        (await agentLogin(h, '1002', PASSWORD_1002, OFFICE)).statusCode,
        201,
        'the colleague who logged in here before still can',
      );
      const stranger = await agentLogin(h, '1001', PASSWORD_1001, OFFICE);
      assert.equal(stranger.statusCode, 429, 'an extension never used here is refused meanwhile');
      assert.equal(stranger.json<Refusal>().retryAfter, 900);
      assert.match(stranger.json<Refusal>().message, /^Too many failed logins from your network\./);
      assert.equal((await agentLogin(h, '1001', PASSWORD_1001, A)).statusCode, 201, 'elsewhere it works');
    });

    test('guesses for one extension do not lock its user out from an address it logged in from', async () => {
      assert.equal((await agentLogin(h, '1001', PASSWORD_1001, B)).statusCode, 201);
      for (let i = 0; i < 8; i += 1) await agentLogin(h, '1001', `w-${i}`, A);
      assert.equal((await agentLogin(h, '1001', PASSWORD_1001, A)).statusCode, 429);
      assert.equal((await agentLogin(h, '1001', PASSWORD_1001, B)).statusCode, 201);
    });

    test('20 failures from new places close the extension to new places only, for 10 minutes', async () => {
      assert.equal((await agentLogin(h, '1001', PASSWORD_1001, B)).statusCode, 201);
      const spread = await statuses(times(20, (i) => agentLogin(h, '1001', 'guess', `10.0.0.${i + 1}`)));
      assert.deepEqual(spread, { 401: 20 });
      const newPlace = await agentLogin(h, '1001', PASSWORD_1001, '10.0.1.1');
      assert.equal(newPlace.statusCode, 429);
      assert.equal(newPlace.json<Refusal>().retryAfter, 600);
      assert.match(newPlace.json<Refusal>().message, /from new places\. Try again in 10 minutes\./);
      assert.equal((await agentLogin(h, '1001', PASSWORD_1001, B)).statusCode, 201, 'known address');
      assert.equal(
        (await agentLogin(h, '1002', PASSWORD_1002, '10.0.1.1')).statusCode,
        201,
        'other extension',
      );
      h.clock.advance(600);
      assert.equal((await agentLogin(h, '1001', PASSWORD_1001, '10.0.1.1')).statusCode, 201);
    });

    test('Retry-After names the last block when several apply', async () => {
      // The office address is refused for unknown extensions for 15 minutes…
      await statuses(times(101, (i) => agentLogin(h, String(3000 + i), 'x', OFFICE)));
      h.clock.advance(400);
      // …and 1001 is closed to new places 400 s later, for 10 minutes: that block ends last.
      await statuses(times(21, (i) => agentLogin(h, '1001', 'guess', `10.0.2.${i + 1}`)));
      const res = await agentLogin(h, '1001', PASSWORD_1001, OFFICE);
      assert.equal(res.statusCode, 429);
      assert.equal(res.headers['retry-after'], '600');
      h.clock.advance(500);
      const still = await agentLogin(h, '1001', PASSWORD_1001, OFFICE);
      assert.equal(still.headers['retry-after'], '100', 'the address is free again, the extension not yet');
      h.clock.advance(100);
      assert.equal((await agentLogin(h, '1001', PASSWORD_1001, OFFICE)).statusCode, 201);
    });

    test('refused attempts are audited without the password, once per blocked counter per minute', async () => {
      await statuses(times(50, (i) => agentLogin(h, '1001', `secret-guess-${i}`, A)));
      let rows = await auditRows(h, 'login.throttled');
      assert.equal(rows.length, 1, '45 refusals in the same minute: one row');
      const [row] = rows;
      assert.ok(row);
      assert.deepEqual(
        { actor: row.actor, target: row.target, ip: row.ip },
        { actor: 'ext:1001', target: '1001', ip: A },
      );
      assert.equal(details(row.details).limit, 'pair');
      h.clock.advance(30);
      await agentLogin(h, '1001', 'secret-guess-x', A);
      assert.equal((await auditRows(h, 'login.throttled')).length, 1);
      h.clock.advance(30);
      await agentLogin(h, '1001', 'secret-guess-y', A);
      rows = await auditRows(h, 'login.throttled');
      assert.equal(rows.length, 2, 'a minute later, the next refusal is audited');
      assert.equal(details(rows[1]?.details).refusedSinceBlock, 47);
      await statuses(times(7, (i) => adminLogin(h, 'dave', `admin-guess-${i}`, A)));
      const admin = await auditRows(h, 'admin.login.throttled');
      assert.equal(admin.length, 1);
      assert.equal(admin[0]?.actor, 'admin:dave');
      const dump = JSON.stringify(await h.database.db.kysely.selectFrom('audit_log').selectAll().execute());
      assert.ok(!dump.includes('guess'), 'no password in the audit log');
    });

    test('purge deletes expired sessions, spent counters and old known sources', async () => {
      const db = h.database.db.kysely;
      const throttle = new LoginThrottle(db, DEFAULT_THROTTLE, h.clock.now);
      const caps = { throttleRows: 1000, knownSources: 1000 };
      assert.equal((await agentLogin(h, '1001', PASSWORD_1001, A)).statusCode, 201);
      await agentLogin(h, '1002', 'wrong', A);
      const count = async () => ({
        sessions: (await db.selectFrom('sessions').select('token_hash').execute()).length,
        throttle: (await db.selectFrom('login_throttle').select('key').execute()).length,
        known: (await db.selectFrom('login_known_sources').select('name').execute()).length,
      });
      assert.deepEqual(await count(), { sessions: 1, throttle: 5, known: 1 });
      h.clock.advance(599);
      await throttle.purge(caps);
      assert.deepEqual(
        await count(),
        { sessions: 1, throttle: 2, known: 1 },
        'the 10-minute windows are left',
      );
      h.clock.advance(1);
      await throttle.purge(caps);
      assert.deepEqual(await count(), { sessions: 1, throttle: 0, known: 1 });
      h.clock.advance(12 * 3600);
      await throttle.purge(caps);
      assert.deepEqual(await count(), { sessions: 0, throttle: 0, known: 1 });
      h.clock.advance(30 * 86_400);
      await throttle.purge(caps);
      assert.deepEqual(await count(), { sessions: 0, throttle: 0, known: 0 });
    });

    test('purge keeps the throttle tables bounded: the newest rows stay', async () => {
      const db = h.database.db.kysely;
      const throttle = new LoginThrottle(db, DEFAULT_THROTTLE, h.clock.now);
      for (let i = 0; i < 12; i += 1) {
        await throttle.store.take(
          `p:made-up-${String(i).padStart(2, '0')}`,
          DEFAULT_THROTTLE.pair,
          h.clock.now(),
        );
        await throttle.store.remember(`ext:${i}`, `10.9.0.${i}`, h.clock.now());
        if (i % 4 === 3) h.clock.advance(1);
      }
      const counts = await throttle.purge({ throttleRows: 5, knownSources: 3 });
      assert.deepEqual(counts, { sessions: 0, throttle: 7, knownSources: 9 });
      const keys = (await db.selectFrom('login_throttle').select('key').orderBy('key').execute()).map(
        (r) => r.key,
      );
      assert.deepEqual(keys, [
        'p:made-up-07',
        'p:made-up-08',
        'p:made-up-09',
        'p:made-up-10',
        'p:made-up-11',
      ]);
      const known = await db.selectFrom('login_known_sources').select('name').orderBy('name').execute();
      assert.deepEqual(
        known.map((r) => r.name),
        ['ext:11', 'ext:8', 'ext:9'],
      );
    });

    test('the housekeeping timer purges by itself', async () => {
      await h.database.db.kysely
        .insertInto('sessions')
        .values({
          token_hash: 'expired',
          subject_type: 'agent',
          subject: '1001',
          created_at: '2026-01-01T00:00:00.000Z',
          expires_at: '2026-01-01T12:00:00.000Z',
          ip: A,
        })
        .execute();
      const events = new EventEmitter();
      const throttle = new LoginThrottle(h.database.db.kysely, DEFAULT_THROTTLE, h.clock.now);
      const housekeeping = new Housekeeping({
        purge: () => throttle.purge({ throttleRows: 10, knownSources: 10 }),
        intervalMs: 10,
        onPurged: (counts) => events.emit('purged', counts),
      });
      // The purge timer is unref'd (it never keeps a process alive): hold the loop open meanwhile.
      const holdOpen = setTimeout(() => undefined, 30_000);
      housekeeping.start();
      const [counts] = (await once(events, 'purged')) as [{ sessions: number }];
      await housekeeping.stop();
      clearTimeout(holdOpen);
      assert.equal(counts.sessions, 1);
    });
  });
}

describe('the source of an attempt', () => {
  test('is the IPv4 address, also when mapped into IPv6', () => {
    assert.equal(sourceOf('203.0.113.7'), '203.0.113.7');
    assert.equal(sourceOf('::ffff:203.0.113.7'), '203.0.113.7');
  });

  test('is the /64 network of an IPv6 address, however it is written', () => {
    assert.equal(sourceOf('2001:db8:1:2:aaaa:bbbb:cccc:dddd'), '2001:db8:1:2::/64');
    assert.equal(sourceOf('2001:0db8:0001:0002::1'), '2001:db8:1:2::/64');
    assert.equal(sourceOf('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(sourceOf('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(sourceOf('::1'), '0:0:0:0::/64');
    assert.equal(sourceOf('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
  });
});
