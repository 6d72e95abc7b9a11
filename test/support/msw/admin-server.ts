// An in-memory admin API (the /api/v1/admin contract) for component tests: stateful, so a test
// sees its own changes, and it records every request for assertions about what was sent.
import { http, HttpResponse, type RequestHandler } from 'msw';
import type {
  AdminExtension,
  AdminRegistration,
  AdminRole,
  CsvRowError,
  KickOutcome,
} from '../../../src/admin/api/types.ts';
import { API_TEST_URL } from './scenarios.ts';

const BASE = `${API_TEST_URL}/api/v1/admin`;

/** Accounts the fake knows: username -> password and role. */
export const ADMIN_USERS: Record<string, { password: string; role: AdminRole }> = {
  alice: { password: 'alice-admin-pass', role: 'admin' },
  vic: { password: 'vic-viewer-pass', role: 'viewer' },
};

/** A username whose logins are throttled. */
export const THROTTLED_USER = 'mallory';

/** A request the fake received. */
export interface Recorded {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

/** The registration fields of an extension with no device. */
const NO_DEVICE = {
  registeredAt: null,
  expiresAt: null,
  node: null,
  clientIp: null,
  clientName: null,
  transport: null,
  contacts: 0,
} as const;

function row(number: string, name: string, extra: Partial<AdminExtension> = {}): AdminExtension {
  return {
    number,
    name,
    password: '••••••••',
    enabled: true,
    status: 'enabled',
    manualDialing: false,
    callRecording: false,
    callLimit: 2,
    allowedIps: [],
    forwarding: null,
    dnd: false,
    did: null,
    callerId: null,
    registration: { status: 'unregistered', registered: false, ...NO_DEVICE },
    lastRegisteredAt: null,
    createdAt: `2026-11-0${(Number(number) % 9) + 1}T08:00:00.000Z`,
    updatedAt: '2026-11-20T08:00:00.000Z',
    passwordChangedAt: '2026-11-20T08:00:00.000Z',
    etag: '"1"',
    ...extra,
  };
}

/** Ada (1001, registered, dialing and recording on), Bob (1002, disabled) and 1003..1060. */
export function seedRows(): AdminExtension[] {
  const rows = [
    row('1001', 'Ada Agent', {
      manualDialing: true,
      callRecording: true,
      registration: {
        status: 'registered',
        registered: true,
        registeredAt: '2026-11-23T08:00:00.000Z',
        expiresAt: '2026-11-23T08:10:00.000Z',
        node: 'kamailio-1',
        clientIp: '192.0.2.10',
        clientName: 'Earshot/0.1 (JsSIP)',
        transport: 'wss',
        contacts: 1,
      },
    }),
    row('1002', 'Bob Builder', { enabled: false, status: 'disabled', did: '+14085550102' }),
  ];
  for (let n = 1003; n <= 1060; n += 1) rows.push(row(String(n), `Agent ${n}`));
  return rows;
}

const err = (status: number, error: string, message: string, extra: Record<string, unknown> = {}) =>
  HttpResponse.json({ error, message, ...extra }, { status });

const bump = (etag: string) => `"${Number(etag.replaceAll('"', '')) + 1}"`;

/** The fake service's state; tests read and change it. */
export class FakeAdminServer {
  rows = seedRows();
  readonly requests: Recorded[] = [];
  /** Set to make the next PATCH see someone else's change first (412). */
  concurrentEdit = false;
  /** Set to make the list fail with this plain-language message (503). */
  listFailure: string | null = null;
  /** Phone-server nodes the list reports as not answering. */
  unavailableNodes: string[] = [];
  /** Set to hold list answers until it settles (a slow server). */
  listHeld: Promise<void> | null = null;
  /** Set to make kicks (disable, regenerate) report that a phone-server node did not answer. */
  kickNode: string | null = null;

  /** `node` stops answering: the list names it, and rows without a device say registration unknown. */
  silence(node: string): void {
    this.unavailableNodes = [node];
    this.kickNode = node;
    const unknown = (number: string): AdminRegistration => ({
      status: 'unknown',
      registered: null,
      message: `The phone server (node ${node}) did not answer, so whether extension ${number} is registered is unknown right now.`,
      ...NO_DEVICE,
    });
    this.rows = this.rows.map((r) =>
      r.registration.registered ? r : { ...r, registration: unknown(r.number) },
    );
  }

