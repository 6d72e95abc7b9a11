// Password rotation: the admin list filters extensions whose password was last set more than N
// days ago, on both engines; a bad number of days is refused in words.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminHeaders, startApi, type ApiHarness } from '../support/api-harness.ts';
import { ENGINES } from '../support/databases.ts';

const DAY = 86_400_000;

for (const engine of ENGINES) {
  describe(`passwords due for rotation on ${engine}`, () => {
    let h: ApiHarness;
    let headers: { authorization: string };
    before(async () => {
      h = await startApi(engine);
      headers = await adminHeaders(h, 'viewer');
      const changed = (number: string, daysAgo: number) =>
        h.database.db.kysely
          .updateTable('extensions')
          .set({ password_changed_at: new Date(h.clock.ms - daysAgo * DAY).toISOString() })
          .where('number', '=', number)
          .execute();
      await changed('1001', 200);
      await changed('1002', 10);
      await changed('1003', 181);
    });
    after(() => h.close());

    const numbers = async (query: string) => {
      const res = await h.app.inject({ url: `/api/v1/admin/extensions?${query}`, headers });
      assert.equal(res.statusCode, 200, res.body);
      return res.json<{ items: { number: string; passwordChangedAt: string }[]; total: number }>();
    };

    test('passwordAge (days) lists only the passwords set longer ago, with their age shown', async () => {
      const due = await numbers('passwordAge=180');
      assert.deepEqual(
        due.items.map((e) => e.number),
        ['1001', '1003'],
      );
      assert.equal(due.total, 2);
      assert.equal(due.items[0]?.passwordChangedAt, new Date(h.clock.ms - 200 * DAY).toISOString());
      assert.deepEqual(
        (await numbers('passwordAge=190')).items.map((e) => e.number),
        ['1001'],
      );
      assert.equal((await numbers('')).total, 3);
    });

    test('a bad number of days is a 400 in words', async () => {
      const cases: [string, string][] = [
        ['0', 'Password age is at least 1 day'],
        ['abc', 'Password age is a number of days'],
        ['1.5', 'Password age is a whole number of days'],
      ];
      for (const [value, message] of cases) {
        const res = await h.app.inject({
          url: `/api/v1/admin/extensions?passwordAge=${value}`,
          headers,
        });
        assert.equal(res.statusCode, 400);
        assert.match(res.json<{ message: string }>().message, new RegExp(message));
      }
    });
  });
}
