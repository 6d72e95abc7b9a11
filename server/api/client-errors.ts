// Requests Node's HTTP parser refuses before Fastify sees them (bad HTTP, headers over 16 KB, a
// timeout) answer the API's JSON error shape too, written straight to the socket.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

const CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'request-timeout',
    message: 'The request took too long to arrive.',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'headers-too-large',
    message: 'The request line and headers are too large (at most 16 KB).',
  },
};

const NOT_HTTP = { status: 400, code: 'bad-request', message: 'The request is not valid HTTP.' };

/** Fastify's `clientErrorHandler`: one JSON answer, then the connection is closed. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, code, message } = CLIENT_ERRORS[error.code ?? ''] ?? NOT_HTTP;
  const body = JSON.stringify({ error: code, message });
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(error);
}
