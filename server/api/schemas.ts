import { z } from 'zod';

// The one contract of the account service: request validation, responses, the OpenAPI document,
// and (type-only) the browser client.

const extensionNumber = z.string({ error: 'must be a string of 4 to 8 digits' }).regex(/^\d{4,8}$/, {
  error: 'an extension number has 4 to 8 digits',
});
const secret = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, { error: `enter ${what}` })
    .max(1024, { error: `${what} is too long` });

export const ErrorResponse = z.object({
  error: z.string(),
  message: z.string(),
  rule: z.string().optional(),
  retryAfter: z.number().optional(),
  field: z.string().optional(),
});

export const LoginBody = z.strictObject({ extension: extensionNumber, password: secret('the password') });
export const SessionResponse = z.object({ token: z.string(), expiresAt: z.string(), extension: z.string() });

export const MeExtension = z.object({
  number: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  manualDialing: z.boolean(),
  callRecording: z.boolean(),
  passwordChangedAt: z.string(),
});

export const DeviceSchema = z.object({
  node: z.string(),
  registeredAt: z.string().nullable(),
  expiresAt: z.string(),
  clientIp: z.string(),
  clientPort: z.number(),
  transport: z.string(),
  clientName: z.string(),
  contact: z.string(),
});

export const MeResponse = z.object({
  extension: MeExtension,
  registration: z.object({
    /** unknown: no device found while a Kamailio node (which may hold the binding) did not answer. */
    status: z.enum(['registered', 'unregistered', 'unknown']),
    /** null when unknown. */
    registered: z.boolean().nullable(),
    /** Only when unknown: why, in plain language. */
    message: z.string().optional(),
    devices: z.array(DeviceSchema),
    unavailableNodes: z.array(z.string()),
  }),
});

export const PasswordChangeBody = z.strictObject({
  currentPassword: secret('your current password'),
  newPassword: secret('a new password'),
});
export const PasswordChangeResponse = z.object({
  passwordChangedAt: z.string(),
  otherSessionsRevoked: z.number(),
  kicked: z.boolean(),
});

export const SuggestionResponse = z.object({ password: z.string(), entropyBits: z.number() });
export const ClientConfigResponse = z.object({ sipServer: z.string(), realm: z.string() });
/** One component in GET /api/health: `database`, `kamailio` (one per node), `rtpengine`, `turn`. */
export const ComponentHealth = z.object({
  name: z.string(),
  /** The node, for components that run on several (Kamailio). */
  node: z.string().optional(),
  status: z.enum(['ok', 'down', 'read-only']),
  /** What is wrong, in words; absent when ok. */
  message: z.string().optional(),
});
export type ComponentHealth = z.infer<typeof ComponentHealth>;
export const HealthResponse = z.object({ ok: z.boolean(), components: z.array(ComponentHealth) });

export type MeResponse = z.infer<typeof MeResponse>;

/** GET /api/v1/me/ice-servers: RTCConfiguration.iceServers with TURN credentials minted for the agent. */
export const IceServersResponse = z.object({
  iceServers: z.array(
    z.object({
      urls: z.array(z.string()),
      username: z.string().optional(),
      credential: z.string().optional(),
    }),
  ),
  /** When the TURN credentials stop working; null without TURN. Fetch new ones well before. */
  expiresAt: z.string().nullable(),
});
