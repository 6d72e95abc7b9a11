import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extensionCsvLine } from '../../server/extensions/csv-columns.ts';
import { csvLine, defuseFormula, restoreFormula } from '../../server/extensions/csv-format.ts';
import { CsvLimitError, parseCsv } from '../../server/extensions/csv-parse.ts';
import {
  addErrors,
  IMPORT_LIMITS,
  takenErrors,
  validateCsv,
  validateImport,
} from '../../server/extensions/import-validate.ts';
import type { Extension } from '../../server/db/schema.ts';
import { unsafeTextProblem } from '../../server/security/unsafe-text.ts';

const HEADER = 'number,name,enabled,manual_dialing,call_recording,call_limit,allowed_ips,forwarding,dnd';
const check = (text: string) => validateImport(parseCsv(text));

describe('CSV reading (RFC 4180)', () => {
  test('quoted fields hold commas, doubled quotes and line breaks; lines are counted', () => {
    const parsed = parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n"two\nlines",z\n\nlast,"",\n');
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.records, [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['two\nlines', 'z'] },
      { line: 6, fields: ['last', '', ''] },
    ]);
  });

  test('an unterminated quote is reported on the line where its record starts', () => {
    const parsed = parseCsv('a,b\n1,"open\n2,3\n');
    assert.deepEqual(parsed.records, [{ line: 1, fields: ['a', 'b'] }]);
    assert.deepEqual(parsed.errors, [{ line: 2, message: 'A quoted field is never closed.' }]);
  });

  test('no final line break and a lone CR both end records', () => {
    assert.deepEqual(parseCsv('a\rb').records, [
      { line: 1, fields: ['a'] },
      { line: 2, fields: ['b'] },
    ]);
  });
});

describe('CSV writing', () => {
  test('fields are quoted only when needed, lines end in CRLF', () => {
    assert.equal(
      csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', '']),
      'plain,"a,b","say ""hi""","two\nlines",\r\n',
    );
  });

  test('formula-looking cells are defused and restored exactly', () => {
    for (const value of [
      '=SUM(A1)',
      '+1',
      '-x',
      '@cmd',
      '\tx',
      "'=already",
      "''+x",
      'Ada',
      "O'Brien",
      "'plain",
    ]) {
      const safe = defuseFormula(value);
      assert.ok(!/^[=+\-@\t\r]/.test(safe), `${value} -> ${safe}`);
      assert.equal(restoreFormula(safe), value);
    }
    assert.equal(defuseFormula('=1+1'), "'=1+1");
    assert.equal(defuseFormula('Ada'), 'Ada');
  });

  test('an exported extension line reads back field by field', () => {
    const extension = {
      number: '1001',
      name: '=HYPERLINK("x"), Ada',
      enabled: 1,
      manual_dialing: 0,
      call_recording: 1,
      call_limit: 3,
      allowed_ips: '10.0.0.0/8,::1/128',
      forwarding: '+15550100',
      dnd: 0,
      created_at: '2026-11-23T09:00:00.000Z',
      did: '+15550104001',
      caller_id: null,
    } as Extension;
    const line = extensionCsvLine(extension, 'pw-with,comma');
    const [record] = parseCsv(line).records;
    assert.deepEqual(record?.fields, [
      '1001',
      `'=HYPERLINK("x"), Ada`,
      'true',
      'false',
      'true',
      '3',
      '10.0.0.0/8 ::1/128',
      '+15550100',
      'false',
      '2026-11-23T09:00:00.000Z',
      '+15550104001',
      '',
      'pw-with,comma',
    ]);
  });
});

