// Admin API, disabling under concurrency: enable/disable need no If-Match, so nothing racing them
// (other disables, a new secret, an edit with If-Match) may make them fail or undo them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AdminExtension } from '../../server/api/routes/admin/schemas.ts';
import { call, EXTENSIONS, readOne, type Headers } from '../support/admin-api.ts';
import { adminHeaders, startApi, type ApiHarness } from '../support/api-harness.ts';
import { ENGINES } from '../support/databases.ts';

const ROUNDS = 10;

for (const engine of ENGINES)
  describe(`disabling under concurrency on ${engine}`, { timeout: 60_000 }, () => {
    let h: ApiHarness;
    let admin: Headers;
    let next = 7000;

    /** A new enabled extension of its own for one round. */
    const fresh = async (): Promise<string> => {
      const number = String((next += 1));
      const res = await call(h, 'POST', EXTENSIONS, admin, { number, name: `Race ${number}` });
      assert.equal(res.statusCode, 201, res.body);
      return number;
    };
    const disable = (number: string) => call(h, 'POST', `${EXTENSIONS}/${number}/disable`, admin);

    /** The stored row says disabled, and its devices were kicked. */
    const assertShutOut = async (number: string) => {
      assert.equal((await readOne(h, number, admin)).body.enabled, false, `${number} is disabled`);
      assert.ok(h.registrar.kicked.includes(number), `${number} was kicked`);
    };

    before(async () => {
      h = await startApi(engine);
      admin = await adminHeaders(h, 'admin');
    });
    after(() => h.close());

    test('10 parallel disables of one extension all answer 200 and leave it disabled', async () => {
      const number = await fresh();
      const answers = await Promise.all(Array.from({ length: 10 }, () => disable(number)));
      assert.deepEqual(
        answers.map((res) => res.statusCode),
        Array.from({ length: 10 }, () => 200),
        answers.map((res) => res.body).join('\n'),
      );
      for (const res of answers) assert.equal(res.json<AdminExtension>().enabled, false);
      await assertShutOut(number);
    });

    test('10 parallel enables after a disable all answer 200 and leave it enabled', async () => {
      const number = await fresh();
      assert.equal((await disable(number)).statusCode, 200);
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => call(h, 'POST', `${EXTENSIONS}/${number}/enable`, admin)),
      );
      assert.deepEqual(
        answers.map((res) => res.statusCode),
        Array.from({ length: 10 }, () => 200),
      );
      assert.equal((await readOne(h, number, admin)).body.enabled, true);
    });

    test('a disable racing a regenerated secret wins: disabled in the end, and kicked', async () => {
      for (let round = 0; round < ROUNDS; round += 1) {
        const number = await fresh();
        h.registrar.kicked = [];
        const regenerate = () => call(h, 'POST', `${EXTENSIONS}/${number}/secret/regenerate`, admin);
        const [first, off, last] = await Promise.all([regenerate(), disable(number), regenerate()]);
        assert.deepEqual(
          [first.statusCode, off.statusCode, last.statusCode],
          [200, 200, 200],
          `round ${round}: ${off.body}`,
        );
        await assertShutOut(number);
      }
    });

    test('a disable racing an edit with If-Match wins: disabled in the end, and kicked', async () => {
      for (let round = 0; round < ROUNDS; round += 1) {
        const number = await fresh();
        const { etag } = await readOne(h, number, admin);
        h.registrar.kicked = [];
        // The edit was read while enabled and says so: it must never turn the extension back on.
        const [edit, off] = await Promise.all([
          call(
            h,
            'PATCH',
            `${EXTENSIONS}/${number}`,
            { ...admin, 'content-type': 'application/json', 'if-match': etag },
            { name: `Edited ${round}`, enabled: true },
          ),
          disable(number),
        ]);
        assert.equal(off.statusCode, 200, `round ${round}: ${off.body}`);
        assert.ok([200, 412].includes(edit.statusCode), `round ${round}: edit ${edit.statusCode}`);
        await assertShutOut(number);
      }
    });
  });
