// Checks an extensions CSV row by row and reports every problem with its line and column. Pure:
// the numbers already taken in the database are passed in.
import { checkPassword } from '../security/password-policy.ts';
import { checkCidrList } from './cidr.ts';
import { CSV_COLUMNS, PASSWORD_COLUMN, type CsvColumn } from './csv-columns.ts';
import { restoreFormula } from './csv-format.ts';
import type { CsvRecord, ParsedCsv } from './csv-parse.ts';
import { CALL_LIMIT, callLimitProblem, forwardingProblem, nameProblem } from './fields.ts';

/** One problem in the file: line 1 is the header; column null means the whole row. */
export interface ImportError {
  line: number;
  column: string | null;
  message: string;
}

/** A valid row, ready to insert; `password` undefined means generate one. */
export interface ImportRow {
  line: number;
  number: string;
  name: string;
  enabled: boolean;
  manualDialing: boolean;
  callRecording: boolean;
  callLimit: number;
  allowedIps: string[];
  forwarding: string | null;
  dnd: boolean;
  password?: string;
}

export interface ImportCheck {
  rows: ImportRow[];
  errors: ImportError[];
  /** Data rows in the file (valid or not). */
  total: number;
}

const KNOWN: readonly string[] = [...CSV_COLUMNS, PASSWORD_COLUMN];
const REQUIRED: readonly CsvColumn[] = ['number', 'name'];
const FLAG_WORDS: Record<string, boolean> = {
  true: true,
  '1': true,
  yes: true,
  false: false,
  '0': false,
  no: false,
};
const FLAG_COLUMNS = {
  enabled: true,
  manual_dialing: false,
  call_recording: false,
  dnd: false,
} as const satisfies Partial<Record<CsvColumn, boolean>>;

type Header = Map<CsvColumn, number>;

function readHeader(record: CsvRecord): { header: Header; errors: ImportError[] } {
  const header: Header = new Map();
  const errors: ImportError[] = [];
  const line = record.line;
  record.fields.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if (!KNOWN.includes(name))
      errors.push({ line, column: raw, message: `Unknown column "${raw}". Known: ${KNOWN.join(', ')}.` });
    else if (header.has(name as CsvColumn))
      errors.push({ line, column: name, message: `The column "${name}" appears twice.` });
    else header.set(name as CsvColumn, index);
  });
  for (const column of REQUIRED)
    if (!header.has(column)) errors.push({ line, column, message: `The header needs a "${column}" column.` });
  return { header, errors };
}

/** Reads a row's cells by column name; `issue` records a problem in one column. */
class RowReader {
  readonly errors: ImportError[] = [];
  constructor(
    readonly record: CsvRecord,
    private readonly header: Header,
  ) {}

  cell(column: CsvColumn): string {
    const index = this.header.get(column);
    return index === undefined ? '' : (this.record.fields[index] ?? '');
  }

  issue(column: CsvColumn, message: string): void {
    this.errors.push({ line: this.record.line, column, message });
  }

  flag(column: keyof typeof FLAG_COLUMNS): boolean {
    const text = this.cell(column).trim().toLowerCase();
    if (text === '') return FLAG_COLUMNS[column];
    const value = FLAG_WORDS[text];
    if (value === undefined)
      this.issue(column, `"${text}" is not a yes/no value; use true, false, 1, 0, yes or no.`);
    return value ?? false;
  }
}

function numberProblem(number: string): string | null {
  if (number === '') return 'Enter the extension number.';
  if (!/^\d+$/.test(number)) return `Extension numbers are digits only: "${number}" is not.`;
  if (number.length < 4 || number.length > 8)
    return `Extension numbers have 4 to 8 digits: "${number}" has ${number.length}.`;
  return null;
}

function readCallLimit(reader: RowReader): number {
  const text = reader.cell('call_limit').trim();
  if (text === '') return CALL_LIMIT.default;
  const limit = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  const problem = callLimitProblem(limit);
  if (problem) reader.issue('call_limit', `"${text}": ${problem}`);
  return limit;
}

function readAllowedIps(reader: RowReader): string[] {
  const entries = reader
    .cell('allowed_ips')
    .split(/[\s,;]+/)
    .filter(Boolean);
  const checked = checkCidrList(entries);
  if (!checked.ok) reader.issue('allowed_ips', checked.message);
  return checked.ok ? checked.cidrs : [];
}

