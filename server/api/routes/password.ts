import type { FastifyInstance } from 'fastify';
import { writeAudit } from '../../audit.ts';
import { setExtensionPassword } from '../../extensions/repository.ts';
import { GENERATED_PASSWORD_BITS, generatePassword } from '../../security/password-generator.ts';
import { checkPassword, PasswordRule } from '../../security/password-policy.ts';
import { passwordMatches, requireAgent, type AgentSession } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import type { RouteDoc } from '../route-doc.ts';
import { ErrorResponse, PasswordChangeBody, PasswordChangeResponse, SuggestionResponse } from '../schemas.ts';
import { parseWith } from '../validation.ts';

export const passwordDocs: RouteDoc[] = [
  {
    method: 'PUT',
    url: '/api/v1/me/password',
    summary: "Change the agent's own SIP password; other sessions are revoked and other devices kicked.",
    auth: true,
    body: PasswordChangeBody,
    responses: { 200: PasswordChangeResponse, 400: ErrorResponse, 401: ErrorResponse, 422: ErrorResponse },
  },
  {
    method: 'POST',
    url: '/api/v1/password-suggestions',
    summary: 'A high-entropy generated password that passes the policy.',
    auth: true,
    responses: { 200: SuggestionResponse, 401: ErrorResponse },
  },
];

function checkNewPassword(agent: AgentSession, ctx: ApiContext, current: string, next: string): void {
  if (!passwordMatches(ctx, agent.extension, current)) {
    throw new HttpError(400, 'wrong-current-password', 'Your current password is not correct.', {
      field: 'currentPassword',
    });
  }
  if (current === next) {
    throw new HttpError(422, 'password-policy', 'The new password must differ from the current one.', {
      rule: PasswordRule.SameAsCurrent,
    });
  }
  const verdict = checkPassword(next, agent.extension.number);
  if (!verdict.ok)
    throw new HttpError(422, 'password-policy', verdict.message ?? 'Choose another password.', {
      rule: verdict.rule,
    });
}

async function changePassword(ctx: ApiContext, agent: AgentSession, body: unknown, ip: string) {
  const { currentPassword, newPassword } = parseWith(PasswordChangeBody, body);
  checkNewPassword(agent, ctx, currentPassword, newPassword);
  const number = agent.extension.number;
  const passwordChangedAt = await setExtensionPassword(ctx.db, ctx.credentials, number, newPassword);
  const revoked = await ctx.db
    .deleteFrom('sessions')
    .where('subject_type', '=', 'agent')
    .where('subject', '=', number)
    .where('token_hash', '!=', agent.tokenHash)
    .executeTakeFirst();
  // Kamailio forgets the old bindings and closes their sockets: devices must re-register with the new password.
  // A node that does not answer is retried (ctx.kicks); `kicked` says whether all were reached now.
  const kicked = (await ctx.kicks.kick(number)).delivered;
  const otherSessionsRevoked = Number(revoked.numDeletedRows);
  await writeAudit(
    ctx.db,
    {
      actor: `ext:${number}`,
      action: 'password.change',
      target: number,
      ip,
      details: { otherSessionsRevoked, kicked },
    },
    ctx.now(),
  );
  return { passwordChangedAt, otherSessionsRevoked, kicked };
}

/** PUT /api/v1/me/password and POST /api/v1/password-suggestions. */
export function passwordRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.put('/api/v1/me/password', async (request) =>
    changePassword(ctx, await requireAgent(ctx, request), request.body, request.ip),
  );

  app.post('/api/v1/password-suggestions', async (request) => {
    await requireAgent(ctx, request);
    return { password: generatePassword(), entropyBits: GENERATED_PASSWORD_BITS };
  });
}
