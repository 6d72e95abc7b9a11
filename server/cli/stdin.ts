import { unsafeTextProblem } from '../security/unsafe-text.ts';

/** Reads a secret from standard input (first line), so it never appears in argv or shell history. */
export async function readSecretFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const secret = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (!secret) throw new Error('No password on standard input.');
  const problem = unsafeTextProblem(secret);
  if (problem) throw new Error(`The password on standard input ${problem}.`);
  return secret;
}
