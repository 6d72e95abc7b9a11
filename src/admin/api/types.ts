// Shapes of the admin API (/api/v1/admin), as the shared contract defines them.

/** Roles an administrator can have: `viewer` may only read. */
export type AdminRole = 'admin' | 'viewer';

/** The signed-in administrator. */
export interface AdminIdentity {
  username: string;
  role: AdminRole;
}

/** What POST /sessions answers. */
export interface AdminSession {
  token: string;
  expiresAt: string;
  admin: AdminIdentity;
}

/** Live registration of an extension, from one registrar dump. */
export interface AdminRegistration {
  /** `unknown`: a phone-server node that may hold the registration did not answer. */
  status: 'registered' | 'unregistered' | 'unknown';
  /** null when unknown. */
  registered: boolean | null;
  /** Only when unknown: why, in plain language. */
  message?: string;
  registeredAt: string | null;
  expiresAt: string | null;
  node: string | null;
  clientIp: string | null;
  clientName: string | null;
  /** How the leading device is connected: udp, tcp, tls, ws or wss. */
  transport: string | null;
  contacts: number;
}

/** One extension account as the admin API lists it (the password is always masked here). */
export interface AdminExtension extends ExtensionSettings {
  number: string;
  password: string;
  status: 'enabled' | 'disabled';
  registration: AdminRegistration;
  lastRegisteredAt: string | null;
  createdAt: string;
  updatedAt: string;
  passwordChangedAt: string;
  etag: string;
}

/** Whether a change's sign-out of the devices reached every phone-server node (retried when not). */
export interface KickOutcome {
  delivered: boolean;
  /** Plain language: what happened to the devices and what happens next. */
  message: string;
  unreachableNodes: string[];
}

/** An extension after a change; `kick` when its devices were signed out (disable, new allowed IPs). */
export interface ChangedExtension extends AdminExtension {
  kick?: KickOutcome;
}

/** A regenerated password, shown once, and how signing out the devices went. */
export interface RegeneratedSecret {
  password: string;
  kick?: KickOutcome;
}

/** Settings an administrator can change after creation (PATCH body). */
export interface ExtensionSettings {
  name: string;
  enabled: boolean;
  manualDialing: boolean;
  callRecording: boolean;
  callLimit: number;
  allowedIps: string[];
  forwarding: string | null;
  dnd: boolean;
  /** The phone number (E.164) that rings this extension from the SIP trunk, or null. */
  did: string | null;
  /** The caller ID (E.164) of its outside calls, or null: its DID, else the system default. */
  callerId: string | null;
}

/** POST /extensions body. */
export type NewExtension = Partial<ExtensionSettings> & { number: string; name: string; password?: string };

/** Columns the list can be sorted by. */
export type SortKey = 'number' | 'name' | 'createdAt' | 'registeredAt';

/** Query of GET /extensions; unset filters are left out of the URL. */
export interface ListQuery {
  page: number;
  pageSize: number;
  sort: SortKey;
  order: 'asc' | 'desc';
  q: string;
  enabled?: boolean;
  registered?: boolean;
  manualDialing?: boolean;
  callRecording?: boolean;
}

/** One page of extensions. */
export interface ListResult {
  items: AdminExtension[];
  total: number;
  page: number;
  pageSize: number;
  /** Phone-server nodes that did not answer: their agents' registration shows as unknown. */
  unavailableNodes: string[];
}

/** POST /extensions answer: the generated password comes back only when none was given. */
export interface CreateResult {
  extension: AdminExtension;
  password?: string;
}

/** POST /extensions/bulk body. */
export interface BulkRequest {
  count: number;
  startCode: string;
  namePattern: string;
  usernamePattern: string;
  settings: Partial<Omit<ExtensionSettings, 'name'>>;
  dryRun?: boolean;
}

/** A dry-run bulk generate: the codes and names it would create, and the codes already taken. */
export interface BulkPreview {
  preview: { number: string; name: string }[];
  collisions: string[];
}

/** A number with its new password (shown once). */
export interface Credential {
  number: string;
  name?: string;
  password: string;
}

/** One bad CSV row. */
export interface CsvRowError {
  line: number;
  /** The column at fault, or null when the whole row is. */
  column: string | null;
  message: string;
}

/** A dry-run CSV import: the first problems (up to 100, in line order) and how many there are. */
export interface ImportCheck {
  ok: boolean;
  rows: number;
  errors: CsvRowError[];
  totalErrors: number;
}

/** An applied CSV import: generated passwords only. */
export interface ImportResult {
  created: number;
  passwords: Credential[];
}
