// Admin API: an extension's DID (the number that rings it from the SIP trunk) and caller ID, on
// both engines: international format in, E.164 stored, plain refusals, one extension per DID
// (also when two requests race), CSV export and import, and the OpenAPI schemas.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { AdminExtension } from '../../server/api/routes/admin/schemas.ts';
import { auditOf, call, EXTENSIONS, readOne, type Headers } from '../support/admin-api.ts';
import { adminHeaders, startApi, type ApiHarness } from '../support/api-harness.ts';
import { ENGINES } from '../support/databases.ts';

const IMPORT = `${EXTENSIONS}/import`;

const csvImport = (h: ApiHarness, headers: Headers, csv: string, dryRun: boolean) =>
  h.app.inject({
    method: 'POST',
    url: `${IMPORT}?dryRun=${String(dryRun)}`,
    headers: { ...headers, 'content-type': 'text/csv' },
    payload: csv,
  });

for (const engine of ENGINES) {
  void describe(`extension DIDs and caller IDs on ${engine}`, () => {
    let h: ApiHarness;
    let admin: Headers;

    before(async () => {
      h = await startApi(engine);
      admin = await adminHeaders(h, 'admin');
    });
    after(() => h.close());

    const create = (body: object) => call(h, 'POST', EXTENSIONS, admin, body);
    const patch = async (number: string, body: object) => {
      const { etag } = await readOne(h, number, admin);
      return call(h, 'PATCH', `${EXTENSIONS}/${number}`, { ...admin, 'if-match': etag }, body);
    };
    const refusal = (res: LightMyRequestResponse) => ({
      status: res.statusCode,
      ...res.json<{ error: string; message: string; field?: string }>(),
    });

    void test('created with numbers in international format, stored and shown as E.164', async () => {
      const res = await create({
        number: '5101',
        name: 'Direct line',
        did: '+1 (408) 555-0101',
        callerId: '0044 20 7946 0958',
      });
      assert.equal(res.statusCode, 201, res.body);
      const { extension } = res.json<{ extension: AdminExtension }>();
      assert.equal(extension.did, '+14085550101');
      assert.equal(extension.callerId, '+442079460958');
      const row = await h.database.db.kysely
        .selectFrom('extensions')
        .select(['did', 'caller_id'])
        .where('number', '=', '5101')
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { did: '+14085550101', caller_id: '+442079460958' });
      const plain = await create({ number: '5102', name: 'No numbers' });
      assert.equal(plain.json<{ extension: AdminExtension }>().extension.did, null);
      assert.equal(plain.json<{ extension: AdminExtension }>().extension.callerId, null);
    });

    void test('numbers that cannot be routed are refused in plain words, naming the field', async () => {
      const cases: [object, string, string][] = [
        [{ did: '408 555 0102' }, 'did', 'DID: Dial the number with its country code, starting with +.'],
        [
          { callerId: '+1 408 CALL' },
          'callerId',
          'Caller ID: A phone number has only digits and a leading +.',
        ],
        [{ did: '+28 1234 5678' }, 'did', 'DID: No country has that calling code.'],
        [
          { callerId: '+1 408 555' },
          'callerId',
          'Caller ID: That number is too short: numbers starting +1 have 10 digits after it.',
        ],
        [{ did: 4085550102 }, 'did', 'DID is a phone number in international format, or null'],
      ];
      for (const [fields, field, message] of cases) {
        const res = await create({ number: '5103', name: 'Bad', ...fields });
        assert.deepEqual(
          refusal(res),
          { status: 400, error: 'invalid-request', message, field },
          JSON.stringify(fields),
        );
      }
      assert.equal((await readOne(h, '5101', admin)).body.did, '+14085550101');
    });

    void test('refused characters in a DID are refused like in any text', async () => {
      for (const did of ['+1408555\u00000103', '+1408\u202E5550103']) {
        const res = await create({ number: '5103', name: 'Bad', did });
        const body = refusal(res);
        assert.equal(body.status, 400);
        assert.equal(body.field, 'did');
        assert.match(
          body.message,
          /^DID contains (a control character|an invisible text-direction override)/,
        );
      }
    });

    void test('a DID rings one extension: taken on create or edit is 409, its own number may stay', async () => {
      const taken = await create({ number: '5104', name: 'Second', did: '+14085550101' });
      assert.deepEqual(refusal(taken), {
        status: 409,
        error: 'did-taken',
        message: 'The number +14085550101 already rings extension 5101.',
        field: 'did',
      });
      assert.equal((await patch('5102', { did: '+1 408 555 0101' })).statusCode, 409);
      const same = await patch('5101', { did: '+14085550101', name: 'Direct line 2' });
      assert.equal(same.statusCode, 200, same.body);
    });

    void test('PATCH sets, changes and clears both numbers, audited', async () => {
      const set = await patch('5102', { did: '+1-408-555-0199', callerId: '+14085550100' });
      assert.equal(set.statusCode, 200, set.body);
      assert.deepEqual(
        [set.json<AdminExtension>().did, set.json<AdminExtension>().callerId],
        ['+14085550199', '+14085550100'],
      );
      const row = (await auditOf(h, 'extension.update', '5102')).at(-1);
      assert.equal(row?.details.did, '+14085550199');
      const cleared = await patch('5102', { did: null, callerId: null });
      assert.deepEqual(
        [cleared.json<AdminExtension>().did, cleared.json<AdminExtension>().callerId],
        [null, null],
      );
      // Freed: another extension may take it now.
      assert.equal((await patch('5101', { did: '+14085550199' })).statusCode, 200);
    });

    void test('two requests racing for one DID: one gets it, the other a 409, never a 500', async () => {
      const results = await Promise.all(
        ['5110', '5111', '5112', '5113'].map((number) =>
          create({ number, name: `Race ${number}`, did: '+14085550150' }),
        ),
      );
      const statuses = results.map((r) => r.statusCode).sort();
      assert.deepEqual(statuses, [201, 409, 409, 409], results.map((r) => r.body).join('\n'));
      for (const res of results.filter((r) => r.statusCode === 409))
        assert.equal(res.json<{ error: string }>().error, 'did-taken');
    });

    void test('CSV: exported as E.164 columns; imported with their checks, line by line', async () => {
      const exported = await call(h, 'GET', `${EXTENSIONS}.csv`, admin);
      const header = exported.body.split('\r\n')[0] ?? '';
      assert.ok(header.endsWith(',created_at,did,caller_id'), header);
      assert.ok(exported.body.includes(',+14085550199,+442079460958\r\n'), 'the DID and caller ID of 5101');
      const csv = [
        'number,name,did,caller_id',
        '5201,Ok,+1 408 555 0201,',
        '5202,National,408 555 0202,',
        '5203,Taken,+14085550199,',
        '5204,Twice,+14085550201,+1408555020x',
      ].join('\n');
      const dry = await csvImport(h, admin, `${csv}\n`, true);
      assert.deepEqual(dry.json<{ errors: unknown[] }>().errors, [
        {
          line: 3,
          column: 'did',
          message: '"408 555 0202": Dial the number with its country code, starting with +.',
        },
        { line: 4, column: 'did', message: 'The number +14085550199 already rings extension 5101.' },
        {
          line: 5,
          column: 'caller_id',
          message: '"+1408555020x": A phone number has only digits and a leading +.',
        },
        {
          line: 5,
          column: 'did',
          message:
            'The number +14085550201 appears twice in the file (first on line 2); it can ring one extension.',
        },
      ]);
      const good = await csvImport(
        h,
        admin,
        'number,name,did,caller_id\n5205,Good,+1 (408) 555-0205,0014085550100\n',
        false,
      );
      assert.equal(good.statusCode, 201, good.body);
      const { body } = await readOne(h, '5205', admin);
      assert.deepEqual([body.did, body.callerId], ['+14085550205', '+14085550100']);
    });

    void test('bulk generate has no DID or caller ID setting (a DID rings one extension)', async () => {
      const res = await call(h, 'POST', `${EXTENSIONS}/bulk`, admin, {
        count: 2,
        startCode: '5300',
        settings: { did: '+14085550300' },
        dryRun: true,
      });
      assert.equal(res.statusCode, 400, res.body);
    });
  });
}

void describe('OpenAPI document: DID and caller ID', () => {
  let h: ApiHarness;
  before(async () => {
    h = await startApi('sqlite');
  });
  after(() => h.close());

  void test('the extension, create and edit schemas carry both fields', async () => {
    type Schema = { properties?: Record<string, { type?: unknown; anyOf?: unknown[] }> };
    const doc = (await h.app.inject({ url: '/api/openapi.json' })).json<{
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: { content: Record<string, { schema: Schema }> };
            responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
          }
        >
      >;
    }>();
    const one = doc.paths[`${EXTENSIONS}/{number}`];
    const response = one?.get?.responses['200']?.content?.['application/json']?.schema.properties ?? {};
    const edit = one?.patch?.requestBody?.content['application/json']?.schema.properties ?? {};
    const created =
      doc.paths[EXTENSIONS]?.post?.requestBody?.content['application/json']?.schema.properties ?? {};
    for (const properties of [response, edit, created]) {
      assert.ok(properties.did, 'did is documented');
      assert.ok(properties.callerId, 'callerId is documented');
    }
    assert.ok(one?.patch?.responses['409'], 'PATCH documents 409 did-taken');
  });
});
