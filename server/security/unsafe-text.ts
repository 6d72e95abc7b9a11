// The characters no text the service accepts may hold, defined once: JSON bodies
// (server/api/validation.ts), path and query parameters (server/api/request-guard.ts) and CSV cells
// (server/extensions/import-validate.ts) all refuse them.
//
// - Control characters (C0 incl. NUL, DEL, C1) and the line/paragraph separators U+2028/U+2029:
//   no field of the API is multi-line; PostgreSQL cannot store NUL; logs and SIP headers break.
// - Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they make the
//   text after them display in another order ("Trojan Source"), e.g. "RTL" shown as "LTR". The
//   marks U+200E/U+200F/U+061C only steer neutral characters and are allowed (names in
//   right-to-left scripts use them).
// - Lone UTF-16 surrogates (from a JSON "\ud800" escape): not text.

// \p{Cc} is exactly U+0000–U+001F and U+007F–U+009F.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/u;
const LONE_SURROGATE = /\p{Cs}/u;
const ANY_UNSAFE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]|\p{Cs}/gu;

/** Why `text` cannot be accepted, as the end of a sentence about it ("… contains …"), or null. */
export function unsafeTextProblem(text: string): string | null {
  if (CONTROL.test(text))
    return 'contains a control character (such as NUL, a tab or a line break), which is not allowed';
  if (BIDI.test(text))
    return 'contains an invisible text-direction override (such as U+202E), which can make text display in a misleading order';
  if (LONE_SURROGATE.test(text)) return 'contains a broken character (not valid Unicode text)';
  return null;
}

/** `text` safe to quote in a message: refused characters written as U+XXXX, at most `max` characters. */
export function visibleText(text: string, max = 40): string {
  const shown = text.replace(
    ANY_UNSAFE,
    (ch) => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
  return shown.length > max ? `${shown.slice(0, max)}…` : shown;
}
