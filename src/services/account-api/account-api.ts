import type { ApiErrorBody, IceServers, Me, Session } from './types.ts';

/** A failed request, with the service's plain-language message and machine-readable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly rule?: string,
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const UNREACHABLE = 'The account service cannot be reached. Check your connection and try again.';

function isErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && 'message' in value && 'error' in value;
}

/** The ApiError for a failed response: the service's own code and message, or a plain fallback. */
export function apiErrorFrom(status: number, data: unknown): ApiError {
  const e = isErrorBody(data)
    ? data
    : { error: 'http-error', message: `The account service answered ${status}.` };
  return new ApiError(status, e.error, e.message, e.rule, e.retryAfter);
}

/** The ApiError for a request that never reached the account service. */
export function unreachableError(): ApiError {
  return new ApiError(0, 'unreachable', UNREACHABLE);
}

/** fetch client for the account service; holds the session token in memory only. */
export class AccountApi {
  #token: string | null = null;

  constructor(private readonly baseUrl: string) {}

  /** Whether a session is open. */
  get signedIn(): boolean {
    return this.#token !== null;
  }

  async #request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: signal ?? null,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw unreachableError();
    }
    if (res.status === 204) return undefined as T;
    const data: unknown = await res.json().catch(() => null);
    if (!res.ok) throw apiErrorFrom(res.status, data);
    return data as T;
  }

  /** Opens a session with the same credentials the softphone registers with. */
  async login(extension: string, password: string): Promise<void> {
    const session = await this.#request<Session>('POST', '/api/v1/sessions', { extension, password });
    this.#token = session.token;
  }

  /** Closes the session (best effort: the token is forgotten either way). */
  async logout(): Promise<void> {
    if (!this.#token) return;
    try {
      await this.#request<undefined>('DELETE', '/api/v1/sessions/current');
    } finally {
      this.#token = null;
    }
  }

  /** The agent's extension and live registration. */
  me(signal?: AbortSignal): Promise<Me> {
    return this.#request<Me>('GET', '/api/v1/me', undefined, signal);
  }

  /** STUN/TURN servers for calls, with TURN credentials minted for this agent. */
  iceServers(): Promise<IceServers> {
    return this.#request<IceServers>('GET', '/api/v1/me/ice-servers');
  }

  /** Changes the agent's own password; the policy's specific message comes back as ApiError. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.#request<unknown>('PUT', '/api/v1/me/password', { currentPassword, newPassword });
  }

  /** A strong generated password. */
  async suggestPassword(): Promise<string> {
    return (await this.#request<{ password: string }>('POST', '/api/v1/password-suggestions', {})).password;
  }
}

/** Where the softphone finds Kamailio, as the account service advertises it. */
export interface ClientConfig {
  sipServer: string;
  realm: string;
}

/** Reads /api/v1/client-config (public) so a page needs only the account-service URL. */
export async function fetchClientConfig(apiUrl: string, signal?: AbortSignal): Promise<ClientConfig> {
  const res = await fetch(new URL('/api/v1/client-config', apiUrl), { signal: signal ?? null });
  if (!res.ok) throw new ApiError(res.status, 'client-config', 'The softphone settings could not be loaded.');
  return (await res.json()) as ClientConfig;
}
