// The one CIDR validator of Earshot (allowed IPs of an extension): IPv4 or IPv6, a bare address
// means /32 or /128. Used by the admin API, the bulk generator and the CSV import.
import { isIPv4, isIPv6 } from 'node:net';

/** The result of checking one CIDR entry: its normal form, or why it is not one. */
export type CidrCheck = { ok: true; cidr: string } | { ok: false; message: string };

const PREFIX = /^\d{1,3}$/;

/**
 * Checks one allowed-IP entry and normalises it: `10.0.0.0/8` stays, a bare `192.0.2.7` becomes
 * `192.0.2.7/32`, a bare IPv6 address `/128`; IPv6 is lower-cased. The prefix must fit the family.
 */
export function checkCidr(text: string): CidrCheck {
  const value = text.trim();
  const slash = value.indexOf('/');
  const address = slash === -1 ? value : value.slice(0, slash);
  const prefixText = slash === -1 ? null : value.slice(slash + 1);
  // Zone ids (fe80::1%eth0) name a local interface and mean nothing to Kamailio.
  const bits = isIPv4(address) ? 32 : isIPv6(address) && !address.includes('%') ? 128 : 0;
  if (bits === 0)
    return { ok: false, message: `"${value}" is not an IP address or CIDR range (e.g. 10.0.0.0/8).` };
  if (prefixText !== null && (!PREFIX.test(prefixText) || Number(prefixText) > bits))
    return { ok: false, message: `"${value}" has a bad prefix length; use /0 to /${bits}.` };
  const prefix = prefixText === null ? bits : Number(prefixText);
  return { ok: true, cidr: `${bits === 128 ? address.toLowerCase() : address}/${prefix}` };
}

/** Normalises a list of CIDR entries; the first bad one is reported with its message. */
export function checkCidrList(
  entries: readonly string[],
): { ok: true; cidrs: string[] } | { ok: false; message: string } {
  const cidrs: string[] = [];
  for (const entry of entries) {
    const checked = checkCidr(entry);
    if (!checked.ok) return checked;
    if (!cidrs.includes(checked.cidr)) cidrs.push(checked.cidr);
  }
  return { ok: true, cidrs };
}

/** True when `text` is a valid CIDR entry (or bare IP); for schema refinements. */
export function isCidr(text: string): boolean {
  return checkCidr(text).ok;
}
