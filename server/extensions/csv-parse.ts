// RFC 4180 CSV reading: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF
// line ends; a UTF-8 byte-order mark is skipped. Pure, no I/O. Read one record at a time
// (CsvReader) so a caller can pause between records, and with limits, so a hostile file (a header
// of ten million commas) is refused after a few kilobytes instead of being split in memory.

/** One CSV record and the physical line (1-based) it starts on, for error reports. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A record that could not be read (an unterminated quote runs to the end of the input). */
export interface CsvSyntaxError {
  line: number;
  message: string;
}

export interface ParsedCsv {
  records: CsvRecord[];
  errors: CsvSyntaxError[];
}

/** How large one record may be; a larger one stops the reading with a CsvLimitError. */
export interface CsvLimits {
  /** Most fields in one record. */
  maxFields: number;
  /** Most characters in one record (a quoted field may span several lines). */
  maxRecordLength: number;
}

const UNLIMITED: CsvLimits = { maxFields: Infinity, maxRecordLength: Infinity };

/** The input is over a limit: nothing after `line` was read. */
export class CsvLimitError extends Error {
  constructor(
    readonly limit: 'fields' | 'length' | 'rows',
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvLimitError';
  }
}

function countNewlines(chunk: string): number {
  let count = 0;
  for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) count += 1;
  return count;
}

/** Index of the next comma or line end at or after `from`, or `stop` if none comes before it. */
function nextDelimiter(text: string, from: number, stop: number): number {
  for (let i = from; i < stop; i += 1) {
    const ch = text.charCodeAt(i);
    if (ch === 44 || ch === 10 || ch === 13) return i;
  }
  return stop;
}

/** Length of the line break at `i` (CRLF 2, LF or CR 1), 0 when none. */
function lineBreakAt(text: string, i: number): number {
  if (text[i] === '\r') return text[i + 1] === '\n' ? 2 : 1;
  return text[i] === '\n' ? 1 : 0;
}

const isBlank = (fields: string[]): boolean => fields.length === 1 && fields[0] === '';

/**
 * Reads CSV text record by record. Blank lines are skipped. A quote that appears inside an
 * unquoted field is kept literally (lenient, like spreadsheets); an unterminated quoted field is
 * an error (`error`) and ends the reading.
 */
export class CsvReader {
  /** Set when the reading ended at a syntax error. */
  error: CsvSyntaxError | null = null;
  readonly #text: string;
  readonly #limits: CsvLimits;
  #i = 0;
  #line = 1;
  #done = false;

  constructor(input: string, limits: CsvLimits = UNLIMITED) {
    this.#text = input.startsWith('\uFEFF') ? input.slice(1) : input;
    this.#limits = limits;
  }

  /** The next non-blank record, or null at the end of the input (or at a syntax error). */
  next(): CsvRecord | null {
    while (!this.#done) {
      const line = this.#line;
      const fields = this.#readFields(line);
      if (!fields) return null;
      if (this.#i >= this.#text.length) this.#done = true;
      else {
        this.#i += lineBreakAt(this.#text, this.#i);
        this.#line += 1;
      }
      if (!isBlank(fields)) return { line, fields };
    }
    return null;
  }

  /** The fields of the record starting at the cursor, leaving it on the line end; null at a syntax error. */
  #readFields(line: number): string[] | null {
    const start = this.#i;
    const stop = Math.min(this.#text.length, start + this.#limits.maxRecordLength + 1);
    const fields: string[] = [];
    for (;;) {
      const value = this.#text[this.#i] === '"' ? this.#readQuoted(line, stop) : this.#readPlain(stop);
      if (value === null) return null;
      if (this.#i - start > this.#limits.maxRecordLength) throw this.#tooLong(line);
      fields.push(value);
      if (fields.length > this.#limits.maxFields)
        throw new CsvLimitError(
          'fields',
          line,
          `Line ${line} has more than ${this.#limits.maxFields.toLocaleString('en')} fields.`,
        );
      if (this.#text[this.#i] !== ',') return fields;
      this.#i += 1;
    }
  }

  #readPlain(stop: number): string {
    const end = nextDelimiter(this.#text, this.#i, stop);
    const value = this.#text.slice(this.#i, end);
    this.#i = end;
    return value;
  }

  /** A quoted field (cursor on its opening quote) and whatever follows its closing quote up to the next delimiter. */
  #readQuoted(line: number, stop: number): string | null {
    const text = this.#text;
    let value = '';
    let i = this.#i + 1;
    for (;;) {
      const close = text.indexOf('"', i);
      if (close === -1) {
        this.error = { line, message: 'A quoted field is never closed.' };
        this.#done = true;
        return null;
      }
      if (close >= stop) throw this.#tooLong(line);
      value += text.slice(i, close);
      if (text[close + 1] !== '"') {
        const after = nextDelimiter(text, close + 1, stop);
        value += text.slice(close + 1, after);
        this.#line += countNewlines(text.slice(this.#i, after));
        this.#i = after;
        return value;
      }
      value += '"';
      i = close + 2;
    }
  }

  #tooLong(line: number): CsvLimitError {
    const max = this.#limits.maxRecordLength.toLocaleString('en');
    return new CsvLimitError(
      'length',
      line,
      `The row starting on line ${line} is longer than ${max} characters.`,
    );
  }
}

/** Parses CSV text into records with their line numbers (see CsvReader). */
export function parseCsv(input: string, limits?: CsvLimits): ParsedCsv {
  const reader = new CsvReader(input, limits);
  const records: CsvRecord[] = [];
  for (let record = reader.next(); record; record = reader.next()) records.push(record);
  return { records, errors: reader.error ? [reader.error] : [] };
}
