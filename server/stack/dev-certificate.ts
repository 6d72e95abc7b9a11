// The self-signed certificate `npm start` makes for SIP over TLS when no certificate is configured.
import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';

/** Where the development certificate lives and whether this call made it. */
export interface DevCertificate {
  cert: string;
  key: string;
  generated: boolean;
}

export const DEV_CERT_FILE = 'dev-sip-cert.pem';
export const DEV_KEY_FILE = 'dev-sip-key.pem';
/** 825 days: the longest validity clients that check it still accept. */
const VALID_DAYS = 825;
/** A certificate this close to its end is made again. */
const RENEW_BEFORE_MS = 7 * 86_400_000;
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;

/** The names and addresses the certificate covers: `hosts` (wildcard addresses dropped), localhost, 127.0.0.1. */
export function certificateHosts(hosts: readonly string[]): string[] {
  const usable = hosts.filter(
    (host) => host !== '0.0.0.0' && host !== '::' && (isIP(host) !== 0 || HOST_NAME.test(host)),
  );
  return [...new Set([...usable, 'localhost', '127.0.0.1'])];
}

/** The certificate's subjectAltName extension: `IP:` for addresses, `DNS:` for names. */
export function subjectAltName(hosts: readonly string[]): string {
  return hosts.map((host) => (isIP(host) ? `IP:${host}` : `DNS:${host}`)).join(',');
}

/** True when both files hold a matching pair that covers every host and is not about to expire. */
function usable(certPath: string, keyPath: string, hosts: readonly string[], now: number): boolean {
  try {
    const cert = new X509Certificate(readFileSync(certPath));
    const key = createPrivateKey(readFileSync(keyPath));
    const covers = (host: string) => (isIP(host) ? cert.checkIP(host) : cert.checkHost(host)) !== undefined;
    return (
      cert.checkPrivateKey(key) &&
      Date.parse(cert.validTo) - now > RENEW_BEFORE_MS &&
      hosts.every((host) => covers(host))
    );
  } catch {
    return false;
  }
}

function generate(dir: string, hosts: readonly string[]): void {
  const work = mkdtempSync(join(dir, '.dev-cert-'));
  const [cert, key] = [join(work, DEV_CERT_FILE), join(work, DEV_KEY_FILE)];
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-sha256',
        '-days',
        String(VALID_DAYS),
        '-subj',
        `/O=Earshot development certificate/CN=${hosts[0] ?? 'localhost'}`,
        '-addext',
        `subjectAltName=${subjectAltName(hosts)}`,
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    chmodSync(key, 0o600);
    renameSync(key, join(dir, DEV_KEY_FILE));
    renameSync(cert, join(dir, DEV_CERT_FILE));
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'ENOENT';
    throw new Error(
      missing
        ? 'openssl is needed to make the development certificate for SIP over TLS (apt-get install openssl), or set EARSHOT_TLS_CERT and EARSHOT_TLS_KEY.'
        : `openssl could not make the development certificate: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The development certificate in `dir` for `hosts`: reused when it is there, matches its key,
 * covers every host and is not about to expire; otherwise made (again) with openssl, key mode 0600.
 */
export function ensureDevCertificate(
  dir: string,
  hosts: readonly string[],
  now = Date.now(),
): DevCertificate {
  const names = certificateHosts(hosts);
  const cert = join(dir, DEV_CERT_FILE);
  const key = join(dir, DEV_KEY_FILE);
  if (usable(cert, key, names, now)) return { cert, key, generated: false };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  generate(dir, names);
  return { cert, key, generated: true };
}
