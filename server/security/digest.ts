import { createHash } from 'node:crypto';

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** The two digest hashes Kamailio's auth_db compares against (it never sees the password). */
export function sipHashes(number: string, realm: string, password: string): { ha1: string; ha1b: string } {
  return {
    ha1: md5(`${number}:${realm}:${password}`),
    ha1b: md5(`${number}@${realm}:${realm}:${password}`),
  };
}