  /** What a kick of `number`'s devices answers: delivered, or not while a node is silent. */
  kick(number: string): KickOutcome {
    if (!this.kickNode)
      return {
        delivered: true,
        message: `The devices of extension ${number} were disconnected.`,
        unreachableNodes: [],
      };
    return {
      delivered: false,
      message: `The phone server (node ${this.kickNode}) did not answer, so devices still signed in as extension ${number} could not be disconnected yet. Earshot keeps trying and disconnects them as soon as it answers again.`,
      unreachableNodes: [this.kickNode],
    };
  }

  /** Requests whose path ends with `suffix` (and method, when given). */
  sent(suffix: string, method?: string): Recorded[] {
    return this.requests.filter(
      (r) => r.url.pathname.endsWith(suffix) && (method === undefined || r.method === method),
    );
  }

  /** The row of `number` (throws when absent). */
  find(number: string): AdminExtension {
    const found = this.rows.find((r) => r.number === number);
    if (!found) throw new Error(`no ${number}`);
    return found;
  }

  #update(number: string, changes: Partial<AdminExtension>): AdminExtension {
    const current = this.find(number);
    const next = { ...current, ...changes, etag: bump(current.etag) };
    next.status = next.enabled ? 'enabled' : 'disabled';
    this.rows = this.rows.map((r) => (r.number === number ? next : r));
    return next;
  }

