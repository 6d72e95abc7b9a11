// Checks an extensions CSV row by row and reports its problems with their line and column. Pure:
// the numbers already taken in the database are passed in. Bounded: IMPORT_LIMITS caps the
// columns, the length of a row, the rows and the errors listed; validateCsv pauses between slices
// of rows so the event loop keeps answering other requests.
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { checkPassword } from '../security/password-policy.ts';
import { unsafeTextProblem, visibleText } from '../security/unsafe-text.ts';
import { checkCidrList } from './cidr.ts';
import { CSV_COLUMNS, PASSWORD_COLUMN, type CsvColumn } from './csv-columns.ts';
import { restoreFormula } from './csv-format.ts';
import {
  CsvLimitError,
  CsvReader,
  type CsvRecord,
  type CsvSyntaxError,
  type ParsedCsv,
} from './csv-parse.ts';
import { CALL_LIMIT, callLimitProblem, forwardingProblem, nameProblem, phoneNumberField } from './fields.ts';

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
  /** E.164. */
  did: string | null;
  /** E.164. */
  callerId: string | null;
  password?: string;
}

/** The first problems of a file (at most IMPORT_LIMITS.maxReportedErrors, in line order) and how many there are. */
export interface ErrorReport {
  errors: ImportError[];
  totalErrors: number;
}

export interface ImportCheck extends ErrorReport {
  rows: ImportRow[];
  /** Data rows in the file (valid or not). */
  total: number;
}

/** What an import reads at most; a file over one of the first three is refused whole (CsvLimitError). */
export const IMPORT_LIMITS = {
  /** Fields in one line (the header included). */
  maxColumns: 32,
  /** Characters in one row. */
  maxLineLength: 16_384,
  /** Data rows below the header. */
  maxRows: 200_000,
  /** Errors listed in an answer; `totalErrors` counts them all. */
  maxReportedErrors: 100,
} as const;

/** validateCsv pauses for the event loop after this many rows or this many milliseconds. */
const SLICE = { rows: 1_000, ms: 10 } as const;

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

/** One error for every unknown column: the first few names, and the known ones once. */
function unknownColumns(line: number, names: readonly string[]): ImportError {
  const distinct = [...new Set(names)];
  const shown = distinct.slice(0, 5).map((n) => (n.trim() === '' ? '(empty)' : `"${visibleText(n)}"`));
  const more = distinct.length > shown.length ? ` and ${distinct.length - shown.length} more` : '';
  const label = distinct.length === 1 ? 'Unknown column' : 'Unknown columns';
  return {
    line,
    column: names.length === 1 ? visibleText(names[0] ?? '') : null,
    message: `${label} ${shown.join(', ')}${more}. Known: ${KNOWN.join(', ')}.`,
  };
}

function readHeader(record: CsvRecord): { header: Header; errors: ImportError[] } {
  const header: Header = new Map();
  const errors: ImportError[] = [];
  const unknown: string[] = [];
  const line = record.line;
  record.fields.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if (!KNOWN.includes(name)) unknown.push(raw);
    else if (header.has(name as CsvColumn))
      errors.push({ line, column: name, message: `The column "${name}" appears twice.` });
    else header.set(name as CsvColumn, index);
  });
  if (unknown.length) errors.unshift(unknownColumns(line, unknown));
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

  /** Reports every cell of a known column holding a refused character; true if there was one. */
  unsafeCells(): boolean {
    for (const [column, index] of this.header) {
      const problem = unsafeTextProblem(this.record.fields[index] ?? '');
      if (problem) this.issue(column, `This cell ${problem}.`);
    }
    return this.errors.length > 0;
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

/** A DID or caller ID cell as E.164 (empty: none). */
function readPhoneNumber(reader: RowReader, column: 'did' | 'caller_id'): string | null {
  const text = reader.cell(column).trim();
  if (text === '') return null;
  const number = phoneNumberField(text);
  if (number.ok) return number.e164;
  reader.issue(column, `"${visibleText(text)}": ${number.message}.`);
  return null;
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
    did: readPhoneNumber(reader, 'did'),
    callerId: readPhoneNumber(reader, 'caller_id'),
    ...(password === undefined ? {} : { password }),
  };
}

/** Keeps the first `cap` errors it is given (in line order) and counts them all. */
class ErrorLog {
  readonly errors: ImportError[] = [];
  total = 0;
  constructor(private readonly cap: number) {}

  add(...errors: ImportError[]): void {
    for (const error of errors) {
      this.total += 1;
      if (this.errors.length < this.cap) this.errors.push(error);
    }
  }
}

/** Checks a file record by record: the header first, then each row. */
class ImportValidator {
  readonly rows: ImportRow[] = [];
  readonly log = new ErrorLog(IMPORT_LIMITS.maxReportedErrors);
  total = 0;
  #header?: { columns: Header; width: number; usable: boolean };
  readonly #firstLine = new Map<string, number>();
  readonly #didLine = new Map<string, number>();

