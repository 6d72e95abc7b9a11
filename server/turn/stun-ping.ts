// A STUN Binding request (RFC 5389) to a TURN server: the health check and the launcher's "is it
// up" wait. Binding needs no credentials, so this proves the server answers without minting any.
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { isIPv6 } from 'node:net';

const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const MAGIC_COOKIE = 0x2112a442;

/** The 20-byte Binding request with `transactionId` (12 bytes). */
export function bindingRequest(transactionId: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE(BINDING_REQUEST, 0);
  header.writeUInt16BE(0, 2);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  return Buffer.concat([header, transactionId]);
}

/** True when `message` is a Binding success response to `transactionId`. */
export function isBindingSuccess(message: Buffer, transactionId: Buffer): boolean {
  return (
    message.length >= 20 &&
    message.readUInt16BE(0) === BINDING_SUCCESS &&
    message.readUInt32BE(4) === MAGIC_COOKIE &&
    message.subarray(8, 20).equals(transactionId)
  );
}

/** Resolves when the STUN server at host:port answers a Binding request; rejects after `timeoutMs`. */
export function stunPing(host: string, port: number, timeoutMs = 1000): Promise<void> {
  const transactionId = randomBytes(12);
  const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(Object.assign(new Error(`No STUN answer from ${host}:${String(port)}`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.on('message', (message) => {
      if (!isBindingSuccess(message, transactionId)) return;
      clearTimeout(timer);
      resolve();
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.send(bindingRequest(transactionId), port, host);
  }).finally(() => {
    socket.close();
  });
}
