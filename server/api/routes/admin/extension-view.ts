// How an extension row looks in the admin API, its ETag, and the helpers the extension routes share.
import type { FastifyRequest } from 'fastify';
import type { Extension } from '../../../db/schema.ts';
import { checkCidrList } from '../../../extensions/cidr.ts';
import { phoneNumberField } from '../../../extensions/fields.ts';
import { findDidOwner } from '../../../extensions/repository.ts';
import type { KickReport } from '../../../kamailio/kick-queue.ts';
import { lookupOrSilent, phoneServer, type Registration } from '../../../kamailio/types.ts';
import type { PolicyVerdict } from '../../../security/password-policy.ts';
import type { ApiContext } from '../../context.ts';
import { HttpError } from '../../errors.ts';
import { plainFieldMessage } from '../../validation.ts';
import type { AdminExtension } from './schemas.ts';

/** The mask every row shows instead of the SIP password. */
export const PASSWORD_MASK = '••••••••';

/** Admin API base path. */
export const ADMIN_BASE = '/api/v1/admin';

/** The ETag of a row: its revision, quoted. */
export const etagOf = (row: Extension): string => `"${row.revision}"`;

/** What Kamailio said of an extension's registrations, and which nodes did not answer. */
export interface LiveRegistrations {
  registrations: readonly Registration[];
  unreachableNodes: readonly string[];
}

/** Nobody registered, every node answered (a new extension). */
export const NOT_REGISTERED: LiveRegistrations = { registrations: [], unreachableNodes: [] };

const NO_DEVICE = {
  registeredAt: null,
  expiresAt: null,
  node: null,
  clientIp: null,
  clientName: null,
  transport: null,
  contacts: 0,
};

/**
 * The registration summary: the most recently refreshed device leads, `contacts` counts all.
 * No device found while a node did not answer is "unknown" (it may hold the bindings), never "no".
 */
function registrationOf(number: string, live: LiveRegistrations): AdminExtension['registration'] {
  const lead = [...live.registrations].sort((a, b) => b.expiresAt.localeCompare(a.expiresAt))[0];
  if (!lead && live.unreachableNodes.length > 0)
    return {
      status: 'unknown',
      registered: null,
      message: `${phoneServer(live.unreachableNodes)} did not answer, so whether extension ${number} is registered is unknown right now.`,
      ...NO_DEVICE,
    };
  if (!lead) return { status: 'unregistered', registered: false, ...NO_DEVICE };
  return {
    status: 'registered',
    registered: true,
    registeredAt: lead.registeredAt,
    expiresAt: lead.expiresAt,
    node: lead.node,
    clientIp: lead.clientIp || null,
    clientName: lead.userAgent || null,
    transport: lead.transport || null,
    contacts: live.registrations.length,
  };
}

/** The earliest registered-since time among an extension's devices (for sort=registeredAt). */
export function registeredSince(registrations: readonly Registration[] | undefined): string | null {
  const times = (registrations ?? []).map((r) => r.registeredAt ?? r.expiresAt).sort();
  return times[0] ?? null;
}

/** An extension as the admin API shows it: every field of the account list, the password masked. */
export function toAdminExtension(row: Extension, live: LiveRegistrations = NOT_REGISTERED): AdminExtension {
  return {
    number: row.number,
    name: row.name,
    password: PASSWORD_MASK,
    enabled: row.enabled === 1,
    status: row.enabled === 1 ? 'enabled' : 'disabled',
    manualDialing: row.manual_dialing === 1,
    callRecording: row.call_recording === 1,
    callLimit: row.call_limit,
    allowedIps: row.allowed_ips.split(',').filter(Boolean),
    forwarding: row.forwarding,
    dnd: row.dnd === 1,
    did: row.did,
    callerId: row.caller_id,
    registration: registrationOf(row.number, live),
    lastRegisteredAt: row.last_registered_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    passwordChangedAt: row.password_changed_at,
    etag: etagOf(row),
  };
}

