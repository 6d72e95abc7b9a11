// Formatting shared by the console's views.
import { ApiError } from '../../services/account-api/account-api.ts';

/** A date-time in the administrator's locale, or a dash. */
export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** The plain-language message of any failure. */
export function messageOf(error: unknown, fallback = 'Something went wrong. Try again.'): string {
  return error instanceof ApiError ? error.message : fallback;
}

/** "10.0.0.0/8, 192.0.2.1" -> ["10.0.0.0/8", "192.0.2.1"] (commas, spaces or new lines). */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** The text of a form field, or '' when missing. */
export function formText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}