  add(record: CsvRecord): void {
    if (!this.#header) {
      const { header, errors } = readHeader(record);
      this.log.add(...errors);
      this.#header = {
        columns: header,
        width: record.fields.length,
        usable: REQUIRED.every((c) => header.has(c)),
      };
      return;
    }
    this.total += 1;
    if (this.total > IMPORT_LIMITS.maxRows)
      throw new CsvLimitError(
        'rows',
        record.line,
        `The file has more than ${IMPORT_LIMITS.maxRows.toLocaleString('en')} rows.`,
      );
    if (this.#header.usable) this.#row(record, this.#header.columns, this.#header.width);
  }

  #row(record: CsvRecord, columns: Header, width: number): void {
    if (record.fields.length !== width) {
      this.log.add({
        line: record.line,
        column: null,
        message: `This row has ${record.fields.length} fields; the header has ${width}.`,
      });
      return;
    }
    const reader = new RowReader(record, columns);
    // A cell with a control character or a text-direction override is reported alone, never echoed.
    if (reader.unsafeCells()) {
      this.log.add(...reader.errors);
      return;
    }
    const row = readRow(reader);
    this.log.add(...reader.errors);
    if (reader.errors.some((e) => e.column === 'number')) return;
    this.rows.push(row);
    this.#checkDid(row);
    const first = this.#firstLine.get(row.number);
    if (first === undefined) this.#firstLine.set(row.number, row.line);
    else
      this.log.add({
        line: row.line,
        column: 'number',
        message: `Extension ${row.number} appears twice in the file (first on line ${first}).`,
      });
  }

  /** A DID rings one extension: a second row with it is an error. */
  #checkDid(row: ImportRow): void {
    if (row.did === null) return;
    const first = this.#didLine.get(row.did);
    if (first === undefined) this.#didLine.set(row.did, row.line);
    else
      this.log.add({
        line: row.line,
        column: 'did',
        message: `The number ${row.did} appears twice in the file (first on line ${first}); it can ring one extension.`,
      });
  }

  finish(syntax: CsvSyntaxError | null): ImportCheck {
    if (syntax) this.log.add({ line: syntax.line, column: null, message: syntax.message });
    if (!this.#header && !syntax)
      this.log.add({ line: 1, column: null, message: 'The file is empty; it needs a header line.' });
    if (this.#header?.usable && this.total === 0 && this.log.total === 0)
      this.log.add({ line: 2, column: null, message: 'The file has no extensions below the header.' });
    return { rows: this.rows, errors: this.log.errors, totalErrors: this.log.total, total: this.total };
  }
}

/**
 * Checks the header and every row of parsed records, in one go (tests, small inputs); `rows` holds
 * the rows with a valid number (so the caller can look up which are taken).
 */
export function validateImport(parsed: ParsedCsv): ImportCheck {
  const validator = new ImportValidator();
  for (const record of parsed.records) validator.add(record);
  return validator.finish(parsed.errors[0] ?? null);
}

/**
 * Reads and checks CSV text within IMPORT_LIMITS, pausing for the event loop between slices of
 * at most 1,000 rows or 10 ms. Throws CsvLimitError, at the first line over a limit, for a file too large
 * to check.
 */
export async function validateCsv(text: string): Promise<ImportCheck> {
  const reader = new CsvReader(text, {
    maxFields: IMPORT_LIMITS.maxColumns,
    maxRecordLength: IMPORT_LIMITS.maxLineLength,
  });
  const validator = new ImportValidator();
  let rows = 0;
  let sliceEnd = performance.now() + SLICE.ms;
  for (let record = reader.next(); record; record = reader.next()) {
    validator.add(record);
    rows += 1;
    // Reading the clock every 64 rows keeps its cost out of the way.
    if (rows === SLICE.rows || (rows % 64 === 0 && performance.now() >= sliceEnd)) {
      await nextTurn();
      rows = 0;
      sliceEnd = performance.now() + SLICE.ms;
    }
  }
  return validator.finish(reader.error);
}

/** One error per row whose number is already taken. */
export function takenErrors(rows: readonly ImportRow[], taken: ReadonlySet<string>): ImportError[] {
  return rows
    .filter((row) => taken.has(row.number))
    .map((row) => ({ line: row.line, column: 'number', message: `Extension ${row.number} already exists.` }));
}

/** One error per row whose DID already rings an extension (`owners`: DID -> extension). */
export function takenDidErrors(
  rows: readonly ImportRow[],
  owners: ReadonlyMap<string, string>,
): ImportError[] {
  return rows.flatMap((row) => {
    const owner = row.did === null ? undefined : owners.get(row.did);
    return owner === undefined
      ? []
      : [
          {
            line: row.line,
            column: 'did',
            message: `The number ${row.did ?? ''} already rings extension ${owner}.`,
          },
        ];
  });
}

/** The first errors of `report` and `more` together, in line order (stable within a line), and their total. */
export function addErrors(report: ErrorReport, more: readonly ImportError[]): ErrorReport {
  const cap = IMPORT_LIMITS.maxReportedErrors;
  const errors = [...report.errors, ...more.slice(0, cap)].sort((a, b) => a.line - b.line).slice(0, cap);
  return { errors, totalErrors: report.totalErrors + more.length };
}
