import type { Insertable, Selectable, Updateable } from 'kysely';

/** 0/1 flags: integers on both engines, because Kamailio's auth_db loads them as integer AVPs. */
export type Flag = 0 | 1;

/** One SIP extension. Kamailio's auth_db reads `number`, `ha1`, `ha1b` and loads the flag columns. */
export interface ExtensionTable {
  number: string;
  name: string;
  ha1: string;
  ha1b: string;
  /** AES-256-GCM copy of the SIP password for audited admin reveal (never logged, never returned by default). */
  secret_enc: string;
  enabled: Flag;
  manual_dialing: Flag;
  call_recording: Flag;
  call_limit: number;
  /** Comma-separated CIDR list; empty means any address. */
  allowed_ips: string;
  forwarding: string | null;
  dnd: Flag;
  /** Increments on every change: the ETag for optimistic concurrency. */
  revision: number;
  created_at: string;
  updated_at: string;
  password_changed_at: string;
  /** Last time the registration watcher saw the extension registered on any node (ISO), or null. */
  last_registered_at: string | null;
  /** The phone number (E.164) that rings this extension from the SIP trunk; unique; null: none. */
  did: string | null;
  /** The caller ID (E.164) its outside calls present; null: its DID, else the trunk's default. */
  caller_id: string | null;
}

export interface SessionTable {
  token_hash: string;
  subject_type: 'agent' | 'admin';
  subject: string;
  created_at: string;
  expires_at: string;
  ip: string;
}

export interface AdminTable {
  id: string;
  username: string;
  password_hash: string;
  role: 'admin' | 'viewer';
  created_at: string;
}

/** An API key for automation: only the SHA-256 of the key is stored; revoked keys stay for the record. */
export interface ApiKeyTable {
  id: string;
  name: string;
  role: 'admin' | 'viewer';
  key_hash: string;
  /** Audit actor who created it, e.g. `admin:alice`. */
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditTable {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  ip: string;
  details: string;
}

/**
 * One login-throttle counter (a name from one source, a name, or a source): attempts taken in the
 * window that ends at `window_until`; refused until `blocked_until`. Times are ISO-8601 UTC.
 */
export interface LoginThrottleTable {
  key: string;
  attempts: number;
  window_until: string;
  blocked_until: string;
  /** Attempts refused since the current block began. */
  refused: number;
  /** The next refusal of this key is audited once this has passed. */
  audited_until: string;
  last_at: string;
}

/** A place (`source`: IPv4 address or IPv6 /64) an account (`ext:1001`, `admin:alice`) logged in from. */
export interface LoginKnownSourceTable {
  name: string;
  source: string;
  last_success_at: string;
}

/** Kamailio's own table-version registry (auth_db checks the extensions row). */
export interface VersionTable {
  table_name: string;
  table_version: number;
}

/** A webhook: where alerts are POSTed, signed with its secret (sealed), for which events. */
export interface WebhookTable {
  id: string;
  url: string;
  secret_sealed: string;
  /** Comma-separated event names. */
  events: string;
  enabled: number;
  created_at: string;
  created_by: string;
}

/** Something worth an alert, waiting to be fanned out to the webhooks subscribed to it. */
export interface AlertEventTable {
  id: string;
  event: string;
  target: string;
  /** JSON object, never a secret. */
  data: string;
  at: string;
  fanned_out: number;
}

/** One event to one webhook: pending (retried with backoff), delivered or failed. */
export interface WebhookDeliveryTable {
  id: string;
  webhook_id: string;
  event_id: string;
  event: string;
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string;
  /** `HTTP 500`, `timeout`, … of the last attempt. */
  last_result: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** An extension whose stale registration was alerted, with the last registration it had then. */
export interface StaleAlertTable {
  number: string;
  last_registered_at: string | null;
  alerted_at: string;
}

export interface Database {
  extensions: ExtensionTable;
  sessions: SessionTable;
  admins: AdminTable;
  api_keys: ApiKeyTable;
  audit_log: AuditTable;
  login_throttle: LoginThrottleTable;
  login_known_sources: LoginKnownSourceTable;
  version: VersionTable;
  webhooks: WebhookTable;
  alert_events: AlertEventTable;
  webhook_deliveries: WebhookDeliveryTable;
  stale_alerts: StaleAlertTable;
  earshot_migrations: { name: string; applied_at: string };
}

export type Extension = Selectable<ExtensionTable>;
export type NewExtension = Insertable<ExtensionTable>;
export type ExtensionUpdate = Updateable<ExtensionTable>;
export type Admin = Selectable<AdminTable>;
export type ApiKey = Selectable<ApiKeyTable>;
export type Session = Selectable<SessionTable>;
export type Webhook = Selectable<WebhookTable>;
export type WebhookDelivery = Selectable<WebhookDeliveryTable>;
