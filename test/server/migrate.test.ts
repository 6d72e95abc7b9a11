import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { migrate } from '../../server/db/migrate.ts';
import { createExtension } from '../../server/extensions/repository.ts';
import { SecretBox } from '../../server/security/secret-box.ts';
import { randomBytes } from 'node:crypto';
import { createTestDatabase, ENGINES } from '../support/databases.ts';

for (const engine of ENGINES) {
  describe(`schema on ${engine}`, () => {
    test('a second migration run is a no-op and Kamailio finds its table version', async () => {
      const t = await createTestDatabase(engine);
      try {
        assert.deepEqual(await migrate(t.db.kysely, t.db.engine), []);
        const versions = await t.db.kysely.selectFrom('version').selectAll().execute();
        assert.deepEqual(versions, [{ table_name: 'extensions', table_version: 7 }]);
      } finally {
        await t.drop();
      }
    });

    test('no plaintext password is stored anywhere in the extension row', async () => {
      const t = await createTestDatabase(engine);
      try {
        const ctx = { realm: 'earshot.local', box: new SecretBox(randomBytes(32)) };
        const { password } = await createExtension(t.db.kysely, ctx, { number: '4321', name: 'Row check' });
        const row = await t.db.kysely
          .selectFrom('extensions')
          .selectAll()
          .where('number', '=', '4321')
          .executeTakeFirstOrThrow();
        for (const value of Object.values(row)) assert.ok(!String(value).includes(password));
        await assert.rejects(
          createExtension(t.db.kysely, ctx, { number: '4321', name: 'Again' }),
          /already exists/,
        );
      } finally {
        await t.drop();
      }
    });

    if (engine === 'sqlite') {
      test('SQLite runs in WAL mode with a busy timeout', async () => {
        const t = await createTestDatabase(engine);
        try {
          const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(t.db.kysely);
          assert.equal(mode.rows[0]?.journal_mode, 'wal');
          const timeout = await sql<{ timeout: number }>`pragma busy_timeout`.execute(t.db.kysely);
          assert.ok((timeout.rows[0]?.timeout ?? 0) >= 1000);
        } finally {
          await t.drop();
        }
      });
    }
  });
}
