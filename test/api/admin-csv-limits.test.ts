import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { IMPORT_LIMITS } from '../../server/extensions/import-validate.ts';
import { adminHeaders, countExtensions, startApi, type ApiHarness } from '../support/api-harness.ts';
import { ENGINES } from '../support/databases.ts';

const IMPORT = '/api/v1/admin/extensions/import';
const MB = 1024 * 1024;

interface ImportAnswer {
  status: number;
  body: {
    error?: string;
    message?: string;
    line?: number;
    ok?: boolean;
    errors?: { line: number; column: string | null; message: string }[];
    totalErrors?: number;
  };
}

for (const engine of ENGINES) {
  describe(`CSV import limits on ${engine} (listening server)`, { timeout: 120_000 }, () => {
    let h: ApiHarness;
    let base: string;
    let admin: { authorization: string };
    before(async () => {
      h = await startApi(engine);
      admin = await adminHeaders(h, 'admin');
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${String((h.app.server.address() as { port: number }).port)}`;
    });
    after(() => h.close());

    const send = async (csv: string, query = '?dryRun=true'): Promise<ImportAnswer> => {
      const res = await fetch(`${base}${IMPORT}${query}`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'text/csv' },
        body: csv,
      });
      return { status: res.status, body: (await res.json()) as ImportAnswer['body'] };
    };

    /** Sends `csv` while polling /api/health one request after another; every poll's status. */
    const sendWhilePolling = async (csv: string, query?: string) => {
      const importing = { done: false };
      const health: number[] = [];
      const polling = (async () => {
        while (!importing.done) health.push((await fetch(`${base}/api/health`)).status);
      })();
      const answer = await send(csv, query).finally(() => (importing.done = true));
      await polling;
      return { answer, health };
    };

    const extensionCount = () => countExtensions(h);

    for (const size of [1, 10])
      test(`a ${String(size)} MB header bomb of commas is refused with 413 while health keeps answering`, async () => {
        const bomb = `number,name${','.repeat(size * MB)}`;
        const heapBefore = process.memoryUsage().heapUsed;
        const { answer, health } = await sendWhilePolling(bomb);
        assert.equal(answer.status, 413, JSON.stringify(answer.body));
        assert.equal(answer.body.error, 'too-many-columns');
        assert.equal(answer.body.line, 1);
        assert.match(answer.body.message ?? '', /more than 32 fields.*Nothing was checked or imported/);
        assert.ok(health.length > 0 && health.every((s) => s === 200), `health: ${health.join(',')}`);
        const grown = (process.memoryUsage().heapUsed - heapBefore) / MB;
        assert.ok(grown < 256, `heap grew ${grown.toFixed(0)} MB`);
      });

    test('the bomb is refused the same way by a real import (never a 500)', async () => {
      const answer = await send(`number,name${','.repeat(MB)}`, '');
      assert.equal(answer.status, 413);
      assert.equal(await extensionCount(), 3);
    });

    test('a row over 16,384 characters is refused with 413 naming its line', async () => {
      const answer = await send(`number,name\n5001,Ok\n5002,${'x'.repeat(IMPORT_LIMITS.maxLineLength)}\n`);
      assert.equal(answer.status, 413);
      assert.equal(answer.body.error, 'line-too-long');
      assert.equal(answer.body.line, 3);
    });

    test('more than 200,000 rows are refused with 413; the limit itself is checked', async () => {
      const rows = 'x,Name\n'.repeat(IMPORT_LIMITS.maxRows);
      const over = await sendWhilePolling(`number,name\n${rows}x,Name\n`);
      assert.equal(over.answer.status, 413);
      assert.equal(over.answer.body.error, 'too-many-rows');
      assert.ok(over.health.every((s) => s === 200));
      const { answer, health } = await sendWhilePolling(`number,name\n${rows}`);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.ok, false);
      assert.equal(answer.body.errors?.length, 100);
      assert.equal(answer.body.totalErrors, IMPORT_LIMITS.maxRows);
      assert.deepEqual(
        answer.body.errors.slice(0, 2).map((e) => e.line),
        [2, 3],
      );
      assert.ok(health.length > 0 && health.every((s) => s === 200), `health: ${health.join(',')}`);
    });

    test('a real import of a file with thousands of problems is a small 422 listing the first 100', async () => {
      const rows = Array.from({ length: 5000 }, (_, i) => (i % 2 ? `${String(60000 + i)},Ok` : 'x,Bad'));
      const answer = await send(`number,name\n${rows.join('\n')}\n`, '');
      assert.equal(answer.status, 422);
      assert.equal(answer.body.error, 'invalid-csv');
      assert.equal(answer.body.errors?.length, 100);
      assert.equal(answer.body.totalErrors, 2500);
      assert.match(answer.body.message ?? '', /2,500 problems \(the first 100 are listed\)/);
      assert.equal(await extensionCount(), 3);
    });

    test('NUL in a cell: the dry run and the real import both name the row and column', async () => {
      const csv = 'number,name\n5101,Fine\n5102,ad\u0000min\n';
      const dry = await send(csv);
      assert.equal(dry.status, 200);
      assert.equal(dry.body.ok, false);
      const real = await send(csv, '?dryRun=false');
      assert.equal(real.status, 422);
      for (const errors of [dry.body.errors, real.body.errors])
        assert.deepEqual(
          errors?.map((e) => [e.line, e.column]),
          [[3, 'name']],
        );
      assert.match(real.body.errors?.[0]?.message ?? '', /control character/);
      assert.equal(await extensionCount(), 3);
    });
  });
}
