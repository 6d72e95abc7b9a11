import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseCsv } from '../../server/extensions/csv-parse.ts';
import { sipHashes } from '../../server/security/digest.ts';
import { ENGINES } from '../support/databases.ts';
import {
  adminHeaders,
  API_REALM,
  loginAs,
  PASSWORD_1001,
  PASSWORD_1002,
  startApi,
  type ApiHarness,
} from '../support/api-harness.ts';

const EXPORT = '/api/v1/admin/extensions.csv';
const IMPORT = '/api/v1/admin/extensions/import';
const HEADER =
  'number,name,enabled,manual_dialing,call_recording,call_limit,allowed_ips,forwarding,dnd,created_at,did,caller_id';
const STRONG = 'lantern-orbit-velvet-canyon-9';

type Headers = { authorization: string };
interface RowError {
  line: number;
  column: string | null;
  message: string;
}

const numbers = async (h: ApiHarness): Promise<string[]> =>
  (await h.database.db.kysely.selectFrom('extensions').select('number').orderBy('number').execute()).map(
    (r) => r.number,
  );

const importCsv = (h: ApiHarness, headers: Headers, csv: string, dryRun?: boolean) =>
  h.app.inject({
    method: 'POST',
    url: dryRun === undefined ? IMPORT : `${IMPORT}?dryRun=${String(dryRun)}`,
    headers: { ...headers, 'content-type': 'text/csv' },
    payload: csv,
  });

const auditActions = async (h: ApiHarness, action: string) =>
  h.database.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', action).execute();

/** The export without the created_at column (import does not carry creation times over). */
const withoutCreatedAt = (csv: string): string[][] =>
  parseCsv(csv).records.map((r) => r.fields.filter((_f, i) => i !== 9));

