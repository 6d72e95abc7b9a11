// The development certificate for SIP over TLS: made once, reused, the key private to its owner.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  certificateHosts,
  ensureDevCertificate,
  subjectAltName,
} from '../../server/stack/dev-certificate.ts';

void describe('development certificate', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-devcert-'));
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  void test('is made once, with the key readable by its owner only, and reused on the next start', () => {
    const first = ensureDevCertificate(dir, ['earshot.local', '127.0.0.1']);
    assert.equal(first.generated, true);
    assert.equal(statSync(first.key).mode & 0o777, 0o600);
    const pem = readFileSync(first.cert, 'utf8');
    const again = ensureDevCertificate(dir, ['earshot.local', '127.0.0.1']);
    assert.deepEqual(again, { ...first, generated: false });
    assert.equal(readFileSync(again.cert, 'utf8'), pem, 'the certificate was made again');
  });

  void test('covers the SIP host names and addresses, self-signed', () => {
    const { cert } = ensureDevCertificate(dir, ['earshot.local', '127.0.0.1']);
    const x509 = new X509Certificate(readFileSync(cert));
    assert.equal(x509.checkHost('earshot.local'), 'earshot.local');
    assert.equal(x509.checkHost('localhost'), 'localhost');
    assert.equal(x509.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(x509.issuer, x509.subject);
    assert.ok(Date.parse(x509.validTo) > Date.now() + 365 * 86_400_000, 'valid for less than a year');
  });

  void test('is made again when it no longer fits: another host, a damaged key, near its end', () => {
    const base = ensureDevCertificate(dir, ['earshot.local']);
    assert.equal(ensureDevCertificate(dir, ['earshot.local', '192.0.2.7']).generated, true);
    writeFileSync(base.key, 'not a key');
    assert.equal(ensureDevCertificate(dir, ['earshot.local']).generated, true);
    const farFuture = Date.now() + 900 * 86_400_000;
    assert.equal(ensureDevCertificate(dir, ['earshot.local'], farFuture).generated, true);
  });

  void test('wildcard listen addresses and odd names are left out; localhost and 127.0.0.1 are always in', () => {
    const hosts = certificateHosts(['0.0.0.0', 'sip.example.test', 'a b/c', '::', '10.0.0.5']);
    assert.deepEqual(hosts, ['sip.example.test', '10.0.0.5', 'localhost', '127.0.0.1']);
    assert.equal(subjectAltName(hosts), 'DNS:sip.example.test,IP:10.0.0.5,DNS:localhost,IP:127.0.0.1');
  });
});
