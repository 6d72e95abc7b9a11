import type { PhoneController } from '../../controllers/phone-controller.ts';
import { checkDialString } from '../../internal/phone-number.ts';
import { LoginError } from '../../services/sip/failure.ts';

/** How long a call placed right after login waits for the account details (manual dialing …). */
const ACCOUNT_WAIT_MS = 5000;

/** Runs an intent; a failure becomes a plain-language notice instead of an unhandled rejection. */
export async function runIntent(
  host: { showNotice(message: string): void },
  action: () => Promise<void>,
): Promise<void> {
  try {
    await action();
  } catch (error) {
    // Login failures are already shown by the login form from the registration state.
    if (error instanceof LoginError) return;
    host.showNotice(error instanceof Error ? error.message : 'Something went wrong. Try again.');
  }
}

/**
 * The number to dial, normalised; refused with the reason when logged out, manual dialing is off,
 * the account details could not be loaded, or the number cannot be dialed.
 */
export async function dialableNumber(phone: PhoneController, number: string): Promise<string> {
  // A host may call right after earshot-registered, while the account session is still opening
  // (at once when logged out, also when logged out meanwhile).
  await phone.line.accountKnown(ACCOUNT_WAIT_MS);
  if (!phone.line.active) throw new Error('Log in before placing a call.');
  if (!phone.me) {
    const reason = phone.meError ?? 'they are still loading.';
    throw new Error(`Calls cannot be placed until your account details load: ${reason}`);
  }
  if (!phone.canDial) throw new Error('Manual dialing is not enabled for this extension.');
  const check = checkDialString(number);
  if (!check.ok) throw new Error(check.message);
  return check.number;
}