describe('CSV import validation', () => {
  test('a good file gives rows with defaults and no errors', () => {
    const result = check(`${HEADER}\n1001,Ada,yes,1,FALSE,4,10.0.0.0/8 192.0.2.7,1002,no\n1002,Bob,,,,,,,\n`);
    assert.deepEqual(result.errors, []);
    assert.equal(result.total, 2);
    assert.deepEqual(result.rows[0], {
      line: 2,
      number: '1001',
      name: 'Ada',
      enabled: true,
      manualDialing: true,
      callRecording: false,
      callLimit: 4,
      allowedIps: ['10.0.0.0/8', '192.0.2.7/32'],
      forwarding: '1002',
      dnd: false,
      did: null,
      callerId: null,
    });
    assert.deepEqual(result.rows[1], {
      line: 3,
      number: '1002',
      name: 'Bob',
      enabled: true,
      manualDialing: false,
      callRecording: false,
      callLimit: 2,
      allowedIps: [],
      forwarding: null,
      dnd: false,
      did: null,
      callerId: null,
    });
  });

  test('columns may come in any order and only number and name are required', () => {
    const result = check('name,NUMBER\nAda,1001\n');
    assert.deepEqual(result.errors, []);
    assert.equal(result.rows[0]?.number, '1001');
  });

  test('every bad row is reported with its line and column', () => {
    const text = [
      `${HEADER},password`,
      '12a4,Bad number,,,,,,,,',
      '123,Short,,,,,,,,',
      '1001,Ada,maybe,,,,,,,',
      '1002,Bob,,,,0,,,,',
      '1003,Cy,,,,,10.0.0.0/33,,,',
      '1001,Ada again,,,,,,,,',
      '1004,,,,,,,abc,,',
      '1005,Dee,,,,,,,,password',
      '1006,"Two, fields"',
    ].join('\n');
    const { errors } = check(text);
    const brief = errors.map((e) => [e.line, e.column]);
    assert.deepEqual(brief, [
      [2, 'number'],
      [3, 'number'],
      [4, 'enabled'],
      [5, 'call_limit'],
      [6, 'allowed_ips'],
      [7, 'number'],
      [8, 'name'],
      [8, 'forwarding'],
      [9, 'password'],
      [10, null],
    ]);
    assert.match(errors[0]?.message ?? '', /digits only/);
    assert.match(errors[1]?.message ?? '', /4 to 8 digits/);
    assert.match(errors[5]?.message ?? '', /appears twice in the file \(first on line 4\)/);
    assert.match(errors[9]?.message ?? '', /2 fields; the header has 10/);
  });

  test('header problems are reported on line 1', () => {
    const { errors } = check('number,nmae\n1001,Ada\n');
    assert.deepEqual(
      errors.map((e) => [e.line, e.column]),
      [
        [1, 'nmae'],
        [1, 'name'],
      ],
    );
    assert.match(errors[0]?.message ?? '', /^Unknown column "nmae"\. Known: number, name, /);
    assert.deepEqual(
      check('').errors.map((e) => e.line),
      [1],
    );
    assert.match(check('number,name\n').errors[0]?.message ?? '', /no extensions/);
  });

  test('taken numbers are reported on their own lines', () => {
    const { rows } = check('number,name\n1001,Ada\n1002,Bob\n');
    assert.deepEqual(takenErrors(rows, new Set(['1002'])), [
      { line: 3, column: 'number', message: 'Extension 1002 already exists.' },
    ]);
  });
});

