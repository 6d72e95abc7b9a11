import { ApiError, apiErrorFrom, unreachableError } from '../../services/account-api/account-api.ts';
import type {
  AdminExtension,
  AdminIdentity,
  AdminSession,
  ChangedExtension,
  BulkPreview,
  BulkRequest,
  CreateResult,
  Credential,
  ExtensionSettings,
  ImportCheck,
  ImportResult,
  ListQuery,
  ListResult,
  NewExtension,
  RegeneratedSecret,
} from './types.ts';

const BASE = '/api/v1/admin';
const STORAGE_KEY = 'earshot-admin-session';

/** An admin API failure that keeps the whole error body (`current`, `collisions`, `errors` …). */
export class AdminApiError extends ApiError {
  constructor(
    base: ApiError,
    /** The error body's extra fields. */
    readonly details: Record<string, unknown>,
  ) {
    super(base.status, base.code, base.message, base.rule, base.retryAfter);
    this.name = 'AdminApiError';
  }
}

interface Stored {
  token: string;
  admin: AdminIdentity;
}

interface SendOptions {
  body?: unknown;
  ifMatch?: string;
  signal?: AbortSignal | undefined;
  /** Read the answer as a Blob instead of JSON. */
  blob?: boolean;
}

const asRecord = (data: unknown): Record<string, unknown> =>
  typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};

function failure(status: number, data: unknown): AdminApiError {
  return new AdminApiError(apiErrorFrom(status, data), asRecord(data));
}

/** Upload progress of a CSV import, 0..1. */
export type ProgressListener = (fraction: number) => void;

/**
 * Typed client of the admin API. The session token lives in sessionStorage (this tab only, gone
 * when it closes). Fires `session-ended` when the service no longer accepts the token.
 */
export class AdminApi extends EventTarget {
  #session: Stored | null;

  constructor(
    private readonly baseUrl: string,
    private readonly storage: Storage = sessionStorage,
  ) {
    super();
    this.#session = this.#load();
  }

  /** The signed-in administrator, or null. */
  get identity(): AdminIdentity | null {
    return this.#session?.admin ?? null;
  }

  /** Whether the signed-in administrator may change anything. */
  get canEdit(): boolean {
    return this.#session?.admin.role === 'admin';
  }

