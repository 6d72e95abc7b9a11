// The codes and names a bulk generation would create. Pure, no I/O.
import { EXTENSION_NUMBER } from './repository.ts';

/** What a bulk generation asks for. */
export interface BulkRequest {
  count: number;
  startCode: string;
  namePattern: string;
}

/** One extension a bulk generation would create. */
export interface PlannedExtension {
  number: string;
  name: string;
}

export const CODE_PLACEHOLDER = '{code}';

/**
 * `count` consecutive codes from `startCode`, keeping its width (0100 -> 0101 …), each named by
 * the pattern with `{code}` replaced. Codes that outgrow 8 digits are still listed (as collisions).
 */
export function planBulk(request: BulkRequest): PlannedExtension[] {
  const start = BigInt(request.startCode);
  const width = request.startCode.length;
  return Array.from({ length: request.count }, (_, i) => {
    const number = (start + BigInt(i)).toString().padStart(width, '0');
    return { number, name: request.namePattern.replaceAll(CODE_PLACEHOLDER, number) };
  });
}

/** Codes a database could never hold (not 4 to 8 digits). */
export function invalidCodes(plan: readonly PlannedExtension[]): string[] {
  return plan.filter((p) => !EXTENSION_NUMBER.test(p.number)).map((p) => p.number);
}

/**
 * Why a SIP username pattern cannot be used, or null. Earshot's SIP username is the extension
 * number itself (Kamailio authenticates `number@realm`), so the pattern must yield exactly the code.
 */
export function usernamePatternProblem(pattern: string): string | null {
  return pattern.trim() === CODE_PLACEHOLDER
    ? null
    : `The SIP username of an Earshot extension is its number, so the username pattern must be exactly "${CODE_PLACEHOLDER}" (got "${pattern}").`;
}
