// The extension CSV layout shared by export and import.
import type { Extension } from '../db/schema.ts';
import { csvLine, defuseFormula } from './csv-format.ts';

/** Export column order; import accepts them in any order (only number and name are required). */
export const CSV_COLUMNS = [
  'number',
  'name',
  'enabled',
  'manual_dialing',
  'call_recording',
  'call_limit',
  'allowed_ips',
  'forwarding',
  'dnd',
  'created_at',
  // Added with the SIP trunk; last, so exports read by position keep their columns.
  'did',
  'caller_id',
] as const;

/** Present only in an export with secrets, optional on import (empty: one is generated). */
export const PASSWORD_COLUMN = 'password';

export type CsvColumn = (typeof CSV_COLUMNS)[number] | typeof PASSWORD_COLUMN;

const bool = (flag: number): string => (flag ? 'true' : 'false');

/** The header line of an export. */
export function csvHeader(withSecrets: boolean): string {
  return csvLine(withSecrets ? [...CSV_COLUMNS, PASSWORD_COLUMN] : CSV_COLUMNS);
}

/** One extension as a CSV line; allowed IPs are space-separated inside their field; names and passwords defused. */
export function extensionCsvLine(extension: Extension, password?: string): string {
  const fields = [
    extension.number,
    defuseFormula(extension.name),
    bool(extension.enabled),
    bool(extension.manual_dialing),
    bool(extension.call_recording),
    String(extension.call_limit),
    extension.allowed_ips.split(',').filter(Boolean).join(' '),
    extension.forwarding ?? '',
    bool(extension.dnd),
    extension.created_at,
    extension.did ?? '',
    extension.caller_id ?? '',
  ];
  return csvLine(password === undefined ? fields : [...fields, defuseFormula(password)]);
}