function readOptionalText(reader: RowReader, column: 'forwarding' | 'password'): string | undefined {
  const text = column === 'password' ? restoreFormula(reader.cell(column)) : reader.cell(column).trim();
  return text === '' ? undefined : text;
}

function readRow(reader: RowReader): ImportRow {
  const number = reader.cell('number').trim();
  const numberIssue = numberProblem(number);
  if (numberIssue) reader.issue('number', numberIssue);
  const name = restoreFormula(reader.cell('name').trim());
  const nameIssue = nameProblem(name);
  if (nameIssue) reader.issue('name', nameIssue);
  const forwarding = readOptionalText(reader, 'forwarding');
  const forwardingIssue = forwarding === undefined ? null : forwardingProblem(forwarding);
  if (forwardingIssue) reader.issue('forwarding', `"${forwarding ?? ''}": ${forwardingIssue}`);
  const password = readOptionalText(reader, 'password');
  const verdict = password === undefined || numberIssue ? null : checkPassword(password, number);
  if (verdict && !verdict.ok) reader.issue('password', verdict.message ?? 'Choose another password.');
  return {
    line: reader.record.line,
    number,
    name,
    enabled: reader.flag('enabled'),
    manualDialing: reader.flag('manual_dialing'),
    callRecording: reader.flag('call_recording'),
    callLimit: readCallLimit(reader),
    allowedIps: readAllowedIps(reader),
    forwarding: forwarding ?? null,
    dnd: reader.flag('dnd'),
    ...(password === undefined ? {} : { password }),
  };
}

/** Reports a number seen earlier in the file on every later line that repeats it. */
function duplicateErrors(rows: readonly ImportRow[]): ImportError[] {
  const firstLine = new Map<string, number>();
  const errors: ImportError[] = [];
  for (const row of rows) {
    const first = firstLine.get(row.number);
    if (first === undefined) firstLine.set(row.number, row.line);
    else
      errors.push({
        line: row.line,
        column: 'number',
        message: `Extension ${row.number} appears twice in the file (first on line ${first}).`,
      });
  }
  return errors;
}

/**
 * Checks the header and every row; `rows` holds the rows with a valid number (so the caller can
 * look up which are taken) and `errors` every problem found, in line order.
 */
export function validateImport(parsed: ParsedCsv): ImportCheck {
  const [headerRecord, ...records] = parsed.records;
  const syntax = parsed.errors.map((e) => ({ line: e.line, column: null, message: e.message }));
  if (!headerRecord) {
    const empty = { line: 1, column: null, message: 'The file is empty; it needs a header line.' };
    return { rows: [], errors: syntax.length ? syntax : [empty], total: 0 };
  }
  const { header, errors } = readHeader(headerRecord);
  errors.push(...syntax);
  if (REQUIRED.some((c) => !header.has(c))) return { rows: [], errors, total: records.length };
  const rows: ImportRow[] = [];
  for (const record of records) {
    const reader = new RowReader(record, header);
    if (record.fields.length !== headerRecord.fields.length) {
      const expected = headerRecord.fields.length;
      errors.push({
        line: record.line,
        column: null,
        message: `This row has ${record.fields.length} fields; the header has ${expected}.`,
      });
      continue;
    }
    const row = readRow(reader);
    errors.push(...reader.errors);
    if (!reader.errors.some((e) => e.column === 'number')) rows.push(row);
  }
  if (records.length === 0 && errors.length === 0)
    errors.push({ line: 2, column: null, message: 'The file has no extensions below the header.' });
  errors.push(...duplicateErrors(rows));
  return { rows, errors: sortErrors(errors), total: records.length };
}

/** One error per row whose number is already taken. */
export function takenErrors(rows: readonly ImportRow[], taken: ReadonlySet<string>): ImportError[] {
  return rows
    .filter((row) => taken.has(row.number))
    .map((row) => ({ line: row.line, column: 'number', message: `Extension ${row.number} already exists.` }));
}

/** Errors in line order (stable within a line). */
export function sortErrors(errors: readonly ImportError[]): ImportError[] {
  return [...errors].sort((a, b) => a.line - b.line);
}