describe('CSV import limits', () => {
  const limits = { maxFields: 4, maxRecordLength: 20 };
  const limitOf = (run: () => unknown): CsvLimitError => {
    try {
      run();
    } catch (error) {
      if (error instanceof CsvLimitError) return error;
      throw error;
    }
    throw new Error('no limit error');
  };

  test('a record with more fields than allowed stops the reading at its line', () => {
    const error = limitOf(() => parseCsv('a,b\n1,2,3,4,5,6\n', limits));
    assert.deepEqual([error.limit, error.line], ['fields', 2]);
    assert.match(error.message, /Line 2 has more than 4 fields/);
    assert.equal(parseCsv('a,b,c,d\n', limits).records[0]?.fields.length, 4);
  });

  test('a record longer than allowed stops the reading, quoted line breaks included', () => {
    assert.equal(parseCsv(`${'x'.repeat(20)}\n`, limits).records[0]?.fields[0]?.length, 20);
    const plain = limitOf(() => parseCsv(`a\n${'x'.repeat(21)}\n`, limits));
    assert.deepEqual([plain.limit, plain.line], ['length', 2]);
    const quoted = limitOf(() => parseCsv(`a\n"${'x\n'.repeat(15)}"\n`, limits));
    assert.deepEqual([quoted.limit, quoted.line], ['length', 2]);
    assert.match(quoted.message, /row starting on line 2 is longer than 20 characters/);
  });

  test('a header of ten million commas is refused after the first fields', async () => {
    const bomb = `number,name${','.repeat(10 * 1024 * 1024)}`;
    const error = await validateCsv(bomb).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof CsvLimitError);
    assert.deepEqual([error.limit, error.line], ['fields', 1]);
  });

  test(`more than ${IMPORT_LIMITS.maxRows.toLocaleString('en')} rows are refused`, async () => {
    const rows = `1,a\n`.repeat(IMPORT_LIMITS.maxRows);
    assert.equal((await validateCsv(`number,name\n${rows}`)).total, IMPORT_LIMITS.maxRows);
    const error = await validateCsv(`number,name\n${rows}1,a\n`).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof CsvLimitError);
    assert.deepEqual([error.limit, error.line], ['rows', IMPORT_LIMITS.maxRows + 2]);
  });

  test('validateCsv lets other work run between slices of rows', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('other work'));
    const rows = Array.from({ length: 10_000 }, (_, i) => `${String(10000 + i)},Agent`).join('\n');
    await validateCsv(`number,name\n${rows}\n`).then(() => order.push('validated'));
    assert.deepEqual(order, ['other work', 'validated']);
  });

  test('the first 100 errors are listed in line order and all are counted', async () => {
    const bad = Array.from({ length: 300 }, (_, i) => `x${String(i)},Name`).join('\n');
    const check = await validateCsv(`number,name\n${bad}\n`);
    assert.equal(check.errors.length, IMPORT_LIMITS.maxReportedErrors);
    assert.equal(check.totalErrors, 300);
    assert.deepEqual(
      check.errors.slice(0, 3).map((e) => e.line),
      [2, 3, 4],
    );
    assert.equal(check.errors.at(-1)?.line, 101);
  });

  test('taken numbers merge with the listed errors in line order, counted in the total', () => {
    const first = { errors: [{ line: 5, column: 'name', message: 'x' }], totalErrors: 250 };
    const taken = Array.from({ length: 150 }, (_, i) => ({ line: i + 2, column: 'number', message: 't' }));
    const merged = addErrors(first, taken);
    assert.equal(merged.totalErrors, 400);
    assert.equal(merged.errors.length, IMPORT_LIMITS.maxReportedErrors);
    assert.deepEqual(
      merged.errors.slice(2, 5).map((e) => [e.line, e.column]),
      [
        [4, 'number'],
        [5, 'name'],
        [5, 'number'],
      ],
    );
  });

  test('unknown columns are one error, naming a few of them once, with the known list once', () => {
    const header = `number,name,${Array.from({ length: 20 }, (_, i) => `extra${String(i)}`).join(',')},,`;
    const { errors } = check(`${header}\n`);
    assert.equal(errors.length, 1);
    const [error] = errors;
    assert.ok(error);
    assert.equal(error.column, null);
    assert.match(
      error.message,
      /^Unknown columns "extra0", "extra1", "extra2", "extra3", "extra4" and 16 more\. Known: /,
    );
    assert.equal(error.message.split('Known').length, 2);
  });
});

describe('refused characters in CSV cells', () => {
  test('NUL, controls and text-direction overrides are reported by line and column, never echoed', () => {
    const text = [
      'number,name,forwarding,enabled',
      '5001,a\u0000b,,',
      '5002,RT\u202EL,,',
      '5003,Fine,\u00001002,',
      '5004,"two\nlines",,',
      '5005,Fine,,ye\u0007s',
      '5006,Zoë Müller,,',
    ].join('\n');
    const result = check(text);
    assert.deepEqual(
      result.errors.map((e) => [e.line, e.column]),
      [
        [2, 'name'],
        [3, 'name'],
        [4, 'forwarding'],
        [5, 'name'],
        [7, 'enabled'],
      ],
    );
    assert.match(result.errors[0]?.message ?? '', /^This cell contains a control character/);
    assert.match(result.errors[1]?.message ?? '', /text-direction/);
    assert.ok(result.errors.every((e) => unsafeTextProblem(e.message) === null));
    assert.deepEqual(
      result.rows.map((r) => r.number),
      ['5006'],
    );
  });

  test('an unknown column with a refused character is named with the character written out', () => {
    const [error] = check('number,name,x\u202Ey\n1001,Ada,1\n').errors;
    assert.match(error?.message ?? '', /Unknown column "xU\+202Ey"/);
    assert.equal(error?.column, 'xU+202Ey');
  });
});
