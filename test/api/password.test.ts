import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkPassword } from '../../server/security/password-policy.ts';
import { ENGINES } from '../support/databases.ts';
import { loginAs, PASSWORD_1001, PASSWORD_1002, startApi, type ApiHarness } from '../support/api-harness.ts';

const RULE_CASES: [string, string, string][] = [
  ['too-short', 'short-pass-14c', 'at least 15 characters'],
  ['too-long', 'x'.repeat(60) + 'Y'.repeat(69), 'at most 128 characters'],
  ['common', '1qaz2wsx3edc4rfv', 'commonly used passwords'],
  ['contains-extension', 'my-extension-is-1002-ok', 'extension number'],
  ['trivial', 'abcdefghijklmnopq', 'sequence or repetition'],
  ['trivial', 'abababababababab', 'sequence or repetition'],
  ['same-as-current', PASSWORD_1002, 'differ from the current one'],
];

for (const engine of ENGINES) {
  describe(`password change on ${engine}`, () => {
    let h: ApiHarness;
    before(async () => {
      h = await startApi(engine);
    });
    after(() => h.close());

    const change = (headers: { authorization: string }, currentPassword: string, newPassword: string) =>
      h.app.inject({
        method: 'PUT',
        url: '/api/v1/me/password',
        headers,
        payload: { currentPassword, newPassword },
      });

    for (const [rule, candidate, words] of RULE_CASES) {
      test(`names the rule a new password breaks: ${rule} (${candidate.slice(0, 20)})`, async () => {
        const headers = await loginAs(h, '1002', PASSWORD_1002);
        const res = await change(headers, PASSWORD_1002, candidate);
        assert.equal(res.statusCode, 422);
        const body = res.json<{ error: string; rule: string; message: string }>();
        assert.equal(body.error, 'password-policy');
        assert.equal(body.rule, rule);
        assert.ok(body.message.includes(words), body.message);
      });
    }

    test('refuses a wrong current password', async () => {
      const headers = await loginAs(h, '1002', PASSWORD_1002);
      const res = await change(headers, 'not-my-password', 'a-perfectly-fine-new-secret');
      assert.equal(res.statusCode, 400);
      assert.equal(res.json<{ error: string }>().error, 'wrong-current-password');
    });

    test('changes HA1 at once, revokes other sessions, keeps this one and kicks devices', async () => {
      const other = await loginAs(h, '1001', PASSWORD_1001);
      const mine = await loginAs(h, '1001', PASSWORD_1001);
      const before = await h.database.db.kysely
        .selectFrom('extensions')
        .selectAll()
        .where('number', '=', '1001')
        .executeTakeFirstOrThrow();
      const res = await change(mine, PASSWORD_1001, 'violet-harbour-lantern-93');
      assert.equal(res.statusCode, 200);
      assert.equal(res.json<{ otherSessionsRevoked: number }>().otherSessionsRevoked, 1);
      assert.deepEqual(h.registrar.kicked, ['1001']);
      const row = await h.database.db.kysely
        .selectFrom('extensions')
        .selectAll()
        .where('number', '=', '1001')
        .executeTakeFirstOrThrow();
      assert.notEqual(row.ha1, before.ha1);
      assert.notEqual(row.ha1b, before.ha1b);
      assert.equal(h.credentials.box.open(row.secret_enc), 'violet-harbour-lantern-93');
      assert.equal((await h.app.inject({ url: '/api/v1/me', headers: other })).statusCode, 401);
      assert.equal((await h.app.inject({ url: '/api/v1/me', headers: mine })).statusCode, 200);
      const oldLogin = await h.app.inject({
        method: 'POST',
        url: '/api/v1/sessions',
        payload: { extension: '1001', password: PASSWORD_1001 },
      });
      assert.equal(oldLogin.statusCode, 401);
      await loginAs(h, '1001', 'violet-harbour-lantern-93');
    });

    test('still succeeds, saying so, when Kamailio cannot be reached to kick devices', async () => {
      const headers = await loginAs(h, '1002', PASSWORD_1002);
      h.registrar.down = true;
      const res = await change(headers, PASSWORD_1002, 'copper-kettle-morning-fog-8');
      h.registrar.down = false;
      assert.equal(res.statusCode, 200);
      assert.equal(res.json<{ kicked: boolean }>().kicked, false);
    });

    test('suggests high-entropy passwords that pass the policy', async () => {
      const headers = await loginAs(h, '1002', 'copper-kettle-morning-fog-8');
      const seen = new Set<string>();
      for (let i = 0; i < 5; i += 1) {
        const res = await h.app.inject({ method: 'POST', url: '/api/v1/password-suggestions', headers });
        const body = res.json<{ password: string; entropyBits: number }>();
        assert.ok(body.entropyBits >= 100);
        assert.deepEqual(checkPassword(body.password, '1002'), { ok: true });
        seen.add(body.password);
      }
      assert.equal(seen.size, 5);
    });

    test('audits the change and never logs or stores a password in clear', async () => {
      const audit = await h.database.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'password.change')
        .execute();
      assert.ok(audit.length >= 2);
      const everything = JSON.stringify(audit) + h.logs.join('');
      for (const secret of [
        PASSWORD_1001,
        PASSWORD_1002,
        'violet-harbour-lantern-93',
        'copper-kettle-morning-fog-8',
      ]) {
        assert.ok(!everything.includes(secret), `${secret} leaked`);
      }
      assert.ok(h.logs.length > 0, 'the service did log requests');
      assert.ok(!h.logs.join('').includes('Bearer '), 'no Authorization header in logs');
    });
  });
}
