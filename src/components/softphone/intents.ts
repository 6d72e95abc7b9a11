import { LoginError } from '../../services/sip/failure.ts';

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
