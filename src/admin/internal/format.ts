// Formatting shared by the console's views.
import { ApiError } from '../../services/account-api/account-api.ts';
import type { KickOutcome } from '../api/types.ts';

/** A date-time in the administrator's locale, or a dash. */
export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** The plain-language message of any failure. */
export function messageOf(error: unknown, fallback = 'Something went wrong. Try again.'): string {
  return error instanceof ApiError ? error.message : fallback;
}

/** `done`, then the warning when the devices could not be signed out yet (the server keeps trying). */
export function withKickWarning(done: string, kick: KickOutcome | undefined): string {
  return kick && !kick.delivered ? `${done} ${kick.message}` : done;
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
