// Helpers for the admin extension API tests: calls, live registrations for the registrar double,
// audit rows, and the check that no secret reached a response, the audit log or the logs.
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { AdminExtension } from '../../server/api/routes/admin/schemas.ts';
import type { Registration } from '../../server/kamailio/types.ts';
import type { ApiHarness } from './api-harness.ts';

export const EXTENSIONS = '/api/v1/admin/extensions';
/** The address every admin call comes from, so audit rows can be checked for it. */
export const ADMIN_IP = '198.51.100.44';

export type Headers = Record<string, string>;

/** One admin API call from ADMIN_IP. */
export function call(
  h: ApiHarness,
  method: NonNullable<InjectOptions['method']>,
  url: string,
  headers: Headers,
  payload?: object | string,
): Promise<LightMyRequestResponse> {
  return h.app.inject({
    method,
    url,
    headers,
    remoteAddress: ADMIN_IP,
    ...(payload === undefined ? {} : { payload }),
  });
}

/** GET one extension: the row and its ETag. */
export async function readOne(
  h: ApiHarness,
  number: string,
  headers: Headers,
): Promise<{ etag: string; body: AdminExtension }> {
  const res = await call(h, 'GET', `${EXTENSIONS}/${number}`, headers);
  assert.equal(res.statusCode, 200, res.body);
  return { etag: String(res.headers.etag), body: res.json<AdminExtension>() };
}

/** A live contact as Kamailio's usrloc would report it. */
export function registration(overrides: Partial<Registration> = {}): Registration {
  return {
    node: 'kam-a',
    contact: 'sip:agent@192.0.2.10:5060;transport=ws',
    registeredAt: '2026-11-23T08:00:00.000Z',
    expiresAt: '2026-11-23T09:05:00.000Z',
    clientIp: '192.0.2.10',
    clientPort: 5060,
    transport: 'ws',
    userAgent: 'Earshot/1.0',
    instance: null,
    ...overrides,
  };
}

/** The audit rows of one action on one target, oldest first. */
export async function auditOf(h: ApiHarness, action: string, target: string) {
  const rows = await h.database.db.kysely
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('target', '=', target)
    .orderBy('at')
    .execute();
  return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));
}

/** Asserts the last audit row of `action` on `target` names the admin and the caller's address. */
export async function assertAudited(h: ApiHarness, action: string, target: string, actor: string) {
  const row = (await auditOf(h, action, target)).at(-1);
  assert.ok(row, `no audit row for ${action} ${target}`);
  assert.equal(row.actor, `admin:${actor}`);
  assert.equal(row.ip, ADMIN_IP);
  return row;
}

/** Asserts none of `secrets` appears in the audit log or in anything the service logged. */
export async function assertNoSecretLeaked(h: ApiHarness, secrets: readonly string[]): Promise<void> {
  const audit = JSON.stringify(await h.database.db.kysely.selectFrom('audit_log').selectAll().execute());
  const logs = h.logs.join('');
  assert.ok(h.logs.length > 0, 'the service did log requests');
  for (const secret of secrets) {
    assert.ok(!audit.includes(secret), `a secret reached the audit log: ${secret.slice(0, 3)}…`);
    assert.ok(!logs.includes(secret), `a secret reached the logs: ${secret.slice(0, 3)}…`);
  }
}
