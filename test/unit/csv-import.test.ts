import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extensionCsvLine } from '../../server/extensions/csv-columns.ts';
import { csvLine, defuseFormula, restoreFormula } from '../../server/extensions/csv-format.ts';
import { parseCsv } from '../../server/extensions/csv-parse.ts';
import { takenErrors, validateImport } from '../../server/extensions/import-validate.ts';
import type { Extension } from '../../server/db/schema.ts';

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
