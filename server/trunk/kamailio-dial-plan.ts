// Renders the dial plan (dial-plan.ts) as the body of Kamailio's route[DIAL_PLAN]: the same
// rewrites in the same order, the same calling codes and lengths, the same refusal sentences (as
// reason phrases). Input $var(dial); output $var(e164), or "" with $var(status) and $var(phrase).
import { CALLING_CODES } from './calling-codes.ts';
import {
  DialRefusal,
  E164_DIGITS,
  NUMBER_PATTERN,
  refusal,
  SIGNIFICANT_DIGITS,
  type DialPlan,
  type Rewrite,
} from './dial-plan.ts';

const TAB = '\t';

/** The statements that refuse with `reason` and leave the route. */
function refuse(reason: DialRefusal, indent: string, callingCode?: string): string[] {
  const { status, message } = refusal(reason, callingCode);
  return [`${indent}$var(status) = ${status};`, `${indent}$var(phrase) = "${message}";`, `${indent}return;`];
}

function rewriteStatement(rule: Rewrite): string {
  const rest = rule.strip === 0 ? '$var(dial)' : `$(var(dial){s.substr,${rule.strip},0})`;
  return rule.prefix === '' ? `$var(number) = ${rest};` : `$var(number) = "${rule.prefix}" + ${rest};`;
}

function rewrites(plan: DialPlan): string[] {
  const lines: string[] = [];
  plan.rewrites.forEach((rule, index) => {
    lines.push(`${TAB}${index === 0 ? 'if' : '} else if'} ($var(dial) =~ "${rule.pattern}") {`);
    lines.push(`${TAB}${TAB}${rewriteStatement(rule)}`);
  });
  lines.push(`${TAB}} else {`, ...refuse(DialRefusal.NeedsCountryCode, TAB + TAB), `${TAB}}`);
  return lines;
}

/** Length checks: per calling code of the table, then E.164's own bounds (lengths count the +). */
function lengths(): string[] {
  const lines: string[] = [];
  const inner = TAB + TAB + TAB;
  Object.entries(SIGNIFICANT_DIGITS).forEach(([code, { min, max }], index) => {
    const total = 1 + code.length;
    lines.push(`${TAB}${index === 0 ? 'if' : '} else if'} ($var(number) =~ "^[+]${code}") {`);
    lines.push(`${TAB}${TAB}if ($var(len) < ${total + min}) {`, ...refuse(DialRefusal.TooShort, inner, code));
    lines.push(
      `${TAB}${TAB}}`,
      `${TAB}${TAB}if ($var(len) > ${total + max}) {`,
      ...refuse(DialRefusal.TooLong, inner, code),
    );
    lines.push(`${TAB}${TAB}}`);
  });
  lines.push(`${TAB}} else {`);
  lines.push(`${TAB}${TAB}if ($var(len) < ${1 + E164_DIGITS.min}) {`, ...refuse(DialRefusal.TooShort, inner));
  lines.push(
    `${TAB}${TAB}}`,
    `${TAB}${TAB}if ($var(len) > ${1 + E164_DIGITS.max}) {`,
    ...refuse(DialRefusal.TooLong, inner),
  );
  lines.push(`${TAB}${TAB}}`, `${TAB}}`);
  return lines;
}

/** The body of route[DIAL_PLAN] for `plan`. */
export function renderDialPlanRoute(plan: DialPlan): string {
  const codes = CALLING_CODES.join('|');
  return [
    `${TAB}# Default country: ${plan.country ?? 'none (international formats only)'}.`,
    `${TAB}$var(e164) = "";`,
    `${TAB}if (!($var(dial) =~ "${NUMBER_PATTERN}")) {`,
    ...refuse(DialRefusal.NotANumber, TAB + TAB),
    `${TAB}}`,
    ...rewrites(plan),
    `${TAB}if (!($var(number) =~ "^[+][0-9]")) {`,
    ...refuse(DialRefusal.TooShort, TAB + TAB),
    `${TAB}}`,
    `${TAB}if (!($var(number) =~ "^[+](${codes})")) {`,
    ...refuse(DialRefusal.UnknownCountry, TAB + TAB),
    `${TAB}}`,
    `${TAB}$var(len) = $(var(number){s.len});`,
    ...lengths(),
    `${TAB}$var(e164) = $var(number);`,
  ].join('\n');
}
