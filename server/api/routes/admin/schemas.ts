// Request and response schemas of the admin API (validation, OpenAPI, and the console's types).
import { z } from 'zod';
import { isCidr } from '../../../extensions/cidr.ts';
import {
  CALL_LIMIT,
  FORWARDING,
  NAME_MAX_LENGTH,
  PHONE_NUMBER_MAX_LENGTH,
} from '../../../extensions/fields.ts';

const role = z.enum(['admin', 'viewer'], { error: 'role is "admin" or "viewer"' });
const boolText = (field: string) =>
  z.enum(['true', 'false'], { error: `${field} is true or false` }).optional();

export const AdminLoginBody = z.strictObject({
  username: z.string({ error: 'enter the username' }).min(1, { error: 'enter the username' }).max(64),
  password: z.string({ error: 'enter the password' }).min(1, { error: 'enter the password' }).max(1024),
});
export const AdminIdentity = z.object({ username: z.string(), role });
export const AdminSessionResponse = z.object({
  token: z.string(),
  expiresAt: z.string(),
  admin: AdminIdentity,
});

export const ApiKeyBody = z.strictObject({
  name: z
    .string({ error: 'name the key' })
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'a key name has 1 to 64 letters, digits or . _ -' }),
  role,
});
export const ApiKeyItem = z.object({
  id: z.string(),
  name: z.string(),
  role,
  createdAt: z.string(),
  createdBy: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const ApiKeyList = z.object({ items: z.array(ApiKeyItem) });
export const ApiKeyCreated = z.object({ id: z.string(), name: z.string(), role, key: z.string() });

export const Registration = z.object({
  /** unknown: a Kamailio node that may hold the extension's bindings did not answer. */
  status: z.enum(['registered', 'unregistered', 'unknown']),
  /** null when unknown. */
  registered: z.boolean().nullable(),
  /** Only when unknown: why, in plain language. */
  message: z.string().optional(),
  registeredAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  node: z.string().nullable(),
  clientIp: z.string().nullable(),
  clientName: z.string().nullable(),
  /** How the leading device is connected: udp, tcp, tls, ws or wss. */
  transport: z.string().nullable(),
  contacts: z.number(),
});

export const AdminExtension = z.object({
  number: z.string(),
  name: z.string(),
  /** Always masked; reveal with POST …/secret/reveal. */
  password: z.string(),
  enabled: z.boolean(),
  status: z.enum(['enabled', 'disabled']),
  manualDialing: z.boolean(),
  callRecording: z.boolean(),
  callLimit: z.number(),
  allowedIps: z.array(z.string()),
  forwarding: z.string().nullable(),
  dnd: z.boolean(),
  /** E.164 number that rings this extension from the SIP trunk, or null. */
  did: z.string().nullable(),
  /** E.164 caller ID of its outside calls, or null (then its DID, else the trunk's default). */
  callerId: z.string().nullable(),
  registration: Registration,
  lastRegisteredAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  passwordChangedAt: z.string(),
  etag: z.string(),
});
export type AdminExtension = z.infer<typeof AdminExtension>;

/** Whether a change's kick of the devices reached every Kamailio node (it is retried when not). */
export const KickOutcome = z.object({
  delivered: z.boolean(),
  message: z.string(),
  unreachableNodes: z.array(z.string()),
});

/** The extension after a change; `kick` when its devices were kicked (disable, new allowed IPs). */
export const ChangedExtension = AdminExtension.extend({ kick: KickOutcome.optional() });

export const ListQuery = z.object({
  page: z.coerce.number({ error: 'page is a number' }).int().min(1, { error: 'page starts at 1' }).default(1),
  pageSize: z.coerce
    .number({ error: 'pageSize is a number' })
    .int()
    .min(1, { error: 'pageSize is at least 1' })
    .max(500, { error: 'pageSize is at most 500' })
    .default(50),
  sort: z
    .enum(['number', 'name', 'createdAt', 'registeredAt'], {
      error: 'sort is number, name, createdAt or registeredAt',
    })
    .default('number'),
  order: z.enum(['asc', 'desc'], { error: 'order is asc or desc' }).default('asc'),
  q: z.string().max(128, { error: 'the search text is too long' }).optional(),
  enabled: boolText('enabled'),
  registered: boolText('registered'),
  manualDialing: boolText('manualDialing'),
  callRecording: boolText('callRecording'),
  /** Passwords due for rotation: last set more than this many days ago. */
  passwordAge: z.coerce
    .number({ error: 'passwordAge is a number of days' })
    .int({ error: 'passwordAge is a whole number of days' })
    .min(1, { error: 'passwordAge is at least 1 day' })
    .max(3650, { error: 'passwordAge is at most 3650 days (ten years)' })
    .optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;

export const ListResponse = z.object({
  items: z.array(AdminExtension),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  /** Kamailio nodes that did not answer: their registrations are missing from the rows. */
  unavailableNodes: z.array(z.string()),
});

/** A phone number in international format (+ or 00, formatting allowed; stored as E.164), or null. */
const phoneNumber = (field: string) =>
  z
    .string({ error: `${field} is a phone number in international format, or null` })
    .max(PHONE_NUMBER_MAX_LENGTH, { error: `${field} has at most ${PHONE_NUMBER_MAX_LENGTH} characters` })
    .nullable();

/** The settings an admin may edit (PATCH) or give at creation. */
const settings = {
  name: z
    .string({ error: 'name must be a string' })
    .trim()
    .min(1, { error: 'enter a name' })
    .max(NAME_MAX_LENGTH, { error: `a name has at most ${NAME_MAX_LENGTH} characters` }),
  enabled: z.boolean({ error: 'enabled is true or false' }),
  manualDialing: z.boolean({ error: 'manualDialing is true or false' }),
  callRecording: z.boolean({ error: 'callRecording is true or false' }),
  callLimit: z
    .number({ error: 'callLimit is a number' })
    .int({ error: 'callLimit is a whole number' })
    .min(CALL_LIMIT.min, { error: `callLimit is at least ${CALL_LIMIT.min}` })
    .max(CALL_LIMIT.max, { error: `callLimit is at most ${CALL_LIMIT.max}` }),
  allowedIps: z
    .array(z.string().refine(isCidr, { error: 'each entry is an IP address or CIDR range, e.g. 10.0.0.0/8' }))
    .max(100, { error: 'at most 100 allowed-IP entries' }),
  forwarding: z
    .string()
    .regex(FORWARDING, {
      error: 'forward to an extension or phone number: 2 to 32 digits, optionally starting with +',
    })
    .nullable(),
  dnd: z.boolean({ error: 'dnd is true or false' }),
  did: phoneNumber('did'),
  callerId: phoneNumber('callerId'),
};

/** Every setting, optional: what PATCH may send and what creation may leave to the defaults. */
const optionalSettings = z.object(settings).partial().shape;

export const CreateBody = z.strictObject({
  number: z.string({ error: 'enter the extension number' }).regex(/^\d{4,8}$/, {
    error: 'an extension number has 4 to 8 digits',
  }),
  password: z.string({ error: 'password must be a string' }).max(1024).optional(),
  ...optionalSettings,
  name: settings.name,
});
export type CreateBody = z.infer<typeof CreateBody>;

export const CreateResponse = z.object({ extension: AdminExtension, password: z.string().optional() });

export const PatchBody = z.strictObject(optionalSettings);
export type PatchBody = z.infer<typeof PatchBody>;

export const ConflictResponse = z.object({
  error: z.string(),
  message: z.string(),
  current: AdminExtension,
});

export const SecretBody = z.strictObject({
  password: z.string({ error: 'password must be a string' }).min(1, { error: 'enter a password' }).max(1024),
});
export const SecretResponse = z.object({ password: z.string() });
export const RegeneratedSecret = SecretResponse.extend({ kick: KickOutcome });

export const NumberParams = z.object({
  number: z.string().regex(/^\d{4,8}$/, { error: 'an extension number has 4 to 8 digits' }),
});
export const IdParams = z.object({ id: z.string().min(1).max(64) });