  #role(request: Request): AdminRole | null {
    const auth = request.headers.get('authorization') ?? '';
    const user = /^Bearer token-(\w+)$/.exec(auth)?.[1];
    return user ? (ADMIN_USERS[user]?.role ?? null) : null;
  }

  /** 401/403 like the real service, or null when allowed. */
  #deny(request: Request): Response | null {
    const role = this.#role(request);
    if (!role) return err(401, 'unauthenticated', 'Sign in again.');
    if (role === 'viewer' && request.method !== 'GET')
      return err(403, 'forbidden', 'Your role (viewer) can only read.');
    return null;
  }

  #list(url: URL): Response {
    if (this.listFailure) return err(503, 'unavailable', this.listFailure);
    const p = url.searchParams;
    if (p.has('registered') && this.unavailableNodes.length)
      return err(
        503,
        'registration-unknown',
        `The phone server (node ${this.unavailableNodes.join(', ')}) did not answer, so which extensions are registered cannot be told right now. Try again in a moment, or list without the registration filter.`,
      );
    const q = (p.get('q') ?? '').toLowerCase();
    const flag = (name: string) => (p.has(name) ? p.get(name) === 'true' : undefined);
    const filters = {
      enabled: flag('enabled'),
      registered: flag('registered'),
      manualDialing: flag('manualDialing'),
      callRecording: flag('callRecording'),
    };
    let items = this.rows.filter(
      (r) =>
        (!q || r.number.startsWith(q) || r.name.toLowerCase().includes(q)) &&
        (filters.enabled === undefined || r.enabled === filters.enabled) &&
        (filters.registered === undefined || r.registration.registered === filters.registered) &&
        (filters.manualDialing === undefined || r.manualDialing === filters.manualDialing) &&
        (filters.callRecording === undefined || r.callRecording === filters.callRecording),
    );
    const sort = p.get('sort') ?? 'number';
    const key = (r: AdminExtension) =>
      sort === 'name'
        ? r.name
        : sort === 'createdAt'
          ? r.createdAt
          : sort === 'registeredAt'
            ? (r.registration.registeredAt ?? '')
            : r.number;
    items = [...items].sort((a, b) => key(a).localeCompare(key(b)) * (p.get('order') === 'desc' ? -1 : 1));
    const page = Number(p.get('page') ?? 1);
    const pageSize = Number(p.get('pageSize') ?? 50);
    return HttpResponse.json({
      items: items.slice((page - 1) * pageSize, page * pageSize),
      total: items.length,
      page,
      pageSize,
      unavailableNodes: this.unavailableNodes,
    });
  }

  #patch(number: string, request: Request, body: Partial<AdminExtension>): Response {
    const current = this.find(number);
    const ifMatch = request.headers.get('if-match');
    if (!ifMatch) return err(428, 'precondition-required', 'Send If-Match.');
    if (this.concurrentEdit) {
      this.concurrentEdit = false;
      this.#update(number, { name: 'Changed Elsewhere' });
    }
    if (ifMatch !== this.find(number).etag) {
      return err(
        412,
        'conflict',
        `Someone else changed extension ${number} since you opened it. Reload and try again.`,
        { current: this.find(number) },
      );
    }
    if (body.allowedIps?.some((ip) => !/^[\d.]+(\/\d+)?$/.test(ip)))
      return err(
        400,
        'invalid-request',
        'Allowed IPs, entry 1: each entry is an IP address or CIDR range, e.g. 10.0.0.0/8',
        {
          field: 'allowedIps',
        },
      );
    // Like the service: formatting dropped (it also checks E.164), one extension per DID.
    if (typeof body.did === 'string') body.did = body.did.replace(/[\s().-]/g, '');
    const owner = body.did ? this.rows.find((r) => r.did === body.did && r.number !== number) : undefined;
    if (owner)
      return err(409, 'did-taken', `The number ${owner.did ?? ''} already rings extension ${owner.number}.`, {
        field: 'did',
      });
    const next = this.#update(current.number, body);
    const kicked = current.enabled && body.enabled === false;
    return HttpResponse.json(kicked ? { ...next, kick: this.kick(number) } : next, {
      headers: { etag: next.etag },
    });
  }

  #create(body: Partial<AdminExtension> & { password?: string }): Response {
    const number = body.number ?? '';
    if (this.rows.some((r) => r.number === number))
      return err(409, 'extension-exists', `Extension ${number} already exists.`);
    const created = row(number, body.name ?? '', { ...body, password: '••••••••' });
    this.rows.push(created);
    return HttpResponse.json(
      { extension: created, ...(body.password ? {} : { password: `gen-${number}-Secret` }) },
      { status: 201 },
    );
  }

  #bulk(body: {
    count: number;
    startCode: string;
    namePattern: string;
    usernamePattern: string;
    dryRun?: boolean;
  }): Response {
    if (body.usernamePattern !== '{code}')
      return err(
        400,
        'invalid-request',
        `The SIP username of an Earshot extension is its number, so the username pattern must be exactly "{code}" (got "${body.usernamePattern}").`,
        { field: 'usernamePattern' },
      );
    const start = Number(body.startCode);
    const preview = Array.from({ length: body.count }, (_, i) => {
      const number = String(start + i);
      return { number, name: body.namePattern.replaceAll('{code}', number) };
    });
    const collisions = preview
      .filter((p) => this.rows.some((r) => r.number === p.number))
      .map((p) => p.number);
    if (body.dryRun) return HttpResponse.json({ preview, collisions });
    if (collisions.length)
      return err(409, 'codes-taken', 'Some codes are taken; nothing was created.', { collisions });
    for (const p of preview) this.rows.push(row(p.number, p.name));
    return HttpResponse.json(
      { created: preview.map((p) => ({ ...p, password: `bulk-${p.number}` })) },
      { status: 201 },
    );
  }

  #import(csv: string, dryRun: boolean): Response {
    const lines = csv.trim().split('\n').slice(1);
    const errors = lines.flatMap((line, i): CsvRowError[] => {
      const [number = '', name] = line.split(',');
      if (name === undefined)
        return [
          { line: i + 2, column: null, message: 'The row has 1 field; it needs at least number and name.' },
        ];
      if (!/^\d{4,8}$/.test(number))
        return [{ line: i + 2, column: 'number', message: `"${number}" is not a 4 to 8 digit number.` }];
      if (this.rows.some((r) => r.number === number))
        return [{ line: i + 2, column: 'number', message: `Extension ${number} already exists.` }];
      return [];
    });
    // Like the service: the first 100 errors are listed, totalErrors counts them all.
    const listed = { errors: errors.slice(0, 100), totalErrors: errors.length };
    if (dryRun) return HttpResponse.json({ ok: errors.length === 0, rows: lines.length, ...listed });
    if (errors.length) return err(422, 'invalid-csv', 'The file has errors; nothing was imported.', listed);
    const passwords = lines.map((line) => {
      const [number = '', name = ''] = line.split(',');
      this.rows.push(row(number, name));
      return { number, password: `csv-${number}` };
    });
    return HttpResponse.json({ created: lines.length, passwords }, { status: 201 });
  }

  /** msw handlers bound to this state. */
  handlers(): RequestHandler[] {
    const record = async (request: Request) => {
      this.requests.push({
        method: request.method,
        url: new URL(request.url),
        headers: request.headers,
        body: await request.clone().text(),
      });
    };
    const guarded =
      (answer: (request: Request, params: Record<string, string>) => Promise<Response> | Response) =>
      async ({ request, params }: { request: Request; params: Record<string, unknown> }) => {
        await record(request);
        return this.#deny(request) ?? answer(request, params as Record<string, string>);
      };
    return [
      http.post(`${BASE}/sessions`, async ({ request }) => {
        await record(request);
        const { username, password } = (await request.json()) as { username: string; password: string };
        if (username === THROTTLED_USER)
          return err(429, 'too-many-attempts', 'Too many attempts. Try again in 300 seconds.', {
            retryAfter: 300,
          });
        const user = ADMIN_USERS[username];
        if (user?.password !== password)
          return err(401, 'invalid-credentials', 'Wrong username or password.');
        return HttpResponse.json(
          {
            token: `token-${username}`,
            expiresAt: '2026-11-24T00:00:00Z',
            admin: { username, role: user.role },
          },
          { status: 201 },
        );
      }),
      http.delete(
        `${BASE}/sessions/current`,
        guarded(() => new HttpResponse(null, { status: 204 })),
      ),
      http.get(`${BASE}/me`, async ({ request }) => {
        await record(request);
        const user = /^Bearer token-(\w+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
        const known = ADMIN_USERS[user];
        return known
          ? HttpResponse.json({ username: user, role: known.role })
          : err(401, 'unauthenticated', 'Sign in again.');
      }),
      http.get(
        `${BASE}/extensions.csv`,
        guarded(
          (request) =>
            new HttpResponse(`number,name\n${this.rows.map((r) => `${r.number},${r.name}`).join('\n')}\n`, {
              headers: { 'content-type': 'text/csv' },
              status:
                new URL(request.url).searchParams.has('secrets') && this.#role(request) !== 'admin'
                  ? 403
                  : 200,
            }),
        ),
      ),
      http.get(
        `${BASE}/extensions`,
        guarded(async (request) => {
          await this.listHeld;
          return this.#list(new URL(request.url));
        }),
      ),
      http.post(
        `${BASE}/extensions/bulk`,
        guarded(async (request) => this.#bulk((await request.json()) as never)),
      ),
      http.post(
        `${BASE}/extensions/import`,
        guarded(async (request) =>
          this.#import(await request.text(), new URL(request.url).searchParams.get('dryRun') === 'true'),
        ),
      ),
      http.get(
        `${BASE}/extensions/:number`,
        guarded((_request, { number = '' }) => {
          const found = this.rows.find((r) => r.number === number);
          return found
            ? HttpResponse.json(found, { headers: { etag: found.etag } })
            : err(404, 'not-found', `There is no extension ${number}.`);
        }),
      ),
      http.patch(
        `${BASE}/extensions/:number`,
        guarded(async (request, { number = '' }) =>
          this.#patch(number, request, (await request.json()) as Partial<AdminExtension>),
        ),
      ),
      http.post(
        `${BASE}/extensions/:number/:action`,
        guarded((_request, { number = '', action }) => {
          const next = this.#update(number, { enabled: action === 'enable' });
          return HttpResponse.json(action === 'disable' ? { ...next, kick: this.kick(number) } : next, {
            headers: { etag: next.etag },
          });
        }),
      ),
      http.delete(
        `${BASE}/extensions/:number`,
        guarded((request, { number = '' }) => {
          const current = this.find(number);
          const ifMatch = request.headers.get('if-match');
          if (ifMatch && ifMatch !== current.etag)
            return err(412, 'conflict', `Someone else changed extension ${number} since you opened it.`, {
              current,
            });
          this.rows = this.rows.filter((r) => r.number !== number);
          return new HttpResponse(null, { status: 204 });
        }),
      ),
      http.post(
        `${BASE}/extensions/:number/secret/:what`,
        guarded((_request, { number = '', what }) =>
          HttpResponse.json(
            what === 'reveal'
              ? { password: `Reveal-${number}-pw` }
              : { password: `Fresh-${number}-pw`, kick: this.kick(number) },
          ),
        ),
      ),
      http.post(
        `${BASE}/extensions`,
        guarded(async (request) => this.#create((await request.json()) as never)),
      ),
    ];
  }
}
