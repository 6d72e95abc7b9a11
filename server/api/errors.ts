import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isReadOnlyDatabaseError } from '../db/writable.ts';

/** An error the API answers with: an HTTP status, a kebab-case code and a plain-language sentence. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Fastify's own errors for malformed requests, in words a client developer can act on. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported-media-type',
    message: 'Send the request body as JSON with Content-Type: application/json.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'empty-body',
    message: 'The request body is empty; send a JSON object.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'body-too-large',
    message: 'The request body is too large.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'bad-content-length',
    message: 'The Content-Length header does not match the body.',
  },
  FST_ERR_BAD_URL: {
    status: 400,
    code: 'bad-url',
    message: 'The address is not valid: a % must be followed by two hexadecimal digits.',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'uri-too-long',
    message: 'A part of the address is too long.',
  },
};

const INVALID_JSON = { status: 400, code: 'invalid-json', message: 'The request body is not valid JSON.' };

const DATABASE_READ_ONLY = {
  status: 503,
  code: 'database-read-only',
  message: 'The service cannot save anything right now (its database is read-only). Tell your administrator.',
};

function describe(error: FastifyError): { status: number; code: string; message: string } {
  const known = error.code ? FASTIFY_ERRORS[error.code] : undefined;
  if (known) return known;
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return INVALID_JSON;
  if (isReadOnlyDatabaseError(error)) return DATABASE_READ_ONLY;
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500)
    return { status, code: 'bad-request', message: 'The request could not be understood.' };
  return {
    status: 500,
    code: 'internal-error',
    message: 'Something went wrong on our side. Try again in a moment.',
  };
}

/** Every error becomes `{ error, message }`; unexpected ones are logged (without bodies) and masked. */
export function errorHandler(
  error: FastifyError | HttpError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (error instanceof HttpError) {
    if (typeof error.extra.retryAfter === 'number')
      void reply.header('retry-after', String(error.extra.retryAfter));
    void reply.status(error.status).send({ error: error.code, message: error.message, ...error.extra });
    return;
  }
  const described = describe(error);
  if (described.status >= 500)
    request.log.error({ err: { message: error.message, stack: error.stack } }, 'unhandled');
  void reply.status(described.status).send({ error: described.code, message: described.message });
}

/** Unknown routes answer JSON like every other error. */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  void reply.status(404).send({
    error: 'not-found',
    message: `There is no ${request.method} ${request.url.split('?')[0] ?? ''}.`,
  });
}