  #load(): Stored | null {
    try {
      const value = JSON.parse(this.storage.getItem(STORAGE_KEY) ?? 'null') as Stored | null;
      return value?.token && value.admin.username ? value : null;
    } catch {
      return null;
    }
  }

  #forget(): void {
    this.#session = null;
    this.storage.removeItem(STORAGE_KEY);
  }

  #headers(options: SendOptions, accept = 'application/json'): Record<string, string> {
    const headers: Record<string, string> = { accept };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.ifMatch) headers['if-match'] = options.ifMatch;
    if (this.#session) headers.authorization = `Bearer ${this.#session.token}`;
    return headers;
  }

  #expired(status: number): void {
    if (status !== 401 || !this.#session) return;
    this.#forget();
    this.dispatchEvent(new Event('session-ended'));
  }

  async #send(method: string, path: string, options: SendOptions = {}): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(new URL(BASE + path, this.baseUrl), {
        method,
        headers: this.#headers(options, options.blob ? 'text/csv' : 'application/json'),
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: options.signal ?? null,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw unreachableError();
    }
    if (!res.ok) {
      this.#expired(res.status);
      throw failure(res.status, await res.json().catch(() => null));
    }
    return res;
  }

  async #json<T>(method: string, path: string, options: SendOptions = {}): Promise<T> {
    const res = await this.#send(method, path, options);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  /** Signs in; the token is kept for this tab. */
  async login(username: string, password: string): Promise<AdminIdentity> {
    const session = await this.#json<AdminSession>('POST', '/sessions', { body: { username, password } });
    this.#session = { token: session.token, admin: session.admin };
    this.storage.setItem(STORAGE_KEY, JSON.stringify(this.#session));
    return session.admin;
  }

  /** Signs out (best effort: the token is forgotten either way). */
  async logout(): Promise<void> {
    try {
      if (this.#session) await this.#send('DELETE', '/sessions/current');
    } finally {
      this.#forget();
    }
  }

  /** Checks the stored token and refreshes the role. */
  async me(signal?: AbortSignal): Promise<AdminIdentity> {
    const me = await this.#json<AdminIdentity>('GET', '/me', { signal });
    if (this.#session) this.#session = { ...this.#session, admin: me };
    return me;
  }

  /** One page of extensions. */
  list(query: ListQuery, signal?: AbortSignal): Promise<ListResult> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    return this.#json<ListResult>('GET', `/extensions?${params.toString()}`, { signal });
  }

  /** The current state of one extension with its revision. */
  async get(number: string, signal?: AbortSignal): Promise<AdminExtension> {
    const res = await this.#send('GET', `/extensions/${number}`, { signal });
    const row = (await res.json()) as AdminExtension;
    return { ...row, etag: res.headers.get('etag') ?? row.etag };
  }

  /** Creates one extension. */
  create(input: NewExtension): Promise<CreateResult> {
    return this.#json<CreateResult>('POST', '/extensions', { body: input });
  }

  /** Changes settings only if nobody else changed the extension since revision `etag` (412 otherwise). */
  async update(number: string, etag: string, changes: Partial<ExtensionSettings>): Promise<ChangedExtension> {
    const res = await this.#send('PATCH', `/extensions/${number}`, { body: changes, ifMatch: etag });
    const row = (await res.json()) as ChangedExtension;
    return { ...row, etag: res.headers.get('etag') ?? row.etag };
  }

  /** Enables or disables an extension (disabling ends its registrations at once; `kick` says how). */
  setEnabled(number: string, enabled: boolean): Promise<ChangedExtension> {
    return this.#json<ChangedExtension>('POST', `/extensions/${number}/${enabled ? 'enable' : 'disable'}`);
  }

  /** Deletes an extension; with `etag`, only if it is unchanged. */
  async remove(number: string, etag?: string): Promise<void> {
    await this.#send('DELETE', `/extensions/${number}`, { ifMatch: etag });
  }

  /** The extension's SIP password in clear (admin role, audited). */
  async reveal(number: string): Promise<string> {
    return (await this.#json<{ password: string }>('POST', `/extensions/${number}/secret/reveal`)).password;
  }

  /** A new high-entropy password (every registered device is signed out; `kick` says how). */
  regenerate(number: string): Promise<RegeneratedSecret> {
    return this.#json<RegeneratedSecret>('POST', `/extensions/${number}/secret/regenerate`);
  }

  /** Previews a bulk generate: codes, names and collisions; nothing is created. */
  async bulkPreview(request: Omit<BulkRequest, 'dryRun'>, signal?: AbortSignal): Promise<BulkPreview> {
    try {
      return await this.#json<BulkPreview>('POST', '/extensions/bulk', {
        body: { ...request, dryRun: true },
        signal,
      });
    } catch (error) {
      const collisions = error instanceof AdminApiError ? error.details.collisions : undefined;
      if (!Array.isArray(collisions) || collisions.length === 0) throw error;
      // A 409 on the dry run still describes the plan: show the taken codes next to it.
      return { preview: [], collisions: collisions as string[] };
    }
  }

  /** Creates every extension of a bulk plan, or none. */
  async bulkCreate(request: Omit<BulkRequest, 'dryRun'>): Promise<Credential[]> {
    const res = await this.#json<{ created: Credential[] }>('POST', '/extensions/bulk', { body: request });
    return res.created;
  }

  /** Every extension as CSV (`secrets` adds passwords: admin role, audited). */
  async exportCsv(secrets = false): Promise<Blob> {
    const res = await this.#send('GET', `/extensions.csv${secrets ? '?secrets=true' : ''}`, { blob: true });
    return res.blob();
  }

  /** Checks a CSV file row by row without writing anything. */
  checkCsv(file: Blob, onProgress?: ProgressListener): Promise<ImportCheck> {
    return this.#upload<ImportCheck>(file, true, onProgress);
  }

  /** Imports a CSV file in one transaction (nothing is written if any row is bad). */
  importCsv(file: Blob, onProgress?: ProgressListener): Promise<ImportResult> {
    return this.#upload<ImportResult>(file, false, onProgress);
  }

  // fetch reports no upload progress; XMLHttpRequest does.
  #upload<T>(file: Blob, dryRun: boolean, onProgress?: ProgressListener): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', new URL(`${BASE}/extensions/import?dryRun=${String(dryRun)}`, this.baseUrl));
      for (const [name, value] of Object.entries(this.#headers({}))) xhr.setRequestHeader(name, value);
      xhr.setRequestHeader('content-type', 'text/csv');
      xhr.upload.addEventListener('progress', (event) => {
        if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
      });
      xhr.addEventListener('load', () => {
        let data: unknown = null;
        try {
          data = JSON.parse(xhr.responseText);
        } catch {
          // Not JSON: failure() gives the plain fallback message.
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          onProgress?.(1);
          resolve(data as T);
          return;
        }
        this.#expired(xhr.status);
        reject(failure(xhr.status, data));
      });
      xhr.addEventListener('error', () => reject(unreachableError()));
      xhr.send(file);
    });
  }
}
