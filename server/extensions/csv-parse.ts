// RFC 4180 CSV reading: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF
// line ends; a UTF-8 byte-order mark is skipped. Pure, no I/O.

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

/** Reads one quoted field starting after its opening quote; returns the value and where it ended. */
function readQuoted(text: string, start: number): { value: string; end: number; newlines: number } | null {
  let value = '';
  let i = start;
  let newlines = 0;
  for (;;) {
    const close = text.indexOf('"', i);
    if (close === -1) return null;
    const chunk = text.slice(i, close);
    value += chunk;
    newlines += countNewlines(chunk);
    if (text[close + 1] === '"') {
      value += '"';
      i = close + 2;
    } else return { value, end: close + 1, newlines };
  }
}

function countNewlines(chunk: string): number {
  let count = 0;
  for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) count += 1;
  return count;
}

/** Index of the next comma or line end at or after `from` (text.length if none). */
function nextDelimiter(text: string, from: number): number {
  for (let i = from; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (ch === 44 || ch === 10 || ch === 13) return i;
  }
  return text.length;
}

/** Length of the line break at `i` (CRLF 2, LF or CR 1), 0 when none. */
function lineBreakAt(text: string, i: number): number {
  if (text[i] === '\r') return text[i + 1] === '\n' ? 2 : 1;
  return text[i] === '\n' ? 1 : 0;
}

const isBlank = (fields: string[]): boolean => fields.length === 1 && fields[0] === '';

/**
 * Parses CSV text into records with their line numbers. Blank lines are skipped. A quote that
 * appears inside an unquoted field is kept literally (lenient, like spreadsheets); an unterminated
 * quoted field is an error and ends the parse.
 */
export function parseCsv(input: string): ParsedCsv {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let line = 1;
  let recordLine = 1;
  let i = 0;
  while (i <= text.length) {
    let value: string;
    if (text[i] === '"') {
      const quoted = readQuoted(text, i + 1);
      if (!quoted) {
        return { records, errors: [{ line: recordLine, message: 'A quoted field is never closed.' }] };
      }
      const after = nextDelimiter(text, quoted.end);
      value = quoted.value + text.slice(quoted.end, after);
      line += quoted.newlines;
      i = after;
    } else {
      const end = nextDelimiter(text, i);
      value = text.slice(i, end);
      i = end;
    }
    fields.push(value);
    if (text[i] === ',') {
      i += 1;
      continue;
    }
    if (!isBlank(fields)) records.push({ line: recordLine, fields });
    fields = [];
    if (i >= text.length) break;
    i += lineBreakAt(text, i);
    line += 1;
    recordLine = line;
  }
  return { records, errors: [] };
}