for (const engine of ENGINES) {
  describe(`CSV export and import on ${engine}`, () => {
    let h: ApiHarness;
    let admin: Headers;
    let viewer: Headers;
    before(async () => {
      h = await startApi(engine);
      admin = await adminHeaders(h, 'admin');
      viewer = await adminHeaders(h, 'viewer');
    });
    after(() => h.close());

    test('export: every extension as RFC 4180 CSV, no secrets, readable by viewers', async () => {
      const res = await h.app.inject({ url: EXPORT, headers: viewer });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/csv/);
      const lines = res.body.split('\r\n');
      assert.equal(lines[0], HEADER);
      assert.match(lines[1] ?? '', /^1001,Ada Agent,true,true,false,2,,,false,\d{4}-/);
      assert.match(lines[3] ?? '', /^1003,Off Agent,false,/);
      assert.ok(!res.body.includes(PASSWORD_1001));
      assert.equal((await auditActions(h, 'extension.export')).length, 1);
    });

    test('export with secrets: refused to viewers, given to admins and audited', async () => {
      const refused = await h.app.inject({ url: `${EXPORT}?secrets=true`, headers: viewer });
      assert.equal(refused.statusCode, 403);
      assert.equal((await auditActions(h, 'extension.export-secrets')).length, 0);
      const res = await h.app.inject({ url: `${EXPORT}?secrets=true`, headers: admin });
      assert.equal(res.statusCode, 200);
      const [header, ada, bob] = parseCsv(res.body).records;
      assert.equal(header?.fields.at(-1), 'password');
      assert.equal(ada?.fields.at(-1), PASSWORD_1001);
      assert.equal(bob?.fields.at(-1), PASSWORD_1002);
      const audit = await auditActions(h, 'extension.export-secrets');
      assert.equal(audit.length, 1);
      assert.match(audit[0]?.actor ?? '', /admin/);
      assert.ok(!JSON.stringify(audit).includes(PASSWORD_1001));
      assert.ok(!h.logs.join('').includes(PASSWORD_1001), 'no secret in the logs');
    });

    test('a dry run reports every bad row with its line and writes nothing', async () => {
      const csv = [
        'number,name,enabled,call_limit,allowed_ips,password',
        '5001,Good One,yes,2,,',
        '50x1,Letters,yes,2,,',
        '501,Short,yes,2,,',
        '1001,Taken,yes,2,,',
        '5001,Again,yes,2,,',
        '5002,Bad flag,perhaps,2,,',
        '5003,Bad limit,yes,500,,',
        '5004,Bad CIDR,yes,2,10.0.0.0/40,',
        '5005,Weak,yes,2,,password123',
      ].join('\n');
      const res = await importCsv(h, admin, csv, true);
      assert.equal(res.statusCode, 200);
      const body = res.json<{ ok: boolean; rows: number; errors: RowError[] }>();
      assert.equal(body.ok, false);
      assert.equal(body.rows, 9);
      assert.deepEqual(
        body.errors.map((e) => `${e.line}:${e.column ?? ''}`),
        [
          '3:number',
          '4:number',
          '5:number',
          '6:number',
          '7:enabled',
          '8:call_limit',
          '9:allowed_ips',
          '10:password',
        ],
      );
      assert.match(body.errors[2]?.message ?? '', /1001 already exists/);
      assert.match(body.errors[3]?.message ?? '', /first on line 2/);
      assert.deepEqual(await numbers(h), ['1001', '1002', '1003']);
    });

    test('applying a file with errors is 422 and nothing is written', async () => {
      const res = await importCsv(h, admin, 'number,name\n6001,Fine\n6002,Fine too\n1002,Taken\n');
      assert.equal(res.statusCode, 422);
      const body = res.json<{ error: string; errors: RowError[] }>();
      assert.equal(body.error, 'invalid-csv');
      assert.deepEqual(body.errors, [
        { line: 4, column: 'number', message: 'Extension 1002 already exists.' },
      ]);
      assert.deepEqual(await numbers(h), ['1001', '1002', '1003']);
    });

    test('applying a good file creates every row in one go; generated passwords come back once', async () => {
      const rows = Array.from({ length: 2500 }, (_, i) => `${70000 + i},"Agent ${i}, floor 2",,,,,,,,,,,`);
      rows[0] = `70000,=HYPERLINK("http://x"),no,yes,1,5,10.1.0.0/16 ::1,1001,yes,,+1 (555) 010-7000,0015550107001,${STRONG}`;
      const csv = `${HEADER},password\n${rows.join('\n')}\n`;
      const dry = await importCsv(h, admin, csv, true);
      assert.deepEqual(dry.json(), { ok: true, rows: 2500, errors: [], totalErrors: 0 });
      const res = await importCsv(h, admin, csv, false);
      assert.equal(res.statusCode, 201);
      const body = res.json<{ created: number; passwords: { number: string; password: string }[] }>();
      assert.equal(body.created, 2500);
      assert.equal(body.passwords.length, 2499, 'only generated passwords are returned');
      assert.ok(!body.passwords.some((p) => p.number === '70000'));
      const row = await h.database.db.kysely
        .selectFrom('extensions')
        .selectAll()
        .where('number', '=', '70000')
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        [
          row.name,
          row.enabled,
          row.manual_dialing,
          row.call_recording,
          row.call_limit,
          row.allowed_ips,
          row.forwarding,
          row.dnd,
          row.did,
          row.caller_id,
        ],
        [
          '=HYPERLINK("http://x")',
          0,
          1,
          1,
          5,
          '10.1.0.0/16,::1/128',
          '1001',
          1,
          '+15550107000',
          '+15550107001',
        ],
      );
      assert.equal(row.ha1, sipHashes('70000', API_REALM, STRONG).ha1);
      const generated = body.passwords[0];
      assert.ok(generated);
      const other = await h.database.db.kysely
        .selectFrom('extensions')
        .select(['ha1', 'name'])
        .where('number', '=', generated.number)
        .executeTakeFirstOrThrow();
      assert.equal(other.ha1, sipHashes(generated.number, API_REALM, generated.password).ha1);
      assert.match(other.name, /^Agent \d+, floor 2$/);
      assert.equal((await auditActions(h, 'extension.import')).length, 1);
      assert.ok(!h.logs.join('').includes(STRONG) && !h.logs.join('').includes(generated.password));

      const exported = await h.app.inject({ url: EXPORT, headers: admin });
      assert.ok(exported.body.includes(`\r\n70000,"'=HYPERLINK(""http://x"")",false,`), 'formula defused');
    });

    test('the import takes text/csv only, from admins only, up to 20 MB', async () => {
      const json = await h.app.inject({
        method: 'POST',
        url: IMPORT,
        headers: admin,
        payload: { number: '1' },
      });
      assert.equal(json.statusCode, 415);
      assert.match(json.json<{ message: string }>().message, /text\/csv/);
      const plain = await h.app.inject({
        method: 'POST',
        url: IMPORT,
        headers: { ...admin, 'content-type': 'text/plain' },
        payload: 'number,name\n',
      });
      assert.equal(plain.statusCode, 415);
      assert.equal((await importCsv(h, viewer, 'number,name\n8001,V\n', true)).statusCode, 403);
      assert.equal(
        (await importCsv(h, await loginAs(h, '1001', PASSWORD_1001), 'number,name\n')).statusCode,
        403,
      );
      const huge = `number,name\n${'8002,x\n'.repeat(3_000_000)}`;
      const tooLarge = await importCsv(h, admin, huge, true);
      assert.equal(tooLarge.statusCode, 413);
    });

    test('round trip: an export with secrets imports into a fresh database unchanged', async () => {
      const source = await h.app.inject({ url: `${EXPORT}?secrets=true`, headers: admin });
      const fresh = await startApi(engine);
      try {
        await fresh.database.db.kysely.deleteFrom('extensions').execute();
        const freshAdmin = await adminHeaders(fresh, 'admin');
        const res = await importCsv(fresh, freshAdmin, source.body, false);
        assert.equal(res.statusCode, 201, res.body);
        assert.deepEqual(
          res.json<{ passwords: unknown[] }>().passwords,
          [],
          'every password came from the file',
        );
        const copy = await fresh.app.inject({ url: `${EXPORT}?secrets=true`, headers: freshAdmin });
        assert.deepEqual(withoutCreatedAt(copy.body), withoutCreatedAt(source.body));
        await loginAs(fresh, '1001', PASSWORD_1001);
      } finally {
        await fresh.close();
      }
    });
  });
}