/** The live registrations of one extension; Kamailio being down makes them unknown, never fails. */
export function liveRegistrations(ctx: ApiContext, number: string): Promise<LiveRegistrations> {
  const nodes = ctx.config.kamailioNodes.map((node) => node.name);
  return lookupOrSilent(ctx.registrar, number, nodes);
}

/** The extension number from the path; anything else is a plain 404. */
export function numberParam(request: FastifyRequest): string {
  const number = (request.params as { number?: string }).number ?? '';
  if (!/^\d{4,8}$/.test(number)) throw notFound(number);
  return number;
}

/** 400 for a chosen SIP password the policy refuses, naming the rule it breaks. */
export function passwordRefused(verdict: PolicyVerdict): HttpError {
  return new HttpError(400, 'weak-password', verdict.message ?? 'Choose another password.', {
    rule: verdict.rule,
    field: 'password',
  });
}

interface CheckedFields {
  forwarding?: string | null;
  allowedIps?: string[];
  did?: string | null;
  callerId?: string | null;
}

/** A DID or caller ID as E.164 (null and absent stay so); 400 naming the field otherwise. */
function phoneNumber(value: string | null | undefined, field: 'did' | 'callerId'): string | null | undefined {
  if (value === undefined || value === null) return value;
  const number = phoneNumberField(value);
  if (!number.ok)
    throw new HttpError(400, 'invalid-request', plainFieldMessage([field], `${number.message}.`), { field });
  return number.e164;
}

/**
 * The checks the schemas cannot make alone, shared by create and PATCH: no forwarding to itself,
 * allowed IPs normalised (bare address → /32 or /128, duplicates dropped), DID and caller ID in
 * E.164. 400 naming the field.
 */
export function checkedSettings<T extends CheckedFields>(body: T, number: string): T {
  if (body.forwarding === number)
    throw new HttpError(400, 'invalid-request', 'Forwarding: an extension cannot forward to itself', {
      field: 'forwarding',
    });
  const checked: T = { ...body };
  if (body.did !== undefined) checked.did = phoneNumber(body.did, 'did');
  if (body.callerId !== undefined) checked.callerId = phoneNumber(body.callerId, 'callerId');
  if (body.allowedIps === undefined) return checked;
  const ips = checkCidrList(body.allowedIps);
  if (!ips.ok)
    throw new HttpError(400, 'invalid-request', `Allowed IPs: ${ips.message}`, { field: 'allowedIps' });
  return { ...checked, allowedIps: ips.cidrs };
}

/** 409 for a DID that already rings another extension. */
export function didTaken(did: string, owner: string): HttpError {
  return new HttpError(409, 'did-taken', `The number ${did} already rings extension ${owner}.`, {
    field: 'did',
  });
}

/** After the unique index refused a write: 409 when `did` rings another extension than `number` (else returns). */
export async function checkDidFree(
  ctx: ApiContext,
  did: string | null | undefined,
  number: string,
): Promise<void> {
  if (!did) return;
  const owner = await findDidOwner(ctx.db, did);
  if (owner !== undefined && owner !== number) throw didTaken(did, owner);
}

/** 404 for an extension that does not exist. */
export function notFound(number: string): HttpError {
  return new HttpError(404, 'not-found', `There is no extension ${number}.`);
}

/**
 * The revision an `If-Match` header names: a number, null when the header is absent, or NaN when it
 * names none (a malformed or foreign ETag never matches).
 */
export function ifMatchRevision(request: FastifyRequest): number | null {
  const header = request.headers['if-match'];
  if (header === undefined || header === '') return null;
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(header);
  return match ? Number(match[1]) : Number.NaN;
}

/** 412 with the row as it is now, so the console can show what changed. */
export function conflict(current: Extension, live: LiveRegistrations): HttpError {
  return new HttpError(
    412,
    'conflict',
    `Someone else changed extension ${current.number} since you opened it. Reload and try again.`,
    { current: toAdminExtension(current, live) },
  );
}

/**
 * Removes the extension's live registrations (and closes their WebSockets). A node that does not
 * answer does not undo the change: the report says so and the kick is retried there.
 */
export function kickDevices(ctx: ApiContext, number: string): Promise<KickReport> {
  return ctx.kicks.kick(number);
}
